/**
 * `multicloud prices refresh`: fetch live prices for some providers and regions and rewrite their
 * cache files, ignoring the TTL. Unlike plan-time resolution there is no fallback: a provider that
 * fails is reported as failed (and its cache left untouched), since refreshing is the whole point.
 */
import { cmp } from "../catalog/offer";
import { loadSnapshot } from "../catalog/snapshot";
import { cacheRoot, writeCache } from "./cache";
import { fetchLive, liveContext, regionsToPrice } from "./live";
import { errorText } from "./errors";
import { deadlineOf, type LiveAccess, type Progress } from "./source";
import type { CloudSet } from "../clouds/cloud-set";

export interface RefreshOptions extends LiveAccess {
  clouds: CloudSet;
  providers: readonly string[];
  /** Regions per provider; absent = every region the snapshot knows for it. */
  regions?: Readonly<Record<string, readonly string[] | undefined>>;
  cacheDir?: string;
  onProgress?: (p: Progress) => void;
}

export interface RefreshOutcome {
  provider: string;
  regions: string[];
  /** Offers written; 0 when failed. */
  offers: number;
  pages: number;
  ms: number;
  notes: string[];
  /** Why the refresh failed; absent on success. */
  error?: string;
}

export async function refreshPrices(options: RefreshOptions): Promise<RefreshOutcome[]> {
  const snapshot = loadSnapshot();
  const root = cacheRoot(options.cacheDir);
  const providers = [...new Set(options.providers)].sort(cmp);
  // A refresh has no default deadline (filling every region's cache may take a while): only an explicit one.
  const deadline = deadlineOf(options);
  return Promise.all(
    providers.map(async (provider): Promise<RefreshOutcome> => {
      const regions = regionsToPrice(provider, options.regions, snapshot);
      try {
        const fetched = await fetchLive(options.clouds.get(provider), regions, snapshot, liveContext(provider, { ...options, deadline }));
        writeCache(root, provider, fetched.byRegion, (options.now ?? (() => new Date()))());
        return { provider, regions, offers: fetched.offers.length, pages: fetched.pages, ms: fetched.ms, notes: fetched.notes };
      } catch (err) {
        return { provider, regions, offers: 0, pages: 0, ms: 0, notes: [], error: errorText(err) };
      }
    }),
  );
}
