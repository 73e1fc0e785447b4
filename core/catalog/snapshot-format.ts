/**
 * On-disk format of the embedded price snapshot (`data/snapshot/catalog.json`), written by
 * `scripts/build-snapshot.ts` and read by `loadSnapshot`.
 *
 * Compact and diff-friendly: instance specs are stored once per provider (`types`), prices once
 * per region as rows pointing into `types`. The writer puts each type and each region on its own
 * line, so a price refresh shows up in review as changed region lines.
 */
import type { Arch } from "./offer";

export const SNAPSHOT_SCHEMA = 1;

/** [name, vcpu, memoryGiB, gpus, gpuType, arch, burstable (0|1)] */
export type SnapshotType = [string, number, number, number, string | null, Arch, 0 | 1];

/** [index into types, onDemandHourlyUsd, spotHourlyUsd or null, spotEstimated (0|1)] */
export type SnapshotPrice = [number, number, number | null, 0 | 1];

export interface SnapshotProvider {
  asOf: string;
  regionAsOf: Record<string, string>;
  types: SnapshotType[];
  /** Region -> price rows, sorted by type name. */
  regions: Record<string, SnapshotPrice[]>;
}

export interface SnapshotFile {
  schema: typeof SNAPSHOT_SCHEMA;
  /** Provider name -> its offers. Providers and regions are sorted by name. */
  providers: Record<string, SnapshotProvider>;
}
