package dev.aar.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aar.core.event.Finding;
import dev.aar.core.event.Severity;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayeringAnalyzerTest {

    @TempDir
    Path dir;

    private Fixture project() {
        return new Fixture(dir)
                .file("src/com/shop/domain/Order.java", "package com.shop.domain;", "",
                        "import java.util.List;", "import com.shop.infrastructure.Db;", "import org.springframework.stereotype.Service;",
                        "public class Order {}")
                .file("src/com/shop/infrastructure/Db.java", "package com.shop.infrastructure;",
                        "import com.shop.domain.Order;", "public class Db {}");
    }

    private static LayeringAnalyzer rules(String... rules) {
        return new LayeringAnalyzer(AnalysisConfig.builder().layerRules(rules).build());
    }

    @Test
    void reportsAnImportThatBreaksARuleWithFileAndLine() {
        List<Finding> findings = project().run(rules("..domain.. must not depend on ..infrastructure.."));

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.rule()).isEqualTo(LayeringAnalyzer.RULE);
            assertThat(f.severity()).isEqualTo(Severity.HIGH);
            assertThat(f.file()).isEqualTo("src/com/shop/domain/Order.java");
            assertThat(f.line()).isEqualTo(4);
            assertThat(f.evidence()).isEqualTo("import com.shop.infrastructure.Db;");
            assertThat(f.description()).contains("com.shop.domain imports com.shop.infrastructure");
        });
    }

    @Test
    void allowsTheOtherDirection() {
        assertThat(project().run(rules("..infrastructure.. must not depend on ..web.."))).isEmpty();
    }

    @Test
    void checksImportsOfExternalPackages() {
        List<Finding> findings = project().run(rules("..domain.. MUST NOT DEPEND ON org.springframework.."));
        assertThat(findings).singleElement().satisfies(f -> assertThat(f.line()).isEqualTo(5));
    }

    @Test
    void singleSegmentWildcardDoesNotMatchDeeperPackages() {
        // *.domain.. needs exactly one segment before "domain": com.shop.domain has two
        assertThat(project().run(rules("*.domain.. must not depend on *.infrastructure.."))).isEmpty();
        assertThat(project().run(rules("*.*.domain.. must not depend on *.*.infrastructure.."))).hasSize(1);
    }

    @Test
    void findsNothingWithoutRules() {
        assertThat(project().run(new LayeringAnalyzer(AnalysisConfig.defaults()))).isEmpty();
    }
}
