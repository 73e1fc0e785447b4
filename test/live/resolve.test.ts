/**
 * Price resolution end to end against the Azure Retail Prices fake: live, cache, snapshot and
 * file, per provider, with the reason of every fallback in the warnings and the provenance.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { resolvePrices, type ResolvePricesOptions } from "../../core/prices/resolve";
import { CLOUDS } from "../../clouds/registry";
import { loadSnapshot } from "../../core/catalog/snapshot";
import type { FakeServer } from "../fakes/http";
import { startAzureRetailFake, type RetailRow } from "../fakes/azure-retail";
import { FAST_POLICY, noSleep } from "../fakes/policy";
import { catalogCsv, offer } from "../helpers/catalog";

const rows: RetailRow[] = [
  { armSkuName: "Standard_D2s_v5", region: "eastus", usd: 0.0871 },
  { armSkuName: "Standard_D2s_v5", region: "eastus", usd: 0.0174, kind: "spot" },
  { armSkuName: "Standard_D4s_v5", region: "eastus", usd: 0.1742 },
  { armSkuName: "Standard_D4s_v5", region: "eastus", usd: 0.5, kind: "spot" }, // above on-demand: dropped here
  { armSkuName: "Standard_D2s_v5", region: "westeurope", usd: 0.1004 },
];

const NOW = new Date("2026-07-20T12:00:00Z");
let retail: FakeServer;
let cacheDir: string;

function options(overrides: Partial<ResolvePricesOptions> = {}): ResolvePricesOptions {
  return {
    clouds: CLOUDS,
    providers: ["azure"],
    regions: { azure: ["eastus", "westeurope"] },
    live: true,
    cacheDir,
    now: () => NOW,
    connections: { azure: { endpoints: { retail: retail.url } } },
    policy: FAST_POLICY,
    sleep: noSleep,
    ...overrides,
  };
}

const azureOffers = <T extends { provider: string }>(offers: readonly T[]): T[] => offers.filter((o) => o.provider === "azure");

beforeEach(async () => {
  retail = await startAzureRetailFake(rows, 1);
  cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "mc-prices-"));
});
afterEach(async () => {
  await retail.close();
  fs.rmSync(cacheDir, { recursive: true, force: true });
});

describe("resolvePrices", () => {
  it("uses live prices for the provider as a whole, dated today, and writes the cache", async () => {
    const { catalog, warnings } = await resolvePrices(options());
    expect(warnings).toEqual([]);
    expect(catalog.provenance.azure).toEqual({ source: "live", asOf: "2026-07-20" });
    expect(azureOffers(catalog.offers)).toEqual([
      expect.objectContaining({ region: "eastus", instanceType: "Standard_D2s_v5", onDemandHourlyUsd: 0.0871, spotHourlyUsd: 0.0174, vcpu: 2, memoryGiB: 8 }),
      // A spot quote not below on-demand is left out for every cloud (core/prices/live.ts).
      expect.objectContaining({ region: "eastus", instanceType: "Standard_D4s_v5", onDemandHourlyUsd: 0.1742, spotHourlyUsd: null }),
      expect.objectContaining({ region: "westeurope", instanceType: "Standard_D2s_v5", onDemandHourlyUsd: 0.1004 }),
    ]);
    // Other providers keep their snapshot prices untouched.
    expect(catalog.provenance.aws!.source).toBe("snapshot");
    expect(catalog.offers.filter((o) => o.provider === "aws")).toEqual(loadSnapshot().offers.filter((o) => o.provider === "aws"));
    expect(fs.existsSync(path.join(cacheDir, "prices", "v1", "azure", "eastus.json"))).toBe(true);
  });

  it("serves a fresh cache without any request, and marks it as the cache", async () => {
    await resolvePrices(options());
    const before = retail.requests.length;
    const later = new Date(NOW.getTime() + 23 * 3_600_000);
    const { catalog, warnings } = await resolvePrices(options({ now: () => later }));
    expect(retail.requests.length).toBe(before);
    expect(warnings).toEqual([]);
    expect(catalog.provenance.azure).toEqual({ source: "cache", asOf: "2026-07-20" });
    expect(azureOffers(catalog.offers).map((o) => o.onDemandHourlyUsd)).toEqual([0.0871, 0.1742, 0.1004]);
  });

  it("falls back to a stale cache with the reason when the live API fails", async () => {
    await resolvePrices(options());
    retail.failAlways("server");
    const later = new Date(NOW.getTime() + 3 * 24 * 3_600_000);
    const { catalog, warnings } = await resolvePrices(options({ now: () => later }));
    expect(catalog.provenance.azure!.source).toBe("cache");
    expect(warnings).toEqual([expect.stringMatching(/^azure: live prices unavailable \(Retail Prices page 1 for (eastus|westeurope): HTTP 503.*after 3 attempts\)\); using cached prices fetched 2026-07-20 \(3 days old\)$/)]);
  });

  it("falls back to the snapshot as a whole when a later page fails: never a partial catalog", async () => {
    // eastus has 4 rows in pages of 1: fail from the second response on.
    let responses = 0;
    const failing = await resolvePrices({
      ...options({ regions: { azure: ["eastus"] } }),
      onProgress: () => {
        if (++responses === 1) retail.failAlways("server");
      },
    });
    expect(failing.catalog.provenance.azure!.source).toBe("snapshot");
    expect(azureOffers(failing.catalog.offers)).toEqual(azureOffers(loadSnapshot().offers));
    expect(failing.warnings).toEqual([expect.stringMatching(/^azure: live prices unavailable \(Retail Prices page 2 for eastus: .*\); using the embedded snapshot \(prices as of 2026-06-18\)$/)]);
    expect(fs.existsSync(path.join(cacheDir, "prices", "v1", "azure", "eastus.json"))).toBe(false);
  });

  it("falls back when a requested region gets no prices at all", async () => {
    const { catalog, warnings } = await resolvePrices(options({ regions: { azure: ["eastus", "northeurope"] } }));
    expect(catalog.provenance.azure!.source).toBe("snapshot");
    expect(warnings[0]).toMatch(/returned no usable prices for northeurope/);
  });

  it("offline: never calls the network; uses the cache, warning when it is past the TTL", async () => {
    await resolvePrices(options());
    const requests = retail.requests.length;
    const later = new Date(NOW.getTime() + 50 * 3_600_000);
    const { catalog, warnings } = await resolvePrices(options({ offline: true, now: () => later }));
    expect(retail.requests.length).toBe(requests);
    expect(catalog.provenance.azure!.source).toBe("cache");
    expect(warnings).toEqual([expect.stringMatching(/^azure: using cached prices fetched 2026-07-20 \(2 days old\), older than the 24 h TTL; run `multicloud prices refresh --provider azure`/)]);
  });

  it("live off (the default): the snapshot when nothing is cached, silently and without requests", async () => {
    const { catalog, warnings } = await resolvePrices(options({ live: false }));
    expect(retail.requests).toHaveLength(0);
    expect(warnings).toEqual([]);
    expect(catalog).toEqual(loadSnapshot());
  });

  it("a corrupt cache file is reported and never read as prices", async () => {
    await resolvePrices(options());
    fs.writeFileSync(path.join(cacheDir, "prices", "v1", "azure", "eastus.json"), '{"schema": 1, "provider": "azure"');
    const { catalog, warnings } = await resolvePrices(options({ live: false }));
    expect(catalog.provenance.azure!.source).toBe("snapshot");
    expect(warnings).toEqual([expect.stringMatching(/cached prices for azure\/eastus are unusable \(not valid JSON\)/)]);
  });

  it("a catalog file replaces every other source for the providers it lists, without requests", async () => {
    const file = path.join(cacheDir, "catalog.csv");
    fs.writeFileSync(file, catalogCsv([offer({ provider: "azure", region: "eastus", instanceType: "Standard_D2s_v5", vcpu: 2, memoryGiB: 8, onDemandHourlyUsd: 0.05 })]));
    const { catalog, providers } = await resolvePrices(options({ catalogFile: file }));
    expect(retail.requests).toHaveLength(0);
    expect(catalog.provenance.azure!.source).toBe("file");
    expect(azureOffers(catalog.offers)).toEqual([expect.objectContaining({ onDemandHourlyUsd: 0.05 })]);
    expect(providers).toEqual([expect.objectContaining({ provider: "azure", source: "file" })]);
  });
});
