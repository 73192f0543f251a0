package io.github.personalizecdk;

import software.amazon.awscdk.services.iam.IRole;

/** Properties of a {@link PersonalizeServiceRole}. */
public final class PersonalizeServiceRoleProps {
    private final IRole role;
    private final String roleName;

    private PersonalizeServiceRoleProps(Builder b) {
        this.role = b.role;
        this.roleName = b.roleName;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * An existing role to grant to instead of creating one; it must trust {@code personalize.amazonaws.com}.
     *
     * @default - a role is created that only Personalize can assume, for this account
     */
    public IRole getRole() {
        return role;
    }

    /** Name of the created role. Not valid with {@link #getRole()}. @default - a name CloudFormation generates */
    public String getRoleName() {
        return roleName;
    }

    public static final class Builder {
        private IRole role;
        private String roleName;

        public Builder role(IRole role) {
            this.role = role;
            return this;
        }

        public Builder roleName(String roleName) {
            this.roleName = roleName;
            return this;
        }

        public PersonalizeServiceRoleProps build() {
            return new PersonalizeServiceRoleProps(this);
        }
    }
}
