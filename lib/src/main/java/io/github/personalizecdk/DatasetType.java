package io.github.personalizecdk;

/**
 * The type of a Personalize dataset.
 *
 * <p>The API spells types in upper case ({@code INTERACTIONS}), and so does {@link Dataset}'s custom
 * resource, which creates all five types. CloudFormation's own {@code AWS::Personalize::Dataset} spells
 * them {@code Interactions}, {@code Items}, {@code Users} and accepts no other type.
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

    /**
     * @return whether {@code AWS::Personalize::Dataset} could create a dataset of this type ({@link Dataset}
     *     creates every type through its own custom resource)
     */
    public boolean isSupportedByCloudFormation() {
        return cloudFormationName != null;
    }
}
