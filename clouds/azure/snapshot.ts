/**
 * Builds Azure's part of the embedded price snapshot from the Karpenter-for-Azure price table
 * (see ../shared/pricing-sources/README.md). Prices are Linux pay-as-you-go; the table has no
 * spot prices, so every row's spot price is null.
 *
 * The price used is the minimum over four generations of the upstream table (2025-05..2026-06):
 * the generator sometimes kept a Windows-level price in the latest one. Rows whose price per vCPU
 * is far from their family's are flagged; see `judgeOutliers` for which of them are dropped.
 */
import { cmp, compareOffers, type InstanceOffer } from "../../core/catalog/offer";
import type { SnapshotBuild, SnapshotCitation } from "../../core/clouds/adapter";
import {
  Tally,
  applyConsensusSpecs,
  median,
  normaliseArch,
  parseNumber,
  parsePositive,
  readCsv,
  roundPrice,
  sample,
  sortRows,
  spotNote,
  type CsvRow,
} from "../../core/clouds/snapshot-helpers";

const FILE = "azure/vm-ondemand-2026-06.csv";
const DATE = "2026-06-18";
const PRICE_COLUMN = "min_over_4_generations_2025_05_to_2026_06";
const LATEST_PRICE_COLUMN = "ondemand_usd_per_hour_2026_06_18";
const COLUMNS = ["region", "arm_sku_name", "vcpu", "memory_gib", "gpu", "arch", "sku_family", LATEST_PRICE_COLUMN, PRICE_COLUMN];

export const AZURE_SOURCES: readonly SnapshotCitation[] = [
  {
    file: FILE,
    what: "Azure VM Linux pay-as-you-go $/h per region and SKU (2026-06-18 and minimum over four generations 2025-05..2026-06) with vCPU, memory, GPU count, architecture and SKU family",
    origin: "Azure/karpenter-provider-azure generated pricing; specs from kubernetes/autoscaler",
    licence: "Apache-2.0",
    asOf: DATE,
  },
];

/** GPU model from the SKU name (the table has a GPU count only). First match wins. */
const GPU_MODEL: ReadonlyArray<[RegExp, string]> = [
  [/_A100_|^Standard_ND96asr_v4$/, "a100"],
  [/_H100_/, "h100"],
  [/_H200_/, "h200"],
  [/_GB200_/, "gb200"],
  [/_MI300X_/, "mi300x"],
  [/_RTXPRO6000BSE_/, "rtx-pro-6000"],
  [/_T4_/, "t4"],
  [/_A10_/, "a10"],
  [/^Standard_NC\d+r?s_v3$|^Standard_ND40r?s_v2$/, "v100"],
  [/^Standard_NV\d+s_v[23]$/, "m60"],
  [/^Standard_NV\d+as_v4$/, "mi25"],
];

/** NP-series carry Xilinx FPGAs, which the table counts as GPUs: not GPUs, and left out. */
const FPGA = /^Standard_NP\d/;

/**
 * Sizes that get a slice of one GPU (NVadsA10_v5: 1/6, 1/3, 1/2; NVv4: 1/8, 1/4, 1/2) but are
 * listed with 1 GPU: the catalog counts whole GPUs, and one of them would otherwise pass for a
 * cheap full A10 or MI25.
 */
const FRACTIONAL_GPU = /^Standard_NV(6|12|18)ads_A10_v5$|^Standard_NV(4|8|16)as_v4$/;

/** Per-vCPU price ratio to the (region, family) median beyond which a row is flagged. */
const OUTLIER_HIGH = 2.5;
const OUTLIER_LOW = 0.4;

function gpuModel(sku: string): string | null {
  return GPU_MODEL.find(([re]) => re.test(sku))?.[1] ?? null;
}

/** An offer plus the SKU family, which only the outlier check needs. */
export interface AzureRow {
  offer: InstanceOffer;
  family: string;
}

/** Turns one table row into an offer, or counts why it cannot be one. */
function toRow(row: CsvRow, tally: Tally): AzureRow | null {
  const sku = row.arm_sku_name ?? "";
  const price = parsePositive(row[PRICE_COLUMN]);
  if (price === null) return drop(tally, "rows dropped: no price (0 or empty)", sku);
  if (FPGA.test(sku)) return drop(tally, "rows dropped: NP-series FPGA sizes (not GPUs)", sku);
  if (FRACTIONAL_GPU.test(sku)) return drop(tally, "rows dropped: fractional-GPU sizes (the catalog counts whole GPUs)", sku);
  const vcpu = parsePositive(row.vcpu);
  const memoryGiB = parsePositive(row.memory_gib);
  const gpus = parseNumber(row.gpu);
  if (vcpu === null || memoryGiB === null || gpus === null) return drop(tally, "rows dropped: no vCPU/memory in the table (mostly v6/v7, Basic_ and Promo sizes)", sku);
  const arch = normaliseArch(row.arch);
  if (arch === null) return drop(tally, `rows dropped: unknown architecture`, `${sku} ${row.arch ?? ""}`);
  const gpuType = gpuModel(sku);
  if (gpuType !== null && gpus === 0) return drop(tally, "rows dropped: GPU size listed with 0 GPUs", sku);
  if (gpuType === null && gpus > 0) return drop(tally, "rows dropped: GPU count without a known GPU model", sku);
  if (parsePositive(row[LATEST_PRICE_COLUMN]) !== price) tally.add("rows whose minimum-over-generations price is below the 2026-06-18 one (a generation kept a higher, e.g. Windows-level, price)");
  return {
    family: row.sku_family ?? "",
    offer: {
      provider: "azure",
      region: row.region ?? "",
      instanceType: sku,
      vcpu,
      memoryGiB,
      gpus,
      gpuType,
      arch,
      burstable: false, // set from the adapter's rule by scripts/build-snapshot.ts (importing ./index here would be a cycle)
      onDemandHourlyUsd: roundPrice(price),
      spotHourlyUsd: null, // no Azure spot prices in the sources
      spotEstimated: false,
    },
  };
}

function drop(tally: Tally, reason: string, example: string): null {
  tally.add(reason, example);
  return null;
}

/** A row whose price per vCPU is far from the median of its (region, SKU family). */
export interface Outlier {
  offer: InstanceOffer;
  family: string;
  /** Row's $/vCPU divided by the family median in that region. */
  ratio: number;
  /** Median of that ratio for the same SKU over all regions: how the size normally sits in its family. */
  usualRatio: number;
}

const outOfBounds = (ratio: number): boolean => ratio > OUTLIER_HIGH || ratio < OUTLIER_LOW;

/** How far (either way) a flagged row must be from its size's usual family ratio to be dropped. */
const USUAL_DEVIATION = 1.5;

function clearlyWrong(o: Outlier): boolean {
  const off = o.ratio / o.usualRatio;
  return off > USUAL_DEVIATION || off < 1 / USUAL_DEVIATION;
}

/**
 * Flags rows whose $/vCPU is above OUTLIER_HIGH x or below OUTLIER_LOW x their (region, family)
 * median, and splits them into those to keep and those clearly wrong.
 *
 * Families mix shapes (a B1s has 1 GiB per vCPU, an M64bds_1_v3 22 GiB), so many sizes sit far
 * from their family median in every region: that is their price, not an error, and they stay. A
 * flagged row is clearly wrong when it is also more than USUAL_DEVIATION x off where the same size
 * usually sits in its family (median over regions): the deviation is then this region's data, e.g.
 * a Windows-level price that survived all four generations.
 */
/**
 * A row this far below the same size's median price over all regions is dropped: regional Azure
 * prices spread far less than that, and an underpriced row is the dangerous error (plans flock to
 * it). A whole family mispriced in one region escapes the family check above, not this one.
 */
const UNDERPRICED = 0.5;
const MIN_REGIONS_FOR_MEDIAN = 3;

export function judgeOutliers(rows: readonly AzureRow[]): { keep: AzureRow[]; flagged: Outlier[]; dropped: Outlier[]; unusual: Outlier[]; underpriced: AzureRow[] } {
  const price = (r: AzureRow): number => r.offer.onDemandHourlyUsd;
  const skuMedian = medianBy(rows, (r) => r.offer.instanceType, price);
  const skuRegions = new Map<string, number>();
  for (const r of rows) skuRegions.set(r.offer.instanceType, (skuRegions.get(r.offer.instanceType) ?? 0) + 1);
  const isUnderpriced = (r: AzureRow): boolean =>
    (skuRegions.get(r.offer.instanceType) ?? 0) >= MIN_REGIONS_FOR_MEDIAN && price(r) < UNDERPRICED * skuMedian.get(r.offer.instanceType)!;
  const underpriced = rows.filter(isUnderpriced);
  rows = rows.filter((r) => !isUnderpriced(r));
  const perVcpu = (r: AzureRow): number => r.offer.onDemandHourlyUsd / r.offer.vcpu;
  const familyMedian = medianBy(rows, (r) => `${r.offer.region}/${r.family}`, perVcpu);
  const ratio = (r: AzureRow): number => perVcpu(r) / familyMedian.get(`${r.offer.region}/${r.family}`)!;
  const usual = medianBy(rows, (r) => r.offer.instanceType, ratio);
  const keep: AzureRow[] = [];
  const flagged: Outlier[] = [];
  const dropped: Outlier[] = [];
  const unusual: Outlier[] = []; // not flagged, yet off their size's usual place: reported, kept
  for (const r of rows) {
    const o: Outlier = { offer: r.offer, family: r.family, ratio: ratio(r), usualRatio: usual.get(r.offer.instanceType)! };
    if (outOfBounds(o.ratio)) flagged.push(o);
    else if (clearlyWrong(o)) unusual.push(o);
    if (outOfBounds(o.ratio) && clearlyWrong(o)) dropped.push(o);
    else keep.push(r);
  }
  return { keep, flagged, dropped, unusual, underpriced };
}

/** Median of `value` per group. */
function medianBy<T>(items: readonly T[], group: (t: T) => string, value: (t: T) => number): Map<string, number> {
  const groups = new Map<string, number[]>();
  for (const t of items) {
    const key = group(t);
    const list = groups.get(key);
    if (list) list.push(value(t));
    else groups.set(key, [value(t)]);
  }
  return new Map([...groups].map(([key, values]) => [key, median(values)]));
}

function describe(o: Outlier): string {
  const r = (x: number): string => x.toFixed(2);
  return `${o.offer.region} ${o.offer.instanceType} $${o.offer.onDemandHourlyUsd}/h = ${r(o.ratio)}x its family's $/vCPU (usually ${r(o.usualRatio)}x)`;
}

function outlierNotes(flagged: readonly Outlier[], dropped: readonly Outlier[], unusual: readonly Outlier[]): string[] {
  const byRatio = (a: Outlier, b: Outlier): number => b.ratio - a.ratio || compareOffers(a.offer, b.offer);
  const keptSkus = [...new Set(flagged.filter((o) => !dropped.includes(o)).map((o) => o.offer.instanceType))].sort(cmp);
  return [
    `outliers flagged (price per vCPU > ${OUTLIER_HIGH}x or < ${OUTLIER_LOW}x the median of its region and SKU family): ${flagged.length}`,
    `flagged rows kept, as the size sits about that far from its family in most regions (its shape, e.g. tiny B-series or memory-heavy M-series, not an error): ${flagged.length - dropped.length} over ${keptSkus.length} sizes (${sample(keptSkus)})`,
    `flagged rows dropped as clearly wrong (also more than ${USUAL_DEVIATION}x off where the same size sits in its family in other regions): ${dropped.length}${dropped.length ? `: ${[...dropped].sort(byRatio).slice(0, 10).map(describe).join("; ")}` : ""}`,
    `rows not flagged but more than ${USUAL_DEVIATION}x off where the same size usually sits in its family, kept (likely leftover Windows-level prices where high, which only make plans avoid the row; the low ones sit in families whose median such rows raise): ${unusual.length} (${unusual.filter((o) => o.ratio < o.usualRatio).length} low)${unusual.length ? `, e.g. ${[...unusual].sort(byRatio).slice(0, 3).map(describe).join("; ")}` : ""}`,
  ];
}

export function buildAzureSnapshot(sourcesDir: string): SnapshotBuild {
  const tally = new Tally();
  const parsed: AzureRow[] = [];
  for (const row of readCsv(sourcesDir, FILE, COLUMNS)) {
    const r = toRow(row, tally);
    if (r) parsed.push(r);
  }
  const { keep, flagged, dropped, unusual, underpriced } = judgeOutliers(parsed);
  const notes = [
    ...tally.notes(),
    `rows dropped as underpriced (below ${UNDERPRICED}x the same size's median price over all regions, e.g. a whole family mispriced in one region): ${underpriced.length}${underpriced.length ? ` (${underpriced.slice(0, 10).map((r) => `${r.offer.region} ${r.offer.instanceType} $${r.offer.onDemandHourlyUsd}/h`).join("; ")})` : ""}`,
    ...outlierNotes(flagged, dropped, unusual),
  ];
  const rows = sortRows(applyConsensusSpecs(keep.map((r) => r.offer), notes));
  notes.push(spotNote(rows), `regions: ${new Set(rows.map((r) => r.region)).size}; all prices as of ${DATE} (minimum over 2025-05..2026-06, see above); no spot prices in the sources`);
  return { rows, asOf: DATE, regionAsOf: {}, sources: [...AZURE_SOURCES], notes };
}
