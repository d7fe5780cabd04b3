package dev.aar.core.analysis;

import static dev.aar.core.analysis.Fixture.withRule;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aar.core.event.Finding;
import dev.aar.core.event.Severity;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DependencyCycleAnalyzerTest {

    @TempDir
    Path dir;

    private final DependencyCycleAnalyzer analyzer = new DependencyCycleAnalyzer(AnalysisConfig.defaults());

    @Test
    void reportsACycleAcrossThreeJavaPackagesOnceWithItsPath() {
        List<Finding> findings = new Fixture(dir)
                .file("src/main/java/com/acme/a/A.java", "package com.acme.a;", "", "import com.acme.b.B;", "public class A {}")
                .file("src/main/java/com/acme/b/B.java", "package com.acme.b;", "import com.acme.c.C;", "class B {}")
                .file("src/main/java/com/acme/b/B2.java", "package com.acme.b;", "import com.acme.c.*;", "class B2 {}")
                .file("src/main/java/com/acme/c/C.java", "package com.acme.c;", "import java.util.List;",
                        "import com.acme.a.A;", "class C {}")
                .run(analyzer);

        List<Finding> cycles = withRule(findings, DependencyCycleAnalyzer.CYCLE_RULE);
        assertThat(cycles).hasSize(1);
        Finding cycle = cycles.get(0);
        assertThat(cycle.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(cycle.description()).contains("com.acme.a -> com.acme.b -> com.acme.c -> com.acme.a");
        assertThat(cycle.file()).isEqualTo("src/main/java/com/acme/a/A.java");
        assertThat(cycle.line()).isEqualTo(3);
        assertThat(cycle.evidence()).contains("com.acme.c -> com.acme.a (src/main/java/com/acme/c/C.java:3)");
    }

    @Test
    void testCodeDoesNotCloseACycleTheShippedCodeDoesNotHave() {
        List<Finding> findings = new Fixture(dir)
                .file("src/main/java/com/acme/app/App.java", "package com.acme.app;", "import com.acme.core.Core;", "class App {}")
                .file("src/main/java/com/acme/core/Core.java", "package com.acme.core;", "public class Core {}")
                // a test in the core package that starts the app: core -> app only in test code
                .file("src/test/java/com/acme/core/CoreTest.java", "package com.acme.core;", "import com.acme.app.App;",
                        "class CoreTest {}")
                .file("tests/test_cycle.py", "from pkg import mod")
                .file("web/__tests__/a.test.js", "import x from '../lib/x';")
                .run(analyzer);

        assertThat(withRule(findings, DependencyCycleAnalyzer.CYCLE_RULE)).isEmpty();
        // a main package merely named like test data still counts
        List<Finding> spec = new Fixture(dir.resolve("other"))
                .file("src/main/java/com/acme/spec/Schema.java", "package com.acme.spec;", "import com.acme.model.M;", "class Schema {}")
                .file("src/main/java/com/acme/model/M.java", "package com.acme.model;", "import com.acme.spec.Schema;", "class M {}")
                .run(analyzer);
        assertThat(withRule(spec, DependencyCycleAnalyzer.CYCLE_RULE)).hasSize(1);
    }

    @Test
    void findsNoCycleInALayeredProjectButNamesTheHubs() {
        List<Finding> findings = new Fixture(dir)
                .file("a/A.java", "package app.web;", "import app.service.S;", "class A {}")
                .file("b/S.java", "package app.service;", "import app.domain.D;", "class S {}")
                .file("c/D.java", "package app.domain;", "class D {}")
                .file("d/W.java", "package app.web.admin;", "import app.domain.D;", "import app.service.S;", "class W {}")
                .run(analyzer);

        assertThat(withRule(findings, DependencyCycleAnalyzer.CYCLE_RULE)).isEmpty();
        List<Finding> fanIn = withRule(findings, DependencyCycleAnalyzer.FAN_IN_RULE);
        assertThat(fanIn).extracting(Finding::severity).containsOnly(Severity.INFO);
        assertThat(fanIn.get(0).description()).contains("app.domain").contains("imported by 2");
        assertThat(withRule(findings, DependencyCycleAnalyzer.FAN_OUT_RULE).get(0).description())
                .contains("app.web.admin").contains("imports 2");
    }

    @Test
    void findsKotlinAndCSharpCycles() {
        List<Finding> findings = new Fixture(dir)
                .file("k/One.kt", "package shop.orders", "", "import shop.billing.Invoice", "class One")
                .file("k/Two.kt", "package shop.billing", "import shop.orders.One as O", "class Invoice")
                .file("cs/A.cs", "using System;", "using Corp.Data;", "namespace Corp.Web;", "class A {}")
                .file("cs/B.cs", "using Corp.Web;", "namespace Corp.Data", "{", "  class B {}", "}")
                .run(analyzer);

        assertThat(withRule(findings, DependencyCycleAnalyzer.CYCLE_RULE))
                .extracting(Finding::description)
                .anySatisfy(d -> assertThat(d).contains("Corp.Data -> Corp.Web -> Corp.Data"))
                .anySatisfy(d -> assertThat(d).contains("shop.billing -> shop.orders -> shop.billing"))
                .hasSize(2);
    }

    @Test
    void findsJavaScriptAndTypeScriptCyclesThroughRelativeImports() {
        List<Finding> findings = new Fixture(dir)
                .file("src/ui/view.ts", "import { api } from '../api/client';", "export const v = 1;")
                .file("src/api/client.ts", "import x from \"../store\";", "export const api = 1;")
                .file("src/store/index.js", "const v = require('../ui/view');", "import lodash from 'lodash';")
                .file("src/lib/ok.js", "import './helpers.js';")
                .file("src/lib/helpers.js", "export default 1;")
                .run(analyzer);

        List<Finding> cycles = withRule(findings, DependencyCycleAnalyzer.CYCLE_RULE);
        assertThat(cycles).hasSize(1);
        assertThat(cycles.get(0).description()).contains("src.api -> src.store -> src.ui -> src.api");
    }

    @Test
    void findsPythonCyclesWithAbsoluteAndRelativeImports() {
        List<Finding> findings = new Fixture(dir)
                .file("src/app/__init__.py", "")
                .file("src/app/models/user.py", "from ..services import mailer", "class User: pass")
                .file("src/app/services/mailer.py", "import app.models.user as u", "def send(): pass")
                .file("src/app/util/strings.py", "import os, sys", "from . import helpers")
                .run(analyzer);

        List<Finding> cycles = withRule(findings, DependencyCycleAnalyzer.CYCLE_RULE);
        assertThat(cycles).hasSize(1);
        assertThat(cycles.get(0).description()).contains("src.app.models -> src.app.services -> src.app.models");
        assertThat(cycles.get(0).file()).isEqualTo("src/app/models/user.py");
    }

    @Test
    void reportsATangleOnceEvenWithManyEdges() {
        Fixture f = new Fixture(dir);
        for (char from = 'a'; from <= 'f'; from++) {
            StringBuilder imports = new StringBuilder();
            for (char to = 'a'; to <= 'f'; to++) {
                if (to != from) {
                    imports.append("import x.").append(to).append(".T;\n");
                }
            }
            f.file(from + "/T.java", "package x." + from + ";", imports.toString(), "class T {}");
        }
        List<Finding> cycles = withRule(f.run(analyzer), DependencyCycleAnalyzer.CYCLE_RULE);
        assertThat(cycles).hasSize(1);
        assertThat(cycles.get(0).severity()).isEqualTo(Severity.HIGH);
        assertThat(cycles.get(0).description()).contains("tangle of 6 modules");
    }
}
