package dev.aar.core.memory;

import dev.aar.core.project.Project;
import dev.aar.core.project.ProjectStore;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link ProjectStore} in memory. */
public final class InMemoryProjectStore implements ProjectStore {

    private final Map<String, Project> projects = new ConcurrentHashMap<>();

    @Override
    public void create(Project project) {
        Objects.requireNonNull(project, "project");
        if (projects.putIfAbsent(project.id(), project) != null) {
            throw new IllegalStateException("project " + project.id() + " already exists");
        }
    }

    @Override
    public Optional<Project> find(String projectId) {
        return Optional.ofNullable(projects.get(projectId));
    }

    @Override
    public boolean update(Project project) {
        return projects.replace(project.id(), project) != null;
    }

    @Override
    public List<Project> listByOwner(String ownerId) {
        return projects.values().stream().filter(p -> p.ownerId().equals(ownerId))
                .sorted(Comparator.comparing(Project::createdAt).reversed()).toList();
    }

    @Override
    public List<Project> createdBefore(Instant cutoff) {
        return projects.values().stream().filter(p -> p.createdAt().isBefore(cutoff))
                .sorted(Comparator.comparing(Project::createdAt)).toList();
    }

    @Override
    public boolean delete(String projectId) {
        return projects.remove(projectId) != null;
    }
}
