/**
 * On-disk format of the embedded price snapshot (`data/snapshot/catalog.json`), written by
 * `scripts/build-snapshot.ts` and read by `loadSnapshot`.
 *
 * Compact, diff-friendly and quick to load: instance specs are stored once per provider (`types`),
 * prices once per region as columns (`SnapshotRegion`: parallel arrays, one entry per price row,
 * pointing into `types`). The writer puts each type and each region on its own line, so a price
 * refresh shows up in review as changed region lines.
 *
 * Columns rather than one small array per row (schema 1): JSON.parse of ~86k rows builds four
 * arrays per region instead of ~86k arrays, and the loader builds offers straight from them.
 * Measured on the committed snapshot (2 cores): parse 100 -> 42 ms, whole load 320 -> 225 ms.
 */
import type { Arch } from "./offer";

export const SNAPSHOT_SCHEMA = 2;

/** [name, vcpu, memoryGiB, gpus, gpuType, arch, burstable (0|1)] */
export type SnapshotType = [string, number, number, number, string | null, Arch, 0 | 1];

/** One region's price rows, sorted by type name, as parallel columns of equal length. */
export interface SnapshotRegion {
  /** Index into the provider's `types`. */
  type: number[];
  onDemandHourlyUsd: number[];
  /** null where the region has no spot price. */
  spotHourlyUsd: Array<number | null>;
  /** 1 where the spot price is an estimate. */
  spotEstimated: Array<0 | 1>;
}

export interface SnapshotProvider {
  asOf: string;
  regionAsOf: Record<string, string>;
  types: SnapshotType[];
  /** Region -> its price rows. */
  regions: Record<string, SnapshotRegion>;
}

export interface SnapshotFile {
  schema: typeof SNAPSHOT_SCHEMA;
  /** Provider name -> its offers. Providers and regions are sorted by name. */
  providers: Record<string, SnapshotProvider>;
}
