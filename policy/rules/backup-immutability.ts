/**
 * Backups immutable, with at least the configured retention. Backup storage is the destination of
 * every CrossCloudBackup (its children, by the engine's parent links), and any bucket, storage
 * account's container or GCS bucket tagged with the configured key (`backupTagKey`, default
 * `backup`), so a backup bucket declared by hand is held to the same rule.
 *
 * - S3: Object Lock on the bucket (`objectLockEnabled`) and a default retention
 *   (`BucketObjectLockConfiguration` rule.defaultRetention: mode GOVERNANCE or COMPLIANCE, Days or
 *   Years) of at least `minRetentionDays`; with `requireLocked`, mode COMPLIANCE (nobody can
 *   shorten it). https://docs.aws.amazon.com/AmazonS3/latest/API/API_DefaultRetention.html
 * - Azure Blob: a `BlobContainerImmutabilityPolicy` on the container with
 *   `immutabilityPeriodSinceCreationInDays` at least `minRetentionDays`.
 *   https://learn.microsoft.com/en-us/rest/api/storagerp/blob-containers/create-or-update-immutability-policy
 * - GCS: a bucket retention policy (`retentionPolicy.retentionPeriod`, in seconds) of at least
 *   `minRetentionDays`; with `requireLocked`, `isLocked`.
 *   https://cloud.google.com/storage/docs/bucket-lock
 *   Cloud Storage forbids a retention policy together with Object Versioning, so CrossCloudBackup
 *   makes an immutable GCS copy with versioning and soft delete instead (clouds/gcp/backup-emitter.ts):
 *   that passes only with `acceptGcsSoftDelete`, and only when soft delete keeps deleted data at
 *   least min(minRetentionDays, 90) days (GCS allows 7 to 90, https://cloud.google.com/storage/docs/soft-delete).
 */
import type { PolicyConfigSchema, StackValidationPolicy } from "@pulumi/policy";
import { configOf } from "../config";
import { BACKUP_TYPE, dependsThrough, isTrue, ownerOf, records, violation, whenKnown, type StackResource } from "../resources";
import { tagsOf } from "./required-tags";

export interface ImmutabilityConfig {
  minRetentionDays: number;
  backupTagKey: string;
  requireLocked: boolean;
  acceptGcsSoftDelete: boolean;
}

export const immutabilitySchema: PolicyConfigSchema = {
  properties: {
    minRetentionDays: { type: "integer", minimum: 1, default: 30, description: "Fewest days every backup object must stay undeletable." },
    backupTagKey: { type: "string", minLength: 1, default: "backup", description: "A tag (label) key that marks a bucket or storage account declared outside CrossCloudBackup as backup storage." },
    requireLocked: { type: "boolean", default: false, description: "Require retention nobody can shorten (S3 COMPLIANCE mode, a locked GCS retention policy)." },
    acceptGcsSoftDelete: { type: "boolean", default: false, description: "Accept versioning plus soft delete on GCS (what CrossCloudBackup uses there) in place of a retention policy." },
  },
};

const S3_BUCKETS = new Set(["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"]);
const S3_LOCKS = new Set(["aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration", "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2"]);
const CONTAINER = "azure-native:storage:BlobContainer";
const ACCOUNT = "azure-native:storage:StorageAccount";
const AZURE_POLICY = "azure-native:storage:BlobContainerImmutabilityPolicy";
const GCS_BUCKET = "gcp:storage/bucket:Bucket";
const DAY_SECONDS = 86_400;
const GCS_SOFT_DELETE_MAX_DAYS = 90;

function isBackup(r: StackResource, all: readonly StackResource[], tagKey: string): boolean {
  if (ownerOf(r, BACKUP_TYPE)) return true;
  if (r.type === CONTAINER) {
    // Containers take no tags: the storage account they are in carries the mark.
    return all.some((a) => a.type === ACCOUNT && dependsThrough(r, a, ["accountName"]) && tagsOf(a)?.[tagKey] !== undefined);
  }
  return tagsOf(r)?.[tagKey] !== undefined;
}

function rule(c: ImmutabilityConfig): string {
  return `backups are immutable for at least ${c.minRetentionDays} days${c.requireLocked ? ", under a retention nobody can shorten" : ""}`;
}

function s3Problem(bucket: StackResource, all: readonly StackResource[], c: ImmutabilityConfig): string | undefined {
  const lockOn = isTrue(bucket.props.objectLockEnabled) || records(bucket.props.objectLockConfiguration)[0]?.objectLockEnabled === "Enabled";
  if (!lockOn) return violation(bucket, "has no Object Lock (objectLockEnabled is not true)", rule(c), "recreate the bucket with objectLockEnabled: true (Object Lock can only be turned on at creation; CrossCloudBackup: immutable: true)");
  const lock = all.find((r) => S3_LOCKS.has(r.type) && dependsThrough(r, bucket, ["bucket"]));
  const retention = records(records(lock?.props.rule)[0]?.defaultRetention)[0] ?? records(records(bucket.props.objectLockConfiguration)[0]?.rule)[0]?.defaultRetention;
  const d = records(retention)[0];
  const days = d ? Number(d.days ?? 0) + Number(d.years ?? 0) * 365 : 0;
  if (!d || days < c.minRetentionDays) {
    return violation(bucket, d ? `keeps objects locked ${days} days by default` : "has Object Lock but no default retention", rule(c), `add an aws.s3.BucketObjectLockConfiguration with rule.defaultRetention { mode: "${c.requireLocked ? "COMPLIANCE" : "GOVERNANCE"}", days: ${c.minRetentionDays} } (CrossCloudBackup: retentionDays)`);
  }
  if (c.requireLocked && d.mode !== "COMPLIANCE") {
    return violation(bucket, `locks in ${String(d.mode)} mode, which users with s3:BypassGovernanceRetention can shorten`, rule(c), 'set rule.defaultRetention.mode to "COMPLIANCE" (CrossCloudBackup: lockRetention: true)');
  }
  return undefined;
}

function azureProblem(container: StackResource, all: readonly StackResource[], c: ImmutabilityConfig): string | undefined {
  const policy = all.find((r) => r.type === AZURE_POLICY && dependsThrough(r, container, ["containerName"]));
  const days = Number(policy?.props.immutabilityPeriodSinceCreationInDays ?? 0);
  if (policy && days >= c.minRetentionDays) return undefined;
  return violation(
    container,
    policy ? `has an immutability policy of ${days} days` : "has no immutability policy",
    rule(c),
    `add an azure-native storage.BlobContainerImmutabilityPolicy on it with immutabilityPeriodSinceCreationInDays: ${c.minRetentionDays} (CrossCloudBackup: immutable: true, retentionDays)`,
  );
}

function gcsProblem(bucket: StackResource, c: ImmutabilityConfig): string | undefined {
  const p = bucket.props;
  const retention = records(p.retentionPolicy)[0];
  const days = retention ? Number(retention.retentionPeriod ?? 0) / DAY_SECONDS : 0;
  if (retention && days >= c.minRetentionDays) {
    return c.requireLocked && !isTrue(retention.isLocked) ? violation(bucket, "has a retention policy that is not locked", rule(c), "set retentionPolicy.isLocked: true (irreversible)") : undefined;
  }
  const softDays = Number(records(p.softDeletePolicy)[0]?.retentionDurationSeconds ?? 0) / DAY_SECONDS;
  const versioned = isTrue(records(p.versioning)[0]?.enabled);
  if (!retention && c.acceptGcsSoftDelete && !c.requireLocked && versioned && softDays >= Math.min(c.minRetentionDays, GCS_SOFT_DELETE_MAX_DAYS)) return undefined;
  const what = retention
    ? `has a retention policy of ${days} days`
    : versioned && softDays > 0
      ? `keeps deleted versions under soft delete for ${softDays} days, which a bucket admin can turn off (no retention policy)`
      : "has no retention policy";
  return violation(
    bucket,
    what,
    rule(c),
    `set retentionPolicy.retentionPeriod to ${c.minRetentionDays * DAY_SECONDS} seconds (GCS then forbids Object Versioning), or pin the CrossCloudBackup's destination to aws (S3 Object Lock) or azure, or set acceptGcsSoftDelete in the policy config`,
  );
}

export function immutabilityProblems(resources: readonly StackResource[], c: ImmutabilityConfig): { urn: string; message: string }[] {
  return resources.flatMap((r) => {
    const problem = whenKnown(() => {
      if (![...S3_BUCKETS, CONTAINER, GCS_BUCKET].includes(r.type) || !isBackup(r, resources, c.backupTagKey)) return undefined;
      if (S3_BUCKETS.has(r.type)) return s3Problem(r, resources, c);
      return r.type === CONTAINER ? azureProblem(r, resources, c) : gcsProblem(r, c);
    }, undefined);
    return problem ? [{ urn: r.urn, message: problem }] : [];
  });
}

export const backupImmutability: StackValidationPolicy = {
  name: "multicloud-backup-immutability",
  description: "Backup storage (CrossCloudBackup destinations, and buckets tagged as backups) is immutable for at least the configured retention.",
  enforcementLevel: "mandatory",
  configSchema: immutabilitySchema,
  validateStack: (args, reportViolation) => {
    const config = configOf<ImmutabilityConfig>(immutabilitySchema, args.getConfig());
    for (const p of immutabilityProblems(args.resources, config)) reportViolation(p.message, p.urn);
  },
};
