/**
 * The `CrossCloudBackup` args (DESIGN.md "CrossCloudBackup"), and its outputs' shapes.
 *
 * Also the plugin's schema source, so it follows the inferrer's rules: interfaces, no union types
 * (choices are `as const` enums, which accept plain strings too). Every arg is a plain value (the
 * destination is chosen from them before any child resource exists) except what only the resources
 * take: the tag values and the source's names, which may be other resources' outputs (the core then
 * sees "(output)": their presence, not their value). The runtime rules live in
 * core/backup/spec.ts (zod); the compile-time check at the bottom keeps the two in step.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { BackupPlan, BackupSpecInput, CostItem } from "../../core/backup";

/** A cloud, as a backup source or destination. */
export const BackupProvider = { Aws: "aws", Azure: "azure", Gcp: "gcp" } as const;
export type BackupProvider = (typeof BackupProvider)[keyof typeof BackupProvider];

/** The bucket or container to back up. */
export interface BackupSourceArgs {
  provider: BackupProvider;
  /** Region of the bucket or storage account (`us-east-1`, `eastus`, `us-central1`). */
  region: string;
  /** S3 or GCS bucket name (aws, gcp); may be another resource's output. */
  bucket?: pulumi.Input<string>;
  /** Storage account name (azure); may be another resource's output. */
  storageAccount?: pulumi.Input<string>;
  /** Container name (azure); may be another resource's output. */
  container?: pulumi.Input<string>;
  /** Resource group of the storage account (azure): the read-only SAS is issued through it. May be another resource's output. */
  resourceGroupName?: pulumi.Input<string>;
  /** Only back up this folder (`exports/`: ends with "/", no leading "/"); the copy keeps the same path. */
  prefix?: string;
  /**
   * Fixed expiry of the read/list SAS the transfer uses (azure, YYYY-MM-DD). Optional: by default
   * the SAS is renewed by every `pulumi up` in a new 90-day rotation period and expires two periods
   * after that period's start. A fixed date is never renewed: move it forward yourself.
   */
  sasExpiresOn?: string;
}

/** A pinned destination: no choice is made. */
export interface BackupDestinationArgs {
  provider: BackupProvider;
  region: string;
}

/** Where the cheapest destination may be chosen from (default: the other clouds, in the source's geography). */
export interface BackupCandidatesArgs {
  providers?: BackupProvider[];
  /** `provider/region` keys, e.g. `gcp/us-central1`. */
  regions?: string[];
}

export interface BackupEncryptionArgs {
  /** Customer-managed key on the destination's cloud (needs a pinned destination): a KMS key ARN or a Cloud KMS key id. */
  kmsKeyId?: string;
}

export interface BackupNotificationArgs {
  /** Receives an e-mail when a transfer fails (SNS subscription, Cloud Monitoring channel, or Azure action group). */
  email: string;
}

export interface CrossCloudBackupArgs {
  source: BackupSourceArgs;
  /** Size of the data to back up, GiB (estimate; drives the storage cost). */
  sizeGiB: number;
  /** New or rewritten data per day, GiB (estimate; drives egress and request costs). */
  dailyChangeGiB: number;
  /** Average object size, MiB (default 4; drives request counts). */
  averageObjectMiB?: number;
  destination?: BackupDestinationArgs;
  candidates?: BackupCandidatesArgs;
  /** Hours between transfer runs (1-168, default 24). */
  rpoHours?: number;
  /** Days every replaced or deleted version is kept (>= 1, default 30); with `immutable`, the locked retention. */
  retentionDays?: number;
  /** Object Lock / retention policy / immutability policy for `retentionDays` (default false). */
  immutable?: boolean;
  /** Lock the retention so that nobody can shorten it (irreversible; needs `immutable`). */
  lockRetention?: boolean;
  /** Age in days at which data moves to the archive tier (cool at 30 and cold at 90 days when it leaves room). Absent: stays hot. */
  archiveAfterDays?: number;
  encryption?: BackupEncryptionArgs;
  notification?: BackupNotificationArgs;
  /**
   * DataSync agent ARN, for an Azure source backed up into AWS only. Optional: without it DataSync
   * reads the container agentless in Enhanced mode; with it, through the agent in Basic mode.
   * An error on any other pair.
   */
  dataSyncAgentArn?: string;
  /**
   * Tags (labels on GCP) on every resource that takes them; GCP label rules apply. The keys are
   * plain; a value may be another resource's output or a secret (checked once known).
   */
  tags?: { [key: string]: pulumi.Input<string> };
  /** Rules the destination is held to. */
  compliance?: BackupComplianceArgs;
}

/** Rules a backup is held to: where its destination may be, and the tags it must carry. */
export interface BackupComplianceArgs {
  /** Geographies the destination may be in: us, ca, eu (the EEA), uk, ch, apac, jp, au, in, sa, me, af. */
  residency?: string[];
  /** Keys `tags` must carry, each with a value (e.g. owner, cost-center); a missing one fails the preview. */
  requiredTags?: string[];
}

/** Where the backup lives. */
export interface BackupDestinationOutput {
  provider: string;
  region: string;
  /** Bucket (S3, GCS) or container (Blob). */
  bucket: string;
  /** Storage account (Blob only). */
  account?: string;
  url: string;
}

/** One line of the monthly cost estimate. */
export interface CostItemOutput {
  /** storage, egress or operations. */
  category: string;
  item: string;
  /** How the figure was computed. */
  detail: string;
  usd: number;
}

/** A provider and region. */
export interface BackupLocationOutput {
  provider: string;
  region: string;
}

/** A destination's monthly cost, USD, in total and by category. */
export interface BackupCostSummaryOutput {
  provider: string;
  region: string;
  monthlyUsd: number;
  storageUsd: number;
  egressUsd: number;
  operationsUsd: number;
}

/** The chosen destination, its cost and how the copy reaches it. */
export interface BackupChosenDestinationOutput {
  provider: string;
  region: string;
  monthlyUsd: number;
  storageUsd: number;
  egressUsd: number;
  operationsUsd: number;
  /** true when the destination was given rather than chosen. */
  pinned: boolean;
  /** S3 bucket, Blob container or GCS bucket. */
  storeKind: string;
  /** DataSync, Storage Transfer Service or Data Factory. */
  transferService: string;
  /** How the transfer service reads the source. */
  route: string;
}

export interface BackupScheduleOutput {
  /** Hours between transfer runs. */
  everyHours: number;
  /** The fixed instant runs are counted from (ISO 8601, UTC), so the same args give the same schedule. */
  anchor: string;
}

/** From which day of its age data sits in a storage tier. */
export interface BackupLifecycleStageOutput {
  /** hot, cool, cold or archive. */
  tier: string;
  /** The destination cloud's storage class for the tier. */
  storageClass: string;
  fromDay: number;
}

export interface BackupRetentionOutput {
  /** Days every replaced or deleted version is kept. */
  days: number;
  immutable: boolean;
  locked: boolean;
}

/** A provider or region left out of the choice, and why. */
export interface BackupExclusionOutput {
  provider: string;
  /** Absent when the whole provider is excluded. */
  region?: string;
  reason: string;
}

/** As-of dates of the prices a backup plan used, by kind. */
export interface BackupPriceDatesOutput {
  storage: string;
  egress: string;
  operations: string;
  transfer: string;
}

/** The whole decision of a CrossCloudBackup: destination, cost, schedule, tiers, retention, alternatives. */
export interface BackupPlanOutput {
  name: string;
  /** Hash of the normalised args the decision was made from. */
  specHash: string;
  source: BackupLocationOutput;
  destination: BackupChosenDestinationOutput;
  breakdown: CostItemOutput[];
  /** One-off cost of the first full copy, USD. */
  initialCopyUsd: number;
  schedule: BackupScheduleOutput;
  lifecycle: BackupLifecycleStageOutput[];
  retention: BackupRetentionOutput;
  /** The next cheapest destinations. */
  runnersUp: BackupCostSummaryOutput[];
  excluded: BackupExclusionOutput[];
  /** Per provider involved: the as-of dates of its prices. */
  prices: { [provider: string]: BackupPriceDatesOutput };
  notes: string[];
}

// Compile-time: every BackupPlan (core/backup/plan.ts) is a BackupPlanOutput.
const planIsOutput: (plan: BackupPlan) => BackupPlanOutput = (plan) => plan;
void planIsOutput;

// Compile-time: the interface above and the zod schema accept the same input.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
// `compliance.residency` is a plain string list here (the schema inferrer rejects unions); zod checks the names.
// `tags` values may be Outputs here; the core sees plain strings (FROM_OUTPUT for an Output).
type Different = "source" | "destination" | "candidates" | "compliance" | "tags";
const argsMatchSchema: Same<Omit<CrossCloudBackupArgs, Different>, Omit<BackupSpecInput, Different>> = true;
// The source's names may be Outputs here; the core sees FROM_OUTPUT for them (core/backup/spec.ts).
type Names = "bucket" | "storageAccount" | "container" | "resourceGroupName";
const sourceMatchesSchema: Same<Omit<BackupSourceArgs, Names>, Omit<BackupSpecInput["source"], "provider" | Names> & { provider: BackupProvider }> = true;
const costItemsMatch: Same<CostItem, CostItem & CostItemOutput> = true;
void argsMatchSchema;
void sourceMatchesSchema;
void costItemsMatch;
