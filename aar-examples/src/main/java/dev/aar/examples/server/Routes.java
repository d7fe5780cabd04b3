package dev.aar.examples.server;

import io.javalin.Javalin;

/** One group of HTTP routes; {@link AarServer} registers each group explicitly. */
interface Routes {

    /** Adds this group's handlers to {@code app}. */
    void register(Javalin app);
}
