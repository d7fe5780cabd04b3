package dev.aar.core.index;

import static org.assertj.core.api.Assertions.assertThat;

import com.knuddels.jtokkit.api.Encoding;
import dev.aar.core.tokens.Tokenizers;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The chunk invariants, checked over real source files with random chunk sizes and overlaps.
 *
 * <p>The cases come from a fixed seed, so a failure names a case that reproduces on every run.
 */
class ChunkerPropertiesTest {

    private static final Encoding CL100K = Tokenizers.encoding("cl100k_base");

    private static final long SEED = 20261127L;
    private static final int[] MAX_TOKENS = {16, 32, 64, 128, 256, 512, 1024};

    record Case(SourceFile file, int maxTokens, int overlapTokens) {
        @Override
        public String toString() {
            return file.path() + " max=" + maxTokens + " overlap=" + overlapTokens;
        }
    }

    static Stream<Case> cases() {
        return cases(120, SEED);
    }

    static Stream<Case> fewerCases() {
        return cases(40, SEED + 1);
    }

    private static Stream<Case> cases(int count, long seed) {
        List<SourceFile> files = new ArrayList<>(RealSources.sample());
        files.add(new SourceFile("unicode.txt", "naïve café — 日本語のテキスト 😀😀😀 emoji\r\nline two\ttabs\n".repeat(80)));
        files.add(new SourceFile("one-line.min.js", "var a=1;function f(x){return x*2}".repeat(400)));
        files.add(new SourceFile("special.py", "<|endoftext|> def f():\n    return '<|fim_prefix|>'\n\n\n".repeat(60)));
        Random random = new Random(seed);
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            SourceFile f = files.get(random.nextInt(files.size()));
            int max = MAX_TOKENS[random.nextInt(MAX_TOKENS.length)];
            int percent = random.nextInt(101);
            cases.add(new Case(f, max, max / 2 * percent / 100));
        }
        return cases.stream();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void chunksRespectTheLimitCoverTheFileAndOverlapBoundedly(Case c) {
        String text = c.file().text();
        List<Chunk> chunks = new Chunker(CL100K, c.maxTokens(), c.overlapTokens()).chunk(c.file());

        assertThat(chunks).isNotEmpty();
        assertThat(chunks.get(0).startOffset()).isZero();
        assertThat(chunks.get(chunks.size() - 1).endOffset()).isEqualTo(text.length());
        for (int i = 0; i < chunks.size(); i++) {
            Chunk chunk = chunks.get(i);
            assertThat(chunk.ordinal()).isEqualTo(i);
            assertThat(chunk.file()).isEqualTo(c.file().path());
            assertThat(chunk.text()).isEqualTo(text.substring(chunk.startOffset(), chunk.endOffset()));
            assertThat(chunk.tokens()).isEqualTo(CL100K.countTokensOrdinary(chunk.text())).isLessThanOrEqualTo(c.maxTokens());
            assertThat(chunk.contentHash()).isEqualTo(Chunker.sha256(chunk.text())).hasSize(64);
            assertThat(chunk.startLine()).isEqualTo(lineOf(text, chunk.startOffset()));
            assertThat(chunk.endLine()).isEqualTo(lineOf(text, chunk.endOffset() - 1)).isGreaterThanOrEqualTo(chunk.startLine());
            assertThat(Character.isLowSurrogate(text.charAt(chunk.startOffset()))).as("cut inside a character").isFalse();
            if (i > 0) {
                Chunk prev = chunks.get(i - 1);
                assertThat(chunk.startOffset()).as("no gap").isLessThanOrEqualTo(prev.endOffset());
                assertThat(chunk.startOffset()).as("progress").isGreaterThan(prev.startOffset());
                assertThat(chunk.endOffset()).isGreaterThan(prev.endOffset());
                assertThat(chunk.startLine()).isGreaterThanOrEqualTo(prev.startLine());
                assertThat(chunk.endLine()).isGreaterThanOrEqualTo(prev.endLine());
                String shared = text.substring(chunk.startOffset(), prev.endOffset());
                // the shared text is whole tokens of the file's encoding; re-encoded alone it may merge differently by a token
                assertThat(CL100K.countTokensOrdinary(shared)).isLessThanOrEqualTo(c.overlapTokens() + 1);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("fewerCases")
    void chunkingIsDeterministic(Case c) {
        Chunker chunker = new Chunker(CL100K, c.maxTokens(), c.overlapTokens());
        assertThat(chunker.chunk(c.file())).isEqualTo(chunker.chunk(c.file()));
    }

    private static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }
}
