package dev.aar.core.project;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Records projects; safe for concurrent use. */
public interface ProjectStore {

    /** Records a new project; fails if the id is taken. */
    void create(Project project);

    /** Returns the project, whoever owns it, or empty. */
    Optional<Project> find(String projectId);

    /** Replaces the stored project with {@code project} (same id); returns false if there is none. */
    boolean update(Project project);

    /** Returns the owner's projects, newest first. */
    List<Project> listByOwner(String ownerId);

    /** Returns every project created before {@code cutoff} (for retention sweeps). */
    List<Project> createdBefore(Instant cutoff);

    /** Forgets the project; returns false if there was none. */
    boolean delete(String projectId);
}
