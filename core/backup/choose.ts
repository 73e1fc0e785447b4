/**
 * Destination choice, in fixed steps: candidates, exclusions, costs, ranking.
 *
 * Candidates: the pinned `destination`; else `candidates.regions`; else every region, on the
 * clouds allowed by `candidates.providers` (default: all but the source's), in the source
 * region's geography. A candidate is excluded, with its reason kept as data, when the snapshot has
 * no storage price for it or when its cloud's transfer service cannot read the source with this
 * spec (a missing field such as an agent ARN). Ranking: monthly cost, then provider, then region
 * (plain code-unit order), so ties are broken the same way on every machine.
 */
import { UserError } from "../util/errors";
import { cmp } from "../catalog/offer";
import type { CloudSet } from "../clouds/cloud-set";
import { residencyFilter } from "../spec/residency";
import { estimateCost, type CostEstimate, type Place } from "./cost";
import type { StoragePrices } from "./prices";
import { fieldValue, isSet, type BackupSpec } from "./spec";

export interface Exclusion {
  provider: string;
  /** Absent when the whole provider is excluded. */
  region?: string;
  reason: string;
}

export interface Ranking {
  /** Cheapest first. */
  ranked: CostEstimate[];
  excluded: Exclusion[];
}

/** Costs are compared at a millionth of a dollar, so float noise never decides a tie. */
const comparable = (usd: number): number => Math.round(usd * 1e6);

export function compareEstimates(a: CostEstimate, b: CostEstimate): number {
  return comparable(a.monthlyUsd) - comparable(b.monthlyUsd) || cmp(a.provider, b.provider) || cmp(a.region, b.region);
}

/** Why `provider` cannot be this spec's destination (its transfer service cannot read the source, or a field it cannot honour), or undefined. */
export function routeBlocker(spec: BackupSpec, provider: string, clouds: CloudSet): string | undefined {
  const facts = clouds.get(provider).storage;
  const route = facts.routes[spec.source.provider];
  if (!route) return `${facts.transferService} cannot read from ${spec.source.provider}`;
  const missing = route.requires.filter((r) => fieldValue(spec, r.field) === undefined).map((r) => `needs ${r.field}: ${r.why}`);
  const unsupported = Object.entries(facts.unsupported)
    .filter(([field]) => isSet(fieldValue(spec, field)))
    .map(([field, reason]) => `cannot honour ${field}: ${reason}`);
  const reasons = [...missing, ...unsupported];
  return reasons.length === 0 ? undefined : reasons.join("; ");
}

function candidatePlaces(spec: BackupSpec, clouds: CloudSet): Place[] {
  if (spec.destination) return [spec.destination];
  if (spec.candidates?.regions) {
    return spec.candidates.regions.map((key) => {
      const [provider = "", region = ""] = key.split("/");
      return { provider, region };
    });
  }
  const geography = clouds.placeOf(spec.source.provider, spec.source.region)?.[0];
  const providers = spec.candidates?.providers ?? clouds.names.filter((n) => n !== spec.source.provider);
  // With residency rules, every region they allow is a candidate (the rules replace the default of
  // the source's own geography); without, the source's geography.
  const allowed = residencyFilter(spec.compliance?.residency, clouds);
  return providers.flatMap((provider) =>
    Object.entries(clouds.get(provider).regions)
      .filter(([region, [g]]) => (allowed ? allowed(provider, region) : g === geography))
      .map(([region]) => ({ provider, region })),
  );
}

export function rankDestinations(spec: BackupSpec, prices: StoragePrices, clouds: CloudSet): Ranking {
  const excluded: Exclusion[] = [];
  const blocked = new Map<string, string | undefined>();
  const estimates: CostEstimate[] = [];
  for (const place of candidatePlaces(spec, clouds)) {
    if (!blocked.has(place.provider)) {
      const reason = routeBlocker(spec, place.provider, clouds);
      blocked.set(place.provider, reason);
      if (reason) excluded.push({ provider: place.provider, reason });
    }
    if (blocked.get(place.provider)) continue;
    if (!prices.providers[place.provider]?.storage[place.region]) {
      excluded.push({ ...place, reason: "no storage price in the snapshot" });
      continue;
    }
    estimates.push(estimateCost(spec, place, prices, clouds));
  }
  if (estimates.length === 0) throw noCandidate(spec, excluded, clouds);
  return { ranked: estimates.sort(compareEstimates), excluded };
}

function noCandidate(spec: BackupSpec, excluded: readonly Exclusion[], clouds: CloudSet): UserError {
  const where = spec.destination ? "destination" : spec.candidates ? "candidates" : `the ${clouds.placeOf(spec.source.provider, spec.source.region)?.[0] ?? "source's"} geography`;
  const reasons = excluded.map((e) => `${e.provider}${e.region ? `/${e.region}` : ""}: ${e.reason}`);
  const fix = spec.destination ? "set what it needs, or pin another destination" : "list candidates.regions (provider/region) with storage prices, or pin destination";
  const lines = [`no destination for ${spec.source.provider}/${spec.source.region} in ${where}`, ...reasons.map((r) => `  ${r}`), `fix: ${fix}`];
  return new UserError(`invalid backup spec: ${lines.join("\n")}`, lines);
}
