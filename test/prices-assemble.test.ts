/**
 * The catalog a price resolution hands the planner (core/prices/resolve.ts `assemble`): whichever
 * path builds it (the snapshot kept whole, or one provider's cached offers swapped in), it holds
 * every offer once, in catalog order, and each provider's offer count is what the user is told.
 * The snapshot-kept path reuses the snapshot's own array instead of copying and sorting it, so
 * these pin that the shortcut gives what the copy-and-sort gave.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { resolvePrices } from "../core/prices/resolve";
import { writeCache } from "../core/prices/cache";
import { regionsByProvider } from "../core/catalog/query";
import { loadSnapshot } from "../core/catalog/snapshot";
import { compareOffers, type InstanceOffer } from "../core/catalog/offer";
import { CLOUDS } from "../clouds/registry";
import { offer } from "./helpers/catalog";

const NOW = new Date("2026-07-20T12:00:00Z");
let cacheDir: string;

beforeEach(() => {
  cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "mc-assemble-"));
});
afterEach(() => {
  fs.rmSync(cacheDir, { recursive: true, force: true });
});

const inCatalogOrder = (offers: readonly InstanceOffer[]): boolean => offers.every((o, i) => i === 0 || compareOffers(offers[i - 1]!, o) < 0);

describe("the resolved catalog", () => {
  it("offline with nothing cached: the snapshot's offers in catalog order, with per-provider counts and regions", async () => {
    const snapshot = loadSnapshot();
    const providers = [...CLOUDS.names];
    const { catalog, providers: resolutions } = await resolvePrices({ clouds: CLOUDS, providers, offline: true, cacheDir, now: () => NOW });
    expect(catalog.offers).toEqual([...snapshot.offers].sort(compareOffers));
    expect(inCatalogOrder(catalog.offers)).toBe(true);
    expect(catalog.provenance).toEqual(snapshot.provenance);
    expect(resolutions.map((r) => [r.provider, r.source, r.offers])).toEqual(
      providers.sort().map((p) => [p, "snapshot", snapshot.offers.filter((o) => o.provider === p).length]),
    );
    for (const r of resolutions) expect(r.offers).toBeGreaterThan(0);
    const regions = regionsByProvider(catalog);
    for (const p of providers) expect([...regions.get(p)!].sort()).toEqual([...new Set(snapshot.offers.filter((o) => o.provider === p).map((o) => o.region))].sort());
  });

  it("one provider from the cache: its offers replace the snapshot's whole, the rest stay, all in catalog order", async () => {
    const snapshot = loadSnapshot();
    const cached = [
      offer({ provider: "azure", region: "westeurope", instanceType: "Standard_D2s_v5", onDemandHourlyUsd: 0.1004 }),
      offer({ provider: "azure", region: "eastus", instanceType: "Standard_D4s_v5", onDemandHourlyUsd: 0.1742 }),
      offer({ provider: "azure", region: "eastus", instanceType: "Standard_D2s_v5", onDemandHourlyUsd: 0.0871 }),
    ];
    writeCache(cacheDir, "azure", new Map([["eastus", cached.slice(1)], ["westeurope", cached.slice(0, 1)]]), NOW);
    const { catalog, providers: resolutions } = await resolvePrices({
      clouds: CLOUDS,
      providers: ["aws", "azure"],
      regions: { azure: ["eastus", "westeurope"] },
      offline: true,
      cacheDir,
      now: () => NOW,
    });
    expect(inCatalogOrder(catalog.offers)).toBe(true);
    expect(catalog.offers.filter((o) => o.provider === "azure")).toEqual([...cached].sort(compareOffers));
    expect(catalog.offers.filter((o) => o.provider !== "azure")).toEqual(snapshot.offers.filter((o) => o.provider !== "azure"));
    expect(catalog.provenance.azure).toEqual({ source: "cache", asOf: "2026-07-20" });
    expect(catalog.provenance.aws).toEqual(snapshot.provenance.aws);
    expect(resolutions.map((r) => [r.provider, r.source, r.offers])).toEqual([
      ["aws", "snapshot", snapshot.offers.filter((o) => o.provider === "aws").length],
      ["azure", "cache", 3],
    ]);
    expect([...regionsByProvider(catalog).get("azure")!].sort()).toEqual(["eastus", "westeurope"]);
  });
});
