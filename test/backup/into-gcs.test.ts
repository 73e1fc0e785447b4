/** CrossCloudBackup into Cloud Storage, from S3 and from Azure Blob, under Pulumi's mocks. */
import { describe, expect, it } from "vitest";
import { childNames, deploy, FUTURE_DATE } from "./helpers/deploy";
import { MOCK_SECRETS, STS_EMAIL, STS_SUBJECT, inputAt, isSecretAt, unwrap } from "./helpers/mock-engine";

const NAME = "orders";

describe("S3 -> GCS (Storage Transfer Service, web identity)", () => {
  const args = {
    source: { provider: "aws" as const, region: "us-east-1", bucket: "acme-orders", prefix: "exports/" },
    destination: { provider: "gcp" as const, region: "us-east1" },
    sizeGiB: 2048,
    dailyChangeGiB: 20,
    rpoHours: 6,
    retentionDays: 35,
    archiveAfterDays: 180,
    notification: { email: "backups@example.com" },
    tags: { team: "payments" },
  };

  it("registers exactly these children, named after the component", async () => {
    const { engine } = await deploy(NAME, args);
    expect(childNames(engine, NAME)).toEqual([
      "orders-alerts-email",
      "orders-bucket",
      "orders-failed-transfers",
      "orders-sink-writer",
      "orders-source-read",
      "orders-source-reader",
      "orders-transfer",
    ]);
    expect(engine.byName("orders-source-reader").type).toBe("aws:iam/role:Role");
    expect(engine.byName("orders-transfer").type).toBe("gcp:storage/transferJob:TransferJob");
    // No long-lived AWS keys: the transfer service assumes a role with its Google identity.
    expect(engine.types().filter((t) => t.includes("accessKey") || t.includes("iam/user"))).toEqual([]);
  });

  it("protects the bucket: versioning, lifecycle to NEARLINE/COLDLINE/ARCHIVE, uniform access, public access prevented", async () => {
    const { engine } = await deploy(NAME, args);
    const bucket = engine.byName("orders-bucket").inputs;
    expect(bucket).toMatchObject({
      name: "mc-bk-orders-b21a44f8",
      location: "US-EAST1",
      storageClass: "STANDARD",
      uniformBucketLevelAccess: true,
      publicAccessPrevention: "enforced",
      versioning: { enabled: true },
      forceDestroy: false,
      labels: { "managed-by": "pulumi-multicloud", "multicloud-backup": "orders", team: "payments" },
    });
    expect(bucket.retentionPolicy).toBeUndefined();
    expect(bucket.lifecycleRules).toEqual([
      { action: { type: "SetStorageClass", storageClass: "NEARLINE" }, condition: { age: 30, matchesStorageClasses: ["STANDARD"] } },
      { action: { type: "SetStorageClass", storageClass: "COLDLINE" }, condition: { age: 90, matchesStorageClasses: ["NEARLINE"] } },
      { action: { type: "SetStorageClass", storageClass: "ARCHIVE" }, condition: { age: 180, matchesStorageClasses: ["COLDLINE"] } },
      { action: { type: "Delete" }, condition: { daysSinceNoncurrentTime: 35, withState: "ARCHIVED" } },
    ]);
  });

  it("runs the transfer job every rpoHours, overwriting only what differs and never deleting", async () => {
    const { engine } = await deploy(NAME, args);
    const job = engine.byName("orders-transfer").inputs;
    expect(job.schedule).toEqual({ scheduleStartDate: { year: 2024, month: 1, day: 1 }, startTimeOfDay: { hours: 0, minutes: 0, seconds: 0, nanos: 0 }, repeatInterval: "21600s" });
    expect(job.transferSpec.transferOptions).toEqual({ overwriteWhen: "DIFFERENT", deleteObjectsUniqueInSink: false, deleteObjectsFromSourceAfterTransfer: false });
    expect(job.transferSpec.awsS3DataSource).toEqual({ bucketName: "acme-orders", path: "exports/", roleArn: "arn:aws:iam::123456789012:role/mc-bk-orders-b21a44f8-reader" });
    expect(job.transferSpec.gcsDataSink).toEqual({ bucketName: "mc-bk-orders-b21a44f8", path: "exports/" });
    expect(job.loggingConfig).toEqual({ logActions: ["FIND", "COPY"], logActionStates: ["FAILED"] });
    expect(engine.byName("orders-sink-writer").inputs).toEqual({ bucket: "mc-bk-orders-b21a44f8", role: "roles/storage.legacyBucketWriter", member: `serviceAccount:${STS_EMAIL}` });
  });

  it("grants the source least privilege: a role only the transfer service account can assume, that lists and reads the prefix", async () => {
    const { engine } = await deploy(NAME, args);
    const trust = JSON.parse(engine.byName("orders-source-reader").inputs.assumeRolePolicy);
    expect(trust.Statement).toEqual([
      { Effect: "Allow", Principal: { Federated: "accounts.google.com" }, Action: "sts:AssumeRoleWithWebIdentity", Condition: { StringEquals: { "accounts.google.com:sub": STS_SUBJECT } } },
    ]);
    const read = JSON.parse(engine.byName("orders-source-read").inputs.policy);
    expect(read.Statement).toEqual([
      { Sid: "ListSource", Effect: "Allow", Action: ["s3:ListBucket"], Resource: "arn:aws:s3:::acme-orders", Condition: { StringLike: { "s3:prefix": ["exports/*"] } } },
      // No s3:prefix key on GetBucketLocation: under the prefix condition it would be denied.
      { Sid: "LocateSource", Effect: "Allow", Action: ["s3:GetBucketLocation"], Resource: "arn:aws:s3:::acme-orders" },
      { Sid: "ReadSource", Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::acme-orders/exports/*" },
      // An SSE-KMS source: decrypt only through S3 in the source's region, only for this bucket's objects under the prefix.
      {
        Sid: "DecryptSourceThroughS3",
        Effect: "Allow",
        Action: ["kms:Decrypt"],
        Resource: "*",
        Condition: {
          StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" },
          StringLike: { "kms:EncryptionContext:aws:s3:arn": ["arn:aws:s3:::acme-orders", "arn:aws:s3:::acme-orders/exports/*"] },
        },
      },
    ]);
  });

  it("alerts on failed transfers of this job, by e-mail", async () => {
    const { engine } = await deploy(NAME, args);
    const policy = engine.byName("orders-failed-transfers").inputs;
    expect(policy.conditions[0].conditionMatchedLog.filter).toBe('resource.type="storage_transfer_job" AND resource.labels.job_id:"orders-transfer-0001" AND severity>=ERROR');
    expect(policy.notificationChannels).toEqual(["projects/proj/notificationChannels/orders-alerts-email"]);
    expect(engine.byName("orders-alerts-email").inputs).toMatchObject({ type: "email", labels: { email_address: "backups@example.com" } });
  });

  it("outputs the destination, the job id and the cost estimate with its breakdown", async () => {
    const { outputs } = await deploy(NAME, args);
    expect(outputs.destination).toEqual({ provider: "gcp", region: "us-east1", bucket: "mc-bk-orders-b21a44f8", url: "gs://mc-bk-orders-b21a44f8/exports/" });
    expect(outputs.transferJobId).toBe("transferJobs/orders-transfer-0001");
    expect(outputs.monthlyCostUsd).toBe(outputs.plan.destination.monthlyUsd);
    expect(outputs.monthlyCostUsd).toBeGreaterThan(0);
    expect(new Set(outputs.costBreakdown.map((i) => i.category))).toEqual(new Set(["storage", "egress", "operations"]));
    expect(outputs.costBreakdown.reduce((sum, i) => sum + i.usd, 0)).toBeCloseTo(outputs.monthlyCostUsd, 3);
    expect(outputs.followUp).toEqual([]);
  });

  it("with immutable, keeps history (versioning) under soft delete, never a retention policy that would refuse changed objects", async () => {
    const { engine, outputs } = await deploy(NAME, { ...args, immutable: true });
    const bucket = engine.byName("orders-bucket").inputs;
    expect(bucket.retentionPolicy).toBeUndefined();
    expect(bucket.versioning).toEqual({ enabled: true });
    // retentionDays 35 is within GCS's 7-90 day soft delete range.
    expect(bucket.softDeletePolicy).toEqual({ retentionDurationSeconds: 35 * 86400 });
    expect(bucket.lifecycleRules.map((r: any) => r.action.type)).toEqual(["SetStorageClass", "SetStorageClass", "SetStorageClass", "Delete"]);
    expect(bucket.lifecycleRules[3].condition).toEqual({ daysSinceNoncurrentTime: 35, withState: "ARCHIVED" });
    expect(outputs.plan.notes.join("\n")).toMatch(/forbids Object Versioning with a bucket retention policy, so an immutable GCS copy keeps every version/);
  });

  it("clamps the soft delete duration to what GCS accepts (7 to 90 days)", async () => {
    const short = await deploy(NAME, { ...args, immutable: true, retentionDays: 3 });
    expect(short.engine.byName("orders-bucket").inputs.softDeletePolicy).toEqual({ retentionDurationSeconds: 7 * 86400 });
    const long = await deploy(NAME, { ...args, immutable: true, retentionDays: 400 });
    expect(long.engine.byName("orders-bucket").inputs.softDeletePolicy).toEqual({ retentionDurationSeconds: 90 * 86400 });
  });

  it("refuses lockRetention with a GCS destination, naming the reason and the fix", async () => {
    await expect(deploy(NAME, { ...args, immutable: true, lockRetention: true })).rejects.toThrow(/lockRetention[\s\S]*forbids Object Versioning[\s\S]*pin an aws destination/);
  });
});

describe("S3 -> GCS with a customer-managed key", () => {
  it("sets the bucket's default key and lets the Cloud Storage service agent use it", async () => {
    const key = "projects/acme/locations/us-east1/keyRings/backups/cryptoKeys/orders";
    const { engine } = await deploy(NAME, {
      source: { provider: "aws", region: "us-east-1", bucket: "acme-orders" },
      destination: { provider: "gcp", region: "us-east1" },
      sizeGiB: 10,
      dailyChangeGiB: 1,
      encryption: { kmsKeyId: key },
    });
    expect(engine.byName("orders-bucket").inputs.encryption).toEqual({ defaultKmsKeyName: key });
    expect(engine.byName("orders-kms-access").inputs).toEqual({
      cryptoKeyId: key,
      role: "roles/cloudkms.cryptoKeyEncrypterDecrypter",
      member: "serviceAccount:service-1234@gs-project-accounts.iam.gserviceaccount.com",
    });
  });
});

describe("Azure Blob -> GCS (Storage Transfer Service, SAS)", () => {
  const args = {
    source: { provider: "azure" as const, region: "westeurope", storageAccount: "acmedata", container: "invoices", resourceGroupName: "data-rg", sasExpiresOn: FUTURE_DATE },
    destination: { provider: "gcp" as const, region: "europe-west4" },
    sizeGiB: 500,
    dailyChangeGiB: 5,
    rpoHours: 24,
  };

  it("reads the container with a read/list, HTTPS-only, expiring SAS, held as a secret", async () => {
    const { engine } = await deploy("invoices", args);
    const sas = engine.invokes.find((i) => i.token === "azure-native:storage:listStorageAccountServiceSAS")!;
    expect(sas.inputs).toEqual({
      accountName: "acmedata",
      resourceGroupName: "data-rg",
      canonicalizedResource: "/blob/acmedata/invoices",
      resource: "c",
      permissions: "rl",
      protocols: "https",
      sharedAccessExpiryTime: `${FUTURE_DATE}T00:00:00Z`,
    });
    const source = inputAt(engine.byName("invoices-transfer"), "transferSpec", "azureBlobStorageDataSource");
    expect(source).toMatchObject({ storageAccount: "acmedata", container: "invoices" });
    expect(unwrap(source.azureCredentials)).toEqual({ sasToken: MOCK_SECRETS.sas });
    const path = ["transferSpec", "azureBlobStorageDataSource", "azureCredentials"];
    expect(isSecretAt(engine.byName("invoices-transfer").inputs, ...path)).toBe(true);
    // ... and stays secret in the state the engine stores.
    expect(isSecretAt(engine.stateOf("invoices-transfer"), ...path)).toBe(true);
  });

  it("creates nothing on the Azure side and keeps the SAS out of every output", async () => {
    const { engine, outputs } = await deploy("invoices", args);
    expect(engine.types().filter((t) => t.startsWith("azure-native:"))).toEqual([]);
    expect(JSON.stringify(outputs)).not.toContain("mock-sas");
    expect(inputAt(engine.byName("invoices-transfer"), "schedule", "repeatInterval")).toBe("86400s");
    expect(engine.byName("invoices-bucket").inputs.lifecycleRules).toEqual([{ action: { type: "Delete" }, condition: { daysSinceNoncurrentTime: 30, withState: "ARCHIVED" } }]);
  });
});
