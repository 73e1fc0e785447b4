import * as fs from "node:fs";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { describe, expect, it } from "vitest";
import { loadStoragePrices, parseStoragePrices, STORAGE_PRICES_PATH } from "../../core/backup/prices";
import { normaliseTiers } from "../../core/backup/price-sources";
import { tieredCost } from "../../core/backup/cost";
import { TIERS } from "../../core/backup/types";
import { buildStorageSnapshot } from "../../scripts/build-storage-prices";
import { packageRoot } from "../../core/util/package-root";

const SOURCES = path.resolve(packageRoot(), "..", "shared", "pricing-sources");
const haveSources = fs.existsSync(path.join(SOURCES, "egress", "aws-azure-internet-egress-tiers-2024-08.csv"));

describe("the storage price snapshot", () => {
  it("loads once per process, quickly", () => {
    const started = performance.now();
    const first = loadStoragePrices();
    const ms = performance.now() - started;
    expect(loadStoragePrices()).toBe(first);
    expect(ms).toBeLessThan(50);
  });

  it("prices every tier in every storage region, colder tiers cheaper", () => {
    const prices = loadStoragePrices();
    for (const [provider, p] of Object.entries(prices.providers)) {
      expect(Object.keys(p.storage).length, provider).toBeGreaterThan(5);
      for (const [region, byTier] of Object.entries(p.storage)) {
        const values = TIERS.map((t) => byTier[t]);
        expect([...values].sort((a, b) => b - a), `${provider}/${region}`).toEqual(values);
      }
      for (const table of Object.values(p.egress)) expect(table.worldwide?.[0]?.[0]).toBe(0);
    }
  });

  it("bills Azure egress at the Microsoft-network rates, not the Internet-routing rates of the raw table", () => {
    const azure = loadStoragePrices().providers.azure!;
    expect(azure.egress.eastus!.worldwide).toEqual([
      [0, 0.087],
      [10000, 0.083],
      [50000, 0.07],
      [150000, 0.05],
    ]);
    expect(azure.egress.southeastasia!.worldwide![0]).toEqual([0, 0.12]);
  });

  it("prices GCP egress to Australia apart from the rest of the world", () => {
    const table = loadStoragePrices().providers.gcp!.egress["us-central1"]!;
    expect(table.worldwide![0]).toEqual([0, 0.12]);
    expect(table.AU![0]).toEqual([0, 0.19]);
  });

  it("rejects a snapshot of another schema version with the command that rebuilds it", () => {
    expect(() => parseStoragePrices(JSON.stringify({ schema: 99, providers: {} }))).toThrow(/build-storage-prices/);
  });

  it.skipIf(!haveSources)("is exactly what the build script makes from the shared sources (rebuild is byte-identical)", () => {
    const { json, attribution } = buildStorageSnapshot(SOURCES);
    expect(json).toBe(fs.readFileSync(STORAGE_PRICES_PATH, "utf8"));
    expect(attribution).toBe(fs.readFileSync(path.join(packageRoot(), "data", "snapshot", "STORAGE-ATTRIBUTION.md"), "utf8"));
    expect(attribution).not.toContain(SOURCES);
  });
});

describe("egress tiers", () => {
  it("collapse the raw table's repeated tiers and shift the free allowance to 0", () => {
    expect(
      normaliseTiers([
        [100, 0.08],
        [5, 0.08],
        [10005, 0.065],
        [10100, 0.065],
        [50005, 0.06],
      ]),
    ).toEqual([
      [0, 0.08],
      [10000, 0.065],
      [50000, 0.06],
    ]);
  });

  it("charge each band at its own rate", () => {
    const tiers = [
      [0, 0.09],
      [10240, 0.085],
      [51200, 0.07],
    ] as const;
    expect(tieredCost(0, tiers)).toBe(0);
    expect(tieredCost(100, tiers)).toBeCloseTo(9, 9);
    expect(tieredCost(20480, tiers)).toBeCloseTo(10240 * 0.09 + 10240 * 0.085, 9);
    expect(tieredCost(60000, tiers)).toBeCloseTo(10240 * 0.09 + 40960 * 0.085 + 8800 * 0.07, 9);
  });
});
