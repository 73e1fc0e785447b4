/**
 * Backup conformance: CrossCloudBackup under Pulumi's mocks (test/backup/helpers), on a matrix of
 * the six source -> destination pairs the package supports, with and without immutable,
 * lockRetention, archiveAfterDays, notification, kmsKeyId, prefix, tags, the shortest and the
 * longest rpoHours, and a long component name. Every recorded resource of the destination and
 * source sides is held to the clouds' documented rules: one rule = one named object with the page
 * it comes from (researched in /tmp/research/{aws,gcp,azure}-rules.md, the rest found with the
 * search tool and quoted next to the rule), and every rule is proven to catch a known-bad example.
 *
 * The rules read only what the mock engine recorded: raw inputs, secret markers kept. Under the
 * mocks (test/backup/helpers/mock-engine.ts) an S3 bucket's id is its name, a role's ARN ends in
 * `role/<name>`, a DataSync location's ARN ends in `location/loc-<logical name>`, a GCS bucket's
 * name is its `name` input and a Data Factory child's name is its `*Name` input, so references
 * are resolved by those.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { CrossCloudBackupArgs } from "../../components/backup";
import { deploy, FUTURE_DATE } from "../backup/helpers/deploy";
import { STS_EMAIL, STS_SUBJECT, isSecretAt, unwrap, type MockEngine, type Recorded } from "../backup/helpers/mock-engine";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";

const T = {
  // AWS
  s3Bucket: "aws:s3/bucket:Bucket",
  s3Versioning: "aws:s3/bucketVersioning:BucketVersioning",
  s3ObjectLock: "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
  s3PublicAccess: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  iamRole: "aws:iam/role:Role",
  iamUser: "aws:iam/user:User",
  accessKey: "aws:iam/accessKey:AccessKey",
  dsTask: "aws:datasync/task:Task",
  dsS3: "aws:datasync/s3Location:S3Location",
  dsObjectStorage: "aws:datasync/locationObjectStorage:LocationObjectStorage",
  dsAzureBlob: "aws:datasync/locationAzureBlob:LocationAzureBlob",
  snsTopic: "aws:sns/topic:Topic",
  eventRule: "aws:cloudwatch/eventRule:EventRule",
  cfnStack: "aws:cloudformation/stack:Stack",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  userPolicy: "aws:iam/userPolicy:UserPolicy",
  // GCP
  gcsBucket: "gcp:storage/bucket:Bucket",
  gcsIam: "gcp:storage/bucketIAMMember:BucketIAMMember",
  serviceAccount: "gcp:serviceaccount/account:Account",
  hmacKey: "gcp:storage/hmacKey:HmacKey",
  transferJob: "gcp:storage/transferJob:TransferJob",
  channel: "gcp:monitoring/notificationChannel:NotificationChannel",
  alertPolicy: "gcp:monitoring/alertPolicy:AlertPolicy",
  // Azure
  group: "azure-native:resources:ResourceGroup",
  account: "azure-native:storage:StorageAccount",
  blobService: "azure-native:storage:BlobServiceProperties",
  container: "azure-native:storage:BlobContainer",
  immutability: "azure-native:storage:BlobContainerImmutabilityPolicy",
  factory: "azure-native:datafactory:Factory",
  linkedService: "azure-native:datafactory:LinkedService",
  dataset: "azure-native:datafactory:Dataset",
  pipeline: "azure-native:datafactory:Pipeline",
  trigger: "azure-native:datafactory:Trigger",
  /** The backup's own started trigger (clouds/azure/backup-trigger.ts). */
  startedTrigger: "pulumi-nodejs:dynamic/multicloud-backup:DataFactoryStartedTrigger",
  roleAssignment: "azure-native:authorization:RoleAssignment",
  roleDefinition: "azure-native:authorization:RoleDefinition",
  actionGroup: "azure-native:monitor:ActionGroup",
  metricAlert: "azure-native:monitor:MetricAlert",
} as const;

// ---------------------------------------------------------------------------------------------
// The matrix: the six pairs, as the backup tests configure them

interface Scenario {
  name: string;
  component: string;
  args: CrossCloudBackupArgs;
}

const S3_SOURCE = { provider: "aws" as const, region: "us-east-1", bucket: "acme-orders", prefix: "exports/" };
const GCS_SOURCE = { provider: "gcp" as const, region: "europe-west1", bucket: "acme-events" };
const BLOB_SOURCE = { provider: "azure" as const, region: "westeurope", storageAccount: "acmedata", container: "invoices", resourceGroupName: "data-rg", sasExpiresOn: FUTURE_DATE };
const AGENT = "arn:aws:datasync:us-west-2:123456789012:agent/agent-0abc123";
const AWS_KEY = "arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const GCP_KEY = "projects/acme/locations/us-east1/keyRings/backups/cryptoKeys/orders";
/** Long enough that every physical name is cut to its budget. */
const LONG = "quarterly-financial-statements-and-audit-evidence-archive-for-regulators";

const SCENARIOS: Scenario[] = [
  {
    name: "S3 -> GCS, mutable, archive 180, notification, tags, rpo 6",
    component: "orders",
    args: {
      source: S3_SOURCE,
      destination: { provider: "gcp", region: "us-east1" },
      sizeGiB: 2048,
      dailyChangeGiB: 20,
      rpoHours: 6,
      retentionDays: 35,
      archiveAfterDays: 180,
      notification: { email: "backups@example.com" },
      tags: { team: "payments" },
    },
  },
  {
    name: "S3 -> GCS, immutable, retention 36500, kmsKeyId, rpo 1, long name",
    component: LONG,
    args: {
      source: { ...S3_SOURCE, prefix: undefined },
      destination: { provider: "gcp", region: "us-east1" },
      sizeGiB: 10,
      dailyChangeGiB: 1,
      rpoHours: 1,
      immutable: true,
      retentionDays: 36500,
      encryption: { kmsKeyId: GCP_KEY },
    },
  },
  {
    name: "Blob -> GCS, plain",
    component: "invoices",
    args: { source: BLOB_SOURCE, destination: { provider: "gcp", region: "europe-west4" }, sizeGiB: 500, dailyChangeGiB: 5, rpoHours: 24 },
  },
  {
    name: "Blob -> GCS, rotated SAS (no sasExpiresOn), immutable, retention 3",
    component: "invoices",
    args: { source: { ...BLOB_SOURCE, sasExpiresOn: undefined }, destination: { provider: "gcp", region: "europe-west4" }, sizeGiB: 500, dailyChangeGiB: 5, immutable: true, retentionDays: 3 },
  },
  {
    name: "Blob -> GCS, immutable, archive 60, notification, prefix",
    component: "invoices",
    args: {
      source: { ...BLOB_SOURCE, prefix: "2026/" },
      destination: { provider: "gcp", region: "europe-west4" },
      sizeGiB: 500,
      dailyChangeGiB: 5,
      immutable: true,
      archiveAfterDays: 60,
      notification: { email: "finance@example.com" },
    },
  },
  {
    name: "S3 -> Blob, immutable, archive 180, notification, rpo 12",
    component: "orders",
    args: {
      source: S3_SOURCE,
      destination: { provider: "azure", region: "eastus2" },
      sizeGiB: 4096,
      dailyChangeGiB: 40,
      rpoHours: 12,
      immutable: true,
      retentionDays: 35,
      archiveAfterDays: 180,
      notification: { email: "backups@example.com" },
    },
  },
  {
    name: "S3 -> Blob, retention 36500, rpo 168, tags, long name",
    component: LONG,
    args: {
      source: S3_SOURCE,
      destination: { provider: "azure", region: "eastus2" },
      sizeGiB: 100,
      dailyChangeGiB: 1,
      rpoHours: 168,
      retentionDays: 36500,
      immutable: true,
      tags: { team: "finance", "cost-center": "cc-42" },
    },
  },
  {
    name: "GCS -> Blob, plain",
    component: "events",
    args: { source: GCS_SOURCE, destination: { provider: "azure", region: "westeurope" }, sizeGiB: 800, dailyChangeGiB: 8 },
  },
  {
    name: "GCS -> Blob, archive 400, notification, prefix, rpo 1",
    component: "events",
    args: {
      source: { ...GCS_SOURCE, prefix: "raw/" },
      destination: { provider: "azure", region: "westeurope" },
      sizeGiB: 800,
      dailyChangeGiB: 8,
      rpoHours: 1,
      archiveAfterDays: 400,
      notification: { email: "events@example.com" },
    },
  },
  {
    name: "GCS -> S3, immutable, archive 90",
    component: "logs",
    args: {
      source: { provider: "gcp", region: "us-central1", bucket: "acme-logs" },
      destination: { provider: "aws", region: "us-east-2" },
      sizeGiB: 1000,
      dailyChangeGiB: 10,
      immutable: true,
      retentionDays: 35,
      archiveAfterDays: 90,
    },
  },
  {
    name: "GCS -> S3, immutable + locked, kmsKeyId, notification, prefix, rpo 1, long name",
    component: LONG,
    args: {
      source: { provider: "gcp", region: "us-central1", bucket: "acme-logs", prefix: "app/" },
      destination: { provider: "aws", region: "us-west-2" },
      sizeGiB: 1000,
      dailyChangeGiB: 10,
      rpoHours: 1,
      immutable: true,
      lockRetention: true,
      encryption: { kmsKeyId: AWS_KEY },
      notification: { email: "logs@example.com" },
      tags: { team: "platform" },
    },
  },
  {
    name: "Blob -> S3 (agent), mutable, kmsKeyId, notification, prefix, rpo 12",
    component: "media",
    args: {
      source: { provider: "azure", region: "westus2", storageAccount: "acmemedia", container: "photos", resourceGroupName: "media-rg", prefix: "2026/", sasExpiresOn: FUTURE_DATE },
      destination: { provider: "aws", region: "us-west-2" },
      sizeGiB: 300,
      dailyChangeGiB: 3,
      rpoHours: 12,
      lockRetention: false,
      dataSyncAgentArn: AGENT,
      encryption: { kmsKeyId: AWS_KEY },
      notification: { email: "media@example.com" },
    },
  },
  {
    name: "Blob -> S3 (agentless), immutable + locked, notification, prefix, rpo 1",
    component: "media",
    args: {
      source: { provider: "azure", region: "westus2", storageAccount: "acmemedia", container: "photos", resourceGroupName: "media-rg", prefix: "2026/" },
      destination: { provider: "aws", region: "us-west-2" },
      sizeGiB: 300,
      dailyChangeGiB: 3,
      rpoHours: 1,
      immutable: true,
      lockRetention: true,
      notification: { email: "media@example.com" },
    },
  },
  {
    name: "Blob -> S3 (agentless), plain, tags, long name",
    component: LONG,
    args: {
      source: { provider: "azure", region: "westus2", storageAccount: "acmemedia", container: "photos", resourceGroupName: "media-rg" },
      destination: { provider: "aws", region: "us-west-2" },
      sizeGiB: 300,
      dailyChangeGiB: 3,
      tags: { team: "media", "cost-center": "cc-7" },
    },
  },
  {
    name: "Blob -> S3 (agent), immutable, archive 3650, rpo 168",
    component: "media",
    args: {
      source: { provider: "azure", region: "westus2", storageAccount: "acmemedia", container: "photos", resourceGroupName: "media-rg", sasExpiresOn: FUTURE_DATE },
      destination: { provider: "aws", region: "us-west-2" },
      sizeGiB: 300,
      dailyChangeGiB: 3,
      rpoHours: 168,
      immutable: true,
      archiveAfterDays: 3650,
      dataSyncAgentArn: AGENT,
    },
  },
];

// ---------------------------------------------------------------------------------------------
// The recorded graph

interface Graph {
  resources: Recorded[];
  ofType(type: string): Recorded[];
  /** The engine's stored state of a resource (secret markers included), when known. */
  state(r: Recorded): Record<string, any> | undefined;
}

function graphOf(resources: Recorded[], engine?: MockEngine): Graph {
  return {
    resources,
    ofType: (type) => resources.filter((r) => r.type === type),
    state: (r) => engine?.monitorState(r.name),
  };
}

interface Deployed {
  scenario: Scenario;
  graph: Graph;
}

const deployed = new Map<string, Deployed>();

beforeAll(async () => {
  // One after another: Pulumi's mocks are process-global.
  for (const scenario of SCENARIOS) {
    const { engine } = await deploy(scenario.component, scenario.args);
    deployed.set(scenario.name, { scenario, graph: graphOf(engine.resources.filter((r) => r.type !== "pulumi-multicloud:index:CrossCloudBackup" && r.name !== scenario.component), engine) });
  }
}, 120_000);

// ---------------------------------------------------------------------------------------------
// Helpers

interface Rule {
  name: string;
  url: string;
  /** Resource types the rule applies to; absent = every recorded resource. */
  types?: readonly string[];
  check(r: Recorded, g: Graph): string | undefined;
}

const problems = (list: (string | false | undefined)[]) => list.filter((p): p is string => typeof p === "string").join("; ") || undefined;
/** A recorded input, read through secret markers. */
const at = (r: Recorded, ...path: Array<string | number>): any => {
  let current: any = r.inputs;
  for (const key of path) current = unwrap(current)?.[key];
  return unwrap(current);
};
const json = (text: unknown): any => (typeof text === "string" ? JSON.parse(text) : undefined);
const tagMap = (r: Recorded): Record<string, string> => (unwrap(r.inputs.tags) ?? {}) as Record<string, string>;
const isIpv4 = (s: string) => /^\d{1,3}(\.\d{1,3}){3}$/.test(s);
/** Under the mocks a DataSync location's ARN ends in `location/loc-<logical name>`. */
const locationByArn = (g: Graph, arn: unknown) =>
  g.resources.find((r) => (r.type.startsWith("aws:datasync/") || r.type === T.cfnStack) && r.type !== T.dsTask && typeof arn === "string" && arn.endsWith(`:location/loc-${r.name}`));
/** The properties of the AWS::DataSync::LocationAzureBlob a CloudFormation stack declares, if any. */
const cfnAzureBlob = (r: Recorded | undefined): Record<string, any> | undefined =>
  r?.type === T.cfnStack ? (Object.values(json(r.inputs.templateBody)?.Resources ?? {}) as any[]).find((x) => x.Type === "AWS::DataSync::LocationAzureBlob")?.Properties : undefined;
/** Agents of a DataSync source location (a provider resource or a CloudFormation one). */
const agentsOf = (source: Recorded | undefined): unknown[] => (source?.type === T.cfnStack ? (cfnAzureBlob(source)?.AgentArns ?? []) : source ? (at(source, "agentArns") ?? []) : []);
/** The SAS token an Azure Blob source location reads with. */
const sasOf = (source: Recorded | undefined): string | undefined =>
  source?.type === T.dsAzureBlob ? at(source, "sasConfiguration", "token") : source?.type === T.cfnStack ? at(source, "parameters")?.SasToken : undefined;
const isAzureSource = (source: Recorded | undefined) => source?.type === T.dsAzureBlob || cfnAzureBlob(source) !== undefined;
const dependsOnName = (r: Recorded, name: string) => (r.options?.dependsOn ?? []).includes(name);
/**
 * Actions of the built-in roles a rule needs to know. Reader: `*\/read`
 * (https://learn.microsoft.com/en-us/azure/role-based-access-control/built-in-roles/general#reader).
 */
const BUILT_IN_ROLE_ACTIONS: Record<string, string[]> = { "acdd72a7-3385-48ef-bd42-f606fba81ae7": ["*/read"] };
/**
 * Azure RBAC action matching: `*` matches any characters
 * (https://learn.microsoft.com/en-us/azure/role-based-access-control/role-definitions#actions-format);
 * compared without case, as Azure's own pages spell operations both ways (queryPipelineRuns, querypipelineruns).
 */
const escapeRegExp = (text: string) => text.replace(/[.+?^${}()|[\]\\/]/g, "\\$&");
const actionMatches = (pattern: string, action: string) => new RegExp("^" + pattern.split("*").map(escapeRegExp).join(".*") + "$", "i").test(action);
/** Whether a role assignment's role (one of the stack's custom roles, or a known built-in) grants `action`. */
function roleGrants(g: Graph, assignment: Recorded, action: string): boolean {
  const id = String(assignment.inputs.roleDefinitionId ?? "").split("/").pop() ?? "";
  const custom = g.ofType(T.roleDefinition).find((d) => d.inputs.roleDefinitionId === id);
  const actions: string[] = custom ? ((custom.inputs.permissions ?? []) as any[]).flatMap((p) => p.actions ?? []) : (BUILT_IN_ROLE_ACTIONS[id] ?? []);
  const denied: string[] = custom ? ((custom.inputs.permissions ?? []) as any[]).flatMap((p) => p.notActions ?? []) : [];
  return actions.some((a) => actionMatches(a, action)) && !denied.some((a) => actionMatches(a, action));
}
const roleByArn = (g: Graph, arn: unknown) => g.ofType(T.iamRole).find((r) => typeof arn === "string" && arn.endsWith(`:role/${r.inputs.name}`));
const versioningOf = (g: Graph, bucketId: unknown) => g.ofType(T.s3Versioning).find((v) => v.inputs.bucket === bucketId);
const secret = (r: Recorded, ...path: Array<string | number>) => isSecretAt(r.inputs, ...path);

// ---------------------------------------------------------------------------------------------
// AWS rules

const S3_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const AWS_TAGGED = [T.s3Bucket, T.iamRole, T.iamUser, T.dsTask, T.dsS3, T.dsObjectStorage, T.dsAzureBlob, T.snsTopic, T.eventRule, T.cfnStack];
const ENUM = (value: unknown, allowed: readonly string[]) => value === undefined || allowed.includes(value as string);

/** `rate(1 hour)` / `rate(N hours)` (N > 1), minutes or days likewise, as hours; undefined when malformed. */
function rateHours(expression: unknown): number | undefined {
  const m = typeof expression === "string" ? /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression) : null;
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = m[2]!;
  // "If the value is equal to 1, then the unit must be singular ... greater than 1, plural."
  if (n < 1 || (n === 1) !== !unit.endsWith("s")) return undefined;
  return unit.startsWith("minute") ? n / 60 : unit.startsWith("hour") ? n : n * 24;
}

const AWS_RULES: Rule[] = [
  {
    name: "S3 bucket name: 3-63 of [a-z0-9.-], letter/digit at both ends, no '..', not an IP, no reserved prefix or suffix",
    url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html",
    types: [T.s3Bucket],
    check: (r) => {
      const n = String(r.inputs.bucket ?? "");
      return problems([
        !S3_NAME.test(n) && `bucket name ${JSON.stringify(n)}`,
        n.includes("..") && "two adjacent periods",
        isIpv4(n) && "formatted as an IP address",
        /^(xn--|sthree-|amzn-s3-demo-)/.test(n) && "reserved prefix",
        /(-s3alias|--ol-s3|\.mrap|--x-s3)$/.test(n) && "reserved suffix",
      ]);
    },
  },
  {
    name: "S3 Block Public Access: the bucket has a public access block with all four settings true",
    url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html",
    types: [T.s3Bucket, T.s3PublicAccess],
    check: (r, g) => {
      if (r.type === T.s3PublicAccess) {
        const off = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"].filter((k) => r.inputs[k] !== true);
        return off.length ? `not blocked: ${off.join(", ")}` : undefined;
      }
      return g.ofType(T.s3PublicAccess).some((p) => p.inputs.bucket === r.inputs.bucket) ? undefined : "no public access block on the bucket";
    },
  },
  {
    name: "S3 versioning: the backup bucket has versioning Enabled (replaced and deleted objects stay as noncurrent versions)",
    url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html",
    types: [T.s3Bucket],
    check: (r, g) => {
      const status = versioningOf(g, r.inputs.bucket)?.inputs.versioningConfiguration?.status;
      return status === "Enabled" ? undefined : `versioning ${status ?? "not configured"}`;
    },
  },
  {
    name: "S3 Object Lock: enabled at bucket creation, needs versioning Enabled; a lock configuration only on an Object Lock bucket",
    // "Before you lock any objects, you must enable S3 Versioning and Object Lock on a general purpose bucket."
    url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-configure.html",
    types: [T.s3Bucket, T.s3ObjectLock],
    check: (r, g) => {
      if (r.type === T.s3ObjectLock) {
        const bucket = g.ofType(T.s3Bucket).find((b) => b.inputs.bucket === r.inputs.bucket);
        return problems([
          bucket?.inputs.objectLockEnabled !== true && "lock configuration on a bucket created without objectLockEnabled",
          versioningOf(g, r.inputs.bucket)?.inputs.versioningConfiguration?.status !== "Enabled" && "lock configuration without versioning Enabled",
        ]);
      }
      if (r.inputs.objectLockEnabled !== true) return undefined;
      return versioningOf(g, r.inputs.bucket)?.inputs.versioningConfiguration?.status === "Enabled" ? undefined : "Object Lock bucket without versioning Enabled";
    },
  },
  {
    name: "S3 Object Lock default retention: a mode (GOVERNANCE or COMPLIANCE) and a period (Days or Years, not both, positive)",
    url: "https://docs.aws.amazon.com/AmazonS3/latest/API/API_DefaultRetention.html",
    types: [T.s3ObjectLock],
    check: (r) => {
      const d = at(r, "rule", "defaultRetention") ?? {};
      const period = [d.days, d.years].filter((v) => v !== undefined);
      return problems([
        !["GOVERNANCE", "COMPLIANCE"].includes(d.mode) && `mode ${d.mode}`,
        period.length !== 1 && "exactly one of days or years",
        period.some((v) => !(Number.isInteger(v) && v > 0)) && `period ${period.join(",")}`,
      ]);
    },
  },
  {
    name: "AWS tags: at most 50, key 1-128, value at most 256, no aws: prefix on keys or values",
    url: "https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html#tag-conventions",
    types: AWS_TAGGED,
    check: (r) => {
      const tags = tagMap(r);
      return problems([
        Object.keys(tags).length > 50 && `${Object.keys(tags).length} tags`,
        ...Object.entries(tags).map(([k, v]) => (k.length < 1 || k.length > 128 || String(v).length > 256 || /^aws:/i.test(k) || /^aws:/i.test(String(v))) && `tag ${k}`),
      ]);
    },
  },
  {
    name: "IAM role / user: name 1-64 of [\\w+=,.@-]; role description at most 1000 Latin-1 characters; maxSessionDuration 3600-43200",
    url: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html",
    types: [T.iamRole, T.iamUser],
    check: (r) => {
      const name = String(r.inputs.name ?? "");
      const d = r.inputs.description;
      const session = r.inputs.maxSessionDuration;
      return problems([
        !/^[\w+=,.@-]{1,64}$/.test(name) && `name ${JSON.stringify(name)} (${name.length} characters)`,
        d !== undefined && !(typeof d === "string" && d.length <= 1000 && /^[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*$/.test(d)) && "description",
        session !== undefined && !(Number.isInteger(session) && session >= 3600 && session <= 43200) && `maxSessionDuration ${session}`,
      ]);
    },
  },
  {
    name: "DataSync task name: at most 256 of [a-zA-Z0-9\\s+=._:@/-]",
    url: "https://docs.aws.amazon.com/datasync/latest/userguide/API_CreateTask.html",
    types: [T.dsTask],
    check: (r) => {
      const n = r.inputs.name;
      return n === undefined || (typeof n === "string" && n.length <= 256 && /^[a-zA-Z0-9\s+=._:@/-]+$/.test(n)) ? undefined : `name ${JSON.stringify(n)}`;
    },
  },
  {
    name: "DataSync options: documented values; PreserveDeletedFiles REMOVE is invalid with TransferMode ALL",
    url: "https://docs.aws.amazon.com/datasync/latest/userguide/API_Options.html",
    types: [T.dsTask],
    check: (r) => {
      const o = at(r, "options") ?? {};
      return problems([
        !ENUM(o.verifyMode, ["POINT_IN_TIME_CONSISTENT", "ONLY_FILES_TRANSFERRED", "NONE"]) && `verifyMode ${o.verifyMode}`,
        !ENUM(o.transferMode, ["CHANGED", "ALL"]) && `transferMode ${o.transferMode}`,
        !ENUM(o.preserveDeletedFiles, ["PRESERVE", "REMOVE"]) && `preserveDeletedFiles ${o.preserveDeletedFiles}`,
        !ENUM(o.overwriteMode, ["ALWAYS", "NEVER"]) && `overwriteMode ${o.overwriteMode}`,
        !ENUM(o.objectTags, ["PRESERVE", "NONE"]) && `objectTags ${o.objectTags}`,
        !ENUM(r.inputs.taskMode, ["BASIC", "ENHANCED"]) && `taskMode ${r.inputs.taskMode}`,
        o.preserveDeletedFiles === "REMOVE" && o.transferMode === "ALL" && "REMOVE with transferMode ALL",
      ]);
    },
  },
  {
    name: "DataSync backup options: verify ONLY_FILES_TRANSFERRED with transferMode CHANGED, PreserveDeletedFiles PRESERVE (never delete in the destination), overwrite ALWAYS only into a versioned bucket",
    // VerifyMode POINT_IN_TIME_CONSISTENT "isn't currently supported with Enhanced mode tasks ... You can't use this option when transferring to S3 Glacier Flexible Retrieval or S3 Glacier Deep Archive";
    // PreserveDeletedFiles REMOVE deletes destination files absent from the source.
    url: "https://docs.aws.amazon.com/datasync/latest/userguide/API_Options.html",
    types: [T.dsTask],
    check: (r, g) => {
      const o = at(r, "options") ?? {};
      const dest = locationByArn(g, r.inputs.destinationLocationArn);
      const bucket = dest && g.ofType(T.s3Bucket).find((b) => `arn:aws:s3:::${b.inputs.bucket}` === dest.inputs.s3BucketArn);
      return problems([
        o.verifyMode !== "ONLY_FILES_TRANSFERRED" && `verifyMode ${o.verifyMode}`,
        o.transferMode !== "CHANGED" && `transferMode ${o.transferMode}`,
        o.preserveDeletedFiles !== "PRESERVE" && `preserveDeletedFiles ${o.preserveDeletedFiles}`,
        (o.overwriteMode ?? "ALWAYS") === "ALWAYS" && !(bucket && versioningOf(g, bucket.inputs.bucket)?.inputs.versioningConfiguration?.status === "Enabled") && "overwrites into a bucket without versioning",
      ]);
    },
  },
  {
    name: "DataSync task mode: ENHANCED exactly when the source is agentless (an agent location needs BASIC; Azure Blob or another cloud without an agent only in ENHANCED)",
    // "Enhanced mode is currently available for transfers between Amazon S3 locations, transfers between Azure Blob and Amazon S3 without an agent, and transfers between other clouds and Amazon S3 without an agent."
    // Other clouds: "An agent is only required to access storage in other clouds when using Basic mode tasks. Enhanced mode
    // tasks do not require an agent" (https://docs.aws.amazon.com/datasync/latest/userguide/third-party-cloud-transfer-considerations.html).
    url: "https://docs.aws.amazon.com/datasync/latest/userguide/choosing-task-mode.html",
    types: [T.dsTask],
    check: (r, g) => {
      const source = locationByArn(g, r.inputs.sourceLocationArn);
      const agents = agentsOf(source);
      const enhanced = r.inputs.taskMode === "ENHANCED";
      const agentlessCrossCloud = source !== undefined && agents.length === 0 && (isAzureSource(source) || source.type === T.dsObjectStorage);
      return problems([
        enhanced && source !== undefined && agents.length > 0 && "ENHANCED with an agent location",
        !enhanced && agentlessCrossCloud && "an agentless Azure Blob or other-cloud location outside ENHANCED (Basic mode needs an agent)",
        enhanced && at(r, "options", "verifyMode") === "POINT_IN_TIME_CONSISTENT" && "POINT_IN_TIME_CONSISTENT in ENHANCED",
      ]);
    },
  },
  {
    name: "DataSync from Google Cloud Storage: ObjectTags NONE (DataSync reads GCS through the S3 API, and copying object tags from it may fail the task)",
    // "Because DataSync communicates with Google Cloud Storage by using the Amazon S3 API, there's a limitation that might cause
    // your DataSync transfer to fail if you try to copy object tags ... To prevent this, deselect the Copy object tags option."
    url: "https://docs.aws.amazon.com/datasync/latest/userguide/troubleshooting-tasks.html#troubleshoot-object-tags-google-cloud-storage",
    types: [T.dsTask],
    check: (r, g) => {
      const source = locationByArn(g, r.inputs.sourceLocationArn);
      if (source?.inputs.serverHostname !== "storage.googleapis.com") return undefined;
      const tags = at(r, "options", "objectTags") ?? "PRESERVE";
      return tags === "NONE" ? undefined : `ObjectTags ${tags}${at(r, "options", "objectTags") === undefined ? " (the default)" : ""} from GCS`;
    },
  },
  {
    name: "DataSync schedule: a valid rate() expression (singular unit for 1), at most 256 characters, at least 1 hour apart",
    // TaskSchedule: "Configures your DataSync task to run on a schedule (at a minimum interval of 1 hour)."
    // Rate syntax: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html#eb-rate-expressions
    url: "https://docs.aws.amazon.com/datasync/latest/userguide/API_TaskSchedule.html",
    types: [T.dsTask],
    check: (r) => {
      const e = at(r, "schedule", "scheduleExpression");
      if (e === undefined) return undefined;
      const hours = rateHours(e);
      return problems([hours === undefined && `expression ${JSON.stringify(e)}`, hours !== undefined && hours < 1 && `every ${hours} hours`, String(e).length > 256 && "longer than 256"]);
    },
  },
  {
    name: "DataSync task references: source and destination ARNs are locations this stack registers; the S3 location points at the bucket with a role",
    url: "https://docs.aws.amazon.com/datasync/latest/userguide/API_CreateLocationS3.html",
    types: [T.dsTask, T.dsS3],
    check: (r, g) => {
      if (r.type === T.dsTask) {
        return problems([!locationByArn(g, r.inputs.sourceLocationArn) && "unknown source location", !locationByArn(g, r.inputs.destinationLocationArn) && "unknown destination location"]);
      }
      return problems([
        !g.ofType(T.s3Bucket).some((b) => `arn:aws:s3:::${b.inputs.bucket}` === r.inputs.s3BucketArn) && `s3BucketArn ${r.inputs.s3BucketArn}`,
        !roleByArn(g, at(r, "s3Config", "bucketAccessRoleArn")) && "bucketAccessRoleArn is no role of the stack",
        !String(r.inputs.subdirectory ?? "/").startsWith("/") && `subdirectory ${r.inputs.subdirectory}`,
      ]);
    },
  },
  {
    name: "DataSync Azure Blob location: container URL https://<account>.blob.core.windows.net/<container>, SAS authentication with a token, agents listed",
    url: "https://docs.aws.amazon.com/datasync/latest/userguide/API_CreateLocationAzureBlob.html",
    types: [T.dsAzureBlob],
    check: (r) =>
      problems([
        !/^https:\/\/[a-z0-9]{3,24}\.blob\.core\.windows\.net\/[a-z0-9-]{3,63}$/.test(String(r.inputs.containerUrl)) && `containerUrl ${r.inputs.containerUrl}`,
        r.inputs.authenticationType !== "SAS" && `authenticationType ${r.inputs.authenticationType}`,
        !at(r, "sasConfiguration", "token") && "no SAS token",
        !((at(r, "agentArns") ?? []) as unknown[]).length && "no agent",
      ]),
  },
  {
    name: "DataSync agentless Azure Blob location (AWS::DataSync::LocationAzureBlob): https://<account>.blob.core.windows.net/<container>, SAS authentication from a NoEcho parameter, no AgentArns, its ARN output through Fn::GetAtt LocationArn",
    // AgentArns: "(Optional) ... If you are setting up an agentless cross-cloud transfer, you do not need to specify a value
    // for this parameter." Return values: Fn::GetAtt LocationArn, LocationUri. (The API says the same of AgentArns:
    // https://docs.aws.amazon.com/datasync/latest/userguide/API_CreateLocationAzureBlob.html.)
    url: "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-datasync-locationazureblob.html",
    types: [T.cfnStack],
    check: (r) => {
      const p = cfnAzureBlob(r);
      if (!p) return "no AWS::DataSync::LocationAzureBlob in the template";
      const template = json(r.inputs.templateBody);
      const ref = p.AzureBlobSasConfiguration?.AzureBlobSasToken?.Ref;
      return problems([
        !/^https:\/\/[a-z0-9]{3,24}\.blob\.core\.windows\.net\/[a-z0-9-]{3,63}$/.test(String(p.AzureBlobContainerUrl)) && `AzureBlobContainerUrl ${p.AzureBlobContainerUrl}`,
        p.AzureBlobAuthenticationType !== "SAS" && `AzureBlobAuthenticationType ${p.AzureBlobAuthenticationType}`,
        !(typeof ref === "string" && template.Parameters?.[ref]?.NoEcho === true) && "SAS token not from a NoEcho parameter",
        p.AgentArns !== undefined && "AgentArns on an agentless location",
        !Object.values(template.Outputs ?? {}).some((o: any) => {
          const [logical, attribute] = (o?.Value?.["Fn::GetAtt"] ?? []) as string[];
          return template.Resources?.[logical!]?.Type === "AWS::DataSync::LocationAzureBlob" && attribute === "LocationArn";
        }) && "no output of the location's LocationArn (Fn::GetAtt)",
        !String(p.Subdirectory ?? "/").startsWith("/") && `Subdirectory ${p.Subdirectory}`,
        !at(r, "parameters")?.[ref] && "no value for the SAS parameter",
      ]);
    },
  },
  {
    name: "CloudFormation stack name: 1-128 characters, a letter then letters, digits and '-'",
    url: "https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStack.html",
    types: [T.cfnStack],
    check: (r) => (/^[A-Za-z][-A-Za-z0-9]{0,127}$/.test(String(r.inputs.name)) ? undefined : `name ${r.inputs.name}`),
  },
  {
    name: "DataSync from Azure Blob: ObjectTags NONE unless the SAS grants t (Tags: reading blob index tags); the backup's SAS grants read and list only",
    url: "https://learn.microsoft.com/en-us/rest/api/storageservices/create-service-sas#permissions-for-a-directory-container-or-blob",
    types: [T.dsTask],
    check: (r, g) => {
      const source = locationByArn(g, r.inputs.sourceLocationArn);
      if (!isAzureSource(source)) return undefined;
      const sas = sasOf(source);
      const permissions = typeof sas === "string" ? (new URLSearchParams(sas).get("sp") ?? "") : "";
      return problems([
        (at(r, "options", "objectTags") ?? "PRESERVE") !== "NONE" && !permissions.includes("t") && `ObjectTags ${at(r, "options", "objectTags") ?? "PRESERVE (default)"} with a SAS granting only "${permissions}"`,
        /[wdacu]/.test(permissions) && `the source SAS grants more than reading: "${permissions}"`,
      ]);
    },
  },
  {
    name: "S3 source read grant: GetObject on SSE-KMS objects needs kms:Decrypt, allowed only through S3 (kms:ViaService) for the source's objects (encryption context)",
    url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html",
    types: [T.rolePolicy, T.userPolicy],
    check: (r, g) => {
      const statements = (json(r.inputs.policy)?.Statement ?? []) as any[];
      const ours = g.ofType(T.s3Bucket).map((b) => `arn:aws:s3:::${b.inputs.bucket}/`);
      const readsSource = statements.some((s) => [s.Action].flat().includes("s3:GetObject") && ![s.Resource].flat().every((res: string) => ours.some((o) => String(res).startsWith(o))));
      if (!readsSource) return undefined;
      const decrypt = statements.find((s) => [s.Action].flat().includes("kms:Decrypt"));
      if (!decrypt) return "reads an S3 source but cannot decrypt SSE-KMS objects";
      return problems([
        !/^s3\.[a-z0-9-]+\.amazonaws\.com$/.test(String(decrypt.Condition?.StringEquals?.["kms:ViaService"])) && "kms:Decrypt not limited to use through S3 (kms:ViaService)",
        !decrypt.Condition?.StringLike?.["kms:EncryptionContext:aws:s3:arn"] && "kms:Decrypt not limited to the source's objects (kms:EncryptionContext:aws:s3:arn)",
        [decrypt.Action].flat().some((a: string) => a !== "kms:Decrypt") && "more KMS actions than kms:Decrypt",
      ]);
    },
  },
  {
    name: "long-lived credentials rotate: IAM access keys and HMAC keys are replaced every rotation period (create-before-delete), not kept forever",
    url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#rotate-credentials",
    types: [T.accessKey, T.hmacKey],
    check: (r) => {
      const trigger = r.options?.replacementTrigger;
      return typeof trigger === "string" && !Number.isNaN(Date.parse(trigger)) ? undefined : "no rotation (replacementTrigger) on a long-lived key";
    },
  },
  {
    name: "ordering: the Object Lock configuration registers after versioning is Enabled on its bucket",
    // "Before you lock any objects, you must enable S3 Versioning and Object Lock on a general purpose bucket."
    url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-configure.html",
    types: [T.s3ObjectLock],
    check: (r, g) => {
      const versioning = versioningOf(g, r.inputs.bucket);
      return versioning && dependsOnName(r, versioning.name) ? undefined : "not ordered after the bucket's versioning";
    },
  },
  {
    name: "SNS topic name: 1-256 ASCII letters, digits, '_' and '-'",
    url: "https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html",
    types: [T.snsTopic],
    check: (r) => (/^[A-Za-z0-9_-]{1,256}$/.test(String(r.inputs.name)) ? undefined : `name ${r.inputs.name}`),
  },
  {
    name: "EventBridge rule name: 1-64 of [.\\-_A-Za-z0-9]",
    url: "https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html",
    types: [T.eventRule],
    check: (r) => (/^[.\-_A-Za-z0-9]{1,64}$/.test(String(r.inputs.name)) ? undefined : `name ${r.inputs.name} (${String(r.inputs.name).length} characters)`),
  },
  {
    name: "secrets: the DataSync source credentials (HMAC secret, SAS token) are Pulumi secrets in inputs and state",
    url: "https://www.pulumi.com/docs/iac/concepts/secrets/",
    types: [T.dsObjectStorage, T.dsAzureBlob, T.cfnStack],
    check: (r, g) => {
      const path = r.type === T.dsObjectStorage ? ["secretKey"] : r.type === T.cfnStack ? ["parameters"] : ["sasConfiguration", "token"];
      const state = g.state(r);
      return problems([!secret(r, ...path) && `${path.join(".")} not secret in inputs`, state !== undefined && !isSecretAt(state, ...path) && `${path.join(".")} not secret in state`]);
    },
  },
  {
    name: "secrets: issued credentials (IAM access key secret, HMAC key secret) are held as secrets in the engine's state",
    url: "https://www.pulumi.com/docs/iac/concepts/secrets/",
    types: [T.accessKey, T.hmacKey],
    check: (r, g) => {
      const state = g.state(r);
      if (state === undefined) return "no stored state";
      return isSecretAt(state, "secret") ? undefined : "secret output not secret in state";
    },
  },
];

// ---------------------------------------------------------------------------------------------
// GCP rules

const GCP_LABEL_KEY = /^[a-z][a-z0-9_-]{0,62}$/;
const GCP_LABEL_VALUE = /^[a-z0-9_-]{0,63}$/;
const PATH_OK = (p: unknown) => p === undefined || p === "" || (typeof p === "string" && p.endsWith("/") && !p.startsWith("/"));
const STS_SOURCES = ["awsS3DataSource", "azureBlobStorageDataSource", "gcsDataSource", "httpDataSource", "posixDataSource", "awsS3CompatibleDataSource", "hdfsDataSource"];
const STS_SINKS = ["gcsDataSink", "posixDataSink"];

const GCP_RULES: Rule[] = [
  {
    name: "GCS bucket name: 3-63 of [a-z0-9_.-], letter/digit at both ends, not an IP, no 'goog' prefix, no 'google'",
    url: "https://cloud.google.com/storage/docs/buckets#naming",
    types: [T.gcsBucket],
    check: (r) => {
      const n = String(r.inputs.name ?? "");
      return problems([
        !/^[a-z0-9][a-z0-9_.-]{1,61}[a-z0-9]$/.test(n) && `bucket name ${JSON.stringify(n)}`,
        isIpv4(n) && "an IP address",
        n.startsWith("goog") && "goog prefix",
        /g[o0]{2}gle/.test(n) && "contains google",
      ]);
    },
  },
  {
    name: "GCS bucket: uniform bucket-level access on, public access prevention enforced",
    url: "https://cloud.google.com/storage/docs/public-access-prevention",
    types: [T.gcsBucket],
    check: (r) => problems([r.inputs.uniformBucketLevelAccess !== true && "uniform bucket-level access off", r.inputs.publicAccessPrevention !== "enforced" && `publicAccessPrevention ${r.inputs.publicAccessPrevention}`]),
  },
  {
    name: "GCS bucket: Object Versioning and a retention policy are mutually exclusive; the backup keeps history with versioning (a retention policy would refuse every changed object younger than it)",
    // "You cannot use Object Versioning and a retention policy on the same bucket" (bucket-lock); an object under a
    // retention policy "cannot be deleted or replaced" until it is old enough.
    url: "https://cloud.google.com/storage/docs/bucket-lock",
    types: [T.gcsBucket],
    check: (r) => {
      const versioned = at(r, "versioning", "enabled") === true;
      const retained = r.inputs.retentionPolicy !== undefined;
      const expiresNoncurrent = ((at(r, "lifecycleRules") ?? []) as any[]).some((l) => l.action?.type === "Delete" && l.condition?.daysSinceNoncurrentTime !== undefined);
      return problems([
        versioned && retained && "versioning together with a retention policy",
        !versioned && "no versioning: a replaced object's previous content is lost",
        versioned && !expiresNoncurrent && "noncurrent versions are never deleted (no daysSinceNoncurrentTime Delete rule)",
      ]);
    },
  },
  {
    name: "GCS soft delete: retentionDurationSeconds 0 (off) or 604,800-7,776,000 (7 to 90 days)",
    // "The value must be in between 604800(7 days) and 7776000(90 days) ... To disable the soft delete policy on a bucket,
    // This field must be set to 0" (the provider's BucketSoftDeletePolicy, from the JSON API's softDeletePolicy).
    url: "https://cloud.google.com/storage/docs/soft-delete",
    types: [T.gcsBucket],
    check: (r) => {
      const d = at(r, "softDeletePolicy", "retentionDurationSeconds");
      return d === undefined || d === 0 || (Number.isInteger(d) && d >= 604_800 && d <= 7_776_000) ? undefined : `retentionDurationSeconds ${d}`;
    },
  },
  {
    name: "GCS retention policy: retentionPeriod in seconds, greater than 0 and less than 3,155,760,000",
    url: "https://cloud.google.com/storage/docs/json_api/v1/buckets#resource",
    types: [T.gcsBucket],
    check: (r) => {
      const p = at(r, "retentionPolicy", "retentionPeriod");
      if (p === undefined) return undefined;
      const n = Number(p);
      return Number.isInteger(n) && n > 0 && n < 3_155_760_000 ? undefined : `retentionPeriod ${p}`;
    },
  },
  {
    name: "GCP labels: at most 64, key 1-63 starting with a lower-case letter, value at most 63, only [a-z0-9_-]",
    url: "https://cloud.google.com/resource-manager/docs/creating-managing-labels#requirements",
    types: [T.gcsBucket, T.channel, T.alertPolicy],
    check: (r) => {
      const labels = (at(r, r.type === T.gcsBucket ? "labels" : "userLabels") ?? {}) as Record<string, string>;
      return problems([
        Object.keys(labels).length > 64 && `${Object.keys(labels).length} labels`,
        ...Object.entries(labels).map(([k, v]) => (!GCP_LABEL_KEY.test(k) || !GCP_LABEL_VALUE.test(String(v))) && `label ${k}=${v}`),
      ]);
    },
  },
  {
    name: "service account id: 6-30 characters matching [a-z]([-a-z0-9]*[a-z0-9])",
    url: "https://cloud.google.com/iam/docs/reference/rest/v1/projects.serviceAccounts/create",
    types: [T.serviceAccount],
    check: (r) => {
      const id = String(r.inputs.accountId ?? "");
      return /^[a-z]([-a-z0-9]*[a-z0-9])$/.test(id) && id.length >= 6 && id.length <= 30 ? undefined : `accountId ${JSON.stringify(id)} (${id.length} characters)`;
    },
  },
  {
    name: "Storage Transfer schedule: scheduleStartDate is required and a calendar date; repeatInterval may not be less than 1 hour",
    url: "https://cloud.google.com/storage-transfer/docs/reference/rest/v1/transferJobs#Schedule",
    types: [T.transferJob],
    check: (r) => {
      const s = at(r, "schedule") ?? {};
      const d = s.scheduleStartDate ?? {};
      const date = new Date(Date.UTC(d.year, d.month - 1, d.day));
      const validDate = Number.isInteger(d.year) && Number.isInteger(d.month) && Number.isInteger(d.day) && date.getUTCMonth() === d.month - 1 && date.getUTCDate() === d.day;
      const m = typeof s.repeatInterval === "string" ? /^(\d+(?:\.\d{1,9})?)s$/.exec(s.repeatInterval) : null;
      return problems([
        !s.scheduleStartDate && "no scheduleStartDate",
        s.scheduleStartDate && !validDate && `scheduleStartDate ${JSON.stringify(d)}`,
        s.repeatInterval !== undefined && !m && `repeatInterval ${s.repeatInterval}`,
        m && Number(m[1]) < 3600 && `repeatInterval ${s.repeatInterval} under 1 hour`,
      ]);
    },
  },
  {
    name: "Storage Transfer options: never delete (deleteObjectsUniqueInSink and deleteObjectsFromSourceAfterTransfer false; they are mutually exclusive anyway), overwriteWhen DIFFERENT or ALWAYS",
    url: "https://cloud.google.com/storage-transfer/docs/reference/rest/v1/TransferSpec#TransferOptions",
    types: [T.transferJob],
    check: (r) => {
      const o = at(r, "transferSpec", "transferOptions") ?? {};
      return problems([
        o.deleteObjectsUniqueInSink !== false && `deleteObjectsUniqueInSink ${o.deleteObjectsUniqueInSink}`,
        o.deleteObjectsFromSourceAfterTransfer === true && "deletes from the source",
        o.deleteObjectsUniqueInSink === true && o.deleteObjectsFromSourceAfterTransfer === true && "both delete options (mutually exclusive)",
        !["DIFFERENT", "ALWAYS"].includes(o.overwriteWhen) && `overwriteWhen ${o.overwriteWhen} (NEVER would leave changed objects stale)`,
      ]);
    },
  },
  {
    name: "Storage Transfer spec: exactly one data source and one sink; the sink is this stack's bucket; paths empty or ending in '/'; the copy keeps the source path",
    url: "https://cloud.google.com/storage-transfer/docs/reference/rest/v1/TransferSpec",
    types: [T.transferJob],
    check: (r, g) => {
      const spec = at(r, "transferSpec") ?? {};
      const sources = STS_SOURCES.filter((k) => spec[k] !== undefined);
      const sinks = STS_SINKS.filter((k) => spec[k] !== undefined);
      const source = sources.length === 1 ? unwrap(spec[sources[0]!]) : undefined;
      const sink = unwrap(spec.gcsDataSink);
      return problems([
        sources.length !== 1 && `${sources.length} data sources`,
        sinks.length !== 1 && `${sinks.length} sinks`,
        sink && !g.ofType(T.gcsBucket).some((b) => b.inputs.name === sink.bucketName) && `sink bucket ${sink.bucketName} is no bucket of the stack`,
        !PATH_OK(source?.path) && `source path ${source?.path}`,
        !PATH_OK(sink?.path) && `sink path ${sink?.path}`,
        (source?.path ?? "") !== (sink?.path ?? "") && `sink path ${sink?.path} is not the source path ${source?.path}`,
      ]);
    },
  },
  {
    name: "Storage Transfer from S3 by federated identity: roleArn is a role that trusts accounts.google.com for exactly the transfer service account's subject",
    url: "https://cloud.google.com/storage-transfer/docs/source-amazon-s3#federated_identity",
    types: [T.transferJob],
    check: (r, g) => {
      const s3 = at(r, "transferSpec", "awsS3DataSource");
      if (!s3) return undefined;
      if (s3.awsAccessKey) return "long-lived AWS access key";
      const role = roleByArn(g, s3.roleArn);
      if (!role) return `roleArn ${s3.roleArn} is no role of the stack`;
      const statements = (json(role.inputs.assumeRolePolicy)?.Statement ?? []) as any[];
      const ok = statements.length > 0 && statements.every((s) => s.Principal?.Federated === "accounts.google.com" && s.Action === "sts:AssumeRoleWithWebIdentity" && s.Condition?.StringEquals?.["accounts.google.com:sub"] === STS_SUBJECT);
      return ok ? undefined : "trust policy does not pin the transfer service account's subject";
    },
  },
  {
    name: "Storage Transfer from Azure Blob: storage account and container set, credentials a SAS token held as a Pulumi secret (inputs and state)",
    url: "https://cloud.google.com/storage-transfer/docs/reference/rest/v1/TransferSpec#AzureBlobStorageData",
    types: [T.transferJob],
    check: (r, g) => {
      const az = at(r, "transferSpec", "azureBlobStorageDataSource");
      if (!az) return undefined;
      const path = ["transferSpec", "azureBlobStorageDataSource", "azureCredentials"];
      const state = g.state(r);
      return problems([
        !/^[a-z0-9]{3,24}$/.test(String(az.storageAccount)) && `storageAccount ${az.storageAccount}`,
        !az.container && "no container",
        !unwrap(az.azureCredentials)?.sasToken && "no SAS token",
        !secret(r, ...path) && "azureCredentials not secret in inputs",
        state !== undefined && !isSecretAt(state, ...path) && "azureCredentials not secret in state",
      ]);
    },
  },
  {
    name: "Storage Transfer sink permissions: the transfer service account holds roles/storage.legacyBucketWriter on the sink bucket",
    url: "https://cloud.google.com/storage-transfer/docs/sink-cloud-storage",
    types: [T.transferJob],
    check: (r, g) => {
      const bucket = at(r, "transferSpec", "gcsDataSink", "bucketName");
      const ok = g.ofType(T.gcsIam).some((m) => m.inputs.bucket === bucket && m.inputs.role === "roles/storage.legacyBucketWriter" && m.inputs.member === `serviceAccount:${STS_EMAIL}`);
      return ok ? undefined : `no legacyBucketWriter for ${STS_EMAIL} on ${bucket}`;
    },
  },
  {
    name: "log-based alert policy: alertStrategy.notificationRateLimit is required; channels are this stack's e-mail channels with an email_address label",
    url: "https://cloud.google.com/monitoring/api/ref_v3/rest/v3/projects.alertPolicies#AlertStrategy",
    types: [T.alertPolicy, T.channel],
    check: (r, g) => {
      if (r.type === T.channel) return r.inputs.type === "email" && /^[^@\s]+@[^@\s]+$/.test(String(at(r, "labels", "email_address"))) ? undefined : "e-mail channel without email_address";
      const logBased = ((at(r, "conditions") ?? []) as any[]).some((c) => c.conditionMatchedLog);
      const channels = (at(r, "notificationChannels") ?? []) as string[];
      return problems([
        logBased && !at(r, "alertStrategy", "notificationRateLimit", "period") && "log-match condition without notificationRateLimit",
        ...channels.map((c) => !g.ofType(T.channel).some((ch) => c === `projects/proj/notificationChannels/${ch.name}`) && `unknown channel ${c}`),
      ]);
    },
  },
];

// ---------------------------------------------------------------------------------------------
// Azure rules

const ADF_FORBIDDEN = /[<>*#.%&:\\+?/]/;
/** Azure tag names may not contain these (tag-resources "Limitations"). */
const TAG_NAME_FORBIDDEN = /[<>%&\\?/]/;
const AZURE_TAGGED = [T.group, T.account, T.factory, T.actionGroup, T.metricAlert];

const adfRef = (r: Recorded) => r.inputs.factoryName;

const AZURE_RULES: Rule[] = [
  {
    name: "storage account name: 3-24 lower-case letters and digits",
    url: "https://learn.microsoft.com/en-us/azure/azure-resource-manager/management/resource-name-rules#microsoftstorage",
    types: [T.account],
    check: (r) => (/^[a-z0-9]{3,24}$/.test(String(r.inputs.accountName)) ? undefined : `accountName ${r.inputs.accountName}`),
  },
  {
    name: "container name: 3-63 lower-case letters, digits and '-', starting with a letter or digit, every '-' between letters or digits",
    url: "https://learn.microsoft.com/en-us/rest/api/storageservices/naming-and-referencing-containers--blobs--and-metadata#container-names",
    types: [T.container],
    check: (r) => {
      const n = String(r.inputs.containerName ?? "");
      return /^[a-z0-9](?:-?[a-z0-9])+$/.test(n) && n.length >= 3 && n.length <= 63 ? undefined : `containerName ${JSON.stringify(n)}`;
    },
  },
  {
    name: "resource group name: 1-90 letters, digits, '_', '-', '.', '(' and ')', not ending with '.'",
    url: "https://learn.microsoft.com/en-us/azure/azure-resource-manager/management/resource-name-rules#microsoftresources",
    types: [T.group],
    check: (r) => {
      const n = String(r.inputs.resourceGroupName ?? "");
      return /^[\p{L}\p{N}_\-.()]{1,90}$/u.test(n) && !n.endsWith(".") ? undefined : `resourceGroupName ${JSON.stringify(n)}`;
    },
  },
  {
    name: "Azure tags: at most 50; name at most 512 (128 on storage accounts) without < > % & \\ ? /; value at most 256",
    url: "https://learn.microsoft.com/en-us/azure/azure-resource-manager/management/tag-resources#limitations",
    types: AZURE_TAGGED,
    check: (r) => {
      const tags = tagMap(r);
      const maxName = r.type === T.account ? 128 : 512;
      return problems([
        Object.keys(tags).length > 50 && `${Object.keys(tags).length} tags`,
        ...Object.entries(tags).map(([k, v]) => (k.length < 1 || k.length > maxName || TAG_NAME_FORBIDDEN.test(k) || String(v).length > 256) && `tag ${k}`),
      ]);
    },
  },
  {
    name: "storage account: no anonymous blob access, TLS 1.2 minimum, HTTPS only; container publicAccess None",
    url: "https://learn.microsoft.com/en-us/azure/storage/blobs/anonymous-read-access-prevent",
    types: [T.account, T.container],
    check: (r) =>
      r.type === T.container
        ? r.inputs.publicAccess === "None"
          ? undefined
          : `publicAccess ${r.inputs.publicAccess}`
        : problems([r.inputs.allowBlobPublicAccess !== false && "allowBlobPublicAccess not false", r.inputs.minimumTlsVersion !== "TLS1_2" && `minimumTlsVersion ${r.inputs.minimumTlsVersion}`, r.inputs.enableHttpsTrafficOnly !== true && "HTTP allowed"]),
  },
  {
    name: "version-level immutability needs blob versioning enabled on the account",
    url: "https://learn.microsoft.com/en-us/azure/storage/blobs/immutable-version-level-worm-policies",
    types: [T.container],
    check: (r, g) => {
      if (at(r, "immutableStorageWithVersioning", "enabled") !== true) return undefined;
      const service = g.ofType(T.blobService).find((s) => s.inputs.accountName === r.inputs.accountName);
      return service?.inputs.isVersioningEnabled === true ? undefined : "immutable storage with versioning on an account without blob versioning";
    },
  },
  {
    name: "time-based retention: immutabilityPeriodSinceCreationInDays 1-146,000",
    url: "https://learn.microsoft.com/en-us/azure/storage/blobs/immutable-time-based-retention-policy-overview",
    types: [T.immutability],
    check: (r) => {
      const d = r.inputs.immutabilityPeriodSinceCreationInDays;
      return Number.isInteger(d) && d >= 1 && d <= 146_000 ? undefined : `immutabilityPeriodSinceCreationInDays ${d}`;
    },
  },
  {
    name: "blob soft delete: retention 1-365 days",
    url: "https://learn.microsoft.com/en-us/azure/storage/blobs/soft-delete-blob-overview",
    types: [T.blobService],
    check: (r) =>
      problems(
        (["deleteRetentionPolicy", "containerDeleteRetentionPolicy"] as const).map((k) => {
          const p = at(r, k);
          return p?.enabled === true && !(Number.isInteger(p.days) && p.days >= 1 && p.days <= 365) && `${k}.days ${p.days}`;
        }),
      ),
  },
  {
    name: "Data Factory name: 3-63 letters, digits and '-', starting and ending with a letter or digit, no consecutive dashes",
    url: "https://learn.microsoft.com/en-us/azure/data-factory/naming-rules",
    types: [T.factory],
    check: (r) => {
      const n = String(r.inputs.factoryName ?? "");
      return /^[A-Za-z0-9](?:-?[A-Za-z0-9])+$/.test(n) && n.length >= 3 && n.length <= 63 ? undefined : `factoryName ${JSON.stringify(n)} (${n.length} characters)`;
    },
  },
  {
    name: "Data Factory linked service / dataset names: start with a letter, no dashes, none of . + ? / < > * % & : \\",
    url: "https://learn.microsoft.com/en-us/azure/data-factory/naming-rules",
    types: [T.linkedService, T.dataset],
    check: (r) => {
      const n = String(r.inputs.linkedServiceName ?? r.inputs.datasetName ?? "");
      return /^[A-Za-z]/.test(n) && !n.includes("-") && !ADF_FORBIDDEN.test(n) && n.length <= 260 ? undefined : `name ${JSON.stringify(n)}`;
    },
  },
  {
    name: "Data Factory pipeline / trigger names: 1-260, start with a letter, digit or '_', none of < > * # . % & : \\ + ? /",
    url: "https://learn.microsoft.com/en-us/azure/azure-resource-manager/management/resource-name-rules#microsoftdatafactory",
    types: [T.pipeline, T.trigger, T.startedTrigger],
    check: (r) => {
      const n = String(r.inputs.pipelineName ?? r.inputs.triggerName ?? "");
      return /^[A-Za-z0-9_]/.test(n) && !ADF_FORBIDDEN.test(n) && n.length <= 260 ? undefined : `name ${JSON.stringify(n)}`;
    },
  },
  {
    name: "pipeline activities: names at most 55 without . + ? / < > * % & :; dependsOn, datasets and linked services resolve in the same factory",
    url: "https://learn.microsoft.com/en-us/azure/data-factory/concepts-pipelines-activities",
    types: [T.pipeline, T.dataset],
    check: (r, g) => {
      const datasets = g.ofType(T.dataset).filter((d) => adfRef(d) === adfRef(r)).map((d) => d.inputs.datasetName);
      if (r.type === T.dataset) {
        const link = at(r, "properties", "linkedServiceName");
        const links = g.ofType(T.linkedService).filter((l) => adfRef(l) === adfRef(r)).map((l) => l.inputs.linkedServiceName);
        return link?.type === "LinkedServiceReference" && links.includes(link.referenceName) ? undefined : `linked service ${link?.referenceName} not in the factory`;
      }
      const activities = (at(r, "activities") ?? []) as any[];
      const names = activities.map((a) => a.name);
      return problems(
        activities.flatMap((a) => [
          !(typeof a.name === "string" && a.name.length <= 55 && /^[A-Za-z0-9_]/.test(a.name) && !/[.+?/<>*%&:\\]/.test(a.name)) && `activity name ${a.name}`,
          ...((a.dependsOn ?? []) as any[]).map((d) => !names.includes(d.activity) && `${a.name} depends on unknown ${d.activity}`),
          ...[a.dataset, ...(a.inputs ?? []), ...(a.outputs ?? [])].filter(Boolean).map((ref: any) => (ref.type !== "DatasetReference" || !datasets.includes(ref.referenceName)) && `${a.name} references unknown dataset ${ref.referenceName}`),
        ]),
      );
    },
  },
  {
    name: "schedule trigger: frequency Minute/Hour/Day/Week/Month, interval a positive integer, a startTime, and an existing pipeline of the factory",
    url: "https://learn.microsoft.com/en-us/azure/data-factory/how-to-create-schedule-trigger#schema-overview",
    types: [T.trigger, T.startedTrigger],
    check: (r, g) => {
      const p = at(r, "properties") ?? {};
      // The ARM body nests the recurrence in typeProperties; azure-native flattens it.
      const rec = p.typeProperties?.recurrence ?? p.recurrence ?? {};
      const pipelines = g.ofType(T.pipeline).filter((x) => adfRef(x) === adfRef(r)).map((x) => x.inputs.pipelineName);
      const refs = ((p.pipelines ?? []) as any[]).map((x) => x.pipelineReference);
      return problems([
        p.type !== "ScheduleTrigger" && `type ${p.type}`,
        !["Minute", "Hour", "Day", "Week", "Month"].includes(rec.frequency) && `frequency ${rec.frequency}`,
        !(Number.isInteger(rec.interval) && rec.interval > 0) && `interval ${rec.interval}`,
        Number.isNaN(Date.parse(rec.startTime)) && `startTime ${rec.startTime}`,
        refs.length === 0 && "no pipeline",
        ...refs.map((ref) => (ref?.type !== "PipelineReference" || !pipelines.includes(ref.referenceName)) && `unknown pipeline ${ref?.referenceName}`),
      ]);
    },
  },
  {
    name: "Data Factory triggers run: every pipeline is started by a trigger that is started on create and stopped around every update (a started trigger refuses updates: TriggerEnabledCannotUpdate), registered after its pipeline",
    // Triggers are created stopped; POST .../triggers/{name}/start starts one, .../stop stops it.
    url: "https://learn.microsoft.com/en-us/rest/api/datafactory/triggers/start",
    types: [T.pipeline, T.trigger, T.startedTrigger],
    check: (r, g) => {
      if (r.type === T.trigger) return "an azure-native Trigger is created stopped and cannot be started (nothing would copy), nor updated once someone starts it";
      const refs = (t: Recorded) => (((at(t, "properties") ?? {}).pipelines ?? []) as any[]).map((x) => x.pipelineReference?.referenceName);
      if (r.type === T.pipeline) {
        return g.ofType(T.startedTrigger).some((t) => adfRef(t) === adfRef(r) && refs(t).includes(r.inputs.pipelineName)) ? undefined : "no started trigger runs this pipeline";
      }
      const pipelines = g.ofType(T.pipeline).filter((x) => adfRef(x) === adfRef(r) && refs(r).includes(x.inputs.pipelineName));
      return problems([pipelines.length === 0 && "references no pipeline of the factory", ...pipelines.map((x) => !dependsOnName(r, x.name) && `not ordered after ${x.name}`)]);
    },
  },
  {
    name: "Get Metadata: no childItems listing of a backup folder (the activity's output is capped at 4 MB, so it fails on large folders)",
    url: "https://learn.microsoft.com/en-us/azure/data-factory/control-flow-get-metadata-activity#limitations",
    types: [T.pipeline],
    check: (r) =>
      problems(((at(r, "activities") ?? []) as any[]).map((a) => a.type === "GetMetadata" && ((a.fieldList ?? []) as unknown[]).includes("childItems") && `activity ${a.name} lists childItems`)),
  },
  {
    name: "incremental copy resumes from the last successful run: the window starts at a watermark read from the factory's run history (Pipeline Runs - Query By Factory, with the factory's identity), never at trigger time minus a fixed window",
    url: "https://learn.microsoft.com/en-us/rest/api/datafactory/pipeline-runs/query-by-factory",
    types: [T.pipeline],
    check: (r, g) => {
      const activities = (at(r, "activities") ?? []) as any[];
      return problems(
        activities.flatMap((a) => {
          const start = a.source?.storeSettings?.modifiedDatetimeStart;
          if (a.type !== "Copy" || start === undefined) return [];
          const named = /activity\('([^']+)'\)/.exec(String(start))?.[1];
          const web = activities.find((x) => x.name === named);
          const url = String(web?.url ?? "");
          return [
            String(start).includes("pipeline().TriggerTime") && `${a.name}: window start computed from the trigger time`,
            !web && `${a.name}: window start reads no watermark activity`,
            web && !(web.type === "WebActivity" && web.method === "POST" && /\/factories\/[^/]+\/queryPipelineRuns\?api-version=2018-06-01$/.test(url)) && `${named} does not query the factory's pipeline runs`,
            web && !(web.authentication?.type === "MSI" && web.authentication?.resource === "https://management.azure.com/") && `${named} does not authenticate with the factory's identity to ARM`,
            web && !((a.dependsOn ?? []) as any[]).some((d) => d.activity === named && (d.dependencyConditions ?? []).includes("Succeeded")) && `${a.name} does not wait for ${named} to succeed`,
            web && !((json(web.body)?.filters ?? []) as any[]).some((f) => f.operand === "Status" && (f.values ?? []).includes("Succeeded")) && `${named} does not ask for succeeded runs only`,
          ];
        }),
      );
    },
  },
  {
    name: "S3 multipart objects: a copy from S3 by modification time reaches back before its watermark (Last-Modified of a multipart upload is when the upload began)",
    // Last-Modified: "Object creation date or the last modified date, whichever is the latest. For multipart uploads, the
    // object creation date is the date of initiation of the multipart upload."
    url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingMetadata.html#SysMetadata",
    types: [T.pipeline],
    check: (r) =>
      problems(
        ((at(r, "activities") ?? []) as any[]).map((a) => {
          const settings = a.source?.storeSettings ?? {};
          if (a.type !== "Copy" || settings.type !== "AmazonS3ReadSettings" || settings.modifiedDatetimeStart === undefined) return undefined;
          const back = /addMinutes\(.*,\s*-(\d+)\)\)?$/.exec(String(settings.modifiedDatetimeStart));
          return !(back && Number(back[1]) > 0) && `${a.name}: the window starts exactly at the watermark (no overlap for multipart uploads)`;
        }),
      ),
  },
  {
    name: "watermark permission: a pipeline that queries its factory's runs runs as an identity holding, on the factory, a role that grants Microsoft.DataFactory/factories/queryPipelineRuns/action (a POST action: the built-in Reader's read operations do not grant it)",
    // "Microsoft.DataFactory/factories/querypipelineruns/action | Queries the Pipeline Runs." An action string's `read`
    // "Enables read actions (GET)", its `action` "Enables custom actions ... (POST)" (role-definitions#actions-format).
    url: "https://learn.microsoft.com/en-us/azure/role-based-access-control/permissions/analytics#microsoftdatafactory",
    types: [T.pipeline],
    check: (r, g) => {
      const queries = ((at(r, "activities") ?? []) as any[]).some((a) => a.type === "WebActivity" && /\/queryPipelineRuns\?/.test(String(a.url ?? "")));
      if (!queries) return undefined;
      const onFactory = g.ofType(T.roleAssignment).filter((ra) => String(ra.inputs.scope ?? "").endsWith(`/factories/${adfRef(r)}`));
      return onFactory.some((ra) => roleGrants(g, ra, "Microsoft.DataFactory/factories/queryPipelineRuns/action"))
        ? undefined
        : `no role on factory ${adfRef(r)} grants queryPipelineRuns/action (${onFactory.length} assignment(s) there)`;
    },
  },
  {
    name: "Azure custom role: a GUID id, defined at one of its assignable scopes, which are subscriptions, resource groups or one management group (never the root scope '/')",
    // "You cannot set AssignableScopes to the root scope ("/")"; custom roles are assignable "at management group,
    // subscription, and resource group scopes" (a role assignment at a resource below them is allowed).
    url: "https://learn.microsoft.com/en-us/azure/role-based-access-control/custom-roles#custom-role-limits",
    types: [T.roleDefinition],
    check: (r) => {
      const scopes = (r.inputs.assignableScopes ?? []) as string[];
      return problems([
        !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(String(r.inputs.roleDefinitionId)) && `roleDefinitionId ${r.inputs.roleDefinitionId}`,
        scopes.length === 0 && "no assignable scope",
        ...scopes.map((x) => !/^(\/subscriptions\/[^/]+(\/resourceGroups\/[^/]+)?|\/providers\/Microsoft\.Management\/managementGroups\/[^/]+)$/i.test(x) && `assignable scope ${x}`),
        scopes.filter((x) => /managementGroups/i.test(x)).length > 1 && "more than one management group",
        !scopes.includes(r.inputs.scope) && `defined at ${r.inputs.scope}, outside its assignable scopes`,
        !(typeof r.inputs.roleName === "string" && r.inputs.roleName.length > 0) && "no roleName",
      ]);
    },
  },
  {
    name: "copy never deletes: no Delete activity, source deleteFilesAfterCompletion false",
    url: "https://learn.microsoft.com/en-us/azure/data-factory/connector-amazon-simple-storage-service#copy-activity-properties",
    types: [T.pipeline],
    check: (r) =>
      problems(
        ((at(r, "activities") ?? []) as any[]).map((a) =>
          (a.type === "Delete" || a.source?.storeSettings?.deleteFilesAfterCompletion === true) && `activity ${a.name} deletes`,
        ),
      ),
  },
  {
    name: "linked service secrets: the source secret access key is a SecureString whose value is a Pulumi secret (inputs and state)",
    url: "https://learn.microsoft.com/en-us/azure/data-factory/connector-amazon-simple-storage-service#linked-service-properties",
    types: [T.linkedService],
    check: (r, g) => {
      const key = at(r, "properties", "secretAccessKey");
      if (key === undefined) return undefined;
      const path = ["properties", "secretAccessKey", "value"];
      const state = g.state(r);
      return problems([key.type !== "SecureString" && `secretAccessKey type ${key.type}`, !secret(r, ...path) && "secret not secret in inputs", state !== undefined && !isSecretAt(state, ...path) && "secret not secret in state"]);
    },
  },
  {
    name: "action group: short name at most 12, name 1-260 without : < > + / & % \\ ? |, not ending in space or '.', location global",
    url: "https://learn.microsoft.com/en-us/azure/azure-monitor/alerts/resource-manager-action-groups",
    types: [T.actionGroup],
    check: (r) => {
      const n = String(r.inputs.actionGroupName ?? "");
      return problems([
        !(typeof r.inputs.groupShortName === "string" && r.inputs.groupShortName.length >= 1 && r.inputs.groupShortName.length <= 12) && `groupShortName ${r.inputs.groupShortName}`,
        (n.length < 1 || n.length > 260 || /[:<>+/&%\\?|]/.test(n) || /[ .]$/.test(n)) && `actionGroupName ${n}`,
        String(r.inputs.location).toLowerCase() !== "global" && `location ${r.inputs.location}`,
      ]);
    },
  },
  {
    name: "metric alert: name 1-260 without * # & + : < > ? @ % { } \\ / |; location global; severity 0-4; static-threshold frequency and window from the allowed sets",
    url: "https://learn.microsoft.com/en-us/azure/azure-monitor/alerts/resource-manager-alerts-metric",
    types: [T.metricAlert],
    check: (r) => {
      const n = String(r.inputs.ruleName ?? "");
      return problems([
        (n.length < 1 || n.length > 260 || /[*#&+:<>?@%{}\\/|]/.test(n) || /[ .]$/.test(n)) && `ruleName ${n}`,
        String(r.inputs.location).toLowerCase() !== "global" && `location ${r.inputs.location}`,
        ![0, 1, 2, 3, 4].includes(r.inputs.severity) && `severity ${r.inputs.severity}`,
        !["PT1M", "PT5M", "PT15M", "PT30M", "PT1H"].includes(r.inputs.evaluationFrequency) && `evaluationFrequency ${r.inputs.evaluationFrequency}`,
        !["PT1M", "PT5M", "PT15M", "PT30M", "PT1H", "PT6H", "PT12H", "PT24H"].includes(r.inputs.windowSize) && `windowSize ${r.inputs.windowSize}`,
      ]);
    },
  },
];

const RULES: Rule[] = [...AWS_RULES, ...GCP_RULES, ...AZURE_RULES];

// ---------------------------------------------------------------------------------------------
// The matrix run

describe("backup conformance: every recorded resource meets every rule that applies", () => {
  it("the matrix covers the six source -> destination pairs", () => {
    const pairs = new Set(SCENARIOS.map((s) => `${s.args.source.provider}->${s.args.destination!.provider}`));
    expect([...pairs].sort()).toEqual(["aws->azure", "aws->gcp", "azure->aws", "azure->gcp", "gcp->aws", "gcp->azure"]);
  });

  it.each(SCENARIOS.map((s) => s.name))("%s", (name) => {
    const { graph } = deployed.get(name)!;
    const failures: string[] = [];
    for (const rule of RULES) {
      for (const r of graph.resources) {
        if (rule.types && !rule.types.includes(r.type)) continue;
        const problem = rule.check(r, graph);
        if (problem) failures.push(`${rule.name} [${rule.url}]: ${r.name}: ${problem}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it.each(RULES.map((r) => r.name))("rule applies somewhere in the matrix: %s", (ruleName) => {
    const rule = RULES.find((r) => r.name === ruleName)!;
    const applied = [...deployed.values()].some(({ graph }) => graph.resources.some((r) => !rule.types || rule.types.includes(r.type)));
    expect(applied).toBe(true);
  });

  it("the engine's stored state is visible to the secret rules (they do not pass by skipping)", () => {
    const secretTypes = [T.dsObjectStorage, T.dsAzureBlob, T.cfnStack, T.transferJob, T.linkedService, T.accessKey, T.hmacKey];
    const checked = [...deployed.values()].flatMap(({ graph }) => graph.resources.filter((r) => secretTypes.includes(r.type as never)).map((r) => [r.name, graph.state(r) !== undefined] as const));
    expect(checked.length).toBeGreaterThan(0);
    expect(checked.filter(([, seen]) => !seen)).toEqual([]);
  });

  it("every rule carries a documentation URL", () => {
    for (const rule of RULES) expect(rule.url, rule.name).toMatch(/^https:\/\//);
  });
});

describe("backup conformance: the schedule is rpoHours on every cloud", () => {
  it.each(SCENARIOS.map((s) => s.name))("%s", (name) => {
    const { scenario, graph } = deployed.get(name)!;
    const rpo = scenario.args.rpoHours ?? 24;
    const hours = [
      ...graph.ofType(T.dsTask).map((t) => rateHours(at(t, "schedule", "scheduleExpression"))),
      ...graph.ofType(T.transferJob).map((j) => Number(/^(\d+)s$/.exec(String(at(j, "schedule", "repeatInterval")))?.[1]) / 3600),
      ...graph.ofType(T.startedTrigger).map((t) => {
        const rec = at(t, "properties", "typeProperties", "recurrence");
        return rec.frequency === "Hour" ? rec.interval : undefined;
      }),
    ];
    expect(hours).toEqual([rpo]);
  });
});

// ---------------------------------------------------------------------------------------------
// Each rule rejects a known-bad example

const rec = (type: string, name: string, inputs: Record<string, any>, options?: Recorded["options"]): Recorded => ({ type, name, inputs, ...(options ? { options } : {}) });
const sec = (value: unknown) => ({ [specialSigKey]: specialSecretSig, value });

const goodBucket = rec(T.s3Bucket, "b", { bucket: "mc-bk-b-12345678", objectLockEnabled: true, tags: { team: "x" } });
const goodVersioning = rec(T.s3Versioning, "v", { bucket: "mc-bk-b-12345678", versioningConfiguration: { status: "Enabled" } });
const goodRole = rec(T.iamRole, "role", { name: "mc-bk-b-12345678-datasync", assumeRolePolicy: "{}" });
const goodDest = rec(T.dsS3, "dest", { s3BucketArn: "arn:aws:s3:::mc-bk-b-12345678", s3Config: { bucketAccessRoleArn: "arn:aws:iam::123456789012:role/mc-bk-b-12345678-datasync" }, subdirectory: "/" });
const gcsSource = rec(T.dsObjectStorage, "src", { serverHostname: "storage.googleapis.com", secretKey: sec("k") });
const blobSource = rec(T.dsAzureBlob, "blob", { containerUrl: "https://acct.blob.core.windows.net/photos", authenticationType: "SAS", sasConfiguration: sec({ token: "t" }), agentArns: [AGENT] });
const task = (patch: Record<string, any>, options: Record<string, any> = {}) =>
  rec(T.dsTask, "task", {
    name: "mc-bk-b-12345678",
    taskMode: "ENHANCED",
    sourceLocationArn: "arn:aws:datasync:r:1:location/loc-src",
    destinationLocationArn: "arn:aws:datasync:r:1:location/loc-dest",
    options: { verifyMode: "ONLY_FILES_TRANSFERRED", transferMode: "CHANGED", overwriteMode: "ALWAYS", preserveDeletedFiles: "PRESERVE", objectTags: "NONE", ...options },
    schedule: { scheduleExpression: "rate(6 hours)" },
    ...patch,
  });
const cfnTemplate = (properties: Record<string, any>, outputAttribute = "LocationArn") =>
  JSON.stringify({
    Parameters: { SasToken: { Type: "String", NoEcho: true } },
    Resources: {
      Location: {
        Type: "AWS::DataSync::LocationAzureBlob",
        Properties: { AzureBlobContainerUrl: "https://acct.blob.core.windows.net/photos", AzureBlobAuthenticationType: "SAS", AzureBlobSasConfiguration: { AzureBlobSasToken: { Ref: "SasToken" } }, Subdirectory: "/", ...properties },
      },
    },
    Outputs: { LocationArn: { Value: { "Fn::GetAtt": ["Location", outputAttribute] } } },
  });
const cfnSource = (properties: Record<string, any> = {}, sas = "sv=2022-11-02&sr=c&sp=rl&sig=x") =>
  rec(T.cfnStack, "cfn", { name: "mc-bk-m-12345678-azure-source", templateBody: cfnTemplate(properties), parameters: sec({ SasToken: sas }) });
const AWS_WORLD = [goodBucket, goodVersioning, goodRole, goodDest, gcsSource, blobSource, cfnSource()];
const sourceRead = (statements: Record<string, any>[]) => rec(T.rolePolicy, "read", { role: "reader", policy: JSON.stringify({ Statement: statements }) });
const GET_SOURCE = { Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::acme-orders/exports/*" };

const gcsBucket = (patch: Record<string, any>) =>
  rec(T.gcsBucket, "gb", {
    name: "mc-bk-o-12345678",
    uniformBucketLevelAccess: true,
    publicAccessPrevention: "enforced",
    versioning: { enabled: true },
    lifecycleRules: [{ action: { type: "Delete" }, condition: { daysSinceNoncurrentTime: 30, withState: "ARCHIVED" } }],
    labels: { team: "x" },
    ...patch,
  });
const job = (patch: Record<string, any>, spec: Record<string, any> = {}, options: Record<string, any> = {}) =>
  rec(T.transferJob, "job", {
    schedule: { scheduleStartDate: { year: 2024, month: 1, day: 1 }, repeatInterval: "21600s" },
    transferSpec: {
      awsS3DataSource: { bucketName: "src", path: "exports/", roleArn: "arn:aws:iam::123456789012:role/reader" },
      gcsDataSink: { bucketName: "mc-bk-o-12345678", path: "exports/" },
      transferOptions: { overwriteWhen: "DIFFERENT", deleteObjectsUniqueInSink: false, deleteObjectsFromSourceAfterTransfer: false, ...options },
      ...spec,
    },
    ...patch,
  });
const trustingRole = (sub: string) =>
  rec(T.iamRole, "reader", {
    name: "reader",
    assumeRolePolicy: JSON.stringify({ Statement: [{ Principal: { Federated: "accounts.google.com" }, Action: "sts:AssumeRoleWithWebIdentity", Condition: { StringEquals: { "accounts.google.com:sub": sub } } }] }),
  });
const GCP_WORLD = [gcsBucket({}), trustingRole(STS_SUBJECT), rec(T.gcsIam, "w", { bucket: "mc-bk-o-12345678", role: "roles/storage.legacyBucketWriter", member: `serviceAccount:${STS_EMAIL}` })];

const inFactory = { resourceGroupName: "rg", factoryName: "mc-bk-o-12345678-adf" };
const AZ_WORLD = [
  rec(T.linkedService, "sl", { ...inFactory, linkedServiceName: "source", properties: sec({ type: "AmazonS3", secretAccessKey: { type: "SecureString", value: sec("k") } }) }),
  rec(T.dataset, "sd", { ...inFactory, datasetName: "source", properties: { type: "Binary", linkedServiceName: { referenceName: "source", type: "LinkedServiceReference" } } }),
  rec(T.pipeline, "p", { ...inFactory, pipelineName: "backup-copy", activities: [{ name: "copy", type: "Copy", inputs: [{ referenceName: "source", type: "DatasetReference" }], outputs: [] }] }),
  rec(T.blobService, "bs", { accountName: "acct", isVersioningEnabled: false, deleteRetentionPolicy: { enabled: true, days: 30 } }),
];
const trigger = (recurrence: Record<string, any>, ref = "backup-copy", dependsOn = ["p"]) =>
  rec(
    T.startedTrigger,
    "t",
    {
      ...inFactory,
      triggerName: "backup-schedule",
      properties: {
        type: "ScheduleTrigger",
        typeProperties: { recurrence: { frequency: "Hour", interval: 6, startTime: "2024-01-01T00:00:00Z", timeZone: "UTC", ...recurrence } },
        pipelines: [{ pipelineReference: { referenceName: ref, type: "PipelineReference" } }],
      },
    },
    { dependsOn },
  );
const copyFrom = (start: string, dependsOn: any[] = [{ activity: "last-success", dependencyConditions: ["Succeeded"] }]) => ({ name: "copy", type: "Copy", dependsOn, source: { storeSettings: { modifiedDatetimeStart: start } } });
const WATERMARK = {
  name: "last-success",
  type: "WebActivity",
  method: "POST",
  url: "https://management.azure.com/subscriptions/s/resourceGroups/rg/providers/Microsoft.DataFactory/factories/mc-bk-o-12345678-adf/queryPipelineRuns?api-version=2018-06-01",
  authentication: { type: "MSI", resource: "https://management.azure.com/" },
  body: JSON.stringify({ filters: [{ operand: "Status", operator: "Equals", values: ["Succeeded"] }] }),
};
const FACTORY_ID = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.DataFactory/factories/mc-bk-o-12345678-adf";
const RUN_QUERY_ROLE_ID = "0b9a1f52-3c1d-5e6f-8a7b-9c0d1e2f3a4b";
const runQueryRole = (actions: string[], patch: Record<string, any> = {}) =>
  rec(T.roleDefinition, "rq", {
    roleDefinitionId: RUN_QUERY_ROLE_ID,
    roleName: "mc-bk-o-12345678-run-query",
    scope: "/subscriptions/s/resourceGroups/rg",
    assignableScopes: ["/subscriptions/s/resourceGroups/rg"],
    permissions: [{ actions, notActions: [] }],
    ...patch,
  });
const RUN_QUERY_ROLE = runQueryRole(["Microsoft.DataFactory/factories/queryPipelineRuns/action", "Microsoft.DataFactory/factories/queryPipelineRuns/read"]);
const assignedOnFactory = (roleId: string) => rec(T.roleAssignment, "rr", { scope: FACTORY_ID, roleDefinitionId: `/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/${roleId}` });
const RUN_READER = assignedOnFactory(RUN_QUERY_ROLE_ID);
const BUILT_IN_READER = assignedOnFactory("acdd72a7-3385-48ef-bd42-f606fba81ae7");
const FROM_WATERMARK = "@if(empty(first(activity('last-success').output.value)), '1970-01-01T00:00:00Z', addMinutes(first(activity('last-success').output.value).parameters.windowEnd, -60))";

/** [rule name prefix, a resource that breaks it, the rest of its world]. */
const KNOWN_BAD: Array<[string, Recorded, Recorded[]]> = [
  ["S3 bucket name", rec(T.s3Bucket, "b", { bucket: "My_Bucket" }), []],
  ["S3 bucket name", rec(T.s3Bucket, "b", { bucket: "xn--bucket" }), []],
  ["S3 bucket name", rec(T.s3Bucket, "b", { bucket: "a".repeat(64) }), []],
  ["S3 Block Public Access", rec(T.s3PublicAccess, "p", { bucket: "b", blockPublicAcls: true, blockPublicPolicy: false, ignorePublicAcls: true, restrictPublicBuckets: true }), []],
  ["S3 Block Public Access", goodBucket, []],
  ["S3 versioning", goodBucket, [rec(T.s3Versioning, "v", { bucket: "mc-bk-b-12345678", versioningConfiguration: { status: "Suspended" } })]],
  ["S3 Object Lock:", goodBucket, []],
  ["S3 Object Lock:", rec(T.s3ObjectLock, "l", { bucket: "other", rule: { defaultRetention: { mode: "GOVERNANCE", days: 1 } } }), [goodVersioning]],
  ["S3 Object Lock default retention", rec(T.s3ObjectLock, "l", { bucket: "b", rule: { defaultRetention: { mode: "LEGAL", days: 30 } } }), []],
  ["S3 Object Lock default retention", rec(T.s3ObjectLock, "l", { bucket: "b", rule: { defaultRetention: { mode: "GOVERNANCE", days: 30, years: 1 } } }), []],
  ["S3 Object Lock default retention", rec(T.s3ObjectLock, "l", { bucket: "b", rule: { defaultRetention: { mode: "COMPLIANCE", days: 0 } } }), []],
  ["AWS tags", rec(T.s3Bucket, "b", { bucket: "b", tags: { "aws:owner": "me" } }), []],
  ["AWS tags", rec(T.snsTopic, "t", { name: "t", tags: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, "v"])) }), []],
  ["AWS tags", rec(T.dsTask, "t", { tags: { ["k".repeat(129)]: "v" } }), []],
  ["IAM role / user", rec(T.iamRole, "r", { name: "r".repeat(65) }), []],
  ["IAM role / user", rec(T.iamUser, "u", { name: "has space" }), []],
  ["IAM role / user", rec(T.iamRole, "r", { name: "r", description: "backup of 日本" }), []],
  ["IAM role / user", rec(T.iamRole, "r", { name: "r", maxSessionDuration: 60 }), []],
  ["DataSync task name", task({ name: "bad#name" }), []],
  ["DataSync options", task({}, { verifyMode: "SOMETIMES" }), []],
  ["DataSync options", task({}, { preserveDeletedFiles: "REMOVE", transferMode: "ALL" }), []],
  ["DataSync backup options", task({}, { verifyMode: "POINT_IN_TIME_CONSISTENT" }), AWS_WORLD],
  ["DataSync backup options", task({}, { transferMode: "ALL" }), AWS_WORLD],
  ["DataSync backup options", task({}, { preserveDeletedFiles: "REMOVE" }), AWS_WORLD],
  ["DataSync backup options", task({}), [gcsSource, goodDest, goodBucket, goodRole]],
  ["DataSync task mode", task({ sourceLocationArn: "arn:aws:datasync:r:1:location/loc-blob" }), AWS_WORLD],
  ["DataSync from Google Cloud Storage", task({}, { objectTags: "PRESERVE" }), AWS_WORLD],
  ["DataSync from Google Cloud Storage", task({ taskMode: "BASIC" }, { objectTags: undefined }), AWS_WORLD],
  ["DataSync task mode", task({ taskMode: "BASIC", sourceLocationArn: "arn:aws:datasync:r:1:location/loc-cfn" }), AWS_WORLD],
  ["DataSync agentless Azure Blob location", cfnSource({ AgentArns: [AGENT] }), []],
  ["DataSync agentless Azure Blob location", cfnSource({ AzureBlobSasConfiguration: { AzureBlobSasToken: "sv=literal" } }), []],
  ["DataSync agentless Azure Blob location", cfnSource({ AzureBlobContainerUrl: "https://acct.file.core.windows.net/photos" }), []],
  ["DataSync agentless Azure Blob location", rec(T.cfnStack, "cfn", { name: "mc-bk-m-12345678-azure-source", templateBody: cfnTemplate({}, "Arn"), parameters: sec({ SasToken: "sv=1&sp=rl&sig=x" }) }), []],
  ["CloudFormation stack name", rec(T.cfnStack, "s", { name: "1-azure-source" }), []],
  ["CloudFormation stack name", rec(T.cfnStack, "s", { name: "s".repeat(129) }), []],
  ["DataSync from Azure Blob", task({ sourceLocationArn: "arn:aws:datasync:r:1:location/loc-cfn" }, { objectTags: "PRESERVE" }), AWS_WORLD],
  ["DataSync from Azure Blob", task({ sourceLocationArn: "arn:aws:datasync:r:1:location/loc-cfn" }, { objectTags: undefined }), AWS_WORLD],
  ["DataSync from Azure Blob", task({ sourceLocationArn: "arn:aws:datasync:r:1:location/loc-cfn" }), [cfnSource({}, "sv=2022-11-02&sr=c&sp=rwdl&sig=x")]],
  ["S3 source read grant", sourceRead([GET_SOURCE]), [goodBucket]],
  ["S3 source read grant", sourceRead([GET_SOURCE, { Effect: "Allow", Action: ["kms:Decrypt"], Resource: "*" }]), [goodBucket]],
  [
    "S3 source read grant",
    sourceRead([GET_SOURCE, { Effect: "Allow", Action: ["kms:Decrypt", "kms:Encrypt"], Resource: "*", Condition: { StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" }, StringLike: { "kms:EncryptionContext:aws:s3:arn": ["x"] } } }]),
    [goodBucket],
  ],
  ["long-lived credentials rotate", rec(T.accessKey, "k", { user: "u" }), []],
  ["long-lived credentials rotate", rec(T.hmacKey, "h", { serviceAccountEmail: "e" }, { replacementTrigger: "soon" }), []],
  ["ordering: the Object Lock", rec(T.s3ObjectLock, "l", { bucket: "mc-bk-b-12345678", rule: { defaultRetention: { mode: "GOVERNANCE", days: 1 } } }), [goodVersioning]],
  ["DataSync schedule", task({ schedule: { scheduleExpression: "rate(30 minutes)" } }), []],
  ["DataSync schedule", task({ schedule: { scheduleExpression: "rate(1 hours)" } }), []],
  ["DataSync schedule", task({ schedule: { scheduleExpression: "every 6 hours" } }), []],
  ["DataSync task references", task({ destinationLocationArn: "arn:aws:datasync:r:1:location/loc-missing" }), AWS_WORLD],
  ["DataSync task references", rec(T.dsS3, "dest", { s3BucketArn: "arn:aws:s3:::elsewhere", s3Config: { bucketAccessRoleArn: "arn:aws:iam::1:role/nobody" }, subdirectory: "/" }), AWS_WORLD],
  ["DataSync Azure Blob location", rec(T.dsAzureBlob, "blob", { containerUrl: "http://acct.blob.core.windows.net/photos", authenticationType: "SAS", sasConfiguration: sec({ token: "t" }), agentArns: [AGENT] }), []],
  ["DataSync Azure Blob location", rec(T.dsAzureBlob, "blob", { containerUrl: "https://acct.blob.core.windows.net/photos", authenticationType: "SAS", sasConfiguration: sec({ token: "t" }), agentArns: [] }), []],
  ["SNS topic name", rec(T.snsTopic, "t", { name: "alerts.fifo.x" }), []],
  ["EventBridge rule name", rec(T.eventRule, "e", { name: "e".repeat(65) }), []],
  ["secrets: the DataSync", rec(T.dsObjectStorage, "src", { serverHostname: "storage.googleapis.com", secretKey: "plain" }), []],
  ["secrets: the DataSync", rec(T.dsAzureBlob, "blob", { sasConfiguration: { token: "plain" } }), []],
  ["secrets: issued credentials", rec(T.accessKey, "k", { user: "u" }), []],
  ["secrets: issued credentials", rec(T.hmacKey, "h", { serviceAccountEmail: "e" }), []],
  ["GCS bucket name", gcsBucket({ name: "goog-backups" }), []],
  ["GCS bucket name", gcsBucket({ name: "my-google-backups" }), []],
  ["GCS bucket name", gcsBucket({ name: "-backups" }), []],
  ["GCS bucket: uniform", gcsBucket({ uniformBucketLevelAccess: false }), []],
  ["GCS bucket: uniform", gcsBucket({ publicAccessPrevention: "inherited" }), []],
  ["GCS bucket: Object Versioning", gcsBucket({ retentionPolicy: { retentionPeriod: "86400" } }), []],
  ["GCS bucket: Object Versioning", gcsBucket({ versioning: { enabled: false } }), []],
  ["GCS bucket: Object Versioning", gcsBucket({ versioning: { enabled: false }, retentionPolicy: { retentionPeriod: "86400" } }), []],
  ["GCS bucket: Object Versioning", gcsBucket({ lifecycleRules: [] }), []],
  ["GCS soft delete", gcsBucket({ softDeletePolicy: { retentionDurationSeconds: 86_400 } }), []],
  ["GCS soft delete", gcsBucket({ softDeletePolicy: { retentionDurationSeconds: 91 * 86_400 } }), []],
  ["GCS retention policy", gcsBucket({ versioning: { enabled: false }, retentionPolicy: { retentionPeriod: "3155760000" } }), []],
  ["GCP labels", gcsBucket({ labels: { Team: "x" } }), []],
  ["GCP labels", rec(T.alertPolicy, "a", { userLabels: { team: "X Y" } }), []],
  ["service account id", rec(T.serviceAccount, "sa", { accountId: "short" }), []],
  ["service account id", rec(T.serviceAccount, "sa", { accountId: "mc-bk-a-very-long-backup-name-reader" }), []],
  ["Storage Transfer schedule", job({ schedule: { repeatInterval: "86400s" } }), []],
  ["Storage Transfer schedule", job({ schedule: { scheduleStartDate: { year: 2024, month: 2, day: 30 }, repeatInterval: "86400s" } }), []],
  ["Storage Transfer schedule", job({ schedule: { scheduleStartDate: { year: 2024, month: 1, day: 1 }, repeatInterval: "1800s" } }), []],
  ["Storage Transfer options", job({}, {}, { deleteObjectsUniqueInSink: true }), []],
  ["Storage Transfer options", job({}, {}, { deleteObjectsUniqueInSink: undefined }), []],
  ["Storage Transfer options", job({}, {}, { deleteObjectsFromSourceAfterTransfer: true }), []],
  ["Storage Transfer options", job({}, {}, { overwriteWhen: "NEVER" }), []],
  ["Storage Transfer spec", job({}, { gcsDataSource: { bucketName: "other" } }), GCP_WORLD],
  ["Storage Transfer spec", job({}, { gcsDataSink: { bucketName: "not-ours", path: "exports/" } }), GCP_WORLD],
  ["Storage Transfer spec", job({}, { gcsDataSink: { bucketName: "mc-bk-o-12345678", path: "exports" } }), GCP_WORLD],
  ["Storage Transfer spec", job({}, { gcsDataSink: { bucketName: "mc-bk-o-12345678" } }), GCP_WORLD],
  ["Storage Transfer from S3", job({}), [gcsBucket({}), trustingRole("someone-else")]],
  ["Storage Transfer from S3", job({}, { awsS3DataSource: { bucketName: "src", path: "exports/", awsAccessKey: { accessKeyId: "A", secretAccessKey: "S" } } }), GCP_WORLD],
  ["Storage Transfer from Azure Blob", job({}, { awsS3DataSource: undefined, azureBlobStorageDataSource: { storageAccount: "acct", container: "c", path: "exports/", azureCredentials: { sasToken: "plain" } } }), GCP_WORLD],
  ["Storage Transfer sink permissions", job({}), [gcsBucket({})]],
  ["log-based alert policy", rec(T.alertPolicy, "a", { conditions: [{ conditionMatchedLog: { filter: "x" } }], notificationChannels: [] }), []],
  ["log-based alert policy", rec(T.alertPolicy, "a", { conditions: [], alertStrategy: { notificationRateLimit: { period: "3600s" } }, notificationChannels: ["projects/proj/notificationChannels/gone"] }), []],
  ["log-based alert policy", rec(T.channel, "c", { type: "email", labels: {} }), []],
  ["storage account name", rec(T.account, "a", { accountName: "Backup-Account" }), []],
  ["storage account name", rec(T.account, "a", { accountName: "a".repeat(25) }), []],
  ["container name", rec(T.container, "c", { containerName: "back--up" }), []],
  ["container name", rec(T.container, "c", { containerName: "-backup" }), []],
  ["container name", rec(T.container, "c", { containerName: "Backup" }), []],
  ["resource group name", rec(T.group, "g", { resourceGroupName: "rg." }), []],
  ["resource group name", rec(T.group, "g", { resourceGroupName: "r".repeat(91) }), []],
  ["Azure tags", rec(T.account, "a", { tags: { ["k".repeat(129)]: "v" } }), []],
  ["Azure tags", rec(T.factory, "f", { tags: { "a/b": "v" } }), []],
  ["storage account:", rec(T.account, "a", { allowBlobPublicAccess: true, minimumTlsVersion: "TLS1_2", enableHttpsTrafficOnly: true }), []],
  ["storage account:", rec(T.account, "a", { allowBlobPublicAccess: false, minimumTlsVersion: "TLS1_0", enableHttpsTrafficOnly: true }), []],
  ["storage account:", rec(T.container, "c", { publicAccess: "Blob" }), []],
  ["version-level immutability", rec(T.container, "c", { accountName: "acct", immutableStorageWithVersioning: { enabled: true } }), AZ_WORLD],
  ["time-based retention", rec(T.immutability, "i", { immutabilityPeriodSinceCreationInDays: 146_001 }), []],
  ["blob soft delete", rec(T.blobService, "bs", { deleteRetentionPolicy: { enabled: true, days: 366 } }), []],
  ["Data Factory name", rec(T.factory, "f", { factoryName: "mc--bk" }), []],
  ["Data Factory name", rec(T.factory, "f", { factoryName: "a".repeat(64) }), []],
  ["Data Factory linked service", rec(T.linkedService, "l", { linkedServiceName: "source-link" }), []],
  ["Data Factory linked service", rec(T.dataset, "d", { datasetName: "1sink" }), []],
  ["Data Factory pipeline / trigger", rec(T.pipeline, "p", { pipelineName: "backup.copy" }), []],
  ["Data Factory pipeline / trigger", rec(T.trigger, "t", { triggerName: "-schedule" }), []],
  ["pipeline activities", rec(T.pipeline, "p", { ...inFactory, activities: [{ name: "copy", type: "Copy", inputs: [{ referenceName: "missing", type: "DatasetReference" }] }] }), AZ_WORLD],
  ["pipeline activities", rec(T.pipeline, "p", { ...inFactory, activities: [{ name: "copy", type: "Copy", dependsOn: [{ activity: "probe", dependencyConditions: ["Succeeded"] }] }] }), AZ_WORLD],
  ["pipeline activities", rec(T.pipeline, "p", { ...inFactory, activities: [{ name: "c".repeat(56), type: "Copy" }] }), AZ_WORLD],
  ["pipeline activities", rec(T.dataset, "d", { ...inFactory, datasetName: "sink", properties: { linkedServiceName: { referenceName: "sink", type: "LinkedServiceReference" } } }), AZ_WORLD],
  ["schedule trigger", trigger({ frequency: "Second" }), AZ_WORLD],
  ["schedule trigger", trigger({ interval: 0 }), AZ_WORLD],
  ["schedule trigger", trigger({ interval: 1.5 }), AZ_WORLD],
  ["schedule trigger", trigger({}, "other-pipeline"), AZ_WORLD],
  ["Data Factory triggers run", rec(T.trigger, "t", { ...inFactory, triggerName: "schedule", properties: { type: "ScheduleTrigger" } }), AZ_WORLD],
  ["Data Factory triggers run", rec(T.pipeline, "p", { ...inFactory, pipelineName: "backup-copy", activities: [] }), AZ_WORLD],
  ["Data Factory triggers run", trigger({}, "backup-copy", []), AZ_WORLD],
  ["Data Factory triggers run", trigger({}, "other-pipeline"), AZ_WORLD],
  ["Get Metadata", rec(T.pipeline, "p", { activities: [{ name: "probe-sink", type: "GetMetadata", fieldList: ["exists", "childItems"] }] }), []],
  ["incremental copy resumes", rec(T.pipeline, "p", { ...inFactory, activities: [WATERMARK, copyFrom("@addMinutes(pipeline().TriggerTime, -735)")] }), [RUN_READER]],
  ["incremental copy resumes", rec(T.pipeline, "p", { ...inFactory, activities: [{ name: "last-success", type: "GetMetadata" }, copyFrom(FROM_WATERMARK)] }), [RUN_READER]],
  ["incremental copy resumes", rec(T.pipeline, "p", { ...inFactory, activities: [WATERMARK, copyFrom(FROM_WATERMARK, [])] }), [RUN_READER]],
  ["incremental copy resumes", rec(T.pipeline, "p", { ...inFactory, activities: [{ ...WATERMARK, authentication: undefined }, copyFrom(FROM_WATERMARK)] }), [RUN_READER]],
  ["incremental copy resumes", rec(T.pipeline, "p", { ...inFactory, activities: [{ ...WATERMARK, body: "{}" }, copyFrom(FROM_WATERMARK)] }), [RUN_READER]],
  ["watermark permission", rec(T.pipeline, "p", { ...inFactory, activities: [WATERMARK, copyFrom(FROM_WATERMARK)] }), []],
  ["S3 multipart objects", rec(T.pipeline, "p", { ...inFactory, activities: [WATERMARK, { ...copyFrom("@first(activity('last-success').output.value).parameters.windowEnd"), source: { storeSettings: { type: "AmazonS3ReadSettings", modifiedDatetimeStart: "@first(activity('last-success').output.value).parameters.windowEnd" } } }] }), []],
  ["watermark permission", rec(T.pipeline, "p", { ...inFactory, activities: [WATERMARK, copyFrom(FROM_WATERMARK)] }), [BUILT_IN_READER]],
  ["watermark permission", rec(T.pipeline, "p", { ...inFactory, activities: [WATERMARK, copyFrom(FROM_WATERMARK)] }), [RUN_READER, runQueryRole(["Microsoft.DataFactory/factories/pipelineruns/read"])]],
  ["watermark permission", rec(T.pipeline, "p", { ...inFactory, activities: [WATERMARK, copyFrom(FROM_WATERMARK)] }), [RUN_READER, runQueryRole(["Microsoft.DataFactory/factories/*"], { permissions: [{ actions: ["Microsoft.DataFactory/factories/*"], notActions: ["Microsoft.DataFactory/factories/queryPipelineRuns/*"] }] })]],
  ["Azure custom role", runQueryRole([], { assignableScopes: ["/"], scope: "/" }), []],
  ["Azure custom role", runQueryRole([], { roleDefinitionId: "run-query" }), []],
  ["Azure custom role", runQueryRole([], { scope: "/subscriptions/s/resourceGroups/other" }), []],
  ["copy never deletes", rec(T.pipeline, "p", { activities: [{ name: "copy", type: "Copy", source: { storeSettings: { deleteFilesAfterCompletion: true } } }] }), []],
  ["copy never deletes", rec(T.pipeline, "p", { activities: [{ name: "purge", type: "Delete" }] }), []],
  ["linked service secrets", rec(T.linkedService, "l", { properties: { type: "AmazonS3", secretAccessKey: { type: "SecureString", value: "plain" } } }), []],
  ["linked service secrets", rec(T.linkedService, "l", { properties: { type: "AmazonS3", secretAccessKey: { type: "String", value: sec("k") } } }), []],
  ["action group", rec(T.actionGroup, "ag", { actionGroupName: "alerts", groupShortName: "multicloud-bk", location: "global" }), []],
  ["action group", rec(T.actionGroup, "ag", { actionGroupName: "a/b", groupShortName: "mc", location: "global" }), []],
  ["metric alert", rec(T.metricAlert, "m", { ruleName: "failed", location: "global", severity: 5, evaluationFrequency: "PT15M", windowSize: "PT1H" }), []],
  ["metric alert", rec(T.metricAlert, "m", { ruleName: "failed", location: "global", severity: 1, evaluationFrequency: "PT2H", windowSize: "PT1H" }), []],
];

describe("backup conformance: each rule catches a known violation", () => {
  it("every rule has at least one known-bad example", () => {
    const missing = RULES.filter((rule) => !KNOWN_BAD.some(([prefix]) => rule.name.startsWith(prefix))).map((r) => r.name);
    expect(missing).toEqual([]);
  });

  it.each(KNOWN_BAD.map(([prefix, r, world], i) => [`${i}: ${prefix} (${r.name})`, prefix, r, world] as const))("%s", (_label, prefix, r, world) => {
    const matching = RULES.filter((x) => x.name.startsWith(prefix));
    expect(matching).toHaveLength(1);
    const rule = matching[0]!;
    expect(!rule.types || rule.types.includes(r.type)).toBe(true);
    expect(rule.check(r, graphOf([r, ...world]))).toEqual(expect.any(String));
  });

  it("the known-good worlds pass the rules they were built for", () => {
    const g = graphOf([...AWS_WORLD, task({})]);
    for (const prefix of ["DataSync backup options", "DataSync task mode", "DataSync from Google Cloud Storage", "DataSync task references", "DataSync options", "DataSync schedule"]) {
      expect(RULES.find((x) => x.name.startsWith(prefix))!.check(task({}), g), prefix).toBeUndefined();
    }
    const gg = graphOf([...GCP_WORLD, job({})]);
    for (const prefix of ["Storage Transfer schedule", "Storage Transfer options", "Storage Transfer spec", "Storage Transfer from S3", "Storage Transfer sink permissions"]) {
      expect(RULES.find((x) => x.name.startsWith(prefix))!.check(job({}), gg), prefix).toBeUndefined();
    }
    const ga = graphOf([...AZ_WORLD, trigger({})]);
    expect(RULES.find((x) => x.name.startsWith("schedule trigger"))!.check(trigger({}), ga)).toBeUndefined();
    expect(RULES.find((x) => x.name.startsWith("Data Factory triggers run"))!.check(trigger({}), ga)).toBeUndefined();
    const good = rec(T.pipeline, "p", { ...inFactory, activities: [WATERMARK, copyFrom(FROM_WATERMARK)] });
    expect(RULES.find((x) => x.name.startsWith("incremental copy resumes"))!.check(good, graphOf([good, RUN_READER]))).toBeUndefined();
    expect(RULES.find((x) => x.name.startsWith("watermark permission"))!.check(good, graphOf([good, RUN_READER, RUN_QUERY_ROLE]))).toBeUndefined();
    const fromS3 = rec(T.pipeline, "p", { ...inFactory, activities: [WATERMARK, { ...copyFrom(FROM_WATERMARK), source: { storeSettings: { type: "AmazonS3ReadSettings", modifiedDatetimeStart: FROM_WATERMARK } } }] });
    expect(RULES.find((x) => x.name.startsWith("S3 multipart objects"))!.check(fromS3, graphOf([fromS3]))).toBeUndefined();
    expect(RULES.find((x) => x.name.startsWith("Azure custom role"))!.check(RUN_QUERY_ROLE, graphOf([RUN_QUERY_ROLE]))).toBeUndefined();
    const ac = graphOf([...AWS_WORLD, task({ sourceLocationArn: "arn:aws:datasync:r:1:location/loc-cfn" })]);
    for (const prefix of ["DataSync task mode", "DataSync from Azure Blob", "DataSync task references"]) {
      expect(RULES.find((x) => x.name.startsWith(prefix))!.check(task({ sourceLocationArn: "arn:aws:datasync:r:1:location/loc-cfn" }), ac), prefix).toBeUndefined();
    }
    expect(RULES.find((x) => x.name.startsWith("DataSync agentless Azure Blob location"))!.check(cfnSource(), graphOf([]))).toBeUndefined();
  });
});
