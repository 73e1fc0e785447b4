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
    records = parse(text, { bom: true, skip_empty_lines: true, trim: true, relax_column_count: true }) as string[][];
  } catch (err) {
    throw new UserError(`${file}: not valid CSV: ${(err as Error).message}`);
  }
  const header = records[0];
  const withBurstable = [...CATALOG_COLUMNS, "burstable"];
  const headerOk =
    header !== undefined &&
    (header.join(",") === CATALOG_COLUMNS.join(",") || header.join(",") === withBurstable.join(","));
  if (!headerOk) {
    throw new UserError(`${file}:1: expected the header "${CATALOG_COLUMNS.join(",")}" (optionally followed by ",burstable"), got "${header?.join(",") ?? ""}"`);
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
    const vcpu = number(get("vcpu"), { integer: true, min: 1 });
    if (vcpu === undefined) bad("vcpu", "a whole number >= 1", get("vcpu"));
    const memoryGiB = number(get("memoryGiB"), { min: 0, exclusive: true });
    if (memoryGiB === undefined) bad("memoryGiB", "a number > 0", get("memoryGiB"));
    const gpus = number(get("gpus"), { integer: true, min: 0 });
    if (gpus === undefined) bad("gpus", "a whole number >= 0", get("gpus"));
    const gpuType = get("gpuType") === "" ? null : get("gpuType").toLowerCase();
    if (gpus !== undefined && gpus > 0 && gpuType === null) bad("gpuType", "a GPU model (e.g. a100) when gpus > 0", "");
    const arch = get("arch");
    if (!(ARCHES as readonly string[]).includes(arch)) bad("arch", `one of ${ARCHES.join(", ")}`, arch);
    const onDemand = number(get("onDemandHourlyUsd"), { min: 0, exclusive: true });
    if (onDemand === undefined) bad("onDemandHourlyUsd", "a price in $/hour > 0", get("onDemandHourlyUsd"));
    const spotText = get("spotHourlyUsd");
    const spot = spotText === "" ? null : number(spotText, { min: 0, exclusive: true });
    if (spot === undefined) bad("spotHourlyUsd", "a price in $/hour > 0, or empty when there is no spot offer", spotText);
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

function number(text: string, rule: { integer?: boolean; min: number; exclusive?: boolean }): number | undefined {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value)) return undefined;
  if (rule.integer && !Number.isInteger(value)) return undefined;
  if (rule.exclusive ? value <= rule.min : value < rule.min) return undefined;
  return value;
}

/** The catalog to plan with: the file's providers from the file, every other provider from `base`. */
export function overrideCatalog(base: Catalog, file: Catalog): Catalog {
  const replaced = new Set(Object.keys(file.provenance));
  const offers = [...base.offers.filter((o) => !replaced.has(o.provider)), ...file.offers].sort(compareOffers);
  const provenance = { ...Object.fromEntries(Object.entries(base.provenance).filter(([p]) => !replaced.has(p))), ...file.provenance };
  return { offers, provenance };
}
