package io.github.personalizecdk;

/**
 * The type of a Personalize dataset.
 *
 * <p>The API spells types in upper case ({@code INTERACTIONS}); CloudFormation's
 * {@code AWS::Personalize::Dataset} spells them {@code Interactions}, {@code Items}, {@code Users}
 * and accepts no other type, so {@link #ACTIONS} and {@link #ACTION_INTERACTIONS} datasets are
 * rejected at synth (their schemas are still checked first).
 */
public enum DatasetType {
    INTERACTIONS("Interactions"),
    ITEMS("Items"),
    USERS("Users"),
    ACTIONS(null),
    ACTION_INTERACTIONS(null);

    private final String cloudFormationName;

    DatasetType(String cloudFormationName) {
        this.cloudFormationName = cloudFormationName;
    }

    /** @return the type as the Personalize API spells it, e.g. {@code INTERACTIONS} */
    public String getApiName() {
        return name();
    }

    /** @return the type as CloudFormation spells it, or {@code null} when CloudFormation has none */
    public String getCloudFormationName() {
        return cloudFormationName;
    }

    /** @return whether {@code AWS::Personalize::Dataset} can create a dataset of this type */
    public boolean isSupportedByCloudFormation() {
        return cloudFormationName != null;
    }
}
