package dev.aar.azure.internal;

import com.knuddels.jtokkit.api.Encoding;
import dev.aar.core.analysis.ProjectView;
import dev.aar.core.analysis.SourceFile;
import dev.aar.embedding.EmbeddedChunk;
import dev.aar.embedding.ScoredChunk;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The two messages of one LLM review, built to fit a token budget: fixed instructions and questions,
 * then as many file names and retrieved excerpts as fit.
 *
 * @param system the system message
 * @param user the user message (project, questions, excerpts)
 * @param tokens tokens of both messages with the chat format's per-message overhead
 * @param excerpts how many retrieved chunks were included
 * @param retrieved how many distinct chunks retrieval offered
 * @param excerptFiles how many distinct files the included chunks come from
 */
public record ReviewPrompt(String system, String user, int tokens, int excerpts, int retrieved, int excerptFiles) {

    /** The chat format adds a few tokens per message and for priming the answer; OpenAI documents 3 each. */
    static final int CHAT_OVERHEAD_TOKENS = 3 + 3 + 3;
    /** At most this share of the budget lists file names: excerpts matter more. */
    private static final double FILE_LIST_SHARE = 0.10;

    /**
     * Retrieves chunks for every question from {@code view} and builds a prompt of at most {@code maxTokens}.
     *
     * @throws IllegalArgumentException if the instructions alone do not fit {@code maxTokens}
     */
    public static ReviewPrompt build(ProjectView view, List<ReviewQuestion> questions, int chunksPerQuestion,
            int maxFindings, int maxTokens, Encoding encoding) {
        String system = system(maxFindings, questions);
        StringBuilder head = new StringBuilder();
        head.append("Project: ").append(view.projectId()).append('\n').append('\n');
        head.append("Questions:\n");
        for (ReviewQuestion q : questions) {
            head.append("- [").append(q.id()).append("] ").append(q.question()).append('\n');
        }
        int used = CHAT_OVERHEAD_TOKENS + encoding.countTokens(system) + encoding.countTokens(head.toString());
        if (used > maxTokens) {
            throw new IllegalArgumentException("the review instructions alone take " + used + " tokens, more than the "
                    + maxTokens + " allowed");
        }

        String files = fileList(view.files(), (int) Math.min(maxTokens - used, maxTokens * FILE_LIST_SHARE), encoding);
        used += encoding.countTokens(files);

        List<Candidate> candidates = retrieve(view, questions, chunksPerQuestion);
        used += encoding.countTokens(user(head.toString(), files, List.of())) - encoding.countTokens(head.toString())
                - encoding.countTokens(files);
        List<String> parts = new ArrayList<>();
        List<String> partFiles = new ArrayList<>();
        for (Candidate candidate : candidates) {
            EmbeddedChunk chunk = candidate.chunk();
            String part = excerpt(parts.size() + 1, chunk, candidate.questions());
            int cost = encoding.countTokens(part);
            if (used + cost <= maxTokens) {
                // a chunk that does not fit is skipped; a smaller one further down may still fit
                parts.add(part);
                partFiles.add(chunk.file());
                used += cost;
            }
        }
        while (true) {
            String user = user(head.toString(), files, parts);
            int tokens = CHAT_OVERHEAD_TOKENS + encoding.countTokens(system) + encoding.countTokens(user);
            // parts were counted one by one; joining them can merge tokens at the seams, so check the whole
            if (tokens > maxTokens && parts.isEmpty() && !files.isEmpty()) {
                files = "";
                continue;
            }
            if (tokens <= maxTokens || parts.isEmpty()) {
                return new ReviewPrompt(system, user, tokens, parts.size(), candidates.size(),
                        new LinkedHashSet<>(partFiles).size());
            }
            parts.remove(parts.size() - 1);
            partFiles.remove(partFiles.size() - 1);
        }
    }

    /** A retrieved chunk and the ids of the questions that retrieved it. */
    private record Candidate(EmbeddedChunk chunk, Set<String> questions) {
    }

    /**
     * Searches once per question, then orders the distinct chunks round-robin by rank (every
     * question's best chunk, then every second best, ...) so that a tight budget still covers every question.
     */
    private static List<Candidate> retrieve(ProjectView view, List<ReviewQuestion> questions, int k) {
        Map<String, Candidate> byId = new LinkedHashMap<>();
        List<List<EmbeddedChunk>> ranked = new ArrayList<>();
        for (ReviewQuestion q : questions) {
            List<EmbeddedChunk> hits = view.search(q.query(), k).stream().map(ScoredChunk::chunk).toList();
            ranked.add(hits);
            for (EmbeddedChunk c : hits) {
                byId.computeIfAbsent(c.chunkId(), id -> new Candidate(c, new LinkedHashSet<>())).questions().add(q.id());
            }
        }
        Map<String, Candidate> ordered = new LinkedHashMap<>();
        for (int rank = 0; rank < k; rank++) {
            for (List<EmbeddedChunk> hits : ranked) {
                if (rank < hits.size()) {
                    ordered.putIfAbsent(hits.get(rank).chunkId(), byId.get(hits.get(rank).chunkId()));
                }
            }
        }
        return List.copyOf(ordered.values());
    }

    private static String system(int maxFindings, List<ReviewQuestion> questions) {
        return """
                You are a senior software architect reviewing a codebase. You are given the project's file list and \
                code excerpts retrieved for a set of architecture questions. Base every statement on the excerpts; \
                do not invent files or code you were not shown.
                Reply with one JSON object and nothing else, in this shape:
                {"summary": "<a short paragraph on the architecture: structure, main components, strengths, main risks>",
                 "findings": [{"severity": "Critical|High|Medium|Low|Info", "rule": "<short-kebab-case-id>",
                   "description": "<what is wrong, why it matters, what to do>", "file": "<path exactly as listed, or null>",
                   "line": <line number within that file, or null>}]}
                Report at most %d findings, the most important first. Use the question ids \
                (%s) as rule prefixes, \
                e.g. "security-sql-injection". Report only real problems; an empty findings list is fine.\
                """.formatted(maxFindings, String.join(", ", questions.stream().map(ReviewQuestion::id).toList()));
    }

    private static String fileList(List<SourceFile> files, int budget, Encoding encoding) {
        StringBuilder out = new StringBuilder("\nFiles (" + files.size() + "):\n");
        int used = encoding.countTokens(out.toString());
        int listed = 0;
        for (SourceFile f : files) {
            String line = f.path() + '\n';
            int cost = encoding.countTokens(line);
            if (used + cost + 8 > budget) {
                break;
            }
            out.append(line);
            used += cost;
            listed++;
        }
        if (listed < files.size()) {
            out.append("... and ").append(files.size() - listed).append(" more\n");
        }
        return used > budget ? "" : out.toString();
    }

    private static String excerpt(int number, EmbeddedChunk c, Set<String> questions) {
        return "\n--- excerpt " + number + ": " + c.file() + " lines " + c.startLine() + "-" + c.endLine()
                + " (for " + String.join(", ", questions) + ")\n" + c.text() + (c.text().endsWith("\n") ? "" : "\n");
    }

    private static String user(String head, String files, List<String> excerpts) {
        StringBuilder out = new StringBuilder(head).append(files);
        out.append("\nExcerpts (").append(excerpts.size()).append("):\n");
        excerpts.forEach(out::append);
        return out.toString();
    }
}
