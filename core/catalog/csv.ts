/**
 * The user's price catalog file (DESIGN.md "Price catalog file"): CSV with header
 * provider,region,instanceType,vcpu,memoryGiB,gpus,gpuType,arch,onDemandHourlyUsd,spotHourlyUsd
 * and an optional last column `burstable`. Validated row by row; every problem names the line and
 * the column, and all problems are reported at once.
 *
 * For each provider present in the file, the file replaces every other price source.
 */
import * as fs from "node:fs";
import { ARCHES, compareOffers, offerKey, type Arch, type Catalog, type InstanceOffer } from "./offer";
import type { CloudSet } from "../clouds/cloud-set";
import { UserError, didYouMean } from "../util/errors";
import { MAX_SHOWN_CHARACTERS, quoted } from "../spec/issues";
import { scannable, scanPlainRows } from "./csv-fast";

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

/** csv-parse, loaded only for a file with quotes (a plan without such a file never needs it). */
function parseQuotedCsv(text: string, options: import("csv-parse/sync").Options): unknown {
  return (require("csv-parse/sync") as typeof import("csv-parse/sync")).parse(text, options);
}

/** Parses catalog CSV text; `file` names it in messages, `asOf` dates its prices. */
export function parseCatalogCsv(text: string, file: string, asOf: string, clouds: CloudSet): Catalog {
  // Quote-free text (what `prices export` writes) is scanned in place (./csv-fast.ts) after its
  // header; other text is split into records first.
  const scan = text.includes('"') ? undefined : plainHeader(text);
  let records: string[][];
  try {
    records = scan ? [scan.header] : text.includes('"') ? (parseQuotedCsv(text, { bom: true, skip_empty_lines: true, trim: true, relax_column_count: true }) as string[][]) : splitPlainCsv(text);
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
    throw new UserError(`${file}:1: expected the header "${CATALOG_COLUMNS.join(",")}" (optionally followed by ",burstable"), got ${quoted(header?.join(",") ?? "", 400)}${why}`);
  }
  const columns = header.length;
  const problems: string[] = [];
  const offers: InstanceOffer[] = [];
  // Duplicates: rows in strictly increasing (provider, region, instanceType) order, as `prices
  // export` writes them, cannot repeat a key, so no key is built or looked up (and nothing is
  // sorted) until the order breaks; from then on each row is checked against all rows before it.
  let seen: Map<string, number> | undefined;
  const lineOf: number[] = [];
  const addOffer = (offer: InstanceOffer, line: number) => {
    const previous = offers[offers.length - 1];
    if (seen === undefined && (previous === undefined || compareOffers(previous, offer) < 0) && !slashIn(offer)) {
      offers.push(offer);
      lineOf.push(line);
      return;
    }
    seen ??= new Map(offers.map((o, k) => [offerKey(o), lineOf[k]!]));
    const key = offerKey(offer);
    const first = seen.get(key);
    if (first !== undefined) {
      const shownKey = key.length > MAX_SHOWN_CHARACTERS ? quoted(key) : key;
      problems.push(`${file}:${line}: ${shownKey} is listed twice (first on line ${first})`);
      return;
    }
    seen.set(key, line);
    offers.push(offer);
  };

  const checkRow = (cells: string[], line: number) => {
    // Fast path: a row whose every cell is plainly valid becomes its offer at once; the checks
    // below run only for the others, so every message is exactly theirs.
    const plain = plainOffer(cells, columns, clouds);
    if (plain) {
      addOffer(plain, line);
      return;
    }
    const rowProblems: string[] = [];
    const bad = (column: string, expected: string, got: string | undefined) =>
      rowProblems.push(`${file}:${line}: column ${column}: expected ${expected}, got ${quoted(got ?? "")}`);
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
    addOffer(offer, line);
  };
  if (scan) scanPlainRows(scan.body, scan.start, columns, clouds, CATALOG_LIMITS, { offer: addOffer, row: checkRow });
  else records.slice(1).forEach((cells, i) => checkRow(cells, i + 2));

  if (problems.length > 0) {
    const shown = problems.slice(0, MAX_REPORTED);
    const more = problems.length > MAX_REPORTED ? `\n  ... and ${problems.length - MAX_REPORTED} more` : "";
    const head = problems.length === 1 ? `invalid catalog: ${shown[0]}` : `invalid catalog (${problems.length} problems):\n  ${shown.join("\n  ")}${more}`;
    throw new UserError(head, problems);
  }
  if (offers.length === 0) throw new UserError(`${file}: the catalog has a header but no rows`);

  const provenance = Object.fromEntries([...new Set(offers.map((o) => o.provider))].sort().map((p) => [p, { source: "file" as const, asOf }]));
  return { offers: seen === undefined ? offers : offers.sort(compareOffers), provenance };
}

const PLAIN = {
  vcpu: { min: 0, exclusive: true, max: CATALOG_LIMITS.vcpu },
  memoryGiB: { min: 0, exclusive: true, max: CATALOG_LIMITS.memoryGiB },
  gpus: { min: 0, max: CATALOG_LIMITS.gpus },
  hourlyUsd: { min: 0, exclusive: true, max: CATALOG_LIMITS.hourlyUsd },
} as const;

/**
 * The offer of a row that passes every check of `parseCatalogCsv` without a closure, a column
 * lookup or a message built (the header is fixed, so each column's index is too); undefined for
 * any other row, which the full checks then describe. Accepts nothing they reject and builds the
 * same offer: an 86,000-row file reads in a fraction of the time.
 */
function plainOffer(cells: readonly string[], columns: number, clouds: CloudSet): InstanceOffer | undefined {
  if (cells.length !== columns) return undefined;
  const provider = cells[0]!;
  const region = cells[1]!;
  const instanceType = cells[2]!;
  const arch = cells[7]!;
  if (region === "" || instanceType === "" || (arch !== "x86_64" && arch !== "arm64") || !clouds.has(provider)) return undefined;
  const vcpu = number(cells[3]!, PLAIN.vcpu);
  const memoryGiB = number(cells[4]!, PLAIN.memoryGiB);
  const gpus = number(cells[5]!, PLAIN.gpus);
  const onDemand = number(cells[8]!, PLAIN.hourlyUsd);
  const spotText = cells[9]!;
  const spot = spotText === "" ? null : number(spotText, PLAIN.hourlyUsd);
  if (vcpu === undefined || memoryGiB === undefined || gpus === undefined || onDemand === undefined || spot === undefined) return undefined;
  let burstable: boolean;
  if (columns === CATALOG_COLUMNS.length) burstable = clouds.get(provider).isBurstable(instanceType);
  else {
    const b = cells[10]!.toLowerCase();
    if (b !== "true" && b !== "false") return undefined;
    burstable = b === "true";
  }
  const gpuText = cells[6]!;
  return {
    provider,
    region,
    instanceType,
    vcpu,
    memoryGiB,
    gpus,
    gpuType: gpuText === "" ? null : gpuText.toLowerCase(),
    arch,
    burstable,
    onDemandHourlyUsd: onDemand,
    spotHourlyUsd: spot,
    spotEstimated: false,
  };
}

/** A key part with "/" could make two different rows share a key: such rows take the map path. */
function slashIn(o: InstanceOffer): boolean {
  return o.provider.includes("/") || o.region.includes("/") || o.instanceType.includes("/");
}

/**
 * The header of quote-free text whose lines break at "\n" or "\r\n" (the first non-empty line,
 * split and trimmed as splitPlainCsv does), and where its rows start; undefined for other text
 * and for text without a line.
 */
function plainHeader(text: string): { header: string[]; body: string; start: number } | undefined {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (!scannable(body)) return undefined;
  for (let pos = 0; pos < body.length; ) {
    let end = body.indexOf("\n", pos);
    if (end === -1) end = body.length;
    const line = body.slice(pos, end > pos && body.charCodeAt(end - 1) === 13 ? end - 1 : end);
    if (line !== "") return { header: line.split(",").map((cell) => cell.trim()), body, start: end + 1 };
    pos = end + 1;
  }
  return undefined; // no line at all: the record path reports the missing header
}

/**
 * CSV without a quote character (what `prices export` and most price lists write) split directly:
 * the same records csv-parse gives for such text, several times faster on an 86,000-row file.
 */
function splitPlainCsv(text: string): string[][] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: string[][] = [];
  for (const line of body.includes("\r") ? body.split(/\r\n|\r|\n/) : body.split("\n")) {
    if (line === "") continue;
    const cells = line.split(",");
    // Trim in place, and only cells that start or end with a character that may be white space.
    for (let k = 0; k < cells.length; k++) {
      const cell = cells[k]!;
      if (cell !== "" && (mayBeSpace(cell.charCodeAt(0)) || mayBeSpace(cell.charCodeAt(cell.length - 1)))) cells[k] = cell.trim();
    }
    records.push(cells);
  }
  return records;
}

/** Printable ASCII other than the space is never white space; anything else may be (trim decides). */
function mayBeSpace(code: number): boolean {
  return code <= 32 || code >= 127;
}

function number(text: string, rule: { min: number; exclusive?: boolean; max: number }): number | undefined {
  // `\d+(\.\d*)?`, not `\d+\.?\d*`: the latter splits a run of digits every possible way before it
  // fails, quadratic in the cell's length (a 20,000-digit cell took ~1 s).
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(text)) return undefined;
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
