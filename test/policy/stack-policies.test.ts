/**
 * The pack's stack policies (encryption at rest, no public IPs, immutable backups, pinned
 * placements, the monthly cost cap), run through their own `validateStack` as the engine runs it:
 * every resource with its outputs, parents and property dependencies. Resources of the components
 * and resources declared directly in the program are held to the same rules; each violation names
 * the resource, the rule and the fix, and is reported on the resource's URN.
 */
import { describe, expect, it } from "vitest";
import { encryptionAtRest } from "../../policy/rules/encryption";
import { noPublicIp } from "../../policy/rules/public-ip";
import { backupImmutability } from "../../policy/rules/backup-immutability";
import { monthlyCostCap, placementsPinned } from "../../policy/rules/placements";
import { resource, runStackPolicy, UNKNOWN, urnOf, type TestResource } from "./harness";

const BACKUP = resource("multicloud:index:CrossCloudBackup", "orders", {});
const S3_SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";

function workload(name: string, outputs: Record<string, unknown>): TestResource {
  return resource("multicloud:index:MultiCloudWorkload", name, outputs);
}

describe("multicloud-encryption-at-rest", () => {
  // Since January 5, 2023 S3 encrypts every new object with SSE-S3 (AES256) when the bucket declares nothing:
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingServerSideEncryption.html
  it("passes a bucket with an SSE-KMS configuration linked by the engine's property dependencies (as CrossCloudBackup emits it)", async () => {
    const bucket = resource("aws:s3/bucket:Bucket", "orders-bucket", { bucket: UNKNOWN, objectLockEnabled: true }, { parent: BACKUP });
    const sse = resource(S3_SSE, "orders-encryption", { bucket: UNKNOWN, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" }, bucketKeyEnabled: true }] }, { parent: BACKUP, propertyDependencies: { bucket: [bucket] } });
    expect(await runStackPolicy(encryptionAtRest, [bucket, sse])).toEqual([]);
  });

  it("flags a bucket declared directly in the program with no encryption configuration", async () => {
    const bucket = resource("aws:s3/bucket:Bucket", "scratch", { bucket: "acme-scratch" });
    const violations = await runStackPolicy(encryptionAtRest, [bucket]);
    expect(violations).toEqual([{
      urn: urnOf(bucket),
      message:
        '"scratch" (aws:s3/bucket:Bucket): declares no default encryption, so S3 encrypts it with SSE-S3 (Amazon S3 managed keys). Rule: data is encrypted at rest, with the configured algorithms and keys: S3 with aws:kms, aws:kms:dsse. ' +
        'Fix: add an aws.s3.BucketServerSideEncryptionConfiguration for it with sseAlgorithm "aws:kms" (CrossCloudBackup does this for its buckets), or allow AES256 in the policy config',
    }]);
    // Allowing SSE-S3 accepts S3's own default.
    expect(await runStackPolicy(encryptionAtRest, [bucket], { s3Algorithms: ["aws:kms", "AES256"] })).toEqual([]);
  });

  it("flags an AES256 configuration (found by bucket name) unless allowed, and asks for a key of yours when configured", async () => {
    const bucket = resource("aws:s3/bucket:Bucket", "logs", { bucket: "acme-logs" });
    const sse = resource(S3_SSE, "logs-sse", { bucket: "acme-logs", rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] });
    const violations = await runStackPolicy(encryptionAtRest, [bucket, sse]);
    expect(violations.map((v) => v.urn)).toEqual([urnOf(sse)]);
    expect(violations[0]!.message).toMatch(/^"logs-sse" \(.*\): encrypts with sseAlgorithm "AES256"\. Rule: .*S3 with aws:kms, aws:kms:dsse\. Fix: set applyServerSideEncryptionByDefault\.sseAlgorithm to "aws:kms" or "aws:kms:dsse"$/);
    const kms = resource(S3_SSE, "logs-sse", { bucket: "acme-logs", rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } }] });
    expect(await runStackPolicy(encryptionAtRest, [bucket, kms])).toEqual([]);
    expect((await runStackPolicy(encryptionAtRest, [bucket, kms], { requireCustomerManagedKeys: true }))[0]!.message).toContain("Fix: set applyServerSideEncryptionByDefault.kmsMasterKeyId to a KMS key of yours");
  });

  // EBS: `Encrypted` on a volume or a block device mapping; unencrypted unless asked (or the account default is on).
  // https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html
  it("passes the component's launch template (encrypted root device, as a string) and flags unencrypted EBS anywhere", async () => {
    const template = resource("aws:ec2/launchTemplate:LaunchTemplate", "web-aws-us-east-1-x86_64", { blockDeviceMappings: [{ deviceName: "/dev/sda1", ebs: { encrypted: "true", volumeType: "gp3" } }] }, { parent: workload("web", {}) });
    const volume = resource("aws:ebs/volume:Volume", "data", { availabilityZone: "us-east-1a", size: 100 });
    const instance = resource("aws:ec2/instance:Instance", "db", { rootBlockDevice: { encrypted: false } });
    const violations = await runStackPolicy(encryptionAtRest, [template, volume, instance]);
    expect(violations.map((v) => v.message)).toEqual([
      '"data" (aws:ebs/volume:Volume): the volume is not encrypted (encrypted is not set). Rule: data is encrypted at rest, with the configured algorithms and keys: EBS volumes encrypted. Fix: set encrypted: true on the volume',
      '"db" (aws:ec2/instance:Instance): the root block device is not encrypted (encrypted is false). Rule: data is encrypted at rest, with the configured algorithms and keys: EBS volumes encrypted. Fix: set encrypted: true on the root block device',
    ]);
  });

  // Azure Storage and Cloud Storage always encrypt; a key of yours is the only setting:
  // https://learn.microsoft.com/en-us/azure/storage/common/storage-service-encryption
  // https://cloud.google.com/storage/docs/encryption
  it("asks Azure and GCP storage for a key of yours only when configured to", async () => {
    const account = resource("azure-native:storage:StorageAccount", "acct", { location: "westeurope", encryption: { keySource: "Microsoft.Storage" } });
    const gcs = resource("gcp:storage/bucket:Bucket", "archive", { location: "EU" });
    expect(await runStackPolicy(encryptionAtRest, [account, gcs])).toEqual([]);
    const strict = await runStackPolicy(encryptionAtRest, [account, gcs], { requireCustomerManagedKeys: true });
    expect(strict.map((v) => v.message)).toEqual([
      expect.stringMatching(/^"acct" .*: encrypts with the cloud's own key\. Rule: .*keys you manage\. Fix: set encryption\.keySource to "Microsoft\.Keyvault"/),
      expect.stringMatching(/^"archive" .*Fix: set encryption\.defaultKmsKeyName to a Cloud KMS key of yours/),
    ]);
    const keyed = resource("gcp:storage/bucket:Bucket", "archive", { location: "EU", encryption: { defaultKmsKeyName: UNKNOWN } });
    expect(await runStackPolicy(encryptionAtRest, [keyed], { requireCustomerManagedKeys: true })).toEqual([]);
  });
});

describe("multicloud-no-public-ip", () => {
  const publicWeb = workload("web", { spec: { name: "web", traffic: { port: 443, public: true } }, placementSource: "pinned" });
  const privateWeb = workload("api", { spec: { name: "api", traffic: { port: 443 } }, placementSource: "pinned" });

  it("allows the internet-facing load balancers of a workload whose traffic is public, on every cloud", async () => {
    const lbs = [
      resource("aws:lb/loadBalancer:LoadBalancer", "web-aws-us-east-1", { internal: false, loadBalancerType: "network" }, { parent: publicWeb }),
      resource("azure-native:network:LoadBalancer", "web-azure-eastus", { frontendIPConfigurations: [{ name: "frontend", publicIPAddress: { id: UNKNOWN } }] }, { parent: publicWeb }),
      resource("gcp:compute/forwardingRule:ForwardingRule", "web-gcp-us-central1", { loadBalancingScheme: "EXTERNAL", region: "us-central1" }, { parent: publicWeb }),
    ];
    expect(await runStackPolicy(noPublicIp, lbs)).toEqual([]);
  });

  // AWS load balancers are internet-facing unless internal (Scheme default internet-facing):
  // https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html
  // A GCP forwarding rule without loadBalancingScheme is EXTERNAL: https://cloud.google.com/compute/docs/reference/rest/v1/forwardingRules
  it("flags internet-facing load balancers outside a public workload: one declared in the program, one under a private workload", async () => {
    const mine = resource("aws:lb/loadBalancer:LoadBalancer", "admin", { loadBalancerType: "application" });
    const gcp = resource("gcp:compute/forwardingRule:ForwardingRule", "api-gcp-us-central1", { region: "us-central1" }, { parent: privateWeb });
    const internal = resource("aws:lb/loadBalancer:LoadBalancer", "api-aws-us-east-1", { internal: true }, { parent: privateWeb });
    const violations = await runStackPolicy(noPublicIp, [mine, gcp, internal]);
    expect(violations).toEqual([
      {
        urn: urnOf(mine),
        message:
          '"admin" (aws:lb/loadBalancer:LoadBalancer): is internet-facing (internal is not true). Rule: no resource has a public IP address except the load balancer of a MultiCloudWorkload whose traffic is public. ' +
          "Fix: make it internal, or serve the traffic through a MultiCloudWorkload with traffic.public: true",
      },
      {
        urn: urnOf(gcp),
        message:
          '"api-gcp-us-central1" (gcp:compute/forwardingRule:ForwardingRule): is external (loadBalancingScheme EXTERNAL). Rule: no resource has a public IP address except the load balancer of a MultiCloudWorkload whose traffic is public. ' +
          "Fix: its workload's spec does not have traffic.public: true; redeploy it, or make the traffic public on purpose",
      },
    ]);
  });

  it("flags public addresses on instances on every cloud, in or out of a workload", async () => {
    const resources = [
      resource("aws:ec2/launchTemplate:LaunchTemplate", "web-aws-us-east-1-x86_64", { networkInterfaces: [{ associatePublicIpAddress: "true" }] }, { parent: publicWeb }),
      resource("aws:ec2/instance:Instance", "bastion", { associatePublicIpAddress: true }),
      resource("aws:ec2/eip:Eip", "bastion-ip", { instance: UNKNOWN, domain: "vpc" }),
      resource("azure-native:compute:VirtualMachineScaleSet", "vmss", { virtualMachineProfile: { networkProfile: { networkInterfaceConfigurations: [{ name: "nic", ipConfigurations: [{ name: "ip", publicIPAddressConfiguration: { name: "public-ip" } }] }] } } }),
      resource("gcp:compute/instanceTemplate:InstanceTemplate", "tmpl", { networkInterfaces: [{ network: "default", accessConfigs: [{}] }] }),
      // Not public: a private template, and an Elastic IP of a NAT gateway (egress only).
      resource("aws:ec2/launchTemplate:LaunchTemplate", "private", { networkInterfaces: [{ associatePublicIpAddress: "false" }] }),
      resource("aws:ec2/eip:Eip", "nat-ip", { domain: "vpc" }),
      resource("gcp:compute/instanceTemplate:InstanceTemplate", "private-tmpl", { networkInterfaces: [{ network: "default" }] }),
    ];
    const violations = await runStackPolicy(noPublicIp, resources);
    expect(violations.map((v) => v.message.split(":")[0])).toEqual(['"web-aws-us-east-1-x86_64" (aws', '"bastion" (aws', '"bastion-ip" (aws', '"vmss" (azure-native', '"tmpl" (gcp']);
    expect(violations[0]!.message).toContain("Fix: leave assignPublicIp false on the MultiCloudWorkload and reach it through traffic (a load balancer)");
    expect(violations[1]!.message).toContain("Fix: remove the public address and reach the instances through a load balancer, a NAT gateway (egress) or a bastion");
  });
});

describe("multicloud-backup-immutability", () => {
  const LOCK = "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration";

  function s3Backup(days: number, mode = "GOVERNANCE"): TestResource[] {
    const bucket = resource("aws:s3/bucket:Bucket", "orders-bucket", { bucket: UNKNOWN, objectLockEnabled: true }, { parent: BACKUP });
    const lock = resource(LOCK, "orders-object-lock", { bucket: UNKNOWN, rule: { defaultRetention: { mode, days } } }, { parent: BACKUP, propertyDependencies: { bucket: [bucket] } });
    return [bucket, lock];
  }

  // Object Lock default retention: Mode GOVERNANCE | COMPLIANCE with Days or Years:
  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_DefaultRetention.html
  it("passes a CrossCloudBackup's S3 destination locked for the configured retention, and follows the configured minimum", async () => {
    expect(await runStackPolicy(backupImmutability, s3Backup(30))).toEqual([]);
    const short = await runStackPolicy(backupImmutability, s3Backup(30), { minRetentionDays: 90 });
    expect(short).toEqual([{
      urn: urnOf(s3Backup(30)[0]!),
      message:
        '"orders-bucket" (aws:s3/bucket:Bucket): keeps objects locked 30 days by default. Rule: backups are immutable for at least 90 days. ' +
        'Fix: add an aws.s3.BucketObjectLockConfiguration with rule.defaultRetention { mode: "GOVERNANCE", days: 90 } (CrossCloudBackup: retentionDays)',
    }]);
    expect((await runStackPolicy(backupImmutability, s3Backup(365), { requireLocked: true }))[0]!.message).toContain('Fix: set rule.defaultRetention.mode to "COMPLIANCE" (CrossCloudBackup: lockRetention: true)');
    expect(await runStackPolicy(backupImmutability, s3Backup(365, "COMPLIANCE"), { requireLocked: true })).toEqual([]);
  });

  it("flags a bucket tagged as a backup in the program without Object Lock, and leaves untagged buckets alone", async () => {
    const tagged = resource("aws:s3/bucket:Bucket", "db-dumps", { bucket: "acme-db-dumps", tags: { backup: "nightly" } });
    const plain = resource("aws:s3/bucket:Bucket", "assets", { bucket: "acme-assets" });
    const violations = await runStackPolicy(backupImmutability, [tagged, plain]);
    expect(violations).toEqual([{
      urn: urnOf(tagged),
      message:
        '"db-dumps" (aws:s3/bucket:Bucket): has no Object Lock (objectLockEnabled is not true). Rule: backups are immutable for at least 30 days. ' +
        "Fix: recreate the bucket with objectLockEnabled: true (Object Lock can only be turned on at creation; CrossCloudBackup: immutable: true)",
    }]);
    // Another marker key, when configured.
    expect(await runStackPolicy(backupImmutability, [tagged, plain], { backupTagKey: "retain" })).toEqual([]);
  });

  // Azure: immutabilityPeriodSinceCreationInDays of the container's immutability policy:
  // https://learn.microsoft.com/en-us/rest/api/storagerp/blob-containers/create-or-update-immutability-policy
  it("holds an Azure backup container to its immutability policy", async () => {
    const container = resource("azure-native:storage:BlobContainer", "orders-container", { containerName: "backup", accountName: UNKNOWN }, { parent: BACKUP });
    const policy = resource("azure-native:storage:BlobContainerImmutabilityPolicy", "orders-immutability", { containerName: UNKNOWN, immutabilityPeriodSinceCreationInDays: 14 }, { parent: BACKUP, propertyDependencies: { containerName: [container] } });
    const violations = await runStackPolicy(backupImmutability, [container, policy]);
    expect(violations.map((v) => v.message)).toEqual([
      '"orders-container" (azure-native:storage:BlobContainer): has an immutability policy of 14 days. Rule: backups are immutable for at least 30 days. ' +
        "Fix: add an azure-native storage.BlobContainerImmutabilityPolicy on it with immutabilityPeriodSinceCreationInDays: 30 (CrossCloudBackup: immutable: true, retentionDays)",
    ]);
    expect(await runStackPolicy(backupImmutability, [container, policy], { minRetentionDays: 14 })).toEqual([]);
  });

  // GCS: retentionPolicy.retentionPeriod is in seconds, and forbids Object Versioning (https://cloud.google.com/storage/docs/bucket-lock);
  // soft delete keeps deleted objects 7 to 90 days (https://cloud.google.com/storage/docs/soft-delete).
  it("holds a GCS backup to a retention policy, and accepts soft delete only when configured to", async () => {
    const retained = resource("gcp:storage/bucket:Bucket", "orders-bucket", { location: "EU", retentionPolicy: { retentionPeriod: 30 * 86_400 } }, { parent: BACKUP });
    expect(await runStackPolicy(backupImmutability, [retained])).toEqual([]);
    const soft = resource("gcp:storage/bucket:Bucket", "orders-bucket", { location: "EU", versioning: { enabled: true }, softDeletePolicy: { retentionDurationSeconds: 30 * 86_400 } }, { parent: BACKUP });
    const violations = await runStackPolicy(backupImmutability, [soft]);
    expect(violations[0]!.message).toMatch(/keeps deleted versions under soft delete for 30 days, which a bucket admin can turn off \(no retention policy\)\. Rule: .*\. Fix: set retentionPolicy\.retentionPeriod to 2592000 seconds/);
    expect(await runStackPolicy(backupImmutability, [soft], { acceptGcsSoftDelete: true })).toEqual([]);
  });
});

describe("multicloud-placements-pinned and multicloud-monthly-cost-cap", () => {
  const web = workload("web", { spec: { name: "web" }, placementSource: "pinned", monthlyCostUsd: 1200.5 });
  const batch = workload("batch", { spec: { name: "batch" }, placementSource: "computed", monthlyCostUsd: 300 });

  it("advises pinning a workload whose placement was computed at deploy time", async () => {
    expect(await runStackPolicy(placementsPinned, [web])).toEqual([]);
    expect(await runStackPolicy(placementsPinned, [web, batch])).toEqual([{
      urn: urnOf(batch),
      message:
        '"batch" (multicloud:index:MultiCloudWorkload): its placement is computed: planned at deploy time from current prices, so the next deploy may move it without a reviewed change. ' +
        "Rule: every workload deploys a plan pinned in stack config (multicloud:placements). " +
        'Fix: pin it: `multicloud plan SPEC --stack-config Pulumi.dev.yaml --write` (SPEC: the spec of workload "batch"), and review the change in a pull request',
    }]);
  });

  it("caps the workloads' monthly cost together, at the configured amount", async () => {
    expect(await runStackPolicy(monthlyCostCap, [web, batch])).toEqual([]);
    expect(await runStackPolicy(monthlyCostCap, [web, batch], { maxMonthlyUsd: 2000 })).toEqual([]);
    const over = await runStackPolicy(monthlyCostCap, [web, batch], { maxMonthlyUsd: 1500 });
    expect(over).toEqual([{
      urn: undefined,
      message:
        '"stack" (pulumi:pulumi:Stack): its workloads\' plans cost $1500.5/month together (web $1200.5, batch $300 (computed)). Rule: the MultiCloudWorkload plans of a stack cost at most $1500/month. ' +
        "Fix: lower demand or widen the providers and regions of the costliest workloads and re-plan them (`multicloud plan ... --write`), set constraints.maxMonthlyUsd on them, or raise maxMonthlyUsd in the policy pack config",
    }]);
  });
});
