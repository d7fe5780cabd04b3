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

        ModuleGraph.Collapsed tight = big.collapse(10); // even one segment ("org") fits; two do not
        assertThat(tight.graph().nodes()).hasSize(1);
        assertThat(tight.grouped()).isTrue();
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
