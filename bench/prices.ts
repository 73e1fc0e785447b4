/**
 * Bench: refreshing one provider's live prices against the loopback Azure Retail Prices fake,
 * N pages per region, with a cold cache (every page fetched, parsed and the cache written) and a
 * warm one (a fresh cache answers; no request). Rows are the snapshot's real eastus sizes, each
 * with a Linux, a Windows and a Spot row, as the real API returns them.
 */
import { CLOUDS } from "../clouds/registry";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { loadSnapshot } from "../core/catalog/snapshot";
import { resolvePrices, type ResolvePricesOptions } from "../core/prices/resolve";
import { startAzureRetailFake, type RetailRow } from "../test/fakes/azure-retail";

const PAGES = 20;
const REGION = "eastus";

export async function benchPriceRefresh(): Promise<{ name: string; ms: number }[]> {
  const offers = loadSnapshot().offers.filter((o) => o.provider === "azure" && o.region === REGION);
  const rows: RetailRow[] = offers.flatMap((o) => [
    { armSkuName: o.instanceType, region: REGION, usd: o.onDemandHourlyUsd },
    { armSkuName: o.instanceType, region: REGION, usd: o.onDemandHourlyUsd * 1.9, kind: "windows" as const },
    { armSkuName: o.instanceType, region: REGION, usd: o.onDemandHourlyUsd * 0.2, kind: "spot" as const },
  ]);
  const pageSize = Math.ceil(rows.length / PAGES);
  const fake = await startAzureRetailFake(rows, pageSize);
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "mc-bench-prices-"));
  const options: ResolvePricesOptions = {
    clouds: CLOUDS,
    providers: ["azure"],
    regions: { azure: [REGION] },
    live: true,
    cacheDir,
    connections: { azure: { endpoints: { retail: fake.url } } },
  };
  const timed = async (): Promise<number> => {
    const started = performance.now();
    const { catalog } = await resolvePrices(options);
    if (catalog.provenance.azure?.source === "snapshot") throw new Error("bench: the live refresh fell back to the snapshot");
    return performance.now() - started;
  };
  try {
    const label = `azure ${PAGES} pages x ${pageSize} rows`;
    const cold = await timed();
    const requests = fake.requests.length;
    const warm = await timed();
    if (fake.requests.length !== requests) throw new Error("bench: the warm run went to the network");
    return [
      { name: `${label}, cold cache`, ms: cold },
      { name: `${label}, warm cache`, ms: warm },
    ];
  } finally {
    await fake.close();
    fs.rmSync(cacheDir, { recursive: true, force: true });
  }
}
