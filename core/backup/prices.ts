/**
 * The storage price snapshot (`data/snapshot/storage.json`): storage $/GiB-month per region and
 * tier, internet egress tiers per source region, request prices and transfer-service fees, per
 * cloud. Built by `scripts/build-storage-prices.ts`; sources in data/snapshot/STORAGE-ATTRIBUTION.md.
 *
 * Read once per process (the file is immutable at run time). Tests build `StoragePrices` values
 * directly to pin exact scenarios, so the cost model takes prices as a parameter.
 */
import * as fs from "node:fs";
import { packagePath } from "../util/package-root";
import { InternalError } from "../util/errors";
import { TIERS, type EgressTable, type OperationPrices, type Tier, type TransferFee } from "./types";

export const STORAGE_PRICES_SCHEMA = 1;
export const STORAGE_PRICES_PATH = packagePath("data", "snapshot", "storage.json");

export interface ProviderStoragePrices {
  /** Dates of each kind of figure (YYYY-MM or YYYY-MM-DD). */
  asOf: { storage: string; egress: string; operations: string; transfer: string };
  storage: Record<string, Record<Tier, number>>;
  egress: Record<string, EgressTable>;
  operations: Record<Tier, OperationPrices>;
  /** Fees of this cloud's transfer service, keyed by the source cloud it reads from. */
  transfer: Record<string, TransferFee>;
}

export interface StoragePrices {
  schema: typeof STORAGE_PRICES_SCHEMA;
  providers: Record<string, ProviderStoragePrices>;
}

let memo: StoragePrices | undefined;

/** The embedded storage price snapshot, parsed once per process. */
export function loadStoragePrices(): StoragePrices {
  memo ??= parseStoragePrices(fs.readFileSync(STORAGE_PRICES_PATH, "utf8"));
  return memo;
}

/** Parses and checks the snapshot's shape; a malformed file is a packaging bug, not a user error. */
export function parseStoragePrices(text: string): StoragePrices {
  const file = JSON.parse(text) as StoragePrices;
  if (file.schema !== STORAGE_PRICES_SCHEMA) {
    throw new InternalError(`storage price snapshot has schema ${String(file.schema)}, this build reads ${STORAGE_PRICES_SCHEMA}: rebuild it with \`npx tsx scripts/build-storage-prices.ts\``);
  }
  for (const [provider, p] of Object.entries(file.providers ?? {})) {
    for (const tier of TIERS) {
      if (!p.operations?.[tier]) throw new InternalError(`storage price snapshot: ${provider} has no ${tier} request prices`);
    }
    for (const [region, prices] of Object.entries(p.storage ?? {})) {
      if (!TIERS.every((t) => typeof prices[t] === "number")) throw new InternalError(`storage price snapshot: ${provider}/${region} lacks a tier`);
    }
  }
  return file;
}
