/**
 * Which prices a plan uses, per provider, and why (DESIGN.md "Price catalog file", issue "Live
 * prices"). The order, for each provider the spec uses:
 *
 *   1. `--catalog FILE` lists the provider: the file, nothing else (no network).
 *   2. live on (`live: true`, not offline): a fresh cache (younger than the TTL) is used as is;
 *      otherwise the live APIs are called and the cache rewritten; if they fail, a cached copy of
 *      any age, else the embedded snapshot, each with a warning that gives the reason.
 *   3. live off (the default) or offline: the cache when it covers every region (a warning when
 *      older than the TTL), else the embedded snapshot. No network.
 *
 * A provider's offers come from exactly one source: live or cached offers replace all of that
 * provider's snapshot offers, so a live price never sits next to a snapshot price unannounced. The
 * chosen source and its as-of date land in the catalog provenance and from there in `plan.prices`.
 */
import { cmp, compareOffers, type Catalog, type CatalogProvenance, type InstanceOffer, type PriceSourceKind } from "../catalog/offer";
import { loadSnapshot } from "../catalog/snapshot";
import { overrideCatalog, readCatalogFile } from "../catalog/csv";
import { cacheRoot, readCache, writeCache, type CachedRegion } from "./cache";
import { fetchLive, liveContext, regionsToPrice, type LiveFetchContext } from "./live";
import { errorText } from "./errors";
import { DEFAULT_LIVE_TIMEOUT_SECONDS, deadlineOf, type LiveAccess, type Progress } from "./source";
import type { CloudAdapter } from "../clouds/adapter";
import type { CloudSet } from "../clouds/cloud-set";

export const DEFAULT_TTL_HOURS = 24;

export interface ResolvePricesOptions extends LiveAccess {
  /** The clouds to price with: their live sources, and the names a catalog file may use. */
  clouds: CloudSet;
  /** A user catalog CSV: replaces every other source for the providers it lists. */
  catalogFile?: string;
  /** No network at all: cache or snapshot. Wins over `live`. */
  offline?: boolean;
  /** Call the live price APIs (opt-in: `--live` / MULTICLOUD_LIVE=1 in the CLI). */
  live?: boolean;
  /** Providers to resolve; the others keep their snapshot prices. */
  providers: readonly string[];
  /** Regions per provider; absent = every region the snapshot knows for it. */
  regions?: Readonly<Record<string, readonly string[] | undefined>>;
  cacheDir?: string;
  ttlHours?: number;
  onProgress?: (p: Progress) => void;
}

/** What happened for one provider: the source used, and for a fallback, why. */
export interface ProviderResolution {
  provider: string;
  source: PriceSourceKind;
  asOf: string;
  regions: string[];
  offers: number;
  /** Set when the source is a fallback or a stale cache. */
  warning?: string;
}

export interface ResolvedPrices {
  catalog: Catalog;
  warnings: string[];
  providers: ProviderResolution[];
}

interface Choice {
  source: PriceSourceKind;
  offers: InstanceOffer[] | null; // null: keep the snapshot's
  provenance: CatalogProvenance;
  warning?: string;
}

export async function resolvePrices(options: ResolvePricesOptions): Promise<ResolvedPrices> {
  const file = options.catalogFile ? readCatalogFile(options.catalogFile, options.clouds) : undefined;
  const inFile = new Set(Object.keys(file?.provenance ?? {}));
  // A file that prices every cloud leaves nothing to the snapshot, the cache or the network: the
  // snapshot is not even read (a large part of a `--catalog` plan's time otherwise).
  if (file && options.clouds.names.every((p) => inFile.has(p))) return { catalog: file, warnings: [], providers: fileResolutions(file, inFile) };
  const snapshot = loadSnapshot();
  const now = (options.now ?? (() => new Date()))();
  const root = cacheRoot(options.cacheDir);
  const ttlMs = (options.ttlHours ?? DEFAULT_TTL_HOURS) * 3_600_000;

  const live = Boolean(options.live) && !options.offline;
  // One deadline for every provider's live fetch, started now (DESIGN.md "Price catalog file").
  const deadline = live ? deadlineOf(options, DEFAULT_LIVE_TIMEOUT_SECONDS) : undefined;

  const providers = [...new Set(options.providers)].filter((p) => !inFile.has(p)).sort(cmp);
  const choices = new Map<string, Choice & { regions: string[] }>();
  // Providers are independent: resolve them in parallel (each bounds its own concurrency).
  await Promise.all(
    providers.map(async (provider) => {
      const regions = regionsToPrice(provider, options.regions, snapshot);
      const ctx = liveContext(provider, { ...options, deadline });
      const choice = await chooseSource(options.clouds.get(provider), regions, {
        live,
        root,
        ttlMs,
        now,
        snapshot,
        ctx,
      });
      choices.set(provider, { ...choice, regions });
    }),
  );

  let catalog = assemble(snapshot, choices);
  if (file) catalog = overrideCatalog(catalog, file);
  let snapshotCounts: Map<string, number> | undefined;
  const snapshotOffers = (provider: string): number => (snapshotCounts ??= countByProvider(snapshot.offers)).get(provider) ?? 0;
  const resolutions = [...choices].sort(([a], [b]) => cmp(a, b)).map(([provider, c]) => ({
    provider,
    source: c.source,
    asOf: c.provenance.asOf,
    regions: c.regions,
    offers: c.offers?.length ?? snapshotOffers(provider),
    ...(c.warning ? { warning: c.warning } : {}),
  }));
  if (file) resolutions.push(...fileResolutions(file, inFile));
  return { catalog, warnings: resolutions.flatMap((r) => (r.warning ? [r.warning] : [])), providers: resolutions };
}

function fileResolutions(file: Catalog, inFile: ReadonlySet<string>): ProviderResolution[] {
  return [...inFile].sort(cmp).map((p) => ({ provider: p, source: "file" as const, asOf: file.provenance[p]!.asOf, regions: [], offers: file.offers.filter((o) => o.provider === p).length }));
}

interface ChoiceContext {
  live: boolean;
  root: string;
  ttlMs: number;
  now: Date;
  snapshot: Catalog;
  ctx: LiveFetchContext;
}

async function chooseSource(adapter: CloudAdapter, regions: string[], c: ChoiceContext): Promise<Choice> {
  const provider = adapter.name;
  const cached = readCache(c.root, provider, regions);
  const stale = cached.ok ? cached.regions.filter((r) => c.now.getTime() - r.fetchedAt.getTime() >= c.ttlMs) : [];
  if (cached.ok && (stale.length === 0 || !c.live)) {
    const choice = fromCache(cached.regions);
    if (stale.length > 0) {
      choice.warning = `${provider}: using cached prices ${ageText(stale, c.now)}, older than the ${c.ttlMs / 3_600_000} h TTL; run \`multicloud prices refresh --provider ${provider}\` or plan with --live`;
    }
    return choice;
  }
  const snapshotChoice = (): Choice => ({ source: "snapshot", offers: null, provenance: c.snapshot.provenance[provider] ?? { source: "snapshot", asOf: "unknown" } });
  if (!c.live) {
    // A missing cache is the normal offline state; an unusable one deserves a word.
    const choice = snapshotChoice();
    if (!cached.ok && !cached.reason.startsWith("no cached prices")) choice.warning = `${provider}: ${cached.reason}; using the embedded snapshot`;
    return choice;
  }
  try {
    const fetched = await fetchLive(adapter, regions, c.snapshot, c.ctx);
    const choice: Choice = { source: "live", offers: fetched.offers, provenance: { source: "live", asOf: isoDate(c.now) } };
    try {
      writeCache(c.root, provider, fetched.byRegion, c.now);
    } catch (err) {
      choice.warning = `${provider}: live prices used, but the cache could not be written (${errorText(err)})`;
    }
    return choice;
  } catch (err) {
    const reason = `${provider}: live prices unavailable (${errorText(err)})`;
    if (cached.ok) {
      return { ...fromCache(cached.regions), warning: `${reason}; using cached prices ${ageText(cached.regions, c.now)}` };
    }
    const choice = snapshotChoice();
    return { ...choice, warning: `${reason}; using the embedded snapshot (prices as of ${choice.provenance.asOf})` };
  }
}

function fromCache(regions: readonly CachedRegion[]): Choice {
  const dates = new Map(regions.map((r) => [r.region, isoDate(r.fetchedAt)]));
  const asOf = [...dates.values()].sort(cmp)[0]!;
  const regionAsOf = Object.fromEntries([...dates].filter(([, d]) => d !== asOf));
  return {
    source: "cache",
    offers: regions.flatMap((r) => r.offers),
    provenance: { source: "cache", asOf, ...(Object.keys(regionAsOf).length > 0 ? { regionAsOf } : {}) },
  };
}

/** "fetched 2026-07-18 (3 days old)", from the oldest region. */
function ageText(regions: readonly CachedRegion[], now: Date): string {
  const oldest = regions.reduce((a, b) => (a.fetchedAt <= b.fetchedAt ? a : b));
  const hours = Math.floor((now.getTime() - oldest.fetchedAt.getTime()) / 3_600_000);
  const age = hours < 48 ? `${hours} h old` : `${Math.floor(hours / 24)} days old`;
  return `fetched ${isoDate(oldest.fetchedAt)} (${age})`;
}

/**
 * The snapshot with each resolved provider's offers swapped in whole. When every provider keeps
 * its snapshot offers (the offline default) and the snapshot is already in `compareOffers` order,
 * the snapshot's own array is the answer (a copy and a stable sort of ~86k sorted rows would give
 * the same order, for ~25 ms); with unchanged provenance too, the snapshot object itself, so
 * memoised indexes over it (catalog/query.ts) are shared rather than built twice.
 */
function assemble(snapshot: Catalog, choices: ReadonlyMap<string, Choice>): Catalog {
  const replaced = new Set([...choices].filter(([, c]) => c.offers !== null).map(([p]) => p));
  let offers: readonly InstanceOffer[];
  if (replaced.size === 0 && isSorted(snapshot.offers)) {
    offers = snapshot.offers;
  } else {
    const copy = [...snapshot.offers.filter((o) => !replaced.has(o.provider)), ...[...choices.values()].flatMap((c) => c.offers ?? [])];
    offers = copy.sort(compareOffers);
  }
  if (offers === snapshot.offers && [...choices].every(([p, c]) => snapshot.provenance[p] === c.provenance)) return snapshot;
  const provenance: Record<string, CatalogProvenance> = { ...snapshot.provenance };
  for (const [p, c] of choices) provenance[p] = c.provenance;
  return { offers, provenance };
}

function isSorted(offers: readonly InstanceOffer[]): boolean {
  for (let i = 1; i < offers.length; i++) if (compareOffers(offers[i - 1]!, offers[i]!) > 0) return false;
  return true;
}

/**
 * provider -> number of snapshot offers, in one pass (a `filter` per provider cost ~16 ms). Offers
 * come grouped by provider, so the map is touched once per run of one provider, not once per offer.
 */
function countByProvider(offers: readonly InstanceOffer[]): Map<string, number> {
  const counts = new Map<string, number>();
  let start = 0;
  for (let i = 1; i <= offers.length; i++) {
    if (i < offers.length && offers[i]!.provider === offers[start]!.provider) continue;
    if (start < offers.length) counts.set(offers[start]!.provider, (counts.get(offers[start]!.provider) ?? 0) + i - start);
    start = i;
  }
  return counts;
}

export function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}
