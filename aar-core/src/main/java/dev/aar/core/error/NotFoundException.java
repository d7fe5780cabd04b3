package dev.aar.core.error;

/** A project, job, report or other resource does not exist (or belongs to another owner). */
public final class NotFoundException extends AarException {

    private final String kind;
    private final String id;

    public NotFoundException(String kind, String id) {
        super(kind + " '" + id + "' not found");
        this.kind = kind;
        this.id = id;
    }

    /** Returns what kind of thing was looked for ("project", "job", ...). */
    public String kind() {
        return kind;
    }

    public String id() {
        return id;
    }

    @Override
    public String code() {
        return kind + ".not_found";
    }
}
