/**
 * Loads the embedded price snapshot: the offline default when no live price or user catalog is
 * given. Built by `npm run snapshot` (scripts/build-snapshot.ts); sources and licences are in
 * data/snapshot/ATTRIBUTION.md.
 */
import * as fs from "node:fs";
import { packagePath } from "../util/package-root";
import { InternalError } from "../util/errors";
import type { Arch, Catalog, CatalogProvenance, InstanceOffer } from "./offer";
import { SNAPSHOT_SCHEMA, type SnapshotFile, type SnapshotType } from "./snapshot-format";

export const SNAPSHOT_PATH = packagePath("data", "snapshot", "catalog.json");

let memo: Catalog | undefined;

/** The embedded snapshot, parsed once per process (the file is immutable at run time). */
export function loadSnapshot(): Catalog {
  memo ??= parseSnapshot(fs.readFileSync(SNAPSHOT_PATH, "utf8"));
  return memo;
}

export function parseSnapshot(text: string): Catalog {
  const file = JSON.parse(text) as SnapshotFile;
  if (file.schema !== SNAPSHOT_SCHEMA) {
    throw new InternalError(`price snapshot has schema ${String(file.schema)}, this build reads ${SNAPSHOT_SCHEMA}: rebuild it with \`npm run snapshot\``);
  }
  const offers: InstanceOffer[] = [];
  const provenance: Record<string, CatalogProvenance> = {};
  for (const provider of Object.keys(file.providers).sort()) {
    const p = file.providers[provider]!;
    provenance[provider] = { source: "snapshot", asOf: p.asOf, regionAsOf: p.regionAsOf };
    for (const region of Object.keys(p.regions).sort()) {
      const { type, onDemandHourlyUsd, spotHourlyUsd, spotEstimated } = p.regions[region]!;
      const rows = type.length;
      if (onDemandHourlyUsd.length !== rows || spotHourlyUsd.length !== rows || spotEstimated.length !== rows) {
        throw new InternalError(`price snapshot: ${provider}/${region} has price columns of different lengths: rebuild it with \`npm run snapshot\``);
      }
      // Indexed loop and a class: ~86k rows must load in well under 150 ms (an object literal per
      // row with destructuring took twice as long).
      for (let i = 0; i < rows; i++) {
        const spec = p.types[type[i]!];
        if (!spec) throw new InternalError(`price snapshot: ${provider}/${region} points at missing type #${type[i]}`);
        offers.push(new SnapshotOffer(provider, region, spec, onDemandHourlyUsd[i]!, spotHourlyUsd[i]!, spotEstimated[i] === 1));
      }
    }
  }
  return { offers, provenance };
}

class SnapshotOffer implements InstanceOffer {
  readonly instanceType: string;
  readonly vcpu: number;
  readonly memoryGiB: number;
  readonly gpus: number;
  readonly gpuType: string | null;
  readonly arch: Arch;
  readonly burstable: boolean;
  readonly onDemandHourlyUsd: number;
  readonly spotHourlyUsd: number | null;
  readonly spotEstimated: boolean;
  constructor(
    readonly provider: string,
    readonly region: string,
    type: SnapshotType,
    onDemandHourlyUsd: number,
    spotHourlyUsd: number | null,
    spotEstimated: boolean,
  ) {
    this.instanceType = type[0];
    this.vcpu = type[1];
    this.memoryGiB = type[2];
    this.gpus = type[3];
    this.gpuType = type[4];
    this.arch = type[5];
    this.burstable = type[6] === 1;
    this.onDemandHourlyUsd = onDemandHourlyUsd;
    this.spotHourlyUsd = spotHourlyUsd;
    this.spotEstimated = spotEstimated;
  }
}
