/** Builders for crafted storage prices: exact scenarios for the cost model and destination choice. */
import type { ProviderStoragePrices, StoragePrices } from "../../../core/backup/prices";
import type { EgressTable, Tier } from "../../../core/backup/types";

export type Storage = Record<Tier, number>;

/** hot, then each colder tier at a fixed fraction, so "colder is cheaper" holds. */
export function storage(hot: number, archive = hot / 20): Storage {
  return { hot, cool: hot / 2, cold: hot / 5, archive };
}

export const FREE_OPS = { hot: { writePer10kUsd: 0, readPer10kUsd: 0 }, cool: { writePer10kUsd: 0, readPer10kUsd: 0 }, cold: { writePer10kUsd: 0, readPer10kUsd: 0 }, archive: { writePer10kUsd: 0, readPer10kUsd: 0 } };

export function provider(partial: Partial<Omit<ProviderStoragePrices, "asOf">>): ProviderStoragePrices {
  return {
    asOf: { storage: "2026-07-01", egress: "2026-07-01", operations: "2026-07-01", transfer: "2026-07-01" },
    storage: {},
    egress: {},
    operations: FREE_OPS,
    transfer: {},
    ...partial,
  };
}

export function prices(providers: Record<string, ProviderStoragePrices>): StoragePrices {
  return { schema: 1, providers };
}

/** A flat internet egress rate to everywhere (optionally, other rates for some countries). */
export function egress(worldwide: number, byCountry: Record<string, number> = {}): EgressTable {
  const table: Record<string, ReadonlyArray<readonly [number, number]>> = { worldwide: [[0, worldwide]] };
  for (const [country, rate] of Object.entries(byCountry)) table[country] = [[0, rate]];
  return table;
}

export const NO_FEE = { perGiBUsd: 0, perRunUsd: 0 };
