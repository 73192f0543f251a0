package io.github.personalizecdk;

/** The business domain of a Domain dataset group or schema. A custom dataset group has none. */
public enum Domain {
    /** Recommenders for e-commerce applications. */
    ECOMMERCE,
    /** Recommenders for video-on-demand applications. */
    VIDEO_ON_DEMAND
}
