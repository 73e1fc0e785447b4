/** CrossCloudBackup into S3, from GCS and from Azure Blob, under Pulumi's mocks. */
import { describe, expect, it } from "vitest";
import { childNames, deploy, FUTURE_DATE } from "./helpers/deploy";
import { ACCOUNT_ID, MOCK_SECRETS, inputAt, isSecretAt, unwrap } from "./helpers/mock-engine";
import { rotationPeriod } from "../../core/backup/rotation";

describe("GCS -> S3 (DataSync Enhanced mode, HMAC key)", () => {
  const args = {
    source: { provider: "gcp" as const, region: "us-central1", bucket: "acme-logs" },
    destination: { provider: "aws" as const, region: "us-east-2" },
    sizeGiB: 1000,
    dailyChangeGiB: 10,
    immutable: true,
    retentionDays: 35,
    archiveAfterDays: 90,
  };

  it("registers exactly these children, named after the component", async () => {
    const { engine } = await deploy("logs", args);
    expect(childNames(engine, "logs")).toEqual([
      "logs-alerts",
      "logs-alerts-policy",
      "logs-bucket",
      "logs-datasync-access",
      "logs-datasync-role",
      "logs-destination-location",
      "logs-encryption",
      "logs-failed-transfers",
      "logs-failed-transfers-target",
      "logs-lifecycle",
      "logs-object-lock",
      "logs-public-access",
      "logs-source-key",
      "logs-source-list",
      "logs-source-location",
      "logs-source-read",
      "logs-source-reader",
      "logs-tls-only",
      "logs-transfer",
      "logs-versioning",
    ]);
    expect(engine.byName("logs-source-location").type).toBe("aws:datasync/locationObjectStorage:LocationObjectStorage");
  });

  it("protects the bucket: object lock for retentionDays, versioning, SSE-KMS, public access blocked, TLS only", async () => {
    const { engine } = await deploy("logs", args);
    expect(engine.byName("logs-bucket").inputs).toMatchObject({ bucket: "mc-bk-logs-4bd96d2f", region: "us-east-2", objectLockEnabled: true, forceDestroy: false });
    expect(engine.byName("logs-versioning").inputs.versioningConfiguration).toEqual({ status: "Enabled" });
    expect(engine.byName("logs-object-lock").inputs.rule).toEqual({ defaultRetention: { mode: "GOVERNANCE", days: 35 } });
    expect(engine.byName("logs-encryption").inputs.rules).toEqual([{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" }, bucketKeyEnabled: true }]);
    expect(engine.byName("logs-public-access").inputs).toMatchObject({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
    const tls = JSON.parse(engine.byName("logs-tls-only").inputs.policy);
    expect(tls.Statement[0]).toMatchObject({ Effect: "Deny", Action: "s3:*", Condition: { Bool: { "aws:SecureTransport": "false" } } });
  });

  it("moves data to STANDARD_IA, then DEEP_ARCHIVE, and keeps replaced versions retentionDays", async () => {
    const { engine } = await deploy("logs", args);
    expect(engine.byName("logs-lifecycle").inputs.rules).toEqual([
      {
        id: "tiering",
        status: "Enabled",
        filter: {},
        transitions: [
          { days: 30, storageClass: "STANDARD_IA" },
          { days: 90, storageClass: "DEEP_ARCHIVE" },
        ],
      },
      { id: "keep-replaced-versions", status: "Enabled", filter: {}, noncurrentVersionExpiration: { noncurrentDays: 35 } },
      { id: "abort-incomplete-uploads", status: "Enabled", filter: {}, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } },
    ]);
  });

  it("runs a verified DataSync task on the schedule that preserves deleted files and copies only changes", async () => {
    const { engine, outputs } = await deploy("logs", args);
    const task = engine.byName("logs-transfer").inputs;
    expect(task).toMatchObject({
      taskMode: "ENHANCED",
      options: { verifyMode: "ONLY_FILES_TRANSFERRED", transferMode: "CHANGED", overwriteMode: "ALWAYS", preserveDeletedFiles: "PRESERVE", objectTags: "NONE" },
      schedule: { scheduleExpression: "rate(24 hours)" },
      sourceLocationArn: `arn:aws:datasync:us-east-2:${ACCOUNT_ID}:location/loc-logs-source-location`,
      destinationLocationArn: `arn:aws:datasync:us-east-2:${ACCOUNT_ID}:location/loc-logs-destination-location`,
    });
    expect(outputs.transferJobId).toBe(`arn:aws:datasync:us-east-2:${ACCOUNT_ID}:task/task-logs-transfer`);
    expect(outputs.destination).toEqual({ provider: "aws", region: "us-east-2", bucket: "mc-bk-logs-4bd96d2f", url: "s3://mc-bk-logs-4bd96d2f/" });
  });

  it("gives DataSync a role it alone may assume, that writes but cannot delete", async () => {
    const { engine } = await deploy("logs", args);
    const trust = JSON.parse(engine.byName("logs-datasync-role").inputs.assumeRolePolicy);
    expect(trust.Statement).toEqual([{ Effect: "Allow", Principal: { Service: "datasync.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT_ID } } }]);
    const actions = JSON.parse(engine.byName("logs-datasync-access").inputs.policy).Statement.flatMap((s: any) => s.Action);
    expect(actions).toContain("s3:PutObject");
    expect(actions.filter((a: string) => /Delete/.test(a))).toEqual([]);
  });

  it("reads GCS with the HMAC key of a read-only service account, the secret kept secret", async () => {
    const { engine, outputs } = await deploy("logs", args);
    expect(engine.byName("logs-source-reader").inputs.accountId).toBe("mc-bk-logs-4bd96d2f-reader");
    const member = "serviceAccount:mc-bk-logs-4bd96d2f-reader@proj.iam.gserviceaccount.com";
    expect(engine.byName("logs-source-list").inputs).toEqual({ bucket: "acme-logs", role: "roles/storage.legacyBucketReader", member });
    expect(engine.byName("logs-source-read").inputs).toEqual({ bucket: "acme-logs", role: "roles/storage.objectViewer", member });
    // The provider declares the HMAC secret a secret output, and the engine stores it so.
    expect(isSecretAt(engine.stateOf("logs-source-key"), "secret")).toBe(true);
    // Rotated every 90 days: the period's start is the key's replacement trigger.
    expect(engine.byName("logs-source-key").options?.replacementTrigger).toMatch(/^20\d\d-\d\d-\d\dT00:00:00Z$/);
    const location = engine.byName("logs-source-location");
    expect(location.inputs).toMatchObject({ serverHostname: "storage.googleapis.com", serverProtocol: "HTTPS", serverPort: 443, bucketName: "acme-logs", subdirectory: "/", accessKey: "GOOGMOCKACCESSID" });
    expect(isSecretAt(location.inputs, "secretKey")).toBe(true);
    expect(unwrap(location.inputs.secretKey)).toBe(MOCK_SECRETS.hmacSecret);
    expect(isSecretAt(engine.stateOf("logs-source-location"), "secretKey")).toBe(true);
    expect(JSON.stringify(outputs)).not.toContain(MOCK_SECRETS.hmacSecret);
  });

  it("alerts on failed task executions through EventBridge and SNS", async () => {
    const { engine } = await deploy("logs", args);
    const pattern = JSON.parse(engine.byName("logs-failed-transfers").inputs.eventPattern);
    expect(pattern).toEqual({
      source: ["aws.datasync"],
      "detail-type": ["DataSync Task Execution State Change"],
      resources: [{ prefix: `arn:aws:datasync:us-east-2:${ACCOUNT_ID}:task/task-logs-transfer/execution/` }],
      detail: { State: ["ERROR"] },
    });
    expect(engine.byName("logs-failed-transfers-target").inputs.arn).toMatch(/^arn:aws:sns:us-east-2:/);
    const topicPolicy = JSON.parse(engine.byName("logs-alerts-policy").inputs.policy);
    expect(topicPolicy.Statement[0]).toMatchObject({ Principal: { Service: "events.amazonaws.com" }, Action: "sns:Publish" });
  });
});

describe("Azure Blob -> S3 (DataSync through an agent, SAS)", () => {
  const agent = "arn:aws:datasync:us-west-2:123456789012:agent/agent-0abc123";
  const key = "arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  const args = {
    source: { provider: "azure" as const, region: "westus2", storageAccount: "acmemedia", container: "photos", resourceGroupName: "media-rg", prefix: "2026/", sasExpiresOn: FUTURE_DATE },
    destination: { provider: "aws" as const, region: "us-west-2" },
    sizeGiB: 300,
    dailyChangeGiB: 3,
    rpoHours: 12,
    lockRetention: false,
    dataSyncAgentArn: agent,
    encryption: { kmsKeyId: key },
    notification: { email: "media@example.com" },
  };

  it("reads the container through the agent with a SAS held as a secret, in Basic mode, verifying every file transferred", async () => {
    const { engine, outputs } = await deploy("media", args);
    const location = engine.byName("media-source-location");
    expect(location.type).toBe("aws:datasync/locationAzureBlob:LocationAzureBlob");
    expect(location.inputs).toMatchObject({ containerUrl: "https://acmemedia.blob.core.windows.net/photos", authenticationType: "SAS", agentArns: [agent], subdirectory: "/2026/" });
    expect(isSecretAt(location.inputs, "sasConfiguration", "token")).toBe(true);
    expect(unwrap(location.inputs.sasConfiguration)).toEqual({ token: MOCK_SECRETS.sas });
    expect(isSecretAt(engine.stateOf("media-source-location"), "sasConfiguration", "token")).toBe(true);
    // The SAS grants read and list only: tags (which need its "t" permission) are not copied.
    expect(engine.byName("media-transfer").inputs).toMatchObject({ taskMode: "BASIC", options: { verifyMode: "ONLY_FILES_TRANSFERRED", objectTags: "NONE", preserveDeletedFiles: "PRESERVE" }, schedule: { scheduleExpression: "rate(12 hours)" } });
    expect(JSON.stringify(outputs)).not.toContain("mock-sas");
  });

  it("encrypts with the given KMS key and lets only DataSync's role use it", async () => {
    const { engine } = await deploy("media", args);
    expect(inputAt(engine.byName("media-encryption"), "rules", 0, "applyServerSideEncryptionByDefault")).toEqual({ sseAlgorithm: "aws:kms", kmsMasterKeyId: key });
    const statements = JSON.parse(engine.byName("media-datasync-access").inputs.policy).Statement;
    expect(statements).toContainEqual({ Sid: "Key", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: key });
    expect(engine.byName("media-destination-location").inputs.subdirectory).toBe("/2026/");
  });

  it("without immutable: no object lock, versioning still on, and an e-mail subscription for alerts", async () => {
    const { engine } = await deploy("media", args);
    expect(engine.byName("media-bucket").inputs.objectLockEnabled).toBe(false);
    expect(engine.resources.some((r) => r.name === "media-object-lock")).toBe(false);
    expect(engine.byName("media-versioning").inputs.versioningConfiguration).toEqual({ status: "Enabled" });
    expect(engine.byName("media-alerts-email").inputs).toMatchObject({ protocol: "email", endpoint: "media@example.com" });
    expect(engine.types().filter((t) => t.startsWith("azure-native:"))).toEqual([]);
  });
});

describe("Azure Blob -> S3 without an agent (DataSync Enhanced mode, SAS)", () => {
  const args = {
    source: { provider: "azure" as const, region: "westus2", storageAccount: "acmemedia", container: "photos", resourceGroupName: "media-rg", prefix: "2026/" },
    destination: { provider: "aws" as const, region: "us-west-2" },
    sizeGiB: 300,
    dailyChangeGiB: 3,
    notification: { email: "media@example.com" },
  };

  it("creates an agentless Azure Blob location through CloudFormation and runs the task in Enhanced mode, without tags", async () => {
    const { engine, outputs } = await deploy("media", args);
    const stack = engine.byName("media-source-location");
    expect(stack.type).toBe("aws:cloudformation/stack:Stack");
    const template = JSON.parse(stack.inputs.templateBody);
    expect(template.Resources.Location).toEqual({
      Type: "AWS::DataSync::LocationAzureBlob",
      Properties: {
        AzureBlobContainerUrl: "https://acmemedia.blob.core.windows.net/photos",
        AzureBlobAuthenticationType: "SAS",
        AzureBlobSasConfiguration: { AzureBlobSasToken: { Ref: "SasToken" } },
        Subdirectory: "/2026/",
        Tags: expect.arrayContaining([{ Key: "managed-by", Value: "pulumi-multicloud" }]),
      },
    });
    expect(template.Parameters.SasToken).toMatchObject({ Type: "String", NoEcho: true });
    expect(isSecretAt(stack.inputs, "parameters")).toBe(true);
    expect(unwrap(stack.inputs.parameters)).toEqual({ SasToken: MOCK_SECRETS.sas });
    expect(engine.byName("media-transfer").inputs).toMatchObject({
      taskMode: "ENHANCED",
      sourceLocationArn: "arn:aws:datasync:us-west-2:123456789012:location/loc-media-source-location",
      options: { objectTags: "NONE" },
    });
    expect(JSON.stringify(outputs)).not.toContain("mock-sas");
  });

  it("issues a read/list SAS that expires two 90-day rotation periods after the current one began", async () => {
    const before = rotationPeriod(new Date());
    const { engine } = await deploy("media", args);
    const after = rotationPeriod(new Date());
    const sas = engine.invokes.find((i) => i.token === "azure-native:storage:listStorageAccountServiceSAS")!.inputs;
    expect(sas).toMatchObject({ permissions: "rl", protocols: "https", resource: "c", canonicalizedResource: "/blob/acmemedia/photos" });
    // The period the deployment ran in (the clock may cross a boundary during the deployment).
    expect([before.sasExpiresAt, after.sasExpiresAt]).toContain(sas.sharedAccessExpiryTime);
  });
});
