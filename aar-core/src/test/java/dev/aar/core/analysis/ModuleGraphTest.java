package dev.aar.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModuleGraphTest {

    @TempDir
    Path dir;

    @Test
    void aPlantedThreePackageCycleHasItsThreeEdgesMarkedAndCountsImports() {
        ProjectView view = new Fixture(dir)
                .file("src/main/java/com/acme/a/A.java", "package com.acme.a;", "import com.acme.b.B;", "class A {}")
                .file("src/main/java/com/acme/b/B.java", "package com.acme.b;", "import com.acme.c.C;", "class B {}")
                .file("src/main/java/com/acme/b/B2.java", "package com.acme.b;", "import com.acme.c.*;", "class B2 {}",
                        "// padding", "// padding")
                .file("src/main/java/com/acme/c/C.java", "package com.acme.c;", "import com.acme.a.A;", "class C {}")
                .file("src/main/java/com/acme/d/D.java", "package com.acme.d;", "import com.acme.a.A;",
                        "import java.util.List;", "class D {}")
                .file("src/test/java/com/acme/a/ATest.java", "package com.acme.a;", "import com.acme.d.D;", "class ATest {}")
                .view();

        ModuleGraph graph = ModuleGraph.of(view);

        assertThat(graph.nodes()).containsExactly(
                new ModuleGraph.Node("com.acme.a", 1, 3),
                new ModuleGraph.Node("com.acme.b", 2, 8),
                new ModuleGraph.Node("com.acme.c", 1, 3),
                new ModuleGraph.Node("com.acme.d", 1, 4));
        assertThat(graph.edges()).containsExactly(
                new ModuleGraph.Edge("com.acme.a", "com.acme.b", 1, true),
                new ModuleGraph.Edge("com.acme.b", "com.acme.c", 2, true),
                new ModuleGraph.Edge("com.acme.c", "com.acme.a", 1, true),
                new ModuleGraph.Edge("com.acme.d", "com.acme.a", 1, false));
        assertThat(graph.cycles()).containsExactly(List.of("com.acme.a", "com.acme.b", "com.acme.c"));
        assertThat(graph.largestFiles()).extracting(ModuleGraph.FileSize::path).first()
                .isEqualTo("src/main/java/com/acme/b/B2.java");
        assertThat(graph.largestFiles()).noneMatch(f -> f.path().contains("src/test/"));
    }

    @Test
    void aPlantedLayeringViolationMarksItsEdgeWithTheRuleTheAnalyzerReports() {
        Fixture project = new Fixture(dir)
                .file("src/main/java/com/shop/domain/Order.java", "package com.shop.domain;",
                        "import com.shop.infrastructure.Db;", "class Order {}")
                .file("src/main/java/com/shop/infrastructure/Db.java", "package com.shop.infrastructure;", "class Db {}")
                .file("src/main/java/com/shop/web/Api.java", "package com.shop.web;", "import com.shop.domain.Order;",
                        "import com.shop.infrastructure.Db;", "class Api {}");
        AnalysisConfig config = AnalysisConfig.builder()
                .layerRules("..web.. must not depend on ..nothing..", "..domain.. must not depend on ..infrastructure..")
                .build();

        ModuleGraph graph = ModuleGraph.of(project.view(), config.layerRules());

        assertThat(graph.edges()).containsExactly(
                new ModuleGraph.Edge("com.shop.domain", "com.shop.infrastructure", 1, false,
                        "..domain.. must not depend on ..infrastructure.."),
                new ModuleGraph.Edge("com.shop.web", "com.shop.domain", 1, false),
                new ModuleGraph.Edge("com.shop.web", "com.shop.infrastructure", 1, false));
        // the picture and the findings agree: the analyzer reports the same import under the same rule
        assertThat(project.run(new LayeringAnalyzer(config))).singleElement()
                .satisfies(f -> assertThat(f.description()).contains("com.shop.domain imports com.shop.infrastructure",
                        "'..domain.. must not depend on ..infrastructure..'"));
        assertThat(ModuleGraph.of(project.view()).edges()).allMatch(e -> e.violates() == null);
    }

    @Test
    void groupingKeepsTheViolationMarkAndAGroupsOwnGraphKeepsItsInnerEdges() {
        // app.core.* must not depend on app.ui.*; app.core.a -> app.ui.b breaks it, app.ui.b -> app.core.a does not
        List<ModuleGraph.Node> nodes = new ArrayList<>();
        for (String n : List.of("app.core.a", "app.core.b", "app.ui.a", "app.ui.b", "lib.x", "lib.y")) {
            nodes.add(new ModuleGraph.Node(n, 1, 10));
        }
        String rule = "app.core.. must not depend on app.ui..";
        ModuleGraph g = new ModuleGraph(nodes, List.of(
                new ModuleGraph.Edge("app.core.a", "app.core.b", 2, false),
                new ModuleGraph.Edge("app.core.a", "app.ui.b", 1, false, rule),
                new ModuleGraph.Edge("app.core.b", "lib.x", 1, false),
                new ModuleGraph.Edge("app.ui.a", "app.ui.b", 1, false),
                new ModuleGraph.Edge("app.ui.b", "app.core.b", 3, false),
                new ModuleGraph.Edge("lib.x", "lib.y", 1, false)), List.of(), List.of());

        ModuleGraph.Collapsed c = g.collapse(3);

        assertThat(c.graph().nodes()).extracting(ModuleGraph.Node::name).containsExactly("app.core", "app.ui", "lib");
        assertThat(c.members()).containsEntry("app.core", List.of("app.core.a", "app.core.b"))
                .containsEntry("lib", List.of("lib.x", "lib.y"));
        assertThat(c.graph().edges()).contains(new ModuleGraph.Edge("app.core", "app.ui", 1, true, rule),
                new ModuleGraph.Edge("app.ui", "app.core", 3, true));

        ModuleGraph inside = g.within(c.members().get("app.core"));
        assertThat(inside.nodes()).extracting(ModuleGraph.Node::name).containsExactly("app.core.a", "app.core.b");
        assertThat(inside.edges()).containsExactly(new ModuleGraph.Edge("app.core.a", "app.core.b", 2, false));
        assertThat(inside.cycles()).isEmpty();
        assertThat(g.within(List.of("app.core.a", "app.ui.b")).edges())
                .containsExactly(new ModuleGraph.Edge("app.core.a", "app.ui.b", 1, false, rule));
    }

    @Test
    void aProjectWithoutCodeHasAnEmptyGraph() {
        ModuleGraph graph = ModuleGraph.of(new Fixture(dir).file("README.md", "# hi").view());
        assertThat(graph.nodes()).isEmpty();
        assertThat(graph.edges()).isEmpty();
        assertThat(graph.cycles()).isEmpty();
    }

    @Test
    void aSmallGraphIsNotCollapsed() {
        ModuleGraph g = chain(5);
        assertThat(g.collapse(60)).isEqualTo(new ModuleGraph.Collapsed(g, false, 0));
        assertThatThrownBy(() -> g.collapse(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void twoThousandModulesCollapseToTheDeepestGroupingUnderTheCapAndGroupingCanMakeCycles() {
        // org.p<i>.s<j>: 40 groups of 50; s0 of each group imports the next group's s1; the last back to the first
        List<ModuleGraph.Node> nodes = new ArrayList<>();
        List<ModuleGraph.Edge> edges = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            for (int j = 0; j < 50; j++) {
                nodes.add(new ModuleGraph.Node(name(i, j), 1, 10 + j));
                if (j > 0) {
                    edges.add(new ModuleGraph.Edge(name(i, j), name(i, j - 1), 1, false));
                }
            }
            edges.add(new ModuleGraph.Edge(name(i, 0), name((i + 1) % 40, 1), 3, false));
        }
        ModuleGraph big = new ModuleGraph(nodes, edges, List.of(), List.of());

        ModuleGraph.Collapsed c = big.collapse(60);

        assertThat(c.grouped()).isTrue();
        assertThat(c.notDrawn()).isZero();
        assertThat(c.graph().nodes()).hasSize(40);
        assertThat(c.graph().nodes().get(0)).isEqualTo(new ModuleGraph.Node("org.p0", 50, 50 * 10 + 49 * 50 / 2));
        assertThat(c.graph().edges()).hasSize(40).allMatch(ModuleGraph.Edge::cycle).allMatch(e -> e.imports() == 3);
        assertThat(c.graph().cycles()).hasSize(1);

        // one segment ("org") fits, two do not; one box says nothing, so "org" is opened anyway and
        // the 10 biggest of its 40 groups drawn
        ModuleGraph.Collapsed tight = big.collapse(10);
        assertThat(tight.graph().nodes()).hasSize(10).allMatch(n -> n.name().matches("org\\.p\\d+"));
        assertThat(tight.grouped()).isTrue();
        assertThat(tight.notDrawn()).isEqualTo(30 * 50);

        // a group's own graph: 50 modules directly under org.p7, over a budget of 40
        ModuleGraph.Collapsed inner = big.within(c.members().get("org.p7")).collapse(40);
        assertThat(inner.graph().nodes()).hasSize(40).allMatch(n -> n.name().startsWith("org.p7.s"));
        assertThat(inner.notDrawn()).isEqualTo(10);
    }

    @Test
    void whenEvenTheFirstSegmentGivesTooManyGroupsTheBiggestAreKeptAndTheRestCounted() {
        ModuleGraph flat = chain(100);
        ModuleGraph.Collapsed c = flat.collapse(60);
        assertThat(c.graph().nodes()).hasSize(60);
        assertThat(c.notDrawn()).isEqualTo(40);
        // lines grow along the chain, so the 60 biggest are m40..m99
        assertThat(c.graph().nodes()).allMatch(n -> Integer.parseInt(n.name().substring(1)) >= 40);
        assertThat(c.graph().edges()).hasSize(59);
    }

    @Test
    void bigGroupsOpenBeforeSmallOnes() {
        // "big" has 30 modules of 100 lines in big.x0..big.x29, "small" 30 of 1 line; a budget of 35
        // opens "big" (2 groups -> 31) but not "small" as well (-> 60)
        List<ModuleGraph.Node> nodes = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            nodes.add(new ModuleGraph.Node("big.x" + i + ".y", 1, 100));
            nodes.add(new ModuleGraph.Node("small.x" + i, 1, 1));
        }
        ModuleGraph.Collapsed c = new ModuleGraph(nodes, List.of(), List.of(), List.of()).collapse(35);
        assertThat(c.graph().nodes()).hasSize(31).extracting(ModuleGraph.Node::name)
                .contains("small", "big.x0.y", "big.x29.y");
        assertThat(c.notDrawn()).isZero();
    }

    private static String name(int i, int j) {
        return "org.p" + i + ".s" + j;
    }

    private static ModuleGraph chain(int n) {
        List<ModuleGraph.Node> nodes = new ArrayList<>();
        List<ModuleGraph.Edge> edges = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            nodes.add(new ModuleGraph.Node("m" + i, 1, 100 + i));
            if (i > 0) {
                edges.add(new ModuleGraph.Edge("m" + i, "m" + (i - 1), 1, false));
            }
        }
        return new ModuleGraph(nodes, edges, List.of(), List.of());
    }
}
