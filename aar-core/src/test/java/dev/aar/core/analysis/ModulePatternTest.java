package dev.aar.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ModulePatternTest {

    @Test
    void doubleDotMatchesAnyNumberOfSegments() {
        ModulePattern p = ModulePattern.parse("..domain..");
        assertThat(p.matches("domain")).isTrue();
        assertThat(p.matches("com.shop.domain")).isTrue();
        assertThat(p.matches("com.shop.domain.model")).isTrue();
        assertThat(p.matches("com.shop.domains")).isFalse();
    }

    @Test
    void starMatchesWithinOneSegment() {
        ModulePattern p = ModulePattern.parse("*.domain..");
        assertThat(p.matches("shop.domain")).isTrue();
        assertThat(p.matches("shop.domain.model")).isTrue();
        assertThat(p.matches("com.shop.domain")).isFalse();
        assertThat(ModulePattern.parse("com.*Service").matches("com.OrderService")).isTrue();
        assertThat(ModulePattern.parse("com.*Service").matches("com.a.OrderService")).isFalse();
        assertThat(ModulePattern.parse("com.acme").matches("com.acme.x")).isFalse();
        assertThat(ModulePattern.parse("com..web").matches("com.a.b.web")).isTrue();
    }

    @Test
    void refusesMalformedPatternsNamingThem() {
        assertThatThrownBy(() -> ModulePattern.parse("a...b")).hasMessageContaining("'a...b'");
        assertThatThrownBy(() -> ModulePattern.parse("a.(b)")).hasMessageContaining("segment '(b)'");
        assertThatThrownBy(() -> ModulePattern.parse(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LayerRule.parse("a.. depends on b..")).hasMessageContaining("must not depend on");
    }

    @Test
    void layerRuleParsesAndPrints() {
        LayerRule rule = LayerRule.parse("  *.domain..   must not depend on  *.infrastructure.. ");
        assertThat(rule.toString()).isEqualTo("*.domain.. must not depend on *.infrastructure..");
        assertThat(rule.forbids("shop.domain", "shop.infrastructure.db")).isTrue();
        assertThat(rule.forbids("shop.infrastructure", "shop.domain")).isFalse();
    }
}
