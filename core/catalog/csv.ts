/**
 * The user's price catalog file (DESIGN.md "Price catalog file"): CSV with header
 * provider,region,instanceType,vcpu,memoryGiB,gpus,gpuType,arch,onDemandHourlyUsd,spotHourlyUsd
 * and an optional last column `burstable`. Validated row by row; every problem names the line and
 * the column, and all problems are reported at once.
 *
 * For each provider present in the file, the file replaces every other price source.
 */
import * as fs from "node:fs";
import { parse } from "csv-parse/sync";
import { ARCHES, compareOffers, offerKey, type Arch, type Catalog, type InstanceOffer } from "./offer";
import type { CloudSet } from "../clouds/cloud-set";
import { UserError, didYouMean } from "../util/errors";

export const CATALOG_COLUMNS = [
  "provider", "region", "instanceType", "vcpu", "memoryGiB", "gpus", "gpuType", "arch", "onDemandHourlyUsd", "spotHourlyUsd",
] as const;

const MAX_REPORTED = 20;

/**
 * Upper bounds on catalog numbers (README "Price catalog file"): far above any real instance
 * (the largest sell ~900 vCPUs, ~32 TiB and 16 GPUs for under $500/hour), low enough that the
 * solver's arithmetic stays well conditioned. A row beyond them is an error naming its line.
 */
export const CATALOG_LIMITS = { vcpu: 100_000, memoryGiB: 1_000_000, gpus: 10_000, hourlyUsd: 10_000 } as const;

/** Reads a catalog file; its prices are dated by the file's modification time. */
/**
 * Parsed once per file version: a plan validates its spec against the catalog before resolving
 * today's prices, and both read the same file.
 */
const parsedFiles = new Map<string, { version: string; clouds: CloudSet; catalog: Catalog }>();

export function readCatalogFile(file: string, clouds: CloudSet): Catalog {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (err) {
    throw readError(file, err);
  }
  const version = `${stat.mtimeMs}/${stat.size}`;
  const known = parsedFiles.get(file);
  if (known?.version === version && known.clouds === clouds) return known.catalog;
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw readError(file, err);
  }
  const catalog = parseCatalogCsv(text, file, stat.mtime.toISOString().slice(0, 10), clouds);
  parsedFiles.set(file, { version, clouds, catalog });
  return catalog;
}

function readError(file: string, err: unknown): UserError {
  const code = (err as NodeJS.ErrnoException).code;
  return new UserError(code === "ENOENT" ? `catalog file not found: ${file}` : `cannot read catalog file ${file}: ${(err as Error).message}`);
}

/** Parses catalog CSV text; `file` names it in messages, `asOf` dates its prices. */
export function parseCatalogCsv(text: string, file: string, asOf: string, clouds: CloudSet): Catalog {
  let records: string[][];
  try {
    records = text.includes('"') ? (parse(text, { bom: true, skip_empty_lines: true, trim: true, relax_column_count: true }) as string[][]) : splitPlainCsv(text);
  } catch (err) {
    throw new UserError(`${file}: not valid CSV: ${(err as Error).message}`);
  }
  const header = records[0];
  const withBurstable = [...CATALOG_COLUMNS, "burstable"];
  const headerOk =
    header !== undefined &&
    (header.join(",") === CATALOG_COLUMNS.join(",") || header.join(",") === withBurstable.join(","));
  if (!headerOk) {
    const missing = CATALOG_COLUMNS.filter((c) => !header?.includes(c));
    const why = header !== undefined && missing.length > 0 ? ` (missing column${missing.length === 1 ? "" : "s"} ${missing.join(", ")})` : "";
    throw new UserError(`${file}:1: expected the header "${CATALOG_COLUMNS.join(",")}" (optionally followed by ",burstable"), got "${header?.join(",") ?? ""}"${why}`);
  }
  const columns = header.length;
  const problems: string[] = [];
  const offers: InstanceOffer[] = [];
  const seen = new Map<string, number>();

  records.slice(1).forEach((cells, i) => {
    const line = i + 2;
    const rowProblems: string[] = [];
    const bad = (column: string, expected: string, got: string | undefined) =>
      rowProblems.push(`${file}:${line}: column ${column}: expected ${expected}, got ${JSON.stringify(got ?? "")}`);
    if (cells.length !== columns) {
      problems.push(`${file}:${line}: expected ${columns} columns, got ${cells.length}`);
      return;
    }
    const get = (name: string) => cells[header.indexOf(name)]!;
    const provider = get("provider");
    if (!clouds.has(provider)) bad("provider", `one of ${clouds.names.join(", ")}${didYouMean(provider, clouds.names)}`, provider);
    const region = get("region");
    if (region === "") bad("region", "a region name", region);
    const instanceType = get("instanceType");
    if (instanceType === "") bad("instanceType", "an instance type name", instanceType);
    const vcpu = number(get("vcpu"), { min: 0, exclusive: true, max: CATALOG_LIMITS.vcpu });
    if (vcpu === undefined) bad("vcpu", `a number > 0 and <= ${CATALOG_LIMITS.vcpu} (fractions for shared-core types, e.g. 0.25)`, get("vcpu"));
    const memoryGiB = number(get("memoryGiB"), { min: 0, exclusive: true, max: CATALOG_LIMITS.memoryGiB });
    if (memoryGiB === undefined) bad("memoryGiB", `a number > 0 and <= ${CATALOG_LIMITS.memoryGiB}`, get("memoryGiB"));
    const gpus = number(get("gpus"), { min: 0, max: CATALOG_LIMITS.gpus });
    if (gpus === undefined) bad("gpus", `a number >= 0 and <= ${CATALOG_LIMITS.gpus} (fractions for GPU slices, e.g. 0.125)`, get("gpus"));
    // A GPU the source does not name stays null: eligible only for specs that ask for no gpuType,
    // and shown as "unnamed" in plans.
    const gpuType = get("gpuType") === "" ? null : get("gpuType").toLowerCase();
    const arch = get("arch");
    if (!(ARCHES as readonly string[]).includes(arch)) bad("arch", `one of ${ARCHES.join(", ")}`, arch);
    const onDemand = number(get("onDemandHourlyUsd"), { min: 0, exclusive: true, max: CATALOG_LIMITS.hourlyUsd });
    if (onDemand === undefined) bad("onDemandHourlyUsd", `a price in $/hour > 0 and <= ${CATALOG_LIMITS.hourlyUsd}`, get("onDemandHourlyUsd"));
    const spotText = get("spotHourlyUsd");
    const spot = spotText === "" ? null : number(spotText, { min: 0, exclusive: true, max: CATALOG_LIMITS.hourlyUsd });
    if (spot === undefined) bad("spotHourlyUsd", `a price in $/hour > 0 and <= ${CATALOG_LIMITS.hourlyUsd}, or empty when there is no spot offer`, spotText);
    let burstable: boolean | undefined;
    if (columns === withBurstable.length) {
      const b = get("burstable").toLowerCase();
      if (b === "true" || b === "false") burstable = b === "true";
      else bad("burstable", "true or false", get("burstable"));
    }
    if (rowProblems.length > 0) {
      problems.push(...rowProblems);
      return;
    }
    const offer: InstanceOffer = {
      provider,
      region,
      instanceType,
      vcpu: vcpu!,
      memoryGiB: memoryGiB!,
      gpus: gpus!,
      gpuType,
      arch: arch as Arch,
      burstable: burstable ?? clouds.get(provider).isBurstable(instanceType),
      onDemandHourlyUsd: onDemand!,
      spotHourlyUsd: spot ?? null,
      spotEstimated: false,
    };
    const key = offerKey(offer);
    const first = seen.get(key);
    if (first !== undefined) {
      problems.push(`${file}:${line}: ${key} is listed twice (first on line ${first})`);
      return;
    }
    seen.set(key, line);
    offers.push(offer);
  });

  if (problems.length > 0) {
    const shown = problems.slice(0, MAX_REPORTED);
    const more = problems.length > MAX_REPORTED ? `\n  ... and ${problems.length - MAX_REPORTED} more` : "";
    const head = problems.length === 1 ? `invalid catalog: ${shown[0]}` : `invalid catalog (${problems.length} problems):\n  ${shown.join("\n  ")}${more}`;
    throw new UserError(head, problems);
  }
  if (offers.length === 0) throw new UserError(`${file}: the catalog has a header but no rows`);

  const provenance = Object.fromEntries([...new Set(offers.map((o) => o.provider))].sort().map((p) => [p, { source: "file" as const, asOf }]));
  return { offers: offers.sort(compareOffers), provenance };
}

/**
 * CSV without a quote character (what `prices export` and most price lists write) split directly:
 * the same records csv-parse gives for such text, several times faster on an 86,000-row file.
 */
function splitPlainCsv(text: string): string[][] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: string[][] = [];
  for (const line of body.split(/\r\n|\r|\n/)) {
    if (line === "") continue;
    records.push(line.split(",").map((cell) => cell.trim()));
  }
  return records;
}

function number(text: string, rule: { min: number; exclusive?: boolean; max: number }): number | undefined {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value)) return undefined;
  if (rule.exclusive ? value <= rule.min : value < rule.min) return undefined;
  if (value > rule.max) return undefined;
  return value;
}

/** The catalog to plan with: the file's providers from the file, every other provider from `base`. */
export function overrideCatalog(base: Catalog, file: Catalog): Catalog {
  const replaced = new Set(Object.keys(file.provenance));
  const offers = [...base.offers.filter((o) => !replaced.has(o.provider)), ...file.offers].sort(compareOffers);
  const provenance = { ...Object.fromEntries(Object.entries(base.provenance).filter(([p]) => !replaced.has(p))), ...file.provenance };
  return { offers, provenance };
}

/**
 * Offers as catalog CSV text that `parseCatalogCsv` reads back to the same offers (`prices
 * export`): the header with the `burstable` column, one row per offer in catalog order, numbers in
 * JavaScript's shortest round-trip form (fractions kept exactly), cells quoted only when needed.
 * `spotEstimated` has no column: a file's spot prices are what the file says.
 */
export function catalogToCsv(offers: readonly InstanceOffer[]): string {
  const lines = [[...CATALOG_COLUMNS, "burstable"].join(",")];
  for (const o of [...offers].sort(compareOffers)) {
    const cells = [o.provider, o.region, o.instanceType, String(o.vcpu), String(o.memoryGiB), String(o.gpus), o.gpuType ?? "", o.arch, String(o.onDemandHourlyUsd), o.spotHourlyUsd === null ? "" : String(o.spotHourlyUsd), String(o.burstable)];
    lines.push(cells.map(csvCell).join(","));
  }
  return `${lines.join("\n")}\n`;
}

function csvCell(text: string): string {
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
