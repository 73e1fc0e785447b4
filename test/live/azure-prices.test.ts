import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { azureLivePrices } from "../../clouds/azure/live-prices";
import type { LivePriceRequest, TypeSpec } from "../../core/prices/source";
import type { FakeServer } from "../fakes/http";
import { startAzureRetailFake, type RetailRow } from "../fakes/azure-retail";
import { FAST_POLICY, HANG_POLICY, noSleep } from "../fakes/policy";

const spec = (vcpu: number, memoryGiB: number): TypeSpec => ({ vcpu, memoryGiB, gpus: 0, gpuType: null, arch: "x86_64" });
const knownTypes = new Map([
  ["Standard_D2s_v5", spec(2, 8)],
  ["Standard_D4s_v5", spec(4, 16)],
  ["Standard_E4s_v5", spec(4, 32)],
  ["Standard_B2s", spec(2, 4)],
]);

const rows: RetailRow[] = [
  { armSkuName: "Standard_D2s_v5", region: "eastus", usd: 0.096 },
  { armSkuName: "Standard_D2s_v5", region: "eastus", usd: 0.0192, kind: "spot" },
  { armSkuName: "Standard_D2s_v5", region: "eastus", usd: 0.0192, kind: "low-priority" },
  { armSkuName: "Standard_D2s_v5", region: "eastus", usd: 0.188, kind: "windows" },
  { armSkuName: "Standard_D2s_v5", region: "eastus", usd: 0.099, isPrimaryMeterRegion: false },
  { armSkuName: "Standard_D4s_v5", region: "eastus", usd: 0.192 },
  { armSkuName: "Standard_D4s_v5", region: "eastus", usd: 0.5, kind: "spot" }, // above on-demand: passed on as quoted
  { armSkuName: "Standard_E4s_v5", region: "eastus", usd: 0.252 },
  { armSkuName: "Standard_E4s_v5", region: "eastus", usd: 0.252, type: "DevTestConsumption" },
  { armSkuName: "Standard_B2s", region: "eastus", usd: 0.0416 },
  { armSkuName: "Standard_NEW99_v9", region: "eastus", usd: 9.99 }, // no known spec
  { armSkuName: "Standard_D2s_v5", region: "westeurope", usd: 0.107 },
  { armSkuName: "Standard_D2s_v5", region: "westeurope", usd: 0.024, kind: "spot" },
];

let retail: FakeServer;
const request = (regions: string[], overrides: Partial<LivePriceRequest> = {}): LivePriceRequest => ({
  regions,
  knownTypes,
  connection: { endpoints: { retail: retail.url } },
  policy: FAST_POLICY,
  sleep: noSleep,
  ...overrides,
});

beforeEach(async () => {
  retail = await startAzureRetailFake(rows, 3);
});
afterEach(() => retail.close());

describe("Azure live prices against the Retail Prices fake", () => {
  it("follows NextPageLink, keeps Linux consumption rows, takes spot from Spot rows", async () => {
    const result = await azureLivePrices.fetch(request(["eastus", "westeurope"]));
    const byKey = new Map(result.offers.map((o) => [`${o.region}/${o.instanceType}`, o]));
    expect(byKey.get("eastus/Standard_D2s_v5")).toMatchObject({ vcpu: 2, memoryGiB: 8, onDemandHourlyUsd: 0.096, spotHourlyUsd: 0.0192 });
    // Quoted as is; resolvePrices drops spot quotes not below on-demand for every cloud.
    expect(byKey.get("eastus/Standard_D4s_v5")).toMatchObject({ onDemandHourlyUsd: 0.192, spotHourlyUsd: 0.5 });
    expect(byKey.get("eastus/Standard_E4s_v5")).toMatchObject({ onDemandHourlyUsd: 0.252 });
    expect(byKey.get("eastus/Standard_B2s")).toMatchObject({ onDemandHourlyUsd: 0.0416 });
    expect(byKey.get("westeurope/Standard_D2s_v5")).toMatchObject({ onDemandHourlyUsd: 0.107, spotHourlyUsd: 0.024 });
    expect(result.offers).toHaveLength(5);
    // eastus: 10 consumption rows in pages of 3 = 4 pages; westeurope: 1 page.
    expect(result.pages).toBe(5);
    expect(retail.requests.every((r) => r.url.searchParams.get("$filter")!.includes("priceType eq 'Consumption'"))).toBe(true);
    expect(result.notes.join("\n")).toMatch(/without a known spec.*Standard_NEW99_v9/);
  });

  it("retries 429 and 503 and still ends with the right prices", async () => {
    retail.failNext("throttle", "server");
    const result = await azureLivePrices.fetch(request(["westeurope"]));
    expect(result.offers).toEqual([expect.objectContaining({ instanceType: "Standard_D2s_v5", onDemandHourlyUsd: 0.107 })]);
    expect(retail.requests).toHaveLength(3);
  });

  it("fails the whole fetch when a later page fails for good", async () => {
    // Page 1 of eastus succeeds, then every request fails.
    const promise = azureLivePrices.fetch({ ...request(["eastus"]), onProgress: () => retail.failAlways("server") });
    await expect(promise).rejects.toMatchObject({ kind: "server", message: expect.stringMatching(/Retail Prices page 2 for eastus/) });
  });

  it("treats a non-JSON body as malformed and a hanging server as a timeout", async () => {
    retail.failNext("malformed");
    await expect(azureLivePrices.fetch(request(["eastus"]))).rejects.toMatchObject({ kind: "malformed" });
    retail.failAlways("hang");
    await expect(azureLivePrices.fetch(request(["eastus"], { policy: { ...HANG_POLICY, attempts: 2 } }))).rejects.toMatchObject({ kind: "timeout" });
  });

  it("refuses a NextPageLink that leaves the API's origin", async () => {
    // Reached as http://localhost:PORT, the fake links its next page as http://127.0.0.1:PORT: another origin.
    const viaLocalhost = retail.url.replace("127.0.0.1", "localhost");
    const offOrigin = azureLivePrices.fetch(request(["eastus"], { connection: { endpoints: { retail: viaLocalhost } } }));
    await expect(offOrigin).rejects.toMatchObject({ kind: "malformed", message: expect.stringMatching(/NextPageLink leaves http:\/\/localhost/) });
    expect(retail.requests).toHaveLength(1);
  });
});
