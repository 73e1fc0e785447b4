/**
 * Encryption at rest, on every resource of the stack that stores data and has a setting for it.
 *
 * - S3: every bucket declares its default encryption, with an algorithm the config allows
 *   (`s3Algorithms`, default SSE-KMS: aws:kms, aws:kms:dsse). A bucket without a declaration is
 *   encrypted by S3 with SSE-S3 (AES256, Amazon S3 managed keys) since January 2023, so it passes
 *   only when AES256 is allowed.
 *   https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingServerSideEncryption.html
 *   The declaration is a `BucketServerSideEncryptionConfiguration` naming the bucket (found by
 *   the engine's property dependencies, or by bucket name), or the bucket's inline setting.
 * - EBS: volumes, launch templates' block devices and instances' root and EBS block devices have
 *   `encrypted: true` (unencrypted is EBS's default unless the account turns encryption on).
 *   https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html
 * - Azure Storage and Cloud Storage always encrypt and cannot be turned off
 *   (https://learn.microsoft.com/en-us/azure/storage/common/storage-service-encryption,
 *   https://cloud.google.com/storage/docs/encryption); with `requireCustomerManagedKeys`, storage
 *   accounts, scale set disks, GCS buckets, disks and instance templates must name a key of yours
 *   (and S3 configurations and EBS devices a KMS key id).
 *
 * A stack policy: an S3 bucket and its encryption configuration are two resources.
 */
import type { PolicyConfigSchema, StackValidationPolicy } from "@pulumi/policy";
import { configOf } from "../config";
import { dependsThrough, has, isTrue, records, violation, whenKnown, type StackResource } from "../resources";

export interface EncryptionConfig {
  s3Algorithms: string[];
  requireCustomerManagedKeys: boolean;
}

export const encryptionSchema: PolicyConfigSchema = {
  properties: {
    s3Algorithms: {
      type: "array",
      items: { type: "string", enum: ["aws:kms", "aws:kms:dsse", "AES256"] },
      default: ["aws:kms", "aws:kms:dsse"],
      description: "S3 default encryption algorithms accepted; add AES256 to accept SSE-S3 (S3's own default).",
    },
    requireCustomerManagedKeys: { type: "boolean", default: false, description: "Require a key of yours (KMS key, Key Vault key, Cloud KMS key) wherever the cloud takes one." },
  },
};

const BUCKETS = new Set(["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"]);
const SSE_CONFIGS = new Set([
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
]);
const RULE = "data is encrypted at rest, with the configured algorithms and keys";

/** `{ sseAlgorithm, kmsMasterKeyId }` of each rule of an encryption configuration (inline or resource). */
function sseDefaults(config: Record<string, any>): Record<string, any>[] {
  return records(config.rules ?? config.rule).map((rule) => records(rule.applyServerSideEncryptionByDefault)[0] ?? {});
}

function sseProblems(r: StackResource, defaults: Record<string, any>[], c: EncryptionConfig): string[] {
  const allowed = c.s3Algorithms.join(", ");
  return defaults.flatMap((d) => {
    if (!c.s3Algorithms.includes(d.sseAlgorithm)) {
      return [violation(r, `encrypts with sseAlgorithm "${String(d.sseAlgorithm)}"`, `${RULE}: S3 with ${allowed}`, `set applyServerSideEncryptionByDefault.sseAlgorithm to ${c.s3Algorithms.map((a) => `"${a}"`).join(" or ")}`)];
    }
    if (c.requireCustomerManagedKeys && d.sseAlgorithm !== "AES256" && !has(d, "kmsMasterKeyId")) {
      return [violation(r, "encrypts with the AWS managed key (no kmsMasterKeyId)", `${RULE}: keys you manage`, "set applyServerSideEncryptionByDefault.kmsMasterKeyId to a KMS key of yours")];
    }
    return [];
  });
}

function bucketProblems(bucket: StackResource, all: readonly StackResource[], c: EncryptionConfig): string[] {
  const inline = records(bucket.props.serverSideEncryptionConfiguration);
  if (inline.length > 0) return sseProblems(bucket, inline.flatMap(sseDefaults), c);
  const name = whenKnown(() => bucket.props.bucket as unknown, undefined);
  const declared = all.some((r) => SSE_CONFIGS.has(r.type) && (dependsThrough(r, bucket, ["bucket"]) || (name !== undefined && whenKnown(() => r.props.bucket === name, false))));
  if (declared || c.s3Algorithms.includes("AES256")) return [];
  return [violation(
    bucket,
    "declares no default encryption, so S3 encrypts it with SSE-S3 (Amazon S3 managed keys)",
    `${RULE}: S3 with ${c.s3Algorithms.join(", ")}`,
    `add an aws.s3.BucketServerSideEncryptionConfiguration for it with sseAlgorithm "${c.s3Algorithms[0]}" (CrossCloudBackup does this for its buckets), or allow AES256 in the policy config`,
  )];
}

/** EBS devices: `{ where, encrypted, kmsKeyId }` of each device a resource defines. */
function ebsDevices(r: StackResource): { where: string; device: Record<string, any> }[] {
  const p = r.props;
  if (r.type === "aws:ebs/volume:Volume") return [{ where: "the volume", device: p }];
  if (r.type === "aws:ec2/launchTemplate:LaunchTemplate") {
    return records(p.blockDeviceMappings).flatMap((m) => records(m.ebs).map((ebs) => ({ where: `block device ${String(m.deviceName ?? "?")}`, device: ebs })));
  }
  if (r.type === "aws:ec2/instance:Instance") {
    return [
      ...records(p.rootBlockDevice).map((d) => ({ where: "the root block device", device: d })),
      ...records(p.ebsBlockDevices).map((d) => ({ where: `EBS block device ${String(d.deviceName ?? "?")}`, device: d })),
    ];
  }
  return [];
}

function ebsProblems(r: StackResource, c: EncryptionConfig): string[] {
  return ebsDevices(r).flatMap(({ where, device }) => {
    if (!isTrue(device.encrypted)) {
      return [violation(r, `${where} is not encrypted (encrypted is ${device.encrypted === undefined ? "not set" : String(device.encrypted)})`, `${RULE}: EBS volumes encrypted`, `set encrypted: true on ${where}${c.requireCustomerManagedKeys ? " with a kmsKeyId of yours" : ""}`)];
    }
    if (c.requireCustomerManagedKeys && !has(device, "kmsKeyId")) {
      return [violation(r, `${where} is encrypted with the AWS managed key (no kmsKeyId)`, `${RULE}: keys you manage`, `set kmsKeyId on ${where} to a KMS key of yours`)];
    }
    return [];
  });
}

/** Resources that always encrypt, checked only for a customer-managed key when the config asks. */
function customerKeyProblem(r: StackResource): string | undefined {
  const p = r.props;
  const missing = (what: string, fix: string) => violation(r, `${what} with the cloud's own key`, `${RULE}: keys you manage`, fix);
  switch (r.type) {
    case "azure-native:storage:StorageAccount":
      return records(p.encryption)[0]?.keySource === "Microsoft.Keyvault" ? undefined : missing("encrypts", 'set encryption.keySource to "Microsoft.Keyvault" with encryption.keyVaultProperties naming your key');
    case "azure-native:compute:VirtualMachineScaleSet": {
      const disk = records(records(p.virtualMachineProfile)[0]?.storageProfile?.osDisk?.managedDisk)[0];
      return has(disk, "diskEncryptionSet") ? undefined : missing("encrypts its OS disks", "set virtualMachineProfile.storageProfile.osDisk.managedDisk.diskEncryptionSet to a disk encryption set with your key");
    }
    case "gcp:storage/bucket:Bucket":
      return has(records(p.encryption)[0], "defaultKmsKeyName") ? undefined : missing("encrypts", "set encryption.defaultKmsKeyName to a Cloud KMS key of yours (CrossCloudBackup: encryption.kmsKeyId)");
    case "gcp:compute/disk:Disk":
      return has(records(p.diskEncryptionKey)[0], "kmsKeySelfLink") ? undefined : missing("encrypts", "set diskEncryptionKey.kmsKeySelfLink to a Cloud KMS key of yours");
    case "gcp:compute/instanceTemplate:InstanceTemplate":
      return records(p.disks).every((d) => has(records(d.diskEncryptionKey)[0], "kmsKeySelfLink")) ? undefined : missing("encrypts its disks", "set disks[].diskEncryptionKey.kmsKeySelfLink to a Cloud KMS key of yours");
    default:
      return undefined;
  }
}

export function encryptionProblems(resources: readonly StackResource[], config: EncryptionConfig): { urn: string; message: string }[] {
  return resources.flatMap((r) => {
    const problems = whenKnown((): string[] => {
      if (BUCKETS.has(r.type)) return bucketProblems(r, resources, config);
      if (SSE_CONFIGS.has(r.type)) return sseProblems(r, sseDefaults(r.props), config);
      const ebs = ebsProblems(r, config);
      const key = config.requireCustomerManagedKeys ? customerKeyProblem(r) : undefined;
      return key ? [...ebs, key] : ebs;
    }, []);
    return problems.map((message) => ({ urn: r.urn, message }));
  });
}

export const encryptionAtRest: StackValidationPolicy = {
  name: "multicloud-encryption-at-rest",
  description: "S3 buckets, EBS volumes and devices (and, when asked, Azure and GCP storage and disks) are encrypted at rest with the configured algorithms and keys.",
  enforcementLevel: "mandatory",
  configSchema: encryptionSchema,
  validateStack: (args, reportViolation) => {
    const config = configOf<EncryptionConfig>(encryptionSchema, args.getConfig());
    for (const p of encryptionProblems(args.resources, config)) reportViolation(p.message, p.urn);
  },
};
