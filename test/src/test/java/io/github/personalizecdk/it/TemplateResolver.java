package io.github.personalizecdk.it;

import io.github.personalizecdk.contract.DatasetResource;
import io.github.personalizecdk.contract.SchemaResource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.nio.charset.StandardCharsets;

/** Resolves Refs and GetAtts of a synthesized template to plausible values of one account and region. */
final class TemplateResolver {
    static final String ACCOUNT = "123456789012";
    static final String REGION = "us-east-1";
    private final Map<String, Map<String, Object>> resources;

    TemplateResolver(Map<String, Map<String, Object>> resources) {
        this.resources = resources;
    }

    @SuppressWarnings("unchecked")
    Object resolve(Object value) {
        if (value instanceof Map<?, ?> map && map.size() == 1) {
            if (map.get("Ref") instanceof String ref) {
                return ref(ref);
            }
            if (map.get("Fn::GetAtt") instanceof List<?> att) {
                return getAtt((String) att.get(0), (String) att.get(1));
            }
            if (map.get("Fn::Join") instanceof List<?> join) {
                List<String> parts = new ArrayList<>();
                for (Object part : (List<?>) join.get(1)) {
                    parts.add(String.valueOf(resolve(part)));
                }
                return String.join((String) join.get(0), parts);
            }
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            ((Map<String, Object>) map).forEach((k, v) -> out.put(k, resolve(v)));
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(v -> out.add(resolve(v)));
            return out;
        }
        return value;
    }

    private String ref(String name) {
        return switch (name) {
            case "AWS::Region" -> REGION;
            case "AWS::AccountId" -> ACCOUNT;
            case "AWS::Partition" -> "aws";
            case "AWS::URLSuffix" -> "amazonaws.com";
            default -> {
                String type = type(name);
                yield type.equals("AWS::S3::Bucket") ? name.toLowerCase() : name;
            }
        };
    }

    @SuppressWarnings("unchecked")
    private String getAtt(String id, String attribute) {
        String type = type(id);
        Map<String, Object> props = (Map<String, Object>) resources.get(id).get("Properties");
        return switch (type + "." + attribute) {
            case "AWS::Personalize::Dataset.DatasetArn" -> {
                List<?> group = (List<?>) ((Map<String, Object>) props.get("DatasetGroupArn")).get("Fn::GetAtt");
                String groupName = (String) ((Map<String, Object>) resources.get((String) group.get(0))
                        .get("Properties")).get("Name");
                yield "arn:aws:personalize:" + REGION + ":" + ACCOUNT + ":dataset/" + groupName + "/"
                        + ((String) props.get("DatasetType")).toUpperCase();
            }
            case DatasetResource.TYPE + "." + DatasetResource.ATT_DATASET_ARN -> {
                // the handler answers with the ARN Personalize gives: dataset/<group name>/<TYPE>
                List<?> group = (List<?>) ((Map<String, Object>) props.get(DatasetResource.DATASET_GROUP_ARN))
                        .get("Fn::GetAtt");
                String groupName = (String) ((Map<String, Object>) resources.get((String) group.get(0))
                        .get("Properties")).get("Name");
                yield "arn:aws:personalize:" + REGION + ":" + ACCOUNT + ":dataset/" + groupName + "/"
                        + props.get(DatasetResource.DATASET_TYPE);
            }
            // the handler answers with the ARN Personalize gives: schema/<name>
            case SchemaResource.TYPE + "." + SchemaResource.ATT_SCHEMA_ARN -> "arn:aws:personalize:" + REGION + ":"
                    + ACCOUNT + ":schema/" + props.get(SchemaResource.SCHEMA_NAME);
            case "AWS::IAM::Role.Arn" -> "arn:aws:iam::" + ACCOUNT + ":role/" + id;
            case "AWS::KMS::Key.Arn" -> "arn:aws:kms:" + REGION + ":" + ACCOUNT + ":key/"
                    + UUID.nameUUIDFromBytes(id.getBytes(StandardCharsets.UTF_8));
            case "AWS::S3::Bucket.Arn" -> "arn:aws:s3:::" + id.toLowerCase();
            case "AWS::Lambda::Function.Arn" -> "arn:aws:lambda:" + REGION + ":" + ACCOUNT + ":function:" + id;
            default -> throw new IllegalArgumentException("no plausible value for " + type + "." + attribute);
        };
    }

    private String type(String id) {
        Map<String, Object> resource = resources.get(id);
        if (resource == null) {
            throw new IllegalArgumentException("no resource " + id);
        }
        return (String) resource.get("Type");
    }
}
