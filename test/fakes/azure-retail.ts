/**
 * Fake Azure Retail Prices API (`GET /api/retail/prices?api-version=...&$filter=...`): applies
 * the `armRegionName eq '...'`, `serviceName eq '...'` and `priceType eq '...'` clauses of the
 * OData filter, pages with `$skip`, and links pages with an absolute `NextPageLink` (null on the
 * last page), as the real service does. No authentication, like the real one.
 */
import { pageOf, startFake, type FakeResponse, type FakeServer } from "./http";

export interface RetailRow {
  armSkuName: string;
  region: string;
  usd: number;
  /** "spot" and "low-priority" rows carry the suffix in skuName/meterName; "windows" in productName. */
  kind?: "linux" | "spot" | "low-priority" | "windows";
  unitOfMeasure?: string;
  type?: string;
  isPrimaryMeterRegion?: boolean;
}

/** One item in the API's shape. */
export function retailItem(r: RetailRow): Record<string, unknown> {
  const size = r.armSkuName.replace(/^Standard_/, "").replace(/_/g, " ");
  const suffix = r.kind === "spot" ? " Spot" : r.kind === "low-priority" ? " Low Priority" : "";
  const series = size.replace(/\d.*$/, "");
  return {
    currencyCode: "USD",
    tierMinimumUnits: 0,
    retailPrice: r.usd,
    unitPrice: r.usd,
    armRegionName: r.region,
    location: r.region,
    effectiveStartDate: "2026-06-01T00:00:00Z",
    meterId: `meter-${r.armSkuName}-${r.kind ?? "linux"}`,
    meterName: `${size}${suffix}`,
    productId: `DZH318Z0BQ4${series}`,
    skuId: `DZH318Z0BQ4${series}/00${r.kind === "spot" ? "2" : "1"}`,
    productName: `Virtual Machines ${series} Series${r.kind === "windows" ? " Windows" : ""}`,
    skuName: `${size}${suffix}`,
    serviceName: "Virtual Machines",
    serviceId: "DZH313Z7MMC8",
    serviceFamily: "Compute",
    unitOfMeasure: r.unitOfMeasure ?? "1 Hour",
    type: r.type ?? "Consumption",
    isPrimaryMeterRegion: r.isPrimaryMeterRegion ?? true,
    armSkuName: r.armSkuName,
  };
}

function clause(filter: string, field: string): string | undefined {
  return new RegExp(`${field} eq '([^']*)'`).exec(filter)?.[1];
}

export function startAzureRetailFake(rows: readonly RetailRow[], pageSize = 1000): Promise<FakeServer> {
  const error = (status: number, code: string): FakeResponse => ({ status, body: JSON.stringify({ Error: { Code: code, Message: code } }), headers: status === 429 ? { "retry-after": "0" } : {} });
  return startFake({
    renderFault: (fault) => (fault === "throttle" ? error(429, "TooManyRequests") : fault === "server" ? error(503, "ServiceUnavailable") : { status: 200, body: "<html>gateway</html>" }),
    handle: (req, base) => {
      if (req.url.pathname !== "/api/retail/prices" || !req.url.searchParams.get("api-version")) return error(404, "NotFound");
      const filter = req.url.searchParams.get("$filter") ?? "";
      const matching = rows
        .map(retailItem)
        .filter((item) =>
          (["armRegionName", "serviceName"] as const).every((f) => clause(filter, f) === undefined || item[f] === clause(filter, f)) &&
          (clause(filter, "priceType") === undefined || item.type === clause(filter, "priceType")),
        );
      const skip = Number(req.url.searchParams.get("$skip") ?? 0);
      const { page, next } = pageOf(matching, skip, pageSize);
      let nextLink: string | null = null;
      if (next !== undefined) {
        const link = new URL(req.url.pathname, base);
        req.url.searchParams.forEach((v, k) => k !== "$skip" && link.searchParams.set(k, v));
        link.searchParams.set("$skip", String(next));
        nextLink = link.toString();
      }
      return { status: 200, body: JSON.stringify({ BillingCurrency: "USD", CustomerEntityId: "Default", CustomerEntityType: "Retail", Items: page, NextPageLink: nextLink, Count: page.length }) };
    },
  });
}
