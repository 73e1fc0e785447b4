/**
 * The on-disk price cache: one JSON file per provider and region under the XDG cache directory
 * (`$XDG_CACHE_HOME/pulumi-multicloud/prices/v1/<provider>/<region>.json`, `~/.cache` when unset;
 * `MULTICLOUD_CACHE_DIR` overrides the whole root). The `v1` folder is the file schema: a new
 * schema gets a new folder, so an old cache is ignored rather than misread.
 *
 * Files are written atomically (temp file + rename), so a reader sees a whole old file or a whole
 * new one; concurrent refreshes of the same region race harmlessly (last rename wins). Every file
 * records when it was fetched: freshness (TTL) and the plan's as-of date come from it. A file that
 * does not parse or fails validation counts as missing, with the reason, never as prices.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ARCHES, compareOffers, type InstanceOffer } from "../catalog/offer";
import { writeFileAtomic } from "../util/files";

const CACHE_SCHEMA = 1;

interface CacheFile {
  schema: typeof CACHE_SCHEMA;
  provider: string;
  region: string;
  /** ISO timestamp of the live fetch. */
  fetchedAt: string;
  offers: InstanceOffer[];
}

export interface CachedRegion {
  region: string;
  fetchedAt: Date;
  offers: InstanceOffer[];
}

export type CacheRead = { ok: true; regions: CachedRegion[] } | { ok: false; reason: string };

/** The cache root: explicit, else MULTICLOUD_CACHE_DIR, else the XDG cache dir. */
export function cacheRoot(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (explicit) return explicit;
  if (env.MULTICLOUD_CACHE_DIR) return env.MULTICLOUD_CACHE_DIR;
  const base = env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.join(os.homedir(), ".cache");
  return path.join(base, "pulumi-multicloud");
}

function regionFile(root: string, provider: string, region: string): string {
  // Region names are [a-z0-9-]; anything else cannot escape the folder.
  return path.join(root, "prices", `v${CACHE_SCHEMA}`, provider, `${region.replace(/[^A-Za-z0-9_-]/g, "_")}.json`);
}

/** Writes one file per region; offers are sorted so that equal prices give equal files. */
export function writeCache(root: string, provider: string, offersByRegion: ReadonlyMap<string, readonly InstanceOffer[]>, fetchedAt: Date): void {
  for (const [region, offers] of offersByRegion) {
    const file = regionFile(root, provider, region);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const body: CacheFile = { schema: CACHE_SCHEMA, provider, region, fetchedAt: fetchedAt.toISOString(), offers: [...offers].sort(compareOffers) };
    writeFileAtomic(file, `${JSON.stringify(body)}\n`);
  }
}

/** Reads the cached regions of a provider: all of them, or the reason one is unusable. */
export function readCache(root: string, provider: string, regions: readonly string[]): CacheRead {
  const out: CachedRegion[] = [];
  for (const region of regions) {
    const file = regionFile(root, provider, region);
    let text: string;
    try {
      text = fs.readFileSync(file, "utf8");
    } catch {
      return { ok: false, reason: `no cached prices for ${provider}/${region}` };
    }
    const parsed = parseCacheFile(text, provider, region);
    if (typeof parsed === "string") return { ok: false, reason: `cached prices for ${provider}/${region} are unusable (${parsed}): ${file}` };
    out.push(parsed);
  }
  return { ok: true, regions: out };
}

/** A validated cache file, or what is wrong with it. */
function parseCacheFile(text: string, provider: string, region: string): CachedRegion | string {
  let file: Partial<CacheFile>;
  try {
    file = JSON.parse(text) as Partial<CacheFile>;
  } catch {
    return "not valid JSON";
  }
  if (file.schema !== CACHE_SCHEMA) return `schema ${String(file.schema)}, expected ${CACHE_SCHEMA}`;
  if (file.provider !== provider || file.region !== region) return "written for another provider or region";
  const fetchedAt = new Date(file.fetchedAt ?? "");
  if (Number.isNaN(fetchedAt.getTime())) return "no valid fetchedAt";
  if (!Array.isArray(file.offers) || file.offers.length === 0) return "no offers";
  const bad = file.offers.find((o) => !isValidOffer(o, provider, region));
  if (bad) return `invalid offer ${JSON.stringify(bad).slice(0, 80)}`;
  return { region, fetchedAt, offers: file.offers };
}

/** True when `o` is a well-formed offer of `provider` in `region` (cache files and live answers alike). */
export function isValidOffer(o: InstanceOffer, provider: string, region: string): boolean {
  const positive = (n: unknown): boolean => typeof n === "number" && Number.isFinite(n) && n > 0;
  return (
    typeof o === "object" && o !== null &&
    o.provider === provider && o.region === region && typeof o.instanceType === "string" && o.instanceType !== "" &&
    positive(o.vcpu) && positive(o.memoryGiB) && Number.isInteger(o.gpus) && o.gpus >= 0 &&
    (o.gpuType === null || typeof o.gpuType === "string") && (ARCHES as readonly string[]).includes(o.arch) &&
    typeof o.burstable === "boolean" && positive(o.onDemandHourlyUsd) &&
    (o.spotHourlyUsd === null || positive(o.spotHourlyUsd)) && typeof o.spotEstimated === "boolean"
  );
}
