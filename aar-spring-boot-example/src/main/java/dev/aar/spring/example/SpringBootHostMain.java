package dev.aar.spring.example;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Boot service that reviews uploaded codebases with no wiring code of its own: the starter builds
 * the {@code Aar} bean from {@code application.properties}, runs the workers and reports {@code aar} in
 * {@code /actuator/health}; {@link ReviewController} is the service's own API.
 */
@SpringBootApplication
public class SpringBootHostMain {

    public static void main(String[] args) {
        SpringApplication.run(SpringBootHostMain.class, args);
    }
}
