package dev.aar.examples;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** A zip of a generated Java codebase of any size: packages that import each other, like real code. */
final class GeneratedCodebase {

    /** Files in the codebases the examples are checked on: over the default auto-approval threshold of 1,000. */
    static final int FEW_THOUSAND = 2_500;

    private GeneratedCodebase() {
    }

    /** Writes a zip of {@code files} Java files to {@code zip} and returns it. */
    static Path write(Path zip, int files) throws IOException {
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
            for (int i = 0; i < files; i++) {
                int pkg = i % 40;
                int other = (pkg + 1) % 40;
                String name = "Service" + i;
                StringBuilder text = new StringBuilder()
                        .append("package shop.module").append(pkg).append(";\n\n")
                        .append("import shop.module").append(other).append(".Service").append(i + 1).append(";\n")
                        .append("import java.util.List;\n\n")
                        .append("/** Handles orders of kind ").append(i).append(". */\n")
                        .append("public class ").append(name).append(" {\n")
                        .append("    private final Service").append(i + 1).append(" next = null;\n\n");
                for (int m = 0; m < 4; m++) {
                    text.append("    public int total").append(m).append("(List<Integer> items) {\n")
                            .append("        int sum = ").append(m).append(";\n")
                            .append("        for (int item : items) {\n            sum += item * ").append(i % 7 + 1)
                            .append(";\n        }\n        return sum;\n    }\n\n");
                }
                text.append("}\n");
                z.putNextEntry(new ZipEntry("src/main/java/shop/module" + pkg + "/" + name + ".java"));
                z.write(text.toString().getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
        return zip;
    }
}
