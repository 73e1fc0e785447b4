/**
 * The one interface every cloud implements for planning. The optimizer and the CLI only ever talk
 * to clouds through this interface and the registry (`clouds/registry.ts`), so adding a fourth
 * cloud means adding one folder here and one line in the registry.
 *
 * Adapters are stateless: caches live elsewhere. Everything here is Pulumi-free; the resource
 * emitters that realise a plan live beside them (`clouds/<name>/emit*.ts`) and are only loaded by
 * the components.
 */
import type { InstanceOffer } from "../core/catalog/offer";
import type { LivePriceSource } from "../core/prices/source";
import type { MetricsSource } from "../core/metrics/source";

export interface CloudAdapter {
  /** Key used in specs, catalogs and plans (`aws`). */
  readonly name: string;
  /** Human name for messages (`AWS`). */
  readonly displayName: string;
  /** True for burstable / shared-core types (DESIGN.md lists the rule per cloud). */
  isBurstable(instanceType: string): boolean;
  /** Builds this cloud's part of the embedded snapshot from ../shared/pricing-sources. */
  buildSnapshot(sourcesDir: string): SnapshotBuild;
  /** Live list prices (optional capability; core/prices/source.ts states the contract). */
  readonly livePrices?: LivePriceSource;
  /** Fleet utilization for `demand.fromMetrics` (optional capability; core/metrics/source.ts). */
  readonly metrics?: MetricsSource;
}

/** One cloud's contribution to the embedded snapshot, as produced by `buildSnapshot`. */
export interface SnapshotBuild {
  rows: InstanceOffer[];
  /** As-of date of the prices used for regions not in `regionAsOf` (YYYY-MM-DD or YYYY-MM). */
  asOf: string;
  /** Regions whose prices are of another date than `asOf`. */
  regionAsOf: Record<string, string>;
  /** Files used, with licence and date, for the attribution file. */
  sources: SnapshotCitation[];
  /** What the builder did to the raw data (dropped rows, outliers, estimates), for the attribution file. */
  notes: string[];
}

export interface SnapshotCitation {
  file: string;
  what: string;
  origin: string;
  licence: string;
  asOf: string;
}
