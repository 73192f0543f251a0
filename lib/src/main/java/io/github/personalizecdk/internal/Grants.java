package io.github.personalizecdk.internal;

import java.util.List;
import software.amazon.awscdk.services.iam.Grant;
import software.amazon.awscdk.services.iam.GrantOnPrincipalOptions;
import software.amazon.awscdk.services.iam.IGrantable;

/** Identity-policy grants on one Personalize resource ARN. */
public final class Grants {
    private Grants() {
    }

    public static Grant onArn(IGrantable grantee, String arn, String... actions) {
        return Grant.addToPrincipal(GrantOnPrincipalOptions.builder()
                .grantee(grantee)
                .actions(List.of(actions))
                .resourceArns(List.of(arn))
                .build());
    }
}
