package dev.aar.examples.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Small real zip archives for tests. */
public final class TestZips {

    private TestZips() {
    }

    /** A few Java sources, one with a hard-coded secret so the analysis has a finding. */
    public static byte[] smallProject() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (int i = 0; i < 5; i++) {
                zip.putNextEntry(new ZipEntry("src/main/java/demo/Service" + i + ".java"));
                zip.write(("package demo;\n\n/** Service " + i + ". */\npublic class Service" + i + " {\n"
                        + "    public int twice(int x) {\n        return x * 2 + " + i + ";\n    }\n}\n")
                        .getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
            zip.putNextEntry(new ZipEntry("src/main/java/demo/Config.java"));
            zip.write(("package demo;\n\nclass Config {\n    static final String AWS_SECRET_ACCESS_KEY = "
                    + "\"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\";\n    static final String PASSWORD = \"hunter2hunter2\";\n}\n")
                    .getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }
}
