/**
 * The synchronous price catalog: the embedded snapshot, with a user catalog file replacing the
 * providers it lists. No cache, no network. Plans with live or cached prices go through the async
 * `resolvePrices` (core/prices/resolve.ts), which falls back to this snapshot per provider.
 */
import type { Catalog } from "./offer";
import type { CloudSet } from "../clouds/cloud-set";
import { loadSnapshot } from "./snapshot";
import { overrideCatalog, readCatalogFile } from "./csv";

export interface PriceOptions {
  /** A user catalog CSV (DESIGN.md): replaces every other source for the providers it lists. */
  catalogFile?: string;
}

export function resolveCatalog(clouds: CloudSet, options: PriceOptions = {}): Catalog {
  if (!options.catalogFile) return loadSnapshot();
  const file = readCatalogFile(options.catalogFile, clouds);
  // A file that prices every cloud replaces the whole snapshot: it is not even read (a large part
  // of a `--catalog` plan's time otherwise). Only providers outside the set could have come from
  // it, and no spec can name those.
  if (clouds.names.every((p) => p in file.provenance)) return file;
  return overrideCatalog(loadSnapshot(), file);
}
