/**
 * `multicloud prices refresh` and `multicloud prices show`: read arguments, call the price
 * library (core/prices), render. Progress and notes go to stderr, results to stdout; the commands
 * return exit codes and never exit.
 *
 * `refresh` always goes to the network (it is how the cache is filled; MULTICLOUD_OFFLINE=1 refuses it); `show` resolves prices the
 * way `plan` does: cache or snapshot, live with --live, no network with --offline; `export` writes
 * the prices so resolved as a catalog CSV that `--catalog` reads back to the same plans.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import Table from "cli-table3";
import { catalogToCsv } from "../../core/catalog/csv";
import { resolveCatalog } from "../../core/catalog/resolve";
import { writeFileAtomic } from "../../core/util/files";
import { CLOUDS } from "../../clouds/registry";
import { cmp, type InstanceOffer } from "../../core/catalog/offer";
import { loadSnapshot } from "../../core/catalog/snapshot";
import { regionsByProvider } from "../../core/catalog/query";
import { refreshPrices, type RefreshOptions } from "../../core/prices/refresh";
import { resolvePrices, type ResolvePricesOptions } from "../../core/prices/resolve";
import { usd } from "../../core/util/units";
import { UserError, didYouMean } from "../../core/util/errors";
import type { Io } from "./io";
import { checkLiveOffline } from "./plan";
import type { CloudSet } from "../../core/clouds/cloud-set";

/** Endpoint, credential and timing overrides: loopback fakes in tests; empty in real use. */
export type LiveDeps = Pick<ResolvePricesOptions, "connections" | "policy" | "sleep" | "now" | "cacheDir"> & {
  /** The clouds to price (default: the registry). */
  clouds?: CloudSet;
};

export interface RefreshCommandOptions {
  provider?: string;
  /** Region names; may be comma-separated. */
  regions?: string[];
}


/** Splits `--regions a,b --regions c` into [a, b, c]. */
function regionList(values: readonly string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.split(",")).map((r) => r.trim()).filter((r) => r !== "");
}

/** Which regions to refresh per provider, checked against the regions this package knows. */
export function refreshTargets(options: RefreshCommandOptions, clouds: CloudSet = CLOUDS): { providers: string[]; regions: Record<string, string[] | undefined> } {
  const live = clouds.adapters.filter((c) => c.livePrices).map((c) => c.name);
  if (options.provider !== undefined && !live.includes(clouds.get(options.provider).name)) {
    throw new UserError(`--provider ${options.provider}: no live price source for it (live sources: ${live.join(", ")})`);
  }
  const providers = options.provider ? [options.provider] : live;
  const wanted = regionList(options.regions);
  if (wanted.length === 0) return { providers, regions: {} };
  if (options.provider) return { providers, regions: { [options.provider]: wanted } };
  // Without --provider, each region goes to the provider(s) that have it.
  const known = regionsByProvider(loadSnapshot());
  const regions: Record<string, string[]> = {};
  for (const r of wanted) {
    const owners = providers.filter((p) => known.get(p)?.has(r));
    if (owners.length === 0) {
      const all = providers.flatMap((p) => [...(known.get(p) ?? [])]);
      throw new UserError(`--regions: unknown region "${r}"${didYouMean(r, all)}; name the provider with --provider to refresh a region this package does not list yet`);
    }
    for (const p of owners) (regions[p] ??= []).push(r);
  }
  return { providers: Object.keys(regions).sort(cmp), regions };
}

export async function pricesRefreshCommand(options: RefreshCommandOptions, io: Io, { clouds = CLOUDS, ...deps }: LiveDeps = {}): Promise<number> {
  if (process.env.MULTICLOUD_OFFLINE === "1") {
    throw new UserError("prices refresh fetches live prices, and MULTICLOUD_OFFLINE=1 forbids the network: unset MULTICLOUD_OFFLINE to refresh the cache");
  }
  const { providers, regions } = refreshTargets(options, clouds);
  const request: RefreshOptions = { clouds, providers, regions, ...deps, onProgress: (p) => io.stderr(`${p.provider}: ${p.message}\n`) };
  const outcomes = await refreshPrices(request);
  const table = new Table({ head: ["provider", "regions", "offers", "pages", "seconds", "result"], style: { head: [], border: [], compact: true }, colAligns: ["left", "right", "right", "right", "right", "left"] });
  for (const o of outcomes) {
    table.push([o.provider, String(o.regions.length), String(o.offers), String(o.pages), (o.ms / 1000).toFixed(1), o.error ? "failed" : "cached"]);
    for (const n of o.notes) io.stderr(`note: ${o.provider}: ${n}\n`);
    if (o.error) io.stderr(`error: ${o.provider}: ${o.error}; its cached prices were left as they were\n`);
  }
  io.stdout(`${table.toString()}\n`);
  return outcomes.some((o) => o.error) ? 1 : 0;
}

export interface ShowCommandOptions {
  region?: string;
  catalog?: string;
  live: boolean;
  /** Seconds for all live data (--live-timeout); default 20. */
  liveTimeout?: number;
  offline: boolean;
  format: "table" | "json";
}

export async function pricesShowCommand(instanceType: string, options: ShowCommandOptions, io: Io, { clouds = CLOUDS, ...deps }: LiveDeps = {}): Promise<number> {
  checkLiveOffline(options);
  const snapshot = loadSnapshot();
  const known = regionsByProvider(snapshot);
  const providers = clouds.names.filter((p) => !options.region || known.get(p)?.has(options.region));
  if (providers.length === 0) {
    const all = [...known.values()].flatMap((s) => [...s]);
    throw new UserError(`--region: unknown region "${options.region}"${didYouMean(options.region!, all)}`);
  }
  // Only the providers that sell this type need resolving (and, with --live, fetching).
  const sellers = providers.filter((p) => snapshot.offers.some((o) => o.provider === p && o.instanceType === instanceType));
  const resolved = await resolvePrices({
    ...deps,
    clouds,
    providers: sellers.length > 0 ? sellers : providers,
    regions: options.region ? Object.fromEntries(providers.map((p) => [p, [options.region!]])) : {},
    catalogFile: options.catalog,
    live: options.live,
    offline: options.offline,
    liveTimeoutSeconds: options.liveTimeout,
  });
  for (const w of resolved.warnings) io.stderr(`warning: ${w}\n`);
  const offers = resolved.catalog.offers.filter((o) => o.instanceType === instanceType && (!options.region || o.region === options.region));
  if (offers.length === 0) {
    const types = [...new Set(resolved.catalog.offers.map((o) => o.instanceType))];
    const where = options.region ? ` in ${options.region}` : "";
    throw new UserError(`no prices for instance type "${instanceType}"${where}${didYouMean(instanceType, types)}`);
  }
  const provenance = (o: InstanceOffer): string => {
    const p = resolved.catalog.provenance[o.provider];
    return p ? `${p.source} ${p.regionAsOf?.[o.region] ?? p.asOf}` : "";
  };
  if (options.format === "json") {
    io.stdout(`${JSON.stringify(offers.map((o) => ({ ...o, prices: provenance(o) })), null, 2)}\n`);
    return 0;
  }
  const first = offers[0]!;
  const gpus = first.gpus > 0 ? `, ${first.gpus} x ${first.gpuType}` : "";
  const table = new Table({ head: ["provider", "region", "on-demand $/h", "spot $/h", "prices"], style: { head: [], border: [], compact: true }, colAligns: ["left", "left", "right", "right", "left"] });
  for (const o of offers) {
    const spot = o.spotHourlyUsd === null ? "-" : `${usd(o.spotHourlyUsd, 4)}${o.spotEstimated ? " (est.)" : ""}`;
    table.push([o.provider, o.region, usd(o.onDemandHourlyUsd, 4), spot, provenance(o)]);
  }
  io.stdout(`${instanceType}: ${first.vcpu} vCPU, ${first.memoryGiB} GiB${gpus}, ${first.arch}${first.burstable ? ", burstable" : ""}\n${table.toString()}\n`);
  return 0;
}

export interface ExportCommandOptions {
  provider?: string;
  /** Region names; may be comma-separated. */
  regions?: string[];
  out?: string;
  catalog?: string;
  live: boolean;
  /** Seconds for all live data (--live-timeout); default 20. */
  liveTimeout?: number;
  offline: boolean;
}

/**
 * `multicloud prices export`: the prices a plan would use now (file, live, cache or snapshot,
 * resolved exactly as `plan` resolves them) as a catalog CSV that `--catalog` reads back to the
 * same plans. Every provider and region by default; `--provider` and `--regions` narrow it.
 */
export async function pricesExportCommand(options: ExportCommandOptions, io: Io, { clouds = CLOUDS, ...deps }: LiveDeps = {}): Promise<number> {
  checkLiveOffline(options);
  if (options.provider !== undefined && !clouds.has(options.provider)) {
    throw new UserError(`--provider: unknown provider "${options.provider}"${didYouMean(options.provider, clouds.names)}; expected one of ${clouds.names.join(", ")}`);
  }
  if (options.out !== undefined) checkOutDir(options.out);
  // Regions the current sources know: the snapshot's, with a catalog file's for the providers it lists.
  const known = regionsByProvider(resolveCatalog(clouds, { catalogFile: options.catalog }));
  let providers = options.provider !== undefined ? [options.provider] : [...clouds.names];
  const wanted = regionList(options.regions);
  const regions: Record<string, string[]> = {};
  if (wanted.length > 0) {
    for (const r of wanted) {
      const owners = providers.filter((p) => known.get(p)?.has(r));
      if (owners.length === 0) {
        const all = providers.flatMap((p) => [...(known.get(p) ?? [])]);
        throw new UserError(`--regions: unknown region "${r}"${options.provider ? ` for ${options.provider}` : ""}${didYouMean(r, all)}`);
      }
      for (const p of owners) (regions[p] ??= []).push(r);
    }
    providers = providers.filter((p) => regions[p] !== undefined);
  }
  const resolved = await resolvePrices({
    ...deps,
    clouds,
    providers,
    regions,
    catalogFile: options.catalog,
    live: options.live,
    offline: options.offline,
    liveTimeoutSeconds: options.liveTimeout,
  });
  for (const w of resolved.warnings) io.stderr(`warning: ${w}\n`);
  const selected = new Set(providers);
  const offers = resolved.catalog.offers.filter((o) => selected.has(o.provider) && (wanted.length === 0 || regions[o.provider]!.includes(o.region)));
  if (offers.length === 0) throw new UserError("no prices to export for the providers and regions asked for");
  const text = catalogToCsv(offers);
  if (options.out !== undefined) {
    writeFileAtomic(options.out, text);
    const sources = resolved.providers.filter((p) => selected.has(p.provider)).map((p) => `${p.provider} ${p.source} ${p.asOf}`).join(", ");
    io.stderr(`wrote ${offers.length} offers (${sources}) to ${options.out}\n`);
  } else {
    io.stdout(text);
  }
  return 0;
}

/** `--out` into a folder that does not exist fails before any price work, naming the folder. */
function checkOutDir(out: string): void {
  const dir = path.dirname(path.resolve(out));
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new UserError(`--out ${out}: the folder ${dir} does not exist`);
}
