package io.github.personalizecdk;

/** Which data an export job writes. */
public enum IngestionMode {
    /** Only data imported in bulk with import jobs. */
    BULK,
    /** Only data imported individually (PutEvents, PutUsers, PutItems, console). */
    PUT,
    /** All data of the dataset. */
    ALL
}
