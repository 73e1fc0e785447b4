/**
 * Plain types of the backup planner, shared with the per-cloud facts it reads
 * (`clouds/<cloud>/geography.ts`, `clouds/<cloud>/storage-list-prices.ts`). Pulumi-free.
 *
 * Units everywhere: GiB of data, US dollars, $/GiB-month for storage, $/GiB for transfer, $ per
 * 10,000 requests for operations. The clouds publish "$/GB" where GB means 2^30 bytes (AWS, GCP)
 * or is billed as such, so $/GB and $/GiB are the same figure here.
 */
import type { SnapshotCitation } from "../clouds/citation";

/**
 * Storage tiers in the order data moves through them. Each cloud names its class for each tier
 * (S3 STANDARD / STANDARD_IA / GLACIER_IR / DEEP_ARCHIVE, GCS STANDARD / NEARLINE / COLDLINE /
 * ARCHIVE, Blob Hot / Cool / Cold / Archive), so the lifecycle and the cost model stay cloud-neutral.
 */
export const TIERS = ["hot", "cool", "cold", "archive"] as const;
export type Tier = (typeof TIERS)[number];

/** Coarse geographies: a backup's default destinations are the source's geography. */
export const GEOGRAPHIES = ["north-america", "south-america", "europe", "middle-east", "africa", "asia-pacific"] as const;
export type Geography = (typeof GEOGRAPHIES)[number];

/** Where a region is: its geography and its ISO 3166-1 alpha-2 country. */
export type RegionPlace = readonly [Geography, string];

/** One cloud's regions (keyed by region name, as the cloud spells it). */
export type RegionTable = Readonly<Record<string, RegionPlace>>;

export interface OperationPrices {
  /** Writes (PUT/COPY/POST, lifecycle transitions into this tier) and LIST calls, $ per 10k. */
  writePer10kUsd: number;
  /** Reads (GET), $ per 10k. */
  readPer10kUsd: number;
}

/** What a transfer service charges on top of the clouds' network and request prices. */
export interface TransferFee {
  perGiBUsd: number;
  perRunUsd: number;
}

/** A spec field a pairing needs, with what it is for (shown when it is missing). */
export interface Requirement {
  /** Dotted spec path (`dataSyncAgentArn`, `source.sasExpiresOn`). */
  field: string;
  why: string;
}

/** How a cloud's transfer service reads a source on one other cloud. */
export interface TransferRoute {
  fee: TransferFee;
  /** Short description for plans (`Enhanced mode, agentless`). */
  how: string;
  requires: readonly Requirement[];
}

/** Internet egress price tiers: [from GiB per month, $/GiB], ascending, first at 0. */
export type EgressTiers = ReadonlyArray<readonly [number, number]>;

/**
 * Internet egress from one region, by destination: `worldwide`, or an ISO country code where the
 * cloud prices a destination country differently (GCP: Australia, China).
 */
export type EgressTable = Readonly<Record<string, EgressTiers>>;

/** What one cloud's storage build contributes to `data/snapshot/storage.json`. */
export interface StoragePriceBuild {
  /** $/GiB-month per region and tier (regions without all four tiers are left out). */
  storage: Record<string, Record<Tier, number>>;
  /** Internet egress per source region. */
  egress: Record<string, EgressTable>;
  asOf: { storage: string; egress: string };
  sources: SnapshotCitation[];
  /** What of this cloud's figures was hand-curated (for the attribution file). */
  curated: string[];
  notes: string[];
}

/**
 * The backup-relevant facts of one cloud's object storage: class names, hand-curated prices that
 * no openly licensed table provides, what its transfer service can read, and what a backup from
 * it needs. Prices here feed the storage snapshot build; plans read them from the snapshot.
 */
export interface StorageFacts {
  /** `S3 bucket`, `GCS bucket`, `Blob container`. */
  storeKind: string;
  /** `AWS DataSync`, `Storage Transfer Service`, `Azure Data Factory`. */
  transferService: string;
  classes: Readonly<Record<Tier, string>>;
  /** Date of the hand-curated figures (operations, transfer fees, list prices). */
  asOf: string;
  /** Pricing pages the hand-curated figures were transcribed from. */
  pricingPages: readonly string[];
  operations: Readonly<Record<Tier, OperationPrices>>;
  /** Keyed by source cloud; a cloud absent here cannot be backed up into this one. */
  routes: Readonly<Record<string, TransferRoute>>;
  /** Fields a backup whose source is on this cloud must set. */
  sourceRequires: readonly Requirement[];
  /**
   * Spec fields this cloud cannot honour as a destination, with the reason: a destination here
   * is excluded (or, when pinned, rejected) when the spec sets one of them.
   */
  unsupported: Readonly<Record<string, string>>;
  /** Notes every plan into this cloud carries; `when` names a spec field that must be true or set. */
  notes: ReadonlyArray<{ when?: string; note: string }>;
  /** Builds this cloud's storage and egress prices from ../shared/pricing-sources. */
  buildPrices(sourcesDir: string): StoragePriceBuild;
}
