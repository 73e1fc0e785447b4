/**
 * Required tags: every taggable resource of the stack carries the configured keys, with a value
 * (AWS tags, including the provider's `defaultTags`; Azure tags; GCP labels, including the
 * provider's `defaultLabels`). On GCP a key is looked for under the label key GCP keeps
 * (`carriedTagKey`: `Cost-Center` is the label `cost-center`), as MultiCloudWorkload writes it.
 *
 * Taggable: a resource whose props have `tags` (or `labels` on GCP), any Azure resource with a
 * `location` (an ARM tracked resource, which always takes tags), and the untagged resources of the
 * types listed below, whose absence of tags would otherwise go unseen.
 */
import type { PolicyConfigSchema, ResourceValidationPolicy } from "@pulumi/policy";
import { CLOUDS } from "../../clouds/registry";
import { configOf } from "../config";
import { cloudOf, has, isProvider, records, violation, type StackResource } from "../resources";

/** Common taggable types that may be declared without any tags at all. */
const TAGGABLE = new Set([
  "aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2", "aws:ec2/instance:Instance", "aws:ec2/launchTemplate:LaunchTemplate", "aws:ec2/vpc:Vpc",
  "aws:ec2/subnet:Subnet", "aws:ec2/securityGroup:SecurityGroup", "aws:ebs/volume:Volume", "aws:ec2/eip:Eip", "aws:ec2/natGateway:NatGateway",
  "aws:autoscaling/group:Group", "aws:lb/loadBalancer:LoadBalancer", "aws:lb/targetGroup:TargetGroup", "aws:sns/topic:Topic", "aws:iam/role:Role",
  "aws:kms/key:Key", "aws:rds/instance:Instance", "aws:dynamodb/table:Table",
  "gcp:storage/bucket:Bucket", "gcp:compute/instance:Instance", "gcp:compute/instanceTemplate:InstanceTemplate", "gcp:compute/disk:Disk",
  "gcp:compute/forwardingRule:ForwardingRule", "gcp:sql/databaseInstance:DatabaseInstance",
]);

export const requiredTagsSchema: PolicyConfigSchema = {
  properties: {
    keys: { type: "array", items: { type: "string", minLength: 1 }, default: [], description: "Tag keys every taggable resource must carry with a value (e.g. owner, cost-center)." },
  },
};

/** The resource's tags (labels on GCP) as one map, provider defaults included; undefined when not taggable. */
export function tagsOf(resource: StackResource): Record<string, string> | undefined {
  const cloud = cloudOf(resource.type);
  if (!cloud || isProvider(resource.type)) return undefined;
  const props = resource.props;
  const own = cloud === "gcp" ? props.labels : props.tags;
  // `has`: an Azure location taken from a resource group's output is unknown at preview, yet set.
  const taggable = own !== undefined || TAGGABLE.has(resource.type) || (cloud === "azure" && has(props, "location"));
  if (!taggable) return undefined;
  const defaults = cloud === "aws" ? records(resource.provider?.props.defaultTags)[0]?.tags : cloud === "gcp" ? resource.provider?.props.defaultLabels : undefined;
  return { ...asMap(defaults), ...asMap(own) };
}

/** A tag map, or an auto scaling group's `[{ key, value, propagateAtLaunch }]` list. */
function asMap(value: unknown): Record<string, string> {
  if (Array.isArray(value)) return Object.fromEntries(records(value).filter((t) => typeof t.key === "string").map((t) => [t.key as string, String(t.value ?? "")]));
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, typeof v === "string" ? v : String(v ?? "")]));
  return {};
}

/** One violation per missing (or empty) required key. */
export function missingTagProblems(resource: StackResource, keys: readonly string[]): string[] {
  const tags = tagsOf(resource);
  if (!tags || keys.length === 0) return [];
  const cloud = CLOUDS.get(cloudOf(resource.type)!);
  const field = cloud.name === "gcp" ? "labels" : "tags";
  return keys.flatMap((key) => {
    const carried = cloud.carriedTagKey?.(key) ?? key;
    const value = tags[carried];
    if (value !== undefined && value.trim() !== "") return [];
    const shown = carried === key ? `"${key}"` : `"${key}" (the ${cloud.displayName} label "${carried}")`;
    return [violation(
      resource,
      `${value === undefined ? "has no" : "has an empty"} ${field} key ${shown}`,
      `every taggable resource carries the required tags (${keys.join(", ")})`,
      `add ${field}["${carried}"] with a value (MultiCloudWorkload and CrossCloudBackup: their \`tags\` arg, held to compliance.requiredTags)`,
    )];
  });
}

export const requiredTags: ResourceValidationPolicy = {
  name: "multicloud-required-tags",
  description: "Every taggable resource carries the configured tag keys with a value (AWS tags, Azure tags, GCP labels).",
  enforcementLevel: "mandatory",
  configSchema: requiredTagsSchema,
  validateResource: (args, reportViolation) => {
    const { keys } = configOf<{ keys: string[] }>(requiredTagsSchema, args.getConfig());
    for (const problem of missingTagProblems(args, keys)) reportViolation(problem);
  },
};
