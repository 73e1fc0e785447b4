/**
 * Azure live prices: the public Retail Prices REST API (no authentication), one region at a time,
 * following `NextPageLink` until it is null.
 *
 * Filter: serviceName 'Virtual Machines', the region's armRegionName, priceType 'Consumption'.
 * Rows kept: hourly USD rows of Linux sizes; Windows rows (productName contains "Windows") and Low
 * Priority rows are left out; rows whose skuName ends in "Spot" give the spot price. The API has
 * no vCPU or memory, so only sizes whose spec this package knows (the embedded snapshot's type
 * table) are priced; the others are counted in the notes. When several rows price the same size,
 * the primary meter region's row wins, then the higher price (never understate cost).
 */
import type { InstanceOffer } from "../../core/catalog/offer";
import { LiveSourceError, classifyCommon } from "../../core/prices/errors";
import { getJson } from "../../core/prices/http";
import { fetchPages, mapLimit } from "../../core/prices/retry";
import { endpointOf, type LivePriceRequest, type LivePriceResult, type LivePriceSource } from "../../core/prices/source";
import { Tally, roundPrice } from "../../core/clouds/snapshot-helpers";

const PUBLIC_ENDPOINT = "https://prices.azure.com";
const API_VERSION = "2023-01-01-preview";

/** The fields of a Retail Prices item this source reads (names as in the API). */
interface RetailItem {
  currencyCode: string;
  retailPrice: number;
  armRegionName: string;
  armSkuName: string;
  productName: string;
  skuName: string;
  type: string;
  unitOfMeasure: string;
  isPrimaryMeterRegion?: boolean;
}

interface RetailPage {
  Items: RetailItem[];
  NextPageLink: string | null;
}

export function retailUrl(base: string, region: string): string {
  const filter = `serviceName eq 'Virtual Machines' and armRegionName eq '${region}' and priceType eq 'Consumption'`;
  return `${base.replace(/\/+$/, "")}/api/retail/prices?api-version=${API_VERSION}&$filter=${encodeURIComponent(filter)}`;
}

function checkPage(body: unknown, what: string): RetailPage {
  const page = body as Partial<RetailPage> | null;
  if (!page || !Array.isArray(page.Items)) throw new LiveSourceError("malformed", `${what}: no Items array`);
  for (const item of page.Items) {
    const ok =
      typeof item?.armSkuName === "string" && typeof item.retailPrice === "number" && typeof item.skuName === "string" &&
      typeof item.productName === "string" && typeof item.unitOfMeasure === "string" && typeof item.armRegionName === "string";
    if (!ok) throw new LiveSourceError("malformed", `${what}: an item lacks armSkuName, retailPrice, skuName, productName or unitOfMeasure`);
  }
  if (page.NextPageLink !== null && page.NextPageLink !== undefined && typeof page.NextPageLink !== "string") {
    throw new LiveSourceError("malformed", `${what}: NextPageLink is not a string`);
  }
  return { Items: page.Items, NextPageLink: page.NextPageLink ?? null };
}

/** A chosen price for one size and lifecycle, with whether it came from the primary meter region. */
interface Pick {
  usd: number;
  primary: boolean;
}

async function fetchAzurePrices(request: LivePriceRequest): Promise<LivePriceResult> {
  const base = endpointOf(request.connection, "retail", "MULTICLOUD_ENDPOINT_AZURE_PRICES") ?? PUBLIC_ENDPOINT;
  const origin = new URL(base).origin;
  const tally = new Tally();
  const perRegion = await mapLimit(request.regions, request.policy.concurrency, async (region) => {
    const onDemand = new Map<string, Pick>();
    const spot = new Map<string, Pick>();
    // The "token" is NextPageLink, an absolute URL; never followed off the API's own origin.
    const pages = await fetchPages({
      what: (n) => `Retail Prices page ${n} for ${region}`,
      policy: request.policy,
      classify: classifyCommon,
      sleep: request.sleep,
      fetch: async (link, signal) => {
        const url = link ?? retailUrl(base, region);
        if (new URL(url).origin !== origin) throw new LiveSourceError("malformed", `NextPageLink leaves ${origin}: ${url}`);
        return checkPage(await getJson(url, signal), `Retail Prices answer for ${region}`);
      },
      next: (page) => page.NextPageLink,
      onPage: (page, n) => {
        for (const item of page.Items) classify(item, region, request.knownTypes, onDemand, spot, tally);
        request.onProgress?.({ provider: "azure", message: `${region} page ${n} (${page.Items.length} rows)` });
      },
    });
    return { offers: toOffers(region, onDemand, spot, request, tally), pages };
  });
  return { offers: perRegion.flatMap((r) => r.offers), pages: perRegion.reduce((n, r) => n + r.pages, 0), notes: tally.notes() };
}

function classify(
  item: RetailItem,
  region: string,
  known: LivePriceRequest["knownTypes"],
  onDemand: Map<string, Pick>,
  spot: Map<string, Pick>,
  tally: Tally,
): void {
  const sku = item.armSkuName;
  if (item.armRegionName !== region || item.type !== "Consumption") return tally.add("rows for another region or price type (ignored)", sku);
  if (item.currencyCode !== "USD") throw new LiveSourceError("malformed", `Retail Prices row for ${sku} is in ${item.currencyCode}, not USD`);
  if (/windows/i.test(item.productName)) return tally.add("Windows rows left out");
  if (/low priority/i.test(item.skuName)) return tally.add("Low Priority rows left out");
  if (item.unitOfMeasure !== "1 Hour") return tally.add("rows not priced per hour (left out)", `${sku} ${item.unitOfMeasure}`);
  if (!(item.retailPrice > 0)) return tally.add("rows with a zero price (left out)", sku);
  if (!known.has(sku)) return tally.add("sizes without a known spec (not in the embedded snapshot; left out)", sku);
  const target = /\bspot\b/i.test(item.skuName) ? spot : onDemand;
  const pick: Pick = { usd: item.retailPrice, primary: item.isPrimaryMeterRegion !== false };
  const prev = target.get(sku);
  if (!prev) return void target.set(sku, pick);
  if (prev.primary !== pick.primary) {
    if (pick.primary) target.set(sku, pick);
    return;
  }
  if (prev.usd !== pick.usd) {
    tally.add("sizes with conflicting rows (higher price kept)", `${region} ${sku}`);
    if (pick.usd > prev.usd) target.set(sku, pick);
  }
}

function toOffers(region: string, onDemand: Map<string, Pick>, spot: Map<string, Pick>, request: LivePriceRequest, tally: Tally): InstanceOffer[] {
  const offers: InstanceOffer[] = [];
  for (const [sku, { usd }] of onDemand) {
    const spec = request.knownTypes.get(sku)!;
    const spotUsd = spot.get(sku)?.usd ?? null;
    offers.push({
      provider: "azure",
      region,
      instanceType: sku,
      ...spec,
      burstable: false,
      onDemandHourlyUsd: roundPrice(usd),
      spotHourlyUsd: spotUsd === null ? null : roundPrice(spotUsd),
      spotEstimated: false,
    });
  }
  for (const sku of spot.keys()) if (!onDemand.has(sku)) tally.add("spot rows without an on-demand row (left out)", sku);
  return offers;
}

export const azureLivePrices: LivePriceSource = {
  description: "Azure Retail Prices API",
  fetch: fetchAzurePrices,
};
