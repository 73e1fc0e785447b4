/**
 * The `CrossCloudBackup` args (DESIGN.md "CrossCloudBackup"), and its outputs' shapes.
 *
 * Also the plugin's schema source, so it follows the inferrer's rules: interfaces, no union types
 * (choices are `as const` enums, which accept plain strings too). Every arg is a plain value: the
 * destination is chosen from them before any child resource exists. The runtime rules live in
 * core/backup/spec.ts (zod); the compile-time check at the bottom keeps the two in step.
 */
import type { BackupSpecInput, CostItem } from "../../core/backup";

/** A cloud, as a backup source or destination. */
export const BackupProvider = { Aws: "aws", Azure: "azure", Gcp: "gcp" } as const;
export type BackupProvider = (typeof BackupProvider)[keyof typeof BackupProvider];

/** The bucket or container to back up. */
export interface BackupSourceArgs {
  provider: BackupProvider;
  /** Region of the bucket or storage account (`us-east-1`, `eastus`, `us-central1`). */
  region: string;
  /** S3 or GCS bucket name (aws, gcp). */
  bucket?: string;
  /** Storage account name (azure). */
  storageAccount?: string;
  /** Container name (azure). */
  container?: string;
  /** Resource group of the storage account (azure): the read-only SAS is issued through it. */
  resourceGroupName?: string;
  /** Only back up this folder (`exports/`: ends with "/", no leading "/"); the copy keeps the same path. */
  prefix?: string;
  /** Expiry of the read/list SAS the transfer uses (azure, YYYY-MM-DD); move it forward to renew. */
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
  /** DataSync agent ARN: needed for an AWS destination of an Azure source. */
  dataSyncAgentArn?: string;
  /** Tags (labels on GCP) on every resource that takes them; GCP label rules apply. */
  tags?: { [key: string]: string };
  /** Rules the destination is held to. */
  compliance?: BackupComplianceArgs;
}

/** Rules a backup's destination is held to. */
export interface BackupComplianceArgs {
  /** Geographies the destination may be in: us, ca, eu (the EEA), uk, ch, apac, jp, au, in, sa, me, af. */
  residency?: string[];
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

// Compile-time: the interface above and the zod schema accept the same input.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
// `compliance.residency` is a plain string list here (the schema inferrer rejects unions); zod checks the names.
const argsMatchSchema: Same<Omit<CrossCloudBackupArgs, "source" | "destination" | "candidates" | "compliance">, Omit<BackupSpecInput, "source" | "destination" | "candidates" | "compliance">> = true;
const sourceMatchesSchema: Same<BackupSourceArgs, Omit<BackupSpecInput["source"], "provider"> & { provider: BackupProvider }> = true;
const costItemsMatch: Same<CostItem, CostItem & CostItemOutput> = true;
void argsMatchSchema;
void sourceMatchesSchema;
void costItemsMatch;
