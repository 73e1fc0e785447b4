/**
 * Shared plumbing for every cloud's embedded-snapshot builder (`clouds/<cloud>/snapshot.ts`): CSV
 * reading, number parsing, rounding, medians, architecture names, drop accounting and the
 * "one spec per instance type" reconciliation. Only the cloud-specific rules live in the builders.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { cmp, compareOffers, type Arch, type InstanceOffer } from "../catalog/offer";
import { round } from "../util/round";

export type CsvRow = Record<string, string>;

/**
 * Reads a CSV with a header row into objects keyed by column name. Fails loudly when a column
 * the builder relies on is missing, so an upstream format change cannot silently yield empty data.
 */
export function readCsv(sourcesDir: string, relativePath: string, requiredColumns: readonly string[]): CsvRow[] {
  const file = path.join(sourcesDir, relativePath);
  const text = fs.readFileSync(file, "utf8");
  const checkHeader = (header: string[]): string[] => {
    const missing = requiredColumns.filter((c) => !header.includes(c));
    if (missing.length > 0) throw new Error(`${file}: missing column(s) ${missing.join(", ")}`);
    return header;
  };
  // trim: some upstream names carry trailing blanks (`Standard_NM16ads_MA35D  `).
  // Loaded here, not at import: the adapters import this module on every plan, which reads no CSV.
  const { parse } = require("csv-parse/sync") as typeof import("csv-parse/sync");
  return parse(text, { columns: checkHeader, skip_empty_lines: true, trim: true }) as CsvRow[];
}

/** A CSV cell that must hold a number: null when empty or not numeric. */
export function parseNumber(cell: string | undefined): number | null {
  if (cell === undefined || cell.trim() === "") return null;
  const n = Number(cell);
  return Number.isFinite(n) ? n : null;
}

/** A price or size cell where 0 means "not published": null unless strictly positive. */
export function parsePositive(cell: string | undefined): number | null {
  const n = parseNumber(cell);
  return n !== null && n > 0 ? n : null;
}

export { round } from "../util/round";

/** Prices are stored with at most 8 decimals; derived estimates use 6 (their precision is lower). */
export const roundPrice = (usd: number): number => round(usd, 8);
export const roundEstimate = (usd: number): number => round(usd, 6);

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error("median of an empty list");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Maps the architecture spellings found in the sources to the catalog's two values; null for
 * anything else (the row is then dropped and counted). Mac variants map to their CPU architecture,
 * but the AWS builder drops mac types before this, as they are not Linux hosts.
 */
export function normaliseArch(raw: string | undefined): Arch | null {
  switch ((raw ?? "").trim().toLowerCase()) {
    case "x86_64":
    case "amd64":
    case "x64":
    case "i386":
    case "x86_64_mac":
      return "x86_64";
    case "arm64":
    case "aarch64":
    case "arm64_mac":
      return "arm64";
    default:
      return null;
  }
}

/** True when `n` is a whole, non-negative GPU count (the catalog cannot express 1/4 of a GPU). */
export function isWholeGpuCount(n: number): boolean {
  return Number.isInteger(n) && n >= 0;
}

/** Counts dropped or adjusted rows per reason, and turns the counts into attribution notes. */
export class Tally {
  private readonly counts = new Map<string, number>();
  private readonly examples = new Map<string, Set<string>>();

  /** Records one occurrence of `reason`; `example` (a type or region name) is kept for the note. */
  add(reason: string, example?: string): void {
    this.counts.set(reason, (this.counts.get(reason) ?? 0) + 1);
    if (example !== undefined) {
      const set = this.examples.get(reason) ?? new Set<string>();
      set.add(example);
      this.examples.set(reason, set);
    }
  }

  /**
   * One line per reason with up to `maxExamples` distinct examples: dropped rows first (reasons
   * starting "rows dropped"), then the rest, each group in the order first seen.
   */
  notes(maxExamples = 6): string[] {
    const entries = [...this.counts];
    const isDrop = ([reason]: [string, number]): boolean => reason.startsWith("rows dropped");
    return [...entries.filter(isDrop), ...entries.filter((e) => !isDrop(e))].map(([reason, n]) => {
      const ex = [...(this.examples.get(reason) ?? [])].sort(cmp);
      const shown = ex.slice(0, maxExamples).join(", ");
      const more = ex.length > maxExamples ? `, ... (${ex.length} distinct)` : "";
      return ex.length > 0 ? `${reason}: ${n} (${shown}${more})` : `${reason}: ${n}`;
    });
  }
}

/** The part of an offer that describes the machine, identical in every region. */
export type Spec = Pick<InstanceOffer, "vcpu" | "memoryGiB" | "gpus" | "gpuType" | "arch">;

/** Copies only the spec fields (callers may pass whole offers, which must not leak prices or regions). */
function pickSpec(s: Spec): Spec {
  return { vcpu: s.vcpu, memoryGiB: s.memoryGiB, gpus: s.gpus, gpuType: s.gpuType, arch: s.arch };
}

function specKey(s: Spec): string {
  return JSON.stringify([s.vcpu, s.memoryGiB, s.gpus, s.gpuType, s.arch]);
}

/**
 * Picks one spec per instance type: the most common among `votes` (ties broken by the spec's
 * serialisation, so the choice is deterministic). Returns the winners and the types whose
 * sources disagreed, for the notes.
 */
export function consensusSpecs(votes: ReadonlyArray<{ instanceType: string; spec: Spec }>): {
  specs: Map<string, Spec>;
  disagreeing: string[];
} {
  const byType = new Map<string, Map<string, { spec: Spec; n: number }>>();
  for (const { instanceType, spec } of votes) {
    const tally = byType.get(instanceType) ?? new Map<string, { spec: Spec; n: number }>();
    const key = specKey(spec);
    const entry = tally.get(key) ?? { spec: pickSpec(spec), n: 0 };
    entry.n += 1;
    tally.set(key, entry);
    byType.set(instanceType, tally);
  }
  const specs = new Map<string, Spec>();
  const disagreeing: string[] = [];
  for (const [instanceType, tally] of byType) {
    const ranked = [...tally].sort(([ka, a], [kb, b]) => b.n - a.n || cmp(ka, kb));
    specs.set(instanceType, ranked[0]![1].spec);
    if (ranked.length > 1) disagreeing.push(instanceType);
  }
  return { specs, disagreeing: disagreeing.sort(cmp) };
}

/** Rewrites every row to its type's consensus spec (a type must look the same in every region). */
export function applyConsensusSpecs(rows: InstanceOffer[], notes: string[]): InstanceOffer[] {
  const { specs, disagreeing } = consensusSpecs(rows.map((r) => ({ instanceType: r.instanceType, spec: r })));
  if (disagreeing.length > 0) {
    notes.push(
      `instance types whose specs differed between rows (most common spec kept): ${disagreeing.length} (${sample(disagreeing)})`,
    );
  }
  return rows.map((r) => ({ ...r, ...specs.get(r.instanceType)! }));
}

/** Share of rows with a spot price that is an estimate rather than an observed price, as a note. */
export function spotNote(rows: readonly InstanceOffer[]): string {
  const withSpot = rows.filter((r) => r.spotHourlyUsd !== null);
  const estimated = withSpot.filter((r) => r.spotEstimated).length;
  const pct = rows.length === 0 ? 0 : round((100 * withSpot.length) / rows.length, 1);
  const estPct = withSpot.length === 0 ? 0 : round((100 * estimated) / withSpot.length, 1);
  return `rows kept: ${rows.length}; with a spot price: ${withSpot.length} (${pct}%), of which estimated: ${estimated} (${estPct}%)`;
}

/** Oldest of some ISO dates (YYYY-MM or YYYY-MM-DD compare correctly as strings). */
export function oldest(dates: Iterable<string>): string {
  let min: string | undefined;
  for (const d of dates) if (min === undefined || d < min) min = d;
  if (min === undefined) throw new Error("oldest of no dates");
  return min;
}

/**
 * Splits per-region dates into the provider's `asOf` (the date most regions share, ties to the
 * oldest) and `regionAsOf` (the regions that differ), the shape `SnapshotBuild` wants.
 */
export function splitAsOf(regionDates: ReadonlyMap<string, string>): { asOf: string; regionAsOf: Record<string, string> } {
  const counts = new Map<string, number>();
  for (const d of regionDates.values()) counts.set(d, (counts.get(d) ?? 0) + 1);
  const ranked = [...counts].sort(([da, a], [db, b]) => b - a || cmp(da, db));
  const asOf = ranked[0]?.[0];
  if (asOf === undefined) throw new Error("no regions to date");
  const regionAsOf: Record<string, string> = {};
  for (const region of [...regionDates.keys()].sort(cmp)) {
    const d = regionDates.get(region)!;
    if (d !== asOf) regionAsOf[region] = d;
  }
  return { asOf, regionAsOf };
}

/** Up to `n` names for a note, with the total when cut. */
export function sample(names: readonly string[], n = 6): string {
  return names.length > n ? `${names.slice(0, n).join(", ")}, ...` : names.join(", ");
}

/** Sorted copy of rows in catalog order (provider, region, type), so builds are deterministic. */
export function sortRows(rows: readonly InstanceOffer[]): InstanceOffer[] {
  return [...rows].sort(compareOffers);
}
