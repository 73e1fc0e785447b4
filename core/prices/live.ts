/**
 * One provider's live fetch, checked: calls the adapter's live source, then verifies the answer
 * before anyone sees it (every offer well-formed, no duplicates, every requested region priced)
 * and applies the adapter's burstable rule. Any problem is a LiveSourceError, so the caller falls
 * back for the whole provider; a half-priced catalog cannot get through.
 */
import { performance } from "node:perf_hooks";
import type { CloudAdapter } from "../clouds/adapter";
import { cmp, compareOffers, offerKey, type Catalog, type InstanceOffer } from "../catalog/offer";
import { LiveSourceError } from "./errors";
import { isValidOffer } from "./cache";
import { regionsByProvider } from "../catalog/query";
import type { Connection, LiveAccess, Progress, TypeSpec } from "./source";
import { DEFAULT_POLICY, untilDeadline, type RequestPolicy, type Sleep } from "./retry";

export interface LiveFetchContext {
  connection: Connection;
  policy: RequestPolicy;
  sleep?: Sleep;
  onProgress?: (p: Progress) => void;
}

export interface LiveFetch {
  offers: InstanceOffer[];
  byRegion: Map<string, InstanceOffer[]>;
  pages: number;
  notes: string[];
  ms: number;
}

/** The fetch context of one provider from the shared access options. */
export function liveContext(provider: string, access: LiveAccess & { onProgress?: (p: Progress) => void }): LiveFetchContext {
  const policy: RequestPolicy = { ...DEFAULT_POLICY, ...access.policy, ...(access.deadline ? { deadline: access.deadline } : {}) };
  return { connection: access.connections?.[provider] ?? {}, policy, sleep: access.sleep, onProgress: access.onProgress };
}

/** The regions to price for a provider: those asked for, else every region the snapshot knows; sorted. */
export function regionsToPrice(provider: string, requested: Readonly<Record<string, readonly string[] | undefined>> | undefined, snapshot: Catalog): string[] {
  return [...(requested?.[provider] ?? regionsByProvider(snapshot).get(provider) ?? [])].sort(cmp);
}

/** Specs of one provider's types, as the snapshot knows them (a type is the same in every region). */
export function knownTypes(snapshot: Catalog, provider: string): Map<string, TypeSpec> {
  const out = new Map<string, TypeSpec>();
  for (const o of snapshot.offers) {
    if (o.provider !== provider || out.has(o.instanceType)) continue;
    out.set(o.instanceType, { vcpu: o.vcpu, memoryGiB: o.memoryGiB, gpus: o.gpus, gpuType: o.gpuType, arch: o.arch });
  }
  return out;
}

export async function fetchLive(adapter: CloudAdapter, regions: readonly string[], snapshot: Catalog, ctx: LiveFetchContext): Promise<LiveFetch> {
  const provider = adapter.name;
  const source = adapter.livePrices;
  if (!source) throw new LiveSourceError("rejected", `${adapter.displayName} has no live price source`);
  const started = performance.now();
  const fetching = source.fetch({ regions, knownTypes: knownTypes(snapshot, provider), ...ctx });
  // The deadline also bounds a source that does not pass its signal on everywhere.
  const result = await (ctx.policy.deadline ? untilDeadline(fetching, ctx.policy.deadline) : fetching);
  // One rule for every cloud: a spot price not below on-demand is not an offer worth taking (it is
  // a data error or a zone's odd quote), so the type is kept on-demand only.
  let spotDropped = 0;
  const offers = result.offers
    .map((o) => {
      const spotOk = o.spotHourlyUsd !== null && o.spotHourlyUsd < o.onDemandHourlyUsd;
      if (o.spotHourlyUsd !== null && !spotOk) spotDropped++;
      return { ...o, burstable: adapter.isBurstable(o.instanceType), spotHourlyUsd: spotOk ? o.spotHourlyUsd : null };
    })
    .sort(compareOffers);
  const byRegion = new Map<string, InstanceOffer[]>(regions.map((r) => [r, []]));
  const seen = new Set<string>();
  for (const o of offers) {
    const list = byRegion.get(o.region);
    if (o.provider !== provider || !list) throw new LiveSourceError("malformed", `live answer has an offer outside the request: ${offerKey(o)}`);
    if (!isValidOffer(o, provider, o.region)) throw new LiveSourceError("malformed", `live answer has an invalid offer: ${JSON.stringify(o)}`);
    if (seen.has(offerKey(o))) throw new LiveSourceError("malformed", `live answer lists ${offerKey(o)} twice`);
    seen.add(offerKey(o));
    list.push(o);
  }
  const unpriced = [...byRegion].filter(([, list]) => list.length === 0).map(([r]) => r);
  if (unpriced.length > 0) {
    throw new LiveSourceError("empty", `${source.description} returned no usable prices for ${unpriced.join(", ")}`);
  }
  const notes = spotDropped > 0 ? [...result.notes, `spot prices left out (not below on-demand): ${spotDropped}`] : result.notes;
  return { offers, byRegion, pages: result.pages, notes, ms: performance.now() - started };
}
