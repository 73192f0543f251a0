package io.github.personalizecdk;

import java.util.List;
import software.amazon.awscdk.services.ec2.ISecurityGroup;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Tracing;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.sqs.IQueue;

/**
 * Production settings of a stack's custom-resource handler, its Provider framework and their log groups, applied
 * with {@link DatasetJobProvider#configure(software.amazon.awscdk.Stack, PersonalizeHandlerOptions)} before the
 * stack's first schema, dataset or job. Every option left unset keeps the template unchanged.
 *
 * <p>Every option applies to the handler and to the Provider framework (aws-cdk-lib's {@code Provider}: the
 * onEvent, isComplete and onTimeout Node.js functions and the waiter state machine). The framework takes
 * {@code vpc}, {@code vpcSubnets} and {@code securityGroups} as props and its log groups are created here; it has
 * no prop for tracing, reserved concurrency, architecture or a dead-letter queue, so those are set on its
 * functions (and tracing on its state machine) through their CloudFormation resources. With a VPC, the roles of
 * the handler and the framework functions get the network-interface permissions Lambda documents for execution
 * roles.
 */
public final class PersonalizeHandlerOptions {
    private final IVpc vpc;
    private final SubnetSelection vpcSubnets;
    private final List<ISecurityGroup> securityGroups;
    private final RetentionDays logRetention;
    private final IKey logEncryptionKey;
    private final Tracing tracing;
    private final Number reservedConcurrentExecutions;
    private final Architecture architecture;
    private final IQueue deadLetterQueue;

    private PersonalizeHandlerOptions(Builder b) {
        this.vpc = b.vpc;
        this.vpcSubnets = b.vpcSubnets;
        this.securityGroups = b.securityGroups == null ? null : List.copyOf(b.securityGroups);
        this.logRetention = b.logRetention;
        this.logEncryptionKey = b.logEncryptionKey;
        this.tracing = b.tracing;
        this.reservedConcurrentExecutions = b.reservedConcurrentExecutions;
        this.architecture = b.architecture;
        this.deadLetterQueue = b.deadLetterQueue;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * VPC of the handler and the framework functions. Their subnets need a route to the Personalize, CloudWatch
     * Logs, CloudFormation (DescribeStacks) and Lambda APIs (NAT gateway or interface endpoints); Lambda adds the
     * AWSLambdaVPCAccessExecutionRole managed policy to each function's role.
     *
     * @default - not in a VPC
     */
    public IVpc getVpc() {
        return vpc;
    }

    /** Subnets of {@link #getVpc()} (needs vpc). @default - the VPC's private subnets */
    public SubnetSelection getVpcSubnets() {
        return vpcSubnets;
    }

    /** Security groups of the functions (needs vpc). @default - one security group per function, all egress allowed */
    public List<ISecurityGroup> getSecurityGroups() {
        return securityGroups;
    }

    /** Retention of the handler, framework and waiter log groups. @default ONE_MONTH */
    public RetentionDays getLogRetention() {
        return logRetention;
    }

    /**
     * KMS key that encrypts the handler, framework and waiter log groups. A key of this app gets a key-policy
     * statement that lets {@code logs.<region>.amazonaws.com} use it for this account's log groups (as CloudWatch
     * Logs requires); an imported key's policy must already allow that.
     *
     * @default - CloudWatch Logs' own encryption
     */
    public IKey getLogEncryptionKey() {
        return logEncryptionKey;
    }

    /**
     * X-Ray tracing of the handler, the framework functions and (when not {@code DISABLED}) the framework's waiter
     * state machine and the long wait's poller; their roles get X-Ray's write actions.
     *
     * @default - no tracing
     */
    public Tracing getTracing() {
        return tracing;
    }

    /**
     * Reserved concurrency of the handler and of each framework function, at least 1. Every framework call
     * makes at most one handler call, so they need no more than the handler. A handler call is short (it starts or
     * describes a job); more concurrent calls than this are throttled and retried by the framework. The account's
     * unreserved pool shrinks by four times this value.
     *
     * @default - unreserved (the account's shared pool)
     */
    public Number getReservedConcurrentExecutions() {
        return reservedConcurrentExecutions;
    }

    /**
     * Instruction set of the handler and the framework functions (a pure-Java jar and Node.js code: both run on
     * either).
     *
     * @default X86_64
     */
    public Architecture getArchitecture() {
        return architecture;
    }

    /**
     * Dead-letter queue of the framework's onEvent function, the one CloudFormation invokes asynchronously: an
     * event whose invocations all fail (after Lambda's two retries) lands here, with the response URL
     * CloudFormation waits on. The handler, isComplete and onTimeout functions are invoked synchronously, so a
     * queue would never receive anything from them. The onEvent role may send to the queue (and use its key).
     *
     * @default - none
     */
    public IQueue getDeadLetterQueue() {
        return deadLetterQueue;
    }

    /** Builder of {@link PersonalizeHandlerOptions}. */
    public static final class Builder {
        private IVpc vpc;
        private SubnetSelection vpcSubnets;
        private List<ISecurityGroup> securityGroups;
        private RetentionDays logRetention;
        private IKey logEncryptionKey;
        private Tracing tracing;
        private Number reservedConcurrentExecutions;
        private Architecture architecture;
        private IQueue deadLetterQueue;

        private Builder() {
        }

        /** @see PersonalizeHandlerOptions#getVpc() */
        public Builder vpc(IVpc vpc) {
            this.vpc = vpc;
            return this;
        }

        /** @see PersonalizeHandlerOptions#getVpcSubnets() */
        public Builder vpcSubnets(SubnetSelection vpcSubnets) {
            this.vpcSubnets = vpcSubnets;
            return this;
        }

        /** @see PersonalizeHandlerOptions#getSecurityGroups() */
        public Builder securityGroups(List<? extends ISecurityGroup> securityGroups) {
            this.securityGroups = securityGroups == null ? null : List.copyOf(securityGroups);
            return this;
        }

        /** @see PersonalizeHandlerOptions#getLogRetention() */
        public Builder logRetention(RetentionDays logRetention) {
            this.logRetention = logRetention;
            return this;
        }

        /** @see PersonalizeHandlerOptions#getLogEncryptionKey() */
        public Builder logEncryptionKey(IKey logEncryptionKey) {
            this.logEncryptionKey = logEncryptionKey;
            return this;
        }

        /** @see PersonalizeHandlerOptions#getTracing() */
        public Builder tracing(Tracing tracing) {
            this.tracing = tracing;
            return this;
        }

        /** @see PersonalizeHandlerOptions#getReservedConcurrentExecutions() */
        public Builder reservedConcurrentExecutions(Number reservedConcurrentExecutions) {
            this.reservedConcurrentExecutions = reservedConcurrentExecutions;
            return this;
        }

        /** @see PersonalizeHandlerOptions#getArchitecture() */
        public Builder architecture(Architecture architecture) {
            this.architecture = architecture;
            return this;
        }

        /** @see PersonalizeHandlerOptions#getDeadLetterQueue() */
        public Builder deadLetterQueue(IQueue deadLetterQueue) {
            this.deadLetterQueue = deadLetterQueue;
            return this;
        }

        public PersonalizeHandlerOptions build() {
            return new PersonalizeHandlerOptions(this);
        }
    }
}
