/** CrossCloudBackup into Azure Blob, from S3 and from GCS, under Pulumi's mocks. */
import { describe, expect, it } from "vitest";
import { childNames, deploy } from "./helpers/deploy";
import { MOCK_SECRETS, inputAt, isSecretAt, unwrap } from "./helpers/mock-engine";
import { rotationPeriod } from "../../core/backup/rotation";

describe("S3 -> Blob (Data Factory, IAM access key)", () => {
  const args = {
    source: { provider: "aws" as const, region: "us-east-1", bucket: "acme-orders", prefix: "exports/" },
    destination: { provider: "azure" as const, region: "eastus2" },
    sizeGiB: 4096,
    dailyChangeGiB: 40,
    rpoHours: 12,
    immutable: true,
    retentionDays: 35,
    archiveAfterDays: 180,
    notification: { email: "backups@example.com" },
  };

  it("registers exactly these children, named after the component", async () => {
    const { engine } = await deploy("orders", args);
    expect(childNames(engine, "orders")).toEqual([
      "orders-account",
      "orders-alerts",
      "orders-blob-service",
      "orders-container",
      "orders-factory",
      "orders-factory-run-query",
      "orders-factory-run-reader",
      "orders-factory-writer",
      "orders-failed-transfers",
      "orders-group",
      "orders-immutability",
      "orders-lifecycle",
      "orders-pipeline",
      "orders-schedule",
      "orders-sink-dataset",
      "orders-sink-link",
      "orders-source-dataset",
      "orders-source-key",
      "orders-source-link",
      "orders-source-read",
      "orders-source-reader",
    ]);
    expect(engine.byName("orders-pipeline").type).toBe("azure-native:datafactory:Pipeline");
  });

  it("hardens the account: TLS 1.2 minimum, HTTPS only, no public blob access, no shared keys", async () => {
    const { engine } = await deploy("orders", args);
    expect(engine.byName("orders-account").inputs).toMatchObject({
      accountName: "mcbkordersb21a44f8",
      location: "eastus2",
      kind: "StorageV2",
      sku: { name: "Standard_LRS" },
      minimumTlsVersion: "TLS1_2",
      enableHttpsTrafficOnly: true,
      allowBlobPublicAccess: false,
      allowSharedKeyAccess: false,
      encryption: { keySource: "Microsoft.Storage", services: { blob: { enabled: true, keyType: "Account" } } },
    });
    expect(engine.byName("orders-container").inputs).toMatchObject({ containerName: "backup", publicAccess: "None", immutableStorageWithVersioning: { enabled: true } });
  });

  it("keeps versions: versioning, version-level immutability for retentionDays, lifecycle to Cool, Cold, Archive", async () => {
    const { engine } = await deploy("orders", args);
    expect(engine.byName("orders-blob-service").inputs).toMatchObject({ isVersioningEnabled: true, deleteRetentionPolicy: { enabled: true, days: 35 } });
    expect(engine.byName("orders-immutability").inputs).toMatchObject({ containerName: "backup", immutabilityPeriodSinceCreationInDays: 35, allowProtectedAppendWrites: false });
    expect(engine.byName("orders-lifecycle").inputs.policy.rules).toEqual([
      {
        name: "tiering",
        enabled: true,
        type: "Lifecycle",
        definition: {
          filters: { blobTypes: ["blockBlob"] },
          actions: { baseBlob: { tierToCool: { daysAfterModificationGreaterThan: 30 }, tierToCold: { daysAfterModificationGreaterThan: 90 }, tierToArchive: { daysAfterModificationGreaterThan: 180 } } },
        },
      },
      { name: "keep-previous-versions", enabled: true, type: "Lifecycle", definition: { filters: { blobTypes: ["blockBlob"] }, actions: { version: { delete: { daysAfterCreationGreaterThan: 35 } } } } },
    ]);
  });

  it("copies from the last successful run's window end (a watermark from the run history), never listing the sink", async () => {
    const { engine } = await deploy("orders", args);
    const pipeline = engine.byName("orders-pipeline").inputs;
    const [watermark, copy] = pipeline.activities;
    // No Get Metadata listing of the sink (its childItems output is capped at 4 MB).
    expect(pipeline.activities.map((a: any) => a.type)).toEqual(["WebActivity", "Copy"]);
    expect(watermark).toMatchObject({
      name: "last-success",
      method: "POST",
      url: expect.stringMatching(/^https:\/\/management\.azure\.com\/subscriptions\/.+\/factories\/mc-bk-orders-b21a44f8-adf\/queryPipelineRuns\?api-version=2018-06-01$/),
      authentication: { type: "MSI", resource: "https://management.azure.com/" },
    });
    const query = JSON.parse(watermark.body);
    expect(query.filters).toEqual([
      { operand: "PipelineName", operator: "Equals", values: ["backup-copy"] },
      { operand: "Status", operator: "Equals", values: ["Succeeded"] },
    ]);
    expect(query.orderBy).toEqual([{ orderBy: "RunStart", order: "DESC" }]);
    expect(query.lastUpdatedAfter).toBe("@{addDays(pipeline().TriggerTime, -45)}");
    expect(copy).toMatchObject({
      type: "Copy",
      dependsOn: [{ activity: "last-success", dependencyConditions: ["Succeeded"] }],
      validateDataConsistency: true,
      source: { type: "BinarySource", storeSettings: { type: "AmazonS3ReadSettings", recursive: true, deleteFilesAfterCompletion: false } },
      sink: { type: "BinarySink", storeSettings: { type: "AzureBlobStorageWriteSettings", copyBehavior: "PreserveHierarchy" } },
    });
    const { modifiedDatetimeStart, modifiedDatetimeEnd } = copy.source.storeSettings;
    // From the watermark minus 60 minutes of overlap (multipart objects carry their start time), never "now minus a window".
    expect(modifiedDatetimeStart).toContain("first(activity('last-success').output.value)?['parameters']?['windowEnd']");
    expect(modifiedDatetimeStart).toContain(", -60)");
    expect(modifiedDatetimeStart).not.toContain("pipeline().TriggerTime");
    expect(modifiedDatetimeStart).toMatch(/^@if\(or\(pipeline\(\)\.parameters\.fullCopy, empty\(/);
    expect(modifiedDatetimeEnd).toBe("@if(empty(pipeline().parameters.windowEnd), pipeline().TriggerTime, pipeline().parameters.windowEnd)");
    expect(pipeline.parameters).toEqual({ fullCopy: { type: "Bool", defaultValue: false }, windowEnd: { type: "String", defaultValue: "" } });
    // The factory may query its own runs, and nothing more: a custom role with the run query only
    // (the built-in Reader grants reads, and the query is an action), held on the factory.
    const role = engine.byName("orders-factory-run-query");
    expect(role.type).toBe("azure-native:authorization:RoleDefinition");
    expect(role.inputs.permissions).toEqual([
      { actions: ["Microsoft.DataFactory/factories/queryPipelineRuns/action", "Microsoft.DataFactory/factories/queryPipelineRuns/read"], notActions: [], dataActions: [], notDataActions: [] },
    ]);
    expect(role.inputs.assignableScopes).toEqual([role.inputs.scope]);
    expect(role.inputs.scope).toMatch(/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+$/);
    expect(role.inputs.roleDefinitionId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(engine.byName("orders-factory-run-reader").inputs).toMatchObject({
      principalId: "11111111-2222-3333-4444-555555555555",
      roleDefinitionId: `/subscriptions/00000000-0000-0000-0000-000000000001/providers/Microsoft.Authorization/roleDefinitions/${role.inputs.roleDefinitionId}`,
      scope: expect.stringMatching(/factories\/mc-bk-orders-b21a44f8-adf$/),
    });
  });

  it("runs the schedule through a trigger the component starts, each run recording its scheduled time as the window end", async () => {
    const { engine, outputs } = await deploy("orders", args);
    const trigger = engine.byName("orders-schedule");
    expect(trigger.type).toMatch(/^pulumi-nodejs:dynamic/);
    expect(trigger.inputs).toMatchObject({
      armEndpoint: "https://management.azure.com",
      subscriptionId: "00000000-0000-0000-0000-000000000001",
      resourceGroupName: "mc-bk-orders-b21a44f8-rg",
      factoryName: "mc-bk-orders-b21a44f8-adf",
      triggerName: "backup-schedule",
      properties: {
        type: "ScheduleTrigger",
        typeProperties: { recurrence: { frequency: "Hour", interval: 12, startTime: "2024-01-01T00:00:00Z", timeZone: "UTC" } },
        pipelines: [{ pipelineReference: { referenceName: "backup-copy", type: "PipelineReference" }, parameters: { windowEnd: "@trigger().scheduledTime" } }],
      },
    });
    expect(outputs.followUp).toEqual([]);
  });

  it("writes with the factory's own identity", async () => {
    const { engine } = await deploy("orders", args);
    expect(engine.byName("orders-sink-link").inputs.properties).toMatchObject({ type: "AzureBlobStorage", authenticationType: "Msi", serviceEndpoint: "https://mcbkordersb21a44f8.blob.core.windows.net/" });
    expect(engine.byName("orders-factory-writer").inputs).toMatchObject({
      principalId: "11111111-2222-3333-4444-555555555555",
      roleDefinitionId: "/subscriptions/00000000-0000-0000-0000-000000000001/providers/Microsoft.Authorization/roleDefinitions/ba92f5b4-2d11-453d-a403-e96b0029c9fe",
    });
    expect(engine.byName("orders-factory-writer").inputs.scope).toMatch(/containers\/backup$/);
    expect(inputAt(engine.byName("orders-source-dataset"), "properties", "location")).toEqual({ type: "AmazonS3Location", bucketName: "acme-orders", folderPath: "exports/" });
  });

  it("reads S3 with the key of a read-only IAM user, the secret a SecureString and a Pulumi secret", async () => {
    const periodAtStart = rotationPeriod(new Date()).startsAt;
    const { engine, outputs } = await deploy("orders", args);
    expect(JSON.parse(engine.byName("orders-source-read").inputs.policy).Statement.map((s: any) => s.Action)).toEqual([["s3:ListBucket"], ["s3:GetBucketLocation"], ["s3:GetObject"], ["kms:Decrypt"]]);
    expect(isSecretAt(engine.stateOf("orders-source-key"), "secret")).toBe(true);
    // Rotated: the key is replaced by the first `pulumi up` of each 90-day period.
    // The period the deploy ran in: the one at its start, or the next should it cross a boundary.
    expect([periodAtStart, rotationPeriod(new Date()).startsAt]).toContain(engine.byName("orders-source-key").options?.replacementTrigger);
    const link = engine.byName("orders-source-link").inputs;
    expect(unwrap(link.properties)).toMatchObject({ type: "AmazonS3", authenticationType: "AccessKey", accessKeyId: "AKIAMOCKREADER", secretAccessKey: { type: "SecureString" } });
    expect(isSecretAt(link, "properties", "secretAccessKey", "value")).toBe(true);
    expect(isSecretAt(engine.stateOf("orders-source-link"), "properties", "secretAccessKey", "value")).toBe(true);
    expect(JSON.stringify(outputs)).not.toContain(MOCK_SECRETS.awsSecret);
  });

  it("alerts on failed pipeline runs by e-mail, with nothing left to do by hand", async () => {
    const { engine, outputs } = await deploy("orders", args);
    expect(engine.byName("orders-failed-transfers").inputs).toMatchObject({
      location: "global",
      scopes: [expect.stringMatching(/factories\/mc-bk-orders-b21a44f8-adf$/)],
      criteria: { allOf: [{ metricName: "PipelineFailedRuns", operator: "GreaterThan", threshold: 0, timeAggregation: "Total" }] },
    });
    expect(engine.byName("orders-alerts").inputs.emailReceivers).toEqual([{ name: "backup-owner", emailAddress: "backups@example.com", useCommonAlertSchema: true }]);
    expect(outputs.followUp).toEqual([]);
    expect(outputs.destination).toEqual({
      provider: "azure",
      region: "eastus2",
      bucket: "backup",
      account: "mcbkordersb21a44f8",
      url: "https://mcbkordersb21a44f8.blob.core.windows.net/backup/exports/",
    });
    expect(outputs.transferJobId).toMatch(/pipelines\/backup-copy$/);
  });
});

describe("GCS -> Blob (Data Factory, HMAC key)", () => {
  const args = {
    source: { provider: "gcp" as const, region: "europe-west1", bucket: "acme-events" },
    destination: { provider: "azure" as const, region: "westeurope" },
    sizeGiB: 800,
    dailyChangeGiB: 8,
  };

  it("reads GCS through a GoogleCloudStorage linked service with a read-only HMAC key held as a secret", async () => {
    const { engine, outputs } = await deploy("events", args);
    const link = engine.byName("events-source-link").inputs;
    expect(unwrap(link.properties)).toMatchObject({ type: "GoogleCloudStorage", serviceUrl: "https://storage.googleapis.com", accessKeyId: "GOOGMOCKACCESSID" });
    expect(isSecretAt(link, "properties", "secretAccessKey", "value")).toBe(true);
    expect(engine.byName("events-source-read").inputs.role).toBe("roles/storage.objectViewer");
    expect(inputAt(engine.byName("events-pipeline"), "activities", 1, "source", "storeSettings", "type")).toBe("GoogleCloudStorageReadSettings");
    expect(inputAt(engine.byName("events-source-dataset"), "properties", "location")).toEqual({ type: "GoogleCloudStorageLocation", bucketName: "acme-events" });
    expect(JSON.stringify(outputs)).not.toContain(MOCK_SECRETS.hmacSecret);
  });

  it("without immutable or archive age: no immutability policy, only the version-retention rule, no e-mail action group", async () => {
    const { engine } = await deploy("events", args);
    expect(engine.resources.some((r) => r.name === "events-immutability" || r.name === "events-alerts")).toBe(false);
    expect(engine.byName("events-container").inputs.immutableStorageWithVersioning).toBeUndefined();
    expect(engine.byName("events-lifecycle").inputs.policy.rules.map((r: any) => r.name)).toEqual(["keep-previous-versions"]);
    expect(engine.byName("events-failed-transfers").inputs.actions).toEqual([]);
  });
});
