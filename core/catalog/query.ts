/** Shared read-only queries over a catalog. */
import type { Catalog } from "./offer";

const regionIndex = new WeakMap<Catalog, Map<string, Set<string>>>();

/** provider -> set of regions with at least one offer (memoised per catalog). */
export function regionsByProvider(catalog: Catalog): Map<string, Set<string>> {
  let index = regionIndex.get(catalog);
  if (!index) {
    index = new Map();
    for (const o of catalog.offers) {
      let regions = index.get(o.provider);
      if (!regions) index.set(o.provider, (regions = new Set()));
      regions.add(o.region);
    }
    regionIndex.set(catalog, index);
  }
  return index;
}
