/**
 * Azure backup emitter: a Blob container as a backup destination (filled by an Azure Data Factory
 * copy pipeline), and a read/list SAS on a Blob container as a backup source.
 *
 * Destination children (logical names, `<n>` = component name; names are identity, pinned by tests):
 *   <n>-group (resource group), <n>-account, <n>-blob-service (versioning, soft delete),
 *   <n>-container, <n>-immutability (immutable only), <n>-lifecycle, <n>-factory,
 *   <n>-factory-writer (the factory's identity on the container), <n>-source-link, <n>-sink-link,
 *   <n>-source-dataset, <n>-sink-dataset, <n>-pipeline, <n>-schedule (trigger), <n>-alerts
 *   (action group, with notification.email only), <n>-failed-transfers (metric alert).
 * Source: no resources; the SAS is signed by the account (an invoke) for one container, read and
 *   list only, HTTPS only, until `source.sasExpiresOn`, and travels as a secret.
 *
 * Invariants: TLS 1.2 minimum, HTTPS only, no public blob access, no shared-key access (the
 * factory writes with its managed identity); the copy never deletes (no delete activity, no
 * deleteFilesAfterCompletion) and validates data consistency.
 */
import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as datafactory from "@pulumi/azure-native/datafactory";
import * as monitor from "@pulumi/azure-native/monitor";
import * as resources from "@pulumi/azure-native/resources";
import * as storage from "@pulumi/azure-native/storage";
import { asHourlyRecurrence } from "../../core/backup/schedule";
import { InternalError } from "../../core/util/errors";
import type { AccessRequest, BackupContext, BackupEmitter, DestinationResult, SourceAccess } from "../../kit/backup/emitter";
import type * as inputs from "@pulumi/azure-native/types/input";

const CONTAINER = "backup";
/** Built-in role "Storage Blob Data Contributor". */
const BLOB_DATA_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
/** Minutes each run's window reaches back beyond the previous run, for late or slow writes. */
const OVERLAP_MINUTES = 15;

function grantRead(ctx: BackupContext, request: AccessRequest): SourceAccess {
  if (request.method !== "sas") throw new InternalError(`an Azure Blob source cannot grant ${request.method} access`);
  const { parent, spec } = ctx;
  const account = spec.source.storageAccount!;
  const container = spec.source.container!;
  const sas = storage.listStorageAccountServiceSASOutput(
    {
      accountName: account,
      resourceGroupName: spec.source.resourceGroupName!,
      canonicalizedResource: `/blob/${account}/${container}`,
      resource: "c",
      permissions: "rl",
      protocols: "https",
      sharedAccessExpiryTime: `${spec.source.sasExpiresOn!}T00:00:00Z`,
    },
    { parent },
  );
  return { method: "sas", protocol: "azure-blob", account, container, prefix: spec.source.prefix ?? "", sasToken: pulumi.secret(sas.serviceSasToken), resources: [] };
}

function emitStore(ctx: BackupContext): { group: resources.ResourceGroup; account: storage.StorageAccount; container: storage.BlobContainer } {
  const { name, parent, spec, plan, names, tags, stages } = ctx;
  const location = plan.destination.region;
  const group = new resources.ResourceGroup(`${name}-group`, { resourceGroupName: names.dns(90, "rg"), location, tags }, { parent, retainOnDelete: true });
  const scope = { resourceGroupName: group.name };
  const account = new storage.StorageAccount(
    `${name}-account`,
    {
      ...scope,
      accountName: names.compact(24),
      location,
      kind: "StorageV2",
      sku: { name: "Standard_LRS" },
      accessTier: "Hot",
      minimumTlsVersion: "TLS1_2",
      enableHttpsTrafficOnly: true,
      allowBlobPublicAccess: false,
      allowSharedKeyAccess: false,
      allowCrossTenantReplication: false,
      encryption: { keySource: "Microsoft.Storage", services: { blob: { enabled: true, keyType: "Account" } } },
      tags,
    },
    // A backup outlives its stack: removing the component leaves the account and its data.
    { parent, retainOnDelete: true },
  );
  const blobs = { ...scope, accountName: account.name };
  const service = new storage.BlobServiceProperties(
    `${name}-blob-service`,
    {
      ...blobs,
      blobServicesName: "default",
      isVersioningEnabled: true,
      deleteRetentionPolicy: { enabled: true, days: Math.min(spec.retentionDays, 365) },
      containerDeleteRetentionPolicy: { enabled: true, days: 7 },
    },
    { parent },
  );
  const container = new storage.BlobContainer(
    `${name}-container`,
    { ...blobs, containerName: CONTAINER, publicAccess: "None", immutableStorageWithVersioning: spec.immutable ? { enabled: true } : undefined },
    { parent, dependsOn: [service], retainOnDelete: true },
  );
  if (spec.immutable) {
    // Version-level WORM: each version is kept retentionDays from its creation.
    new storage.BlobContainerImmutabilityPolicy(
      `${name}-immutability`,
      { ...blobs, containerName: container.name, immutabilityPolicyName: "default", immutabilityPeriodSinceCreationInDays: spec.retentionDays, allowProtectedAppendWrites: false },
      // The container is retained on delete; so is the policy that keeps its versions immutable.
      { parent, retainOnDelete: true },
    );
  }
  const rules: inputs.storage.ManagementPolicyRuleArgs[] = [
    {
      name: "keep-previous-versions",
      enabled: true,
      type: "Lifecycle",
      definition: { filters: { blobTypes: ["blockBlob"] }, actions: { version: { delete: { daysAfterCreationGreaterThan: spec.retentionDays } } } },
    },
  ];
  if (stages.length > 1) {
    // Azure counts "more than N days since modification"; the ladder's cool/cold/archive tiers.
    const action = { hot: undefined, cool: "tierToCool", cold: "tierToCold", archive: "tierToArchive" } as const;
    const baseBlob: Record<string, { daysAfterModificationGreaterThan: number }> = {};
    for (const stage of stages.slice(1)) baseBlob[action[stage.tier]!] = { daysAfterModificationGreaterThan: stage.fromDay };
    rules.unshift({ name: "tiering", enabled: true, type: "Lifecycle", definition: { filters: { blobTypes: ["blockBlob"] }, actions: { baseBlob } } });
  }
  new storage.ManagementPolicy(`${name}-lifecycle`, { ...blobs, managementPolicyName: "default", policy: { rules } }, { parent, dependsOn: [service] });
  return { group, account, container };
}

/** Incremental read settings: recursive, never deleting, within the run's modification window. */
function readWindow(everyHours: number) {
  return { recursive: true, deleteFilesAfterCompletion: false, modifiedDatetimeStart: windowStartExpression(everyHours), modifiedDatetimeEnd: "@pipeline().TriggerTime" };
}

function sourceProperties(access: SourceAccess, everyHours: number) {
  if (access.method !== "access-key") throw new InternalError(`Data Factory is not set up to read a source granted by ${access.method}`);
  const secretAccessKey = { type: "SecureString" as const, value: pulumi.secret(access.secretAccessKey) };
  if (access.protocol === "gcs") {
    return {
      link: { type: "GoogleCloudStorage" as const, accessKeyId: access.accessKeyId, secretAccessKey, serviceUrl: `https://${access.endpoint}` },
      location: { type: "GoogleCloudStorageLocation" as const, bucketName: access.bucket, folderPath: access.prefix || undefined },
      storeSettings: { type: "GoogleCloudStorageReadSettings" as const, ...readWindow(everyHours) },
    };
  }
  return {
    link: { type: "AmazonS3" as const, authenticationType: "AccessKey", accessKeyId: access.accessKeyId, secretAccessKey },
    location: { type: "AmazonS3Location" as const, bucketName: access.bucket, folderPath: access.prefix || undefined },
    storeSettings: { type: "AmazonS3ReadSettings" as const, ...readWindow(everyHours) },
  };
}

/**
 * The copy window's start: the epoch for the first run (the sink has nothing yet) or when asked
 * for a full copy, else the previous run's trigger time minus the overlap. Files are taken up to
 * this run's trigger time, so each change is copied by exactly one run in steady state.
 */
export function windowStartExpression(everyHours: number): string {
  const back = everyHours * 60 + OVERLAP_MINUTES;
  return `@if(or(pipeline().parameters.fullCopy, empty(coalesce(activity('probe-sink').output?.childItems, json('[]')))), '1970-01-01T00:00:00Z', addMinutes(pipeline().TriggerTime, -${back}))`;
}

function emitPipeline(ctx: BackupContext, access: SourceAccess, store: ReturnType<typeof emitStore>) {
  const { name, parent, plan, names, tags, schedule } = ctx;
  const scope = { resourceGroupName: store.group.name };
  const factory = new datafactory.Factory(
    `${name}-factory`,
    { ...scope, factoryName: names.dns(63, "adf"), location: plan.destination.region, identity: { type: "SystemAssigned" }, tags },
    { parent },
  );
  const client = authorization.getClientConfigOutput({ parent });
  const writer = new authorization.RoleAssignment(
    `${name}-factory-writer`,
    {
      principalId: factory.identity.apply((i) => i?.principalId ?? ""),
      principalType: "ServicePrincipal",
      roleDefinitionId: pulumi.interpolate`/subscriptions/${client.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${BLOB_DATA_CONTRIBUTOR}`,
      scope: store.container.id,
    },
    { parent },
  );
  const inFactory = { ...scope, factoryName: factory.name };
  const source = sourceProperties(access, schedule.everyHours);
  const sourceLink = new datafactory.LinkedService(`${name}-source-link`, { ...inFactory, linkedServiceName: "source", properties: source.link }, { parent, dependsOn: access.resources });
  const sinkLink = new datafactory.LinkedService(
    `${name}-sink-link`,
    { ...inFactory, linkedServiceName: "sink", properties: { type: "AzureBlobStorage", serviceEndpoint: store.account.primaryEndpoints.blob, authenticationType: "Msi", accountKind: "StorageV2" } },
    { parent, dependsOn: [writer] },
  );
  const linkRef = (referenceName: string) => ({ referenceName, type: "LinkedServiceReference" });
  const sourceDataset = new datafactory.Dataset(
    `${name}-source-dataset`,
    { ...inFactory, datasetName: "source", properties: { type: "Binary", linkedServiceName: linkRef("source"), location: source.location } },
    { parent, dependsOn: [sourceLink] },
  );
  const sinkDataset = new datafactory.Dataset(
    `${name}-sink-dataset`,
    { ...inFactory, datasetName: "sink", properties: { type: "Binary", linkedServiceName: linkRef("sink"), location: { type: "AzureBlobStorageLocation", container: CONTAINER, folderPath: access.prefix || undefined } } },
    { parent, dependsOn: [sinkLink] },
  );
  const datasetRef = (referenceName: string) => ({ referenceName, type: "DatasetReference" });
  const pipeline = new datafactory.Pipeline(
    `${name}-pipeline`,
    {
      ...inFactory,
      pipelineName: "backup-copy",
      description: `${name}: ${plan.source.provider}/${plan.source.region} backup`,
      concurrency: 1,
      parameters: { fullCopy: { type: "Bool", defaultValue: false } },
      activities: [
        { name: "probe-sink", type: "GetMetadata", dataset: datasetRef("sink"), fieldList: ["exists", "childItems"] },
        {
          name: "copy",
          type: "Copy",
          dependsOn: [{ activity: "probe-sink", dependencyConditions: ["Succeeded"] }],
          inputs: [datasetRef("source")],
          outputs: [datasetRef("sink")],
          source: { type: "BinarySource", storeSettings: source.storeSettings },
          sink: { type: "BinarySink", storeSettings: { type: "AzureBlobStorageWriteSettings", copyBehavior: "PreserveHierarchy" } },
          validateDataConsistency: true,
          policy: { retry: 2, retryIntervalInSeconds: 300, secureInput: true },
        },
      ],
    },
    { parent, dependsOn: [sourceDataset, sinkDataset] },
  );
  const trigger = new datafactory.Trigger(
    `${name}-schedule`,
    {
      ...inFactory,
      triggerName: "schedule",
      properties: { type: "ScheduleTrigger", recurrence: asHourlyRecurrence(schedule), pipelines: [{ pipelineReference: { referenceName: pipeline.name, type: "PipelineReference" } }] },
    },
    { parent },
  );
  return { factory, pipeline, trigger };
}

function emitAlert(ctx: BackupContext, group: resources.ResourceGroup, factory: datafactory.Factory): void {
  const { name, parent, spec, names, tags } = ctx;
  const actions: Array<{ actionGroupId: pulumi.Output<string> }> = [];
  if (spec.notification) {
    const actionGroup = new monitor.ActionGroup(
      `${name}-alerts`,
      {
        resourceGroupName: group.name,
        actionGroupName: names.dns(260, "alerts"),
        groupShortName: "mc-backup",
        location: "global",
        enabled: true,
        emailReceivers: [{ name: "backup-owner", emailAddress: spec.notification.email, useCommonAlertSchema: true }],
        tags,
      },
      { parent },
    );
    actions.push({ actionGroupId: actionGroup.id });
  }
  new monitor.MetricAlert(
    `${name}-failed-transfers`,
    {
      resourceGroupName: group.name,
      ruleName: names.dns(260, "failed"),
      location: "global",
      description: `Data Factory runs of the ${name} backup that failed`,
      severity: 1,
      enabled: true,
      scopes: [factory.id],
      evaluationFrequency: "PT15M",
      windowSize: "PT1H",
      criteria: {
        odataType: "Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria",
        allOf: [{ criterionType: "StaticThresholdCriterion", name: "failed-runs", metricName: "PipelineFailedRuns", metricNamespace: "Microsoft.DataFactory/factories", operator: "GreaterThan", threshold: 0, timeAggregation: "Total" }],
      },
      autoMitigate: false,
      actions,
      tags,
    },
    { parent },
  );
}

function emitDestination(ctx: BackupContext, access: SourceAccess): DestinationResult {
  const store = emitStore(ctx);
  const { factory, pipeline, trigger } = emitPipeline(ctx, access, store);
  emitAlert(ctx, store.group, factory);
  return {
    bucket: store.container.name,
    account: store.account.name,
    url: pulumi.interpolate`https://${store.account.name}.blob.core.windows.net/${CONTAINER}/${access.prefix}`,
    transferJobId: pipeline.id,
    // Data Factory creates schedule triggers stopped, and the resource model cannot start them.
    followUp: pulumi.interpolate`az datafactory trigger start --resource-group ${store.group.name} --factory-name ${factory.name} --name ${trigger.name}`.apply((cmd) => [cmd]),
  };
}

export const azureBackupEmitter: BackupEmitter = {
  provider: "azure",
  // Data Factory reads S3 and GCS with access keys (HMAC for GCS): it supports no federation with either.
  accessRequest: () => ({ method: "access-key" }),
  grantRead,
  emitDestination,
};
