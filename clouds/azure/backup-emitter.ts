/**
 * Azure backup emitter: a Blob container as a backup destination (filled by an Azure Data Factory
 * copy pipeline), and a read/list SAS on a Blob container as a backup source.
 *
 * Destination children (logical names, `<n>` = component name; names are identity, pinned by tests):
 *   <n>-group (resource group), <n>-account, <n>-blob-service (versioning, soft delete),
 *   <n>-container, <n>-immutability (immutable only), <n>-lifecycle, <n>-factory,
 *   <n>-factory-writer (the factory's identity on the container), <n>-factory-run-query (a custom
 *   role: querying a factory's pipeline runs, nothing else), <n>-factory-run-reader (the factory's
 *   identity holds it on the factory: the watermark), <n>-source-link, <n>-sink-link,
 *   <n>-source-dataset, <n>-sink-dataset, <n>-pipeline, <n>-schedule (the started trigger: a
 *   dynamic resource in a Node.js program, `multicloud:azure:DataFactoryTrigger` in the plugin,
 *   ./backup-trigger.ts), <n>-alerts (action group, with notification.email
 *   only), <n>-failed-transfers (metric alert).
 * Source: no resources; the SAS is signed by the account (an invoke) for one container, read and
 *   list only, HTTPS only, until `source.sasExpiresOn` or else two rotation periods after the
 *   current one began (renewed by the first `pulumi up` of each period), and travels as a secret.
 *
 * The copy window (Data Factory into Blob): each run copies the source objects modified in
 * [watermark - overlap, this run's scheduled time], where the watermark is the window end of the
 * last run that succeeded, read from the factory's own run history (Pipeline Runs - Query By
 * Factory) by the first activity. A failed run, or runs missed while the trigger was stopped,
 * leave the watermark where it was, so the next run copies their changes too. With no success in
 * the 45 days Data Factory keeps runs, or with `fullCopy`, the run copies everything. The overlap
 * (OVERLAP_MINUTES) is for S3 multipart uploads, whose objects carry the time the upload began:
 * an upload that completes after a window end is caught by the next run when it began at most
 * OVERLAP_MINUTES before that window end. No listing of the sink is needed (the earlier probe
 * listed `childItems`, whose 4 MB output cap fails at tens of thousands of blobs).
 *
 * Invariants: TLS 1.2 minimum, HTTPS only, no public blob access, no shared-key access (the
 * factory writes with its managed identity); the copy never deletes (no delete activity, no
 * deleteFilesAfterCompletion) and validates data consistency.
 */
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as datafactory from "@pulumi/azure-native/datafactory";
import * as monitor from "@pulumi/azure-native/monitor";
import * as resources from "@pulumi/azure-native/resources";
import * as storage from "@pulumi/azure-native/storage";
import { asHourlyRecurrence } from "../../core/backup/schedule";
import { ARM_ENDPOINT, DATAFACTORY_API_VERSION, scheduleTrigger, triggerPackageResource } from "./backup-trigger";
import { InternalError } from "../../core/util/errors";
import type { AccessRequest, BackupContext, BackupEmitter, DestinationResult, SourceAccess } from "../../kit/backup/emitter";
import type * as inputs from "@pulumi/azure-native/types/input";

const CONTAINER = "backup";
/** Built-in role "Storage Blob Data Contributor". */
const BLOB_DATA_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
/**
 * The operations of Pipeline Runs - Query By Factory, the watermark's only call: the ARM action
 * and the read of its result (Microsoft.DataFactory operations,
 * https://learn.microsoft.com/en-us/azure/role-based-access-control/permissions/analytics#microsoftdatafactory).
 * The built-in Reader role grants the read operations of every provider only (Actions `*` + `/read`)
 * (https://learn.microsoft.com/en-us/azure/role-based-access-control/built-in-roles/general#reader), and
 * a `/action` is not a read: Reader cannot query runs (RBAC permission syntax,
 * https://learn.microsoft.com/en-us/azure/role-based-access-control/role-definitions#actions-format).
 * Data Factory Contributor could, but may also rewrite the factory; a custom role holding exactly
 * these two operations is the least privilege.
 */
export const RUN_QUERY_ACTIONS: readonly string[] = ["Microsoft.DataFactory/factories/queryPipelineRuns/action", "Microsoft.DataFactory/factories/queryPipelineRuns/read"];
/**
 * Minutes each run's window reaches back before the watermark. S3's Last-Modified is "the object
 * creation date or the last modified date, whichever is the latest. For multipart uploads, the
 * object creation date is the date of initiation of the multipart upload"
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingMetadata.html#SysMetadata): an
 * upload that began before a window's end but completed after it is caught by the next run if it
 * took at most this long.
 */
export const OVERLAP_MINUTES = 60;
/** Days Data Factory keeps pipeline runs (https://learn.microsoft.com/en-us/azure/data-factory/monitor-data-factory): the watermark's horizon. */
export const RUN_HISTORY_DAYS = 45;
export const PIPELINE_NAME = "backup-copy";
export const TRIGGER_NAME = "backup-schedule";
export const WATERMARK_ACTIVITY = "last-success";
const EPOCH = "1970-01-01T00:00:00Z";

/** A role definition id: any GUID, here one derived from the role's (tenant-unique) name so previews are stable. */
export function roleGuid(roleName: string): string {
  const h = createHash("sha256").update(`multicloud-backup-role/${roleName}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function grantRead(ctx: BackupContext, request: AccessRequest): SourceAccess {
  if (request.method !== "sas") throw new InternalError(`an Azure Blob source cannot grant ${request.method} access`);
  const { parent, spec } = ctx;
  // Names may be other resources' outputs (ctx.source): the SAS is signed once they are known.
  const account = ctx.source.storageAccount!;
  const container = ctx.source.container!;
  const sas = storage.listStorageAccountServiceSASOutput(
    {
      accountName: account,
      resourceGroupName: ctx.source.resourceGroupName!,
      canonicalizedResource: pulumi.interpolate`/blob/${account}/${container}`,
      resource: "c",
      permissions: "rl",
      protocols: "https",
      // A fixed date when given (never renewed); else renewed every rotation period.
      sharedAccessExpiryTime: spec.source.sasExpiresOn ? `${spec.source.sasExpiresOn}T00:00:00Z` : ctx.rotation.sasExpiresAt,
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
function readWindow() {
  return { recursive: true, deleteFilesAfterCompletion: false, modifiedDatetimeStart: windowStartExpression(), modifiedDatetimeEnd: windowEndExpression() };
}

function sourceProperties(access: SourceAccess) {
  if (access.method !== "access-key") throw new InternalError(`Data Factory is not set up to read a source granted by ${access.method}`);
  const secretAccessKey = { type: "SecureString" as const, value: pulumi.secret(access.secretAccessKey) };
  if (access.protocol === "gcs") {
    return {
      link: { type: "GoogleCloudStorage" as const, accessKeyId: access.accessKeyId, secretAccessKey, serviceUrl: `https://${access.endpoint}` },
      location: { type: "GoogleCloudStorageLocation" as const, bucketName: access.bucket, folderPath: access.prefix || undefined },
      storeSettings: { type: "GoogleCloudStorageReadSettings" as const, ...readWindow() },
    };
  }
  return {
    link: { type: "AmazonS3" as const, authenticationType: "AccessKey", accessKeyId: access.accessKeyId, secretAccessKey },
    location: { type: "AmazonS3Location" as const, bucketName: access.bucket, folderPath: access.prefix || undefined },
    storeSettings: { type: "AmazonS3ReadSettings" as const, ...readWindow() },
  };
}

/**
 * The last successful run's window end, or "" when there is none (expression, no "@"). `first` of
 * an empty list is null, and `?[...]` reads a property of a value that may be null, so this never
 * fails. Documentation: the question-mark operator ("to reference null properties in an object
 * without a runtime error", `@coalesce(trigger().outputs?.body?.<someProperty>, '<default>')`) is
 * documented for the Workflow Definition Language that Data Factory's expressions share
 * (https://learn.microsoft.com/en-us/azure/logic-apps/logic-apps-workflow-definition-language#operators),
 * but Data Factory's own expression reference
 * (https://learn.microsoft.com/en-us/azure/data-factory/control-flow-expression-language-functions)
 * does not list it; its use in Data Factory is reported, not documented
 * (https://endjin.com/blog/2021/02/how-to-safely-reference-a-nullable-activity-output-in-synapse-pipelines-and-azure-data-factory).
 * No documented Data Factory function reads a property of a possibly-null value without it (`if`
 * is not documented to evaluate lazily), so it stays; the first run after a deployment proves it.
 */
const lastWindowEnd = `coalesce(first(activity('${WATERMARK_ACTIVITY}').output.value)?['parameters']?['windowEnd'], '')`;

/**
 * The copy window's start: the epoch (copy everything) when asked for a full copy or when no run
 * has succeeded in the run history, else the last successful run's window end minus the overlap.
 * Both branches are valid dates whatever the history holds.
 */
export function windowStartExpression(): string {
  const safeEnd = `if(empty(${lastWindowEnd}), '${EPOCH}', ${lastWindowEnd})`;
  return `@if(or(pipeline().parameters.fullCopy, empty(${lastWindowEnd})), '${EPOCH}', addMinutes(${safeEnd}, -${OVERLAP_MINUTES}))`;
}

/** The copy window's end: the trigger's scheduled time (recorded in the run's parameters), or the run's start when run by hand. */
export function windowEndExpression(): string {
  return "@if(empty(pipeline().parameters.windowEnd), pipeline().TriggerTime, pipeline().parameters.windowEnd)";
}

/**
 * The watermark query (Pipeline Runs - Query By Factory,
 * https://learn.microsoft.com/en-us/rest/api/datafactory/pipeline-runs/query-by-factory): this
 * pipeline's succeeded runs of the last RUN_HISTORY_DAYS days, newest first. Its body is a string
 * with ADF string interpolation (`@{...}`).
 */
export function watermarkQueryBody(): string {
  return JSON.stringify({
    lastUpdatedAfter: `@{addDays(pipeline().TriggerTime, -${RUN_HISTORY_DAYS})}`,
    lastUpdatedBefore: "@{pipeline().TriggerTime}",
    filters: [
      { operand: "PipelineName", operator: "Equals", values: [PIPELINE_NAME] },
      { operand: "Status", operator: "Equals", values: ["Succeeded"] },
    ],
    orderBy: [{ orderBy: "RunStart", order: "DESC" }],
  });
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
  // A custom role with the run query only, defined in the backup's resource group (custom roles are
  // assignable at resource group scope and below) and held by the factory's identity on the factory.
  // Its name is unique in the tenant (project, stack and component hash); its id a GUID derived from it.
  const roleName = names.dns(64, "run-query");
  const runQueryRoleId = roleGuid(roleName);
  const runQuery = new authorization.RoleDefinition(
    `${name}-factory-run-query`,
    {
      roleDefinitionId: runQueryRoleId,
      roleName,
      description: `${name} backup: the Data Factory reads its own pipeline runs (the copy watermark)`,
      scope: store.group.id,
      assignableScopes: [store.group.id],
      permissions: [{ actions: [...RUN_QUERY_ACTIONS], notActions: [], dataActions: [], notDataActions: [] }],
    },
    { parent },
  );
  const runReader = new authorization.RoleAssignment(
    `${name}-factory-run-reader`,
    {
      principalId: factory.identity.apply((i) => i?.principalId ?? ""),
      principalType: "ServicePrincipal",
      roleDefinitionId: pulumi.interpolate`/subscriptions/${client.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${runQueryRoleId}`,
      scope: factory.id,
    },
    { parent, dependsOn: [runQuery] },
  );
  const inFactory = { ...scope, factoryName: factory.name };
  const source = sourceProperties(access);
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
      pipelineName: PIPELINE_NAME,
      description: `${name}: ${plan.source.provider}/${plan.source.region} backup`,
      concurrency: 1,
      // windowEnd: the trigger's scheduled time; fullCopy: copy everything once (e.g. after a restore test).
      parameters: { fullCopy: { type: "Bool", defaultValue: false }, windowEnd: { type: "String", defaultValue: "" } },
      activities: [
        {
          name: WATERMARK_ACTIVITY,
          type: "WebActivity",
          description: "the window end of the last successful run: this run copies from there",
          method: "POST",
          url: pulumi.interpolate`${ARM_ENDPOINT}${factory.id}/queryPipelineRuns?api-version=${DATAFACTORY_API_VERSION}`,
          headers: { "Content-Type": "application/json" },
          body: watermarkQueryBody(),
          authentication: { type: "MSI", resource: `${ARM_ENDPOINT}/` },
          policy: { retry: 3, retryIntervalInSeconds: 60, secureOutput: false },
        },
        {
          name: "copy",
          type: "Copy",
          dependsOn: [{ activity: WATERMARK_ACTIVITY, dependencyConditions: ["Succeeded"] }],
          inputs: [datasetRef("source")],
          outputs: [datasetRef("sink")],
          source: { type: "BinarySource", storeSettings: source.storeSettings },
          sink: { type: "BinarySink", storeSettings: { type: "AzureBlobStorageWriteSettings", copyBehavior: "PreserveHierarchy" } },
          validateDataConsistency: true,
          policy: { retry: 2, retryIntervalInSeconds: 300, secureInput: true },
        },
      ],
    },
    { parent, dependsOn: [sourceDataset, sinkDataset, runReader] },
  );
  const trigger = scheduleTrigger(
    `${name}-schedule`,
    {
      armEndpoint: ARM_ENDPOINT,
      subscriptionId: client.subscriptionId,
      resourceGroupName: store.group.name,
      factoryName: factory.name,
      triggerName: TRIGGER_NAME,
      properties: pipeline.name.apply((pipelineName) => ({
        type: "ScheduleTrigger",
        description: `${name}: every ${schedule.everyHours} h`,
        typeProperties: { recurrence: asHourlyRecurrence(schedule) },
        // The scheduled time is the window end each run records: the next run's watermark.
        pipelines: [{ pipelineReference: { referenceName: pipelineName, type: "PipelineReference" }, parameters: { windowEnd: "@trigger().scheduledTime" } }],
      })),
    },
    { parent, dependsOn: [pipeline] },
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
  const { factory, pipeline } = emitPipeline(ctx, access, store);
  emitAlert(ctx, store.group, factory);
  return {
    bucket: store.container.name,
    account: store.account.name,
    url: pulumi.interpolate`https://${store.account.name}.blob.core.windows.net/${CONTAINER}/${access.prefix}`,
    transferJobId: pipeline.id,
    // The trigger is started by ./backup-trigger.ts: nothing is left to a person.
    followUp: pulumi.output([]),
  };
}

export const azureBackupEmitter: BackupEmitter = {
  provider: "azure",
  // Data Factory reads S3 and GCS with access keys (HMAC for GCS): it supports no federation with either.
  accessRequest: () => ({ method: "access-key" }),
  grantRead,
  emitDestination,
  packageResources: [triggerPackageResource],
};
