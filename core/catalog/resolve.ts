/**
 * Which prices a plan uses. Today: the embedded snapshot, with a user catalog file replacing the
 * providers it lists. Live price adapters plug in here, ahead of the snapshot.
 */
import type { Catalog } from "./offer";
import { loadSnapshot } from "./snapshot";
import { overrideCatalog, readCatalogFile } from "./csv";

export interface PriceOptions {
  /** A user catalog CSV (DESIGN.md): replaces every other source for the providers it lists. */
  catalogFile?: string;
  /** No network: cache or embedded snapshot only. */
  offline?: boolean;
}

export function resolveCatalog(options: PriceOptions = {}): Catalog {
  const base = loadSnapshot();
  return options.catalogFile ? overrideCatalog(base, readCatalogFile(options.catalogFile)) : base;
}
