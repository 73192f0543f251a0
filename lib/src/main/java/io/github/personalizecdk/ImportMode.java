package io.github.personalizecdk;

/** How an import job treats the data already in the dataset. */
public enum ImportMode {
    /** Replace all bulk data in the dataset. */
    FULL,
    /** Append to the existing data; only after a bulk import has completed. */
    INCREMENTAL
}
