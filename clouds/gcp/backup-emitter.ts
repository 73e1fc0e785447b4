/**
 * GCP backup emitter: a Cloud Storage bucket as a backup destination (filled by Storage Transfer
 * Service), and the read-only grant on a GCS bucket as a backup source.
 *
 * Destination children (logical names, `<n>` = component name; names are identity, pinned by tests):
 *   <n>-bucket, <n>-kms-access (with encryption.kmsKeyId only), <n>-sink-writer (the transfer
 *   service account on the bucket), <n>-transfer (the transfer job), <n>-alerts-email (with
 *   notification.email only), <n>-failed-transfers (log-based alert policy).
 * Source children: <n>-source-reader (service account), <n>-source-list, <n>-source-read (its
 *   bucket roles), <n>-source-key (HMAC key for S3-compatible readers, rotated every
 *   ctx.rotation period: replaced, new before old, by the first `pulumi up` of a new period).
 *
 * Invariants: uniform bucket-level access and enforced public access prevention; the job
 * overwrites only objects that differ and never deletes in the sink or the source. Every copy
 * keeps history with Object Versioning (noncurrent versions deleted after retentionDays). GCS
 * forbids versioning together with a bucket retention policy
 * (https://cloud.google.com/storage/docs/bucket-lock), and a retention policy would make every
 * changed object younger than the retention fail to copy; Storage Transfer Service cannot set
 * per-object retention (Object Retention Lock) on what it writes. So `immutable` here means
 * versioning plus soft delete for retentionDays clamped to 7-90 days (what GCS allows,
 * https://cloud.google.com/storage/docs/soft-delete): a deleted or replaced version, by anyone,
 * stays restorable that long. The plan notes it; lockRetention is refused for GCS.
 */
import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";
import { anchorDate, asDuration } from "../../core/backup/schedule";
import { InternalError } from "../../core/util/errors";
import type { AccessRequest, BackupContext, BackupEmitter, DestinationResult, SourceAccess } from "../../kit/backup/emitter";
import { gcpStorage } from "./storage-list-prices";

const SECONDS_PER_DAY = 86_400;
/**
 * Soft delete retention bounds GCS accepts, in days: "The value must be in between 604800(7 days) and
 * 7776000(90 days)", 0 turning soft delete off (@pulumi/gcp 9 BucketSoftDeletePolicy.retentionDurationSeconds;
 * https://cloud.google.com/storage/docs/soft-delete). There, "deleting the bucket or the objects within
 * the bucket causes the resources to enter a soft-deleted state", and Object Lifecycle Management is
 * "compatible with soft delete but [doesn't] affect soft-deleted objects".
 */
export const SOFT_DELETE_MIN_DAYS = 7;
export const SOFT_DELETE_MAX_DAYS = 90;
/** The issuer Storage Transfer Service's Google identity tokens carry (the `sub` is the service account's unique id). */
const GOOGLE_ISSUER = "accounts.google.com";

function transferServiceAccount(ctx: BackupContext) {
  return gcp.storage.getTransferProjectServiceAccountOutput({}, { parent: ctx.parent });
}

function grantRead(ctx: BackupContext, request: AccessRequest): SourceAccess {
  if (request.method !== "access-key") throw new InternalError(`a GCS source cannot grant ${request.method} access`);
  const { name, parent, spec, names } = ctx;
  // The bucket may be another resource's output (ctx.source).
  const bucket = ctx.source.bucket!;
  const opts = { parent };
  const reader = new gcp.serviceaccount.Account(
    `${name}-source-reader`,
    { accountId: names.dns(30, "reader"), displayName: `${name} backup reader`, description: pulumi.interpolate`read-only access to gs://${bucket} for the ${name} cross-cloud backup` },
    opts,
  );
  const member = pulumi.interpolate`serviceAccount:${reader.email}`;
  // Bucket metadata and listing (legacyBucketReader) plus object reads (objectViewer): no writes, no deletes.
  const list = new gcp.storage.BucketIAMMember(`${name}-source-list`, { bucket, role: "roles/storage.legacyBucketReader", member }, opts);
  const read = new gcp.storage.BucketIAMMember(`${name}-source-read`, { bucket, role: "roles/storage.objectViewer", member }, opts);
  // Rotated: a new period replaces the key (the new one reaches the transfer before the old one goes).
  const key = new gcp.storage.HmacKey(`${name}-source-key`, { serviceAccountEmail: reader.email }, { ...opts, replacementTrigger: ctx.rotation.startsAt });
  return {
    method: "access-key",
    protocol: "gcs",
    endpoint: "storage.googleapis.com",
    bucket,
    region: spec.source.region,
    prefix: spec.source.prefix ?? "",
    accessKeyId: key.accessId,
    secretAccessKey: pulumi.secret(key.secret),
    resources: [reader, list, read, key],
  };
}

function lifecycleRules(ctx: BackupContext): gcp.types.input.storage.BucketLifecycleRule[] {
  const { spec, stages } = ctx;
  const rules: gcp.types.input.storage.BucketLifecycleRule[] = stages.slice(1).map((stage, i) => ({
    action: { type: "SetStorageClass", storageClass: gcpStorage.classes[stage.tier] },
    // Only from the previous class, so objects walk the ladder in order.
    condition: { age: stage.fromDay, matchesStorageClasses: [gcpStorage.classes[stages[i]!.tier]] },
  }));
  // Replaced and deleted versions are kept retentionDays, then removed (into soft delete when immutable).
  rules.push({ action: { type: "Delete" }, condition: { daysSinceNoncurrentTime: spec.retentionDays, withState: "ARCHIVED" } });
  return rules;
}

/** Soft delete duration of an immutable copy: the retention, within what GCS accepts. */
export function softDeleteDays(retentionDays: number): number {
  return Math.min(SOFT_DELETE_MAX_DAYS, Math.max(SOFT_DELETE_MIN_DAYS, retentionDays));
}

function emitBucket(ctx: BackupContext): gcp.storage.Bucket {
  const { name, parent, spec, plan, names, tags } = ctx;
  const dependsOn: pulumi.Resource[] = [];
  if (spec.encryption?.kmsKeyId) {
    // The Cloud Storage service agent encrypts with the key, so it must be allowed to.
    const agent = gcp.storage.getProjectServiceAccountOutput({}, { parent });
    dependsOn.push(
      new gcp.kms.CryptoKeyIAMMember(
        `${name}-kms-access`,
        { cryptoKeyId: spec.encryption.kmsKeyId, role: "roles/cloudkms.cryptoKeyEncrypterDecrypter", member: pulumi.interpolate`serviceAccount:${agent.emailAddress}` },
        { parent },
      ),
    );
  }
  return new gcp.storage.Bucket(
    `${name}-bucket`,
    {
      name: names.dns(63),
      location: plan.destination.region.toUpperCase(),
      storageClass: gcpStorage.classes.hot,
      uniformBucketLevelAccess: true,
      publicAccessPrevention: "enforced",
      versioning: { enabled: true },
      softDeletePolicy: spec.immutable ? { retentionDurationSeconds: softDeleteDays(spec.retentionDays) * SECONDS_PER_DAY } : undefined,
      lifecycleRules: lifecycleRules(ctx),
      encryption: spec.encryption?.kmsKeyId ? { defaultKmsKeyName: spec.encryption.kmsKeyId } : undefined,
      forceDestroy: false,
      labels: tags,
    },
    // A backup outlives its stack: removing the component leaves the bucket and its data.
    { parent, dependsOn, retainOnDelete: true },
  );
}

function dataSource(access: SourceAccess): Pick<gcp.types.input.storage.TransferJobTransferSpec, "awsS3DataSource" | "azureBlobStorageDataSource"> {
  if (access.method === "web-identity") return { awsS3DataSource: { bucketName: access.bucket, path: access.prefix || undefined, roleArn: access.roleArn } };
  if (access.method === "sas") {
    return {
      azureBlobStorageDataSource: {
        storageAccount: access.account,
        container: access.container,
        path: access.prefix || undefined,
        azureCredentials: pulumi.secret(access.sasToken.apply((sasToken) => ({ sasToken }))),
      },
    };
  }
  throw new InternalError(`Storage Transfer Service is not set up to read a source granted by ${access.method}`);
}

function emitAlert(ctx: BackupContext, jobName: pulumi.Output<string>): void {
  const { name, parent, spec, tags } = ctx;
  const channels: pulumi.Output<string>[] = [];
  if (spec.notification) {
    const channel = new gcp.monitoring.NotificationChannel(
      `${name}-alerts-email`,
      { type: "email", displayName: `${name} backup alerts`, labels: { email_address: spec.notification.email }, userLabels: tags },
      { parent },
    );
    channels.push(channel.name);
  }
  // The job logs failed FIND and COPY actions (loggingConfig below) at severity ERROR; the job id
  // label is matched as a substring so it holds with or without the `transferJobs/` prefix.
  const filter = pulumi.interpolate`resource.type="storage_transfer_job" AND resource.labels.job_id:"${jobName.apply((n) => n.replace(/^transferJobs\//, ""))}" AND severity>=ERROR`;
  new gcp.monitoring.AlertPolicy(
    `${name}-failed-transfers`,
    {
      displayName: `${name}: failed backup transfers`,
      combiner: "OR",
      conditions: [{ displayName: "Storage Transfer Service logged a failed action", conditionMatchedLog: { filter } }],
      alertStrategy: { notificationRateLimit: { period: "3600s" }, autoClose: "604800s" },
      notificationChannels: channels,
      documentation: { mimeType: "text/markdown", content: `The ${name} cross-cloud backup failed to copy some objects. See the transfer job's operations in the console.` },
      userLabels: tags,
    },
    { parent },
  );
}

function emitDestination(ctx: BackupContext, access: SourceAccess): DestinationResult {
  const { name, parent, plan, schedule } = ctx;
  const bucket = emitBucket(ctx);
  const sts = transferServiceAccount(ctx);
  // legacyBucketWriter = buckets.get + objects.list/create/delete: replacing a changed object in
  // GCS needs delete, and versioning keeps what was replaced.
  const writer = new gcp.storage.BucketIAMMember(
    `${name}-sink-writer`,
    { bucket: bucket.name, role: "roles/storage.legacyBucketWriter", member: pulumi.interpolate`serviceAccount:${sts.email}` },
    { parent },
  );
  const job = new gcp.storage.TransferJob(
    `${name}-transfer`,
    {
      description: `${name}: ${plan.source.provider}/${plan.source.region} backup`,
      status: "ENABLED",
      schedule: { scheduleStartDate: anchorDate(schedule), startTimeOfDay: { hours: 0, minutes: 0, seconds: 0, nanos: 0 }, repeatInterval: asDuration(schedule) },
      transferSpec: {
        ...dataSource(access),
        gcsDataSink: { bucketName: bucket.name, path: access.prefix || undefined },
        transferOptions: { overwriteWhen: "DIFFERENT", deleteObjectsUniqueInSink: false, deleteObjectsFromSourceAfterTransfer: false },
      },
      loggingConfig: { logActions: ["FIND", "COPY"], logActionStates: ["FAILED"] },
    },
    { parent, dependsOn: [writer, ...access.resources] },
  );
  emitAlert(ctx, job.name);
  return { bucket: bucket.name, url: pulumi.interpolate`gs://${bucket.name}/${access.prefix}`, transferJobId: job.name, followUp: pulumi.output([]) };
}

export const gcpBackupEmitter: BackupEmitter = {
  provider: "gcp",
  accessRequest: (ctx, sourceProvider) => {
    // S3: a role that trusts the transfer service account's Google identity (no keys).
    if (sourceProvider === "aws") return { method: "web-identity", federation: { issuer: GOOGLE_ISSUER, subject: transferServiceAccount(ctx).subjectId } };
    return { method: "sas" };
  },
  grantRead,
  emitDestination,
};
