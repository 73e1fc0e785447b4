/**
 * The plan's explanation, per provider (./explain.ts has the constraints): for each provider the
 * spec allows, why it is used or not, read from the data, never guessed. Used: what it hosts, at
 * what cost per replica, and the share cap that holds it there. Unused, the first that applies:
 * no offer in its regions; residency rules out every one; no instance type the replica fits (with
 * the filters that ruled them out); every option in a region whose vCPU quota is below one
 * instance; then prices per replica (an instance's price over the replicas it holds) against the
 * plan's: no option cheaper than the plan's dearest replica, or cheaper spot held back by a full
 * maxSpotShare; else the facts that make the cheaper option no better (whole instances, a
 * region's fixed costs), under the solver's proof of optimality.
 */
import type { WorkloadSpec } from "../spec/schema";
import { HOURS_PER_MONTH, usd } from "../util/units";
import type { PlacementOption, ProviderOffers } from "./options";
import { providerReplicaCap, regionKey, spotReplicaCap, type PlacementConstraints } from "./model";
import type { Candidates } from "./candidates";

export interface ProviderExplanation {
  used: boolean;
  why: string;
}

export interface ProviderFacts {
  spec: WorkloadSpec;
  constraints: PlacementConstraints;
  /** The plan's own candidates (after the exact reduction: each group's cheapest per replica survives it). */
  candidates: Candidates;
  byProvider: ReadonlyMap<string, ProviderOffers>;
  allocations: ReadonlyArray<{ option: PlacementOption; count: number; replicas: number }>;
}

export function explainProviders(input: ProviderFacts): Record<string, ProviderExplanation> {
  const { spec, constraints: c, allocations } = input;
  const R = spec.demand.replicas;
  const candidates = input.candidates.options;
  const perReplica = (o: PlacementOption) => (o.hourlyUsd / o.fit) * HOURS_PER_MONTH;
  const dearestInPlan = Math.max(...allocations.map((a) => perReplica(a.option)));
  const out: Record<string, ProviderExplanation> = {};
  for (const p of Object.keys(spec.providers).sort()) {
    const hosted = allocations.filter((a) => a.option.offer.provider === p);
    if (hosted.length > 0) {
      out[p] = { used: true, why: usedReason(hosted, R, c) };
      continue;
    }
    out[p] = { used: false, why: unusedReason(p, input, candidates.filter((o) => o.offer.provider === p), dearestInPlan, perReplica) };
  }
  return out;
}

function usedReason(hosted: ProviderFacts["allocations"], replicas: number, c: PlacementConstraints): string {
  const placed = hosted.reduce((sum, a) => sum + a.replicas, 0);
  const monthly = hosted.reduce((sum, a) => sum + a.count * a.option.hourlyUsd, 0) * HOURS_PER_MONTH;
  const pct = Math.round((placed / replicas) * 1000) / 10;
  const cap = providerReplicaCap(replicas, c);
  const holders = [
    ...(c.maxProviderShare !== undefined && providerReplicaCap(replicas, { quotas: {}, maxProviderShare: c.maxProviderShare }) === cap ? [`maxProviderShare ${c.maxProviderShare}`] : []),
    ...(c.survivesProviderLoss !== undefined && providerReplicaCap(replicas, { quotas: {}, survivesProviderLoss: c.survivesProviderLoss }) === cap ? [`survivesProviderLoss ${c.survivesProviderLoss}`] : []),
  ];
  const held = placed === cap && cap < replicas ? `; held to ${cap} by ${holders.join(" and ")}` : "";
  return `hosts ${placed} of ${replicas} replicas (${pct}%) at ${usd(monthly / placed)}/replica-month${held}`;
}

function unusedReason(provider: string, input: ProviderFacts, options: readonly PlacementOption[], dearestInPlan: number, perReplica: (o: PlacementOption) => number): string {
  const { spec, constraints: c } = input;
  const regions = spec.providers[provider]!.regions;
  const where = regions ? `in ${regions.join(", ")}` : "in any region";
  const offers = input.byProvider.get(provider);
  if (!offers || offers.considered === 0) return `the price catalog has no instance types ${where}`;
  const residency = spec.compliance?.residency;
  if (residency && offers.exclusions.get("compliance.residency") === offers.considered) {
    return `residency: no region of ${provider}${regions ? ` (${regions.join(", ")})` : " in the price catalog"} is in ${residency.join(", ")}`;
  }
  if (options.length === 0) {
    const { cpu, memoryGiB, gpus } = spec.demand;
    const gpu = gpus > 0 ? ` / ${gpus} ${spec.instance.gpuType ?? "GPU"}` : "";
    const reasons = [...offers.exclusions.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const detail = reasons.map(([path, n]) => `${path} ruled out ${n}`).join(", ");
    return `no instance type meets ${cpu} vCPU / ${memoryGiB} GiB${gpu} in the allowed regions (of ${offers.considered} offer${offers.considered === 1 ? "" : "s"}: ${detail})`;
  }
  // Under a quota, the smallest instance of every group survives the reduction (it is not
  // dominated on vCPUs), so "no candidate fits its quota" holds for every option.
  if (options.every((o) => c.quotas[regionKey(o)] !== undefined && c.quotas[regionKey(o)]! < o.offer.vcpu)) {
    return `quotas: every region with an eligible instance type has a vCPU quota below one instance`;
  }
  const cheapestOf = (list: readonly PlacementOption[]) => [...list].sort((a, b) => perReplica(a) - perReplica(b))[0];
  const describe = (o: PlacementOption) => `${o.offer.instanceType} ${o.lifecycle} in ${o.offer.region}`;
  const cheapest = cheapestOf(options)!;
  if (perReplica(cheapest) >= dearestInPlan) {
    return `its cheapest option, ${describe(cheapest)} at ${usd(perReplica(cheapest))}/replica-month, costs no less than the plan's dearest replica (${usd(dearestInPlan)})`;
  }
  // Spot at its cap: a spot option can only stand in for one of the plan's spot replicas.
  const spotCap = spotReplicaCap(spec.demand.replicas, c);
  const planSpot = input.allocations.filter((a) => a.option.lifecycle === "spot");
  const spotFull = planSpot.reduce((sum, a) => sum + a.replicas, 0) >= spotCap;
  const dearestSpot = Math.max(...planSpot.map((a) => perReplica(a.option)));
  const onDemand = cheapestOf(options.filter((o) => o.lifecycle === "on-demand"));
  const spot = cheapestOf(options.filter((o) => o.lifecycle === "spot"));
  if (spotFull && spot && perReplica(spot) >= dearestSpot && (!onDemand || perReplica(onDemand) >= dearestInPlan)) {
    const od = onDemand ? `no on-demand option costs less per replica than the plan pays: cheapest ${usd(perReplica(onDemand))}/replica-month (${describe(onDemand)}) vs at most ${usd(dearestInPlan)} in the plan; ` : "";
    return `${od}spot is at its maxSpotShare cap of ${spotCap} replicas, and its cheapest spot ${usd(perReplica(spot))}/replica-month (${describe(spot)}) is no less than the plan's dearest spot ${usd(dearestSpot)}`;
  }
  const facts: string[] = [];
  if (cheapest.lifecycle === "spot" && spotFull) facts.push(`spot is at its maxSpotShare cap of ${spotCap} replicas`);
  const rate = input.candidates.rates.get(regionKey(cheapest));
  if (rate !== undefined && !input.allocations.some((a) => regionKey(a.option) === regionKey(cheapest))) {
    facts.push(`${cheapest.offer.region} would add ${usd(rate * HOURS_PER_MONTH)}/month of fixed costs`);
  }
  if (cheapest.fit > 1) facts.push(`it comes in instances of ${cheapest.fit} replicas`);
  return (
    `its cheapest option, ${describe(cheapest)} at ${usd(perReplica(cheapest))}/replica-month, is below the plan's dearest ${usd(dearestInPlan)}, ` +
    `but the optimum (proven) has no cheaper plan using ${provider}${facts.length > 0 ? `: ${facts.join("; ")}` : ""}`
  );
}
