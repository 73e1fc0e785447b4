/**
 * Fake Cloud Billing Catalog API, REST transport (`GET /v1/services/{service}/skus`): pages a
 * fixed SKU list with `pageSize`/`pageToken`, requires an API key or bearer token, and answers in
 * the JSON the REST gateway produces (int64 `units` as strings).
 */
import { pageOf, pageToken, startFake, type FakeServer } from "./http";
import { googleAuth, googleError, googleFault } from "./gcp-rest";

export const COMPUTE_SERVICE_ID = "6F81-5844-456A";

export interface SkuInput {
  description: string;
  usageType?: "OnDemand" | "Preemptible" | "Commit1Yr";
  regions: string[];
  unit: "h" | "GiBy.h" | "GiBy.mo";
  usd: number;
  resourceGroup?: string;
}

let skuCounter = 0;

/** A SKU in the API's JSON shape. */
export function gcpSku(s: SkuInput): Record<string, unknown> {
  const id = `FAKE-${String(++skuCounter).padStart(4, "0")}-SKU0`;
  const units = Math.floor(s.usd);
  const nanos = Math.round((s.usd - units) * 1e9);
  return {
    name: `services/${COMPUTE_SERVICE_ID}/skus/${id}`,
    skuId: id,
    description: s.description,
    category: { serviceDisplayName: "Compute Engine", resourceFamily: "Compute", resourceGroup: s.resourceGroup ?? (s.unit === "h" ? "CPU" : "RAM"), usageType: s.usageType ?? "OnDemand" },
    serviceRegions: s.regions,
    pricingInfo: [
      {
        summary: "",
        pricingExpression: {
          usageUnit: s.unit,
          displayQuantity: 1,
          tieredRates: [{ startUsageAmount: 0, unitPrice: { currencyCode: "USD", units: String(units), nanos } }],
          usageUnitDescription: s.unit === "h" ? "hour" : "gibibyte hour",
          baseUnit: s.unit === "h" ? "s" : "By.s",
          baseUnitDescription: "second",
          baseUnitConversionFactor: 3600,
        },
        currencyConversionRate: 1,
        effectiveTime: "2026-07-20T00:00:00Z",
      },
    ],
    serviceProviderName: "Google",
    geoTaxonomy: { type: "REGIONAL", regions: s.regions },
  };
}

export function startGcpBillingFake(skus: ReadonlyArray<Record<string, unknown>>, pageSize = 5000): Promise<FakeServer> {
  return startFake({
    renderFault: googleFault,
    handle: (req) => {
      if (req.url.pathname !== `/v1/services/${COMPUTE_SERVICE_ID}/skus` || req.method !== "GET") return googleError(404, `no route ${req.url.pathname}`);
      if (!googleAuth(req)) return googleError(403, "The request is missing a valid API key.");
      const size = Math.min(pageSize, Number(req.url.searchParams.get("pageSize") ?? 5000));
      const { page, next } = pageOf(skus, pageToken.decode(req.url.searchParams.get("pageToken")), size);
      return { status: 200, body: JSON.stringify({ skus: page, nextPageToken: next !== undefined ? pageToken.encode(next) : "" }) };
    },
  });
}
