package dev.aar.core.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aar.core.config.EmbeddingProcessing;
import dev.aar.core.tokens.Tokenizers;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkerTest {

    private static String method(int i) {
        return "    /** Computes value " + i + ". */\n"
                + "    public int compute" + i + "(int x) {\n"
                + "        int y = x * " + i + " + offset;\n"
                + "        return y > limit ? limit : y;\n"
                + "    }\n";
    }

    @Test
    void cutsBetweenMethodsAtBlankLinesNotInsideThem() {
        StringBuilder src = new StringBuilder("class Big {\n");
        for (int i = 0; i < 60; i++) {
            src.append(method(i)).append('\n');
        }
        src.append("}\n");
        List<Chunk> chunks = new Chunker(Tokenizers.encoding("cl100k_base"), 128, 0).chunk("Big.java", src.toString());

        assertThat(chunks).hasSizeGreaterThan(5);
        for (Chunk c : chunks.subList(0, chunks.size() - 1)) {
            assertThat(c.text()).endsWith("    }\n\n");
        }
    }

    @Test
    void overlapHoldsWholeLinesWhenItCan() {
        StringBuilder src = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            src.append("x").append(i).append(" = f(").append(i).append(")\n");
        }
        List<Chunk> chunks = Chunker.of(EmbeddingProcessing.builder().maxChunkSizeTokens(64).overlapTokens(16).build())
                .chunk("a.py", src.toString());

        assertThat(chunks).hasSizeGreaterThan(3);
        for (int i = 1; i < chunks.size(); i++) {
            assertThat(chunks.get(i).startOffset()).isLessThan(chunks.get(i - 1).endOffset());
            assertThat(src.charAt(chunks.get(i).startOffset() - 1)).isEqualTo('\n');
        }
    }

    @Test
    void aLongLineIsCutAtTokenBoundariesWithinTheLine() {
        String line = "alpha beta gamma delta ".repeat(300);
        List<Chunk> chunks = new Chunker(Tokenizers.encoding("cl100k_base"), 32, 4).chunk("long.txt", line);

        assertThat(chunks).hasSizeGreaterThan(10);
        assertThat(chunks).allSatisfy(c -> {
            assertThat(c.startLine()).isEqualTo(1);
            assertThat(c.endLine()).isEqualTo(1);
            assertThat(c.tokens()).isLessThanOrEqualTo(32);
        });
    }

    @Test
    void emptyFileHasNoChunksAndIdsAreStable() {
        Chunker chunker = new Chunker(Tokenizers.encoding("cl100k_base"), 64, 8);
        assertThat(chunker.chunk("empty.txt", "")).isEmpty();
        Chunk only = chunker.chunk("dir/A.java", "class A {}\n").get(0);
        assertThat(only.chunkId()).isEqualTo("dir/A.java#0");
        assertThat(only.startLine()).isEqualTo(1);
        assertThat(only.endLine()).isEqualTo(1);
        // printf 'class A {}\n' | sha256sum
        assertThat(only.contentHash()).isEqualTo("f119fc42a923d52cbd5420b0c5841969bef8dea5e8b78ba392ffb58312380247");
    }

    @Test
    void refusesAnOverlapOfMoreThanHalfTheChunk() {
        assertThatThrownBy(() -> new Chunker(Tokenizers.encoding("cl100k_base"), 64, 33))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("overlapTokens = 33");
    }

    @Test
    void aChunkBetweenPreTokenizerBoundariesCountsExactlyTheFilesTokensBetweenThem() {
        com.knuddels.jtokkit.api.Encoding cl100k = Tokenizers.encoding("cl100k_base");
        String text = "class A {\n    int x;\n\n    public void run() {\n\treturn 123456;\n    }\n}\n";
        List<Integer> aligned = new java.util.ArrayList<>();
        for (int c = 0; c <= text.length(); c++) {
            if (Chunker.pieceBoundary(text, c)) {
                aligned.add(c);
            }
        }
        // line starts whose line has text, after the last newline of a run; never inside a blank run, never mid-line
        assertThat(aligned).containsExactly(0, 10, 22, 46, 62, 68, 70);
        for (int a : aligned) {
            for (int b : aligned) {
                if (a < b) {
                    String piece = text.substring(a, b);
                    int tokensBetween = cl100k.encodeOrdinary(text.substring(0, b)).size()
                            - cl100k.encodeOrdinary(text.substring(0, a)).size();
                    assertThat(cl100k.countTokensOrdinary(piece)).as(piece).isEqualTo(tokensBetween);
                }
            }
        }
        assertThat(Chunker.pieceBoundary("a\n\u00a0b", 2)).as("non-ASCII whitespace").isFalse();
        assertThat(Chunker.pieceBoundary("a\n  \n", 2)).as("a blank line follows").isFalse();
    }
}
