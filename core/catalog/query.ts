/** Shared read-only queries over a catalog. */
import type { Catalog, InstanceOffer } from "./offer";

// Keyed by the offers array, not the catalog: the index depends on the offers alone, and catalogs
// that share one array (the snapshot and a price resolution that kept every snapshot offer) then
// share one pass over ~86k rows instead of two.
const regionIndex = new WeakMap<readonly InstanceOffer[], Map<string, Set<string>>>();

/** provider -> set of regions with at least one offer (memoised per offers array). */
export function regionsByProvider(catalog: Catalog): Map<string, Set<string>> {
  let index = regionIndex.get(catalog.offers);
  if (!index) {
    index = new Map();
    // Offers come grouped by provider and region (catalog order): look the set up only when the
    // pair changes, not once per offer.
    let lastProvider: string | undefined;
    let lastRegion: string | undefined;
    for (const o of catalog.offers) {
      if (o.provider === lastProvider && o.region === lastRegion) continue;
      lastProvider = o.provider;
      lastRegion = o.region;
      let regions = index.get(o.provider);
      if (!regions) index.set(o.provider, (regions = new Set()));
      regions.add(o.region);
    }
    regionIndex.set(catalog.offers, index);
  }
  return index;
}
