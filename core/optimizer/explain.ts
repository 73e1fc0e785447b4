/**
 * Step 5 (plans only): why the placement is what it is (DESIGN.md "Plan", `explain`).
 *
 * Constraints. For each constraint the spec sets (each `constraints.*`, `quotas` as one, and
 * `compliance.residency`): the optimum without it, by exact re-solve, and whether it binds
 * (removing it lowers the optimum by more than $0.01). Removing `maxSpotShare` means spot
 * unrestricted; removing residency admits every region of the spec's providers. The re-solves are
 * kept few, each step exact:
 *  1. one re-solve without ALL of them. Removing one constraint gives a feasible set between the
 *     plan's and that one, so its optimum lies between the two: when both round to the same cent,
 *     nothing binds and no other solve is needed;
 *  2. otherwise, per constraint: `maxMonthlyUsd` never binds (the optimum is within the budget, and
 *     dropping it only admits dearer plans); nor does a constraint whose removal leaves the same
 *     integer caps (a share cap another cap implies; a `minProviders` the caps already force:
 *     cap x (k - 1) < R); when step 1's placement meets every other constraint it is also the
 *     optimum without this one; only then a solve, of ./group-model.ts (the same optimum as
 *     model.ts, proven several times faster). A time-limited re-solve leaves `constraints` out.
 *
 * Option sets. The plan's reduced options serve every model whose option filters are the plan's:
 * the reduction (reduce.ts) swaps an option for one of the same provider and lifecycle (same
 * region and no more vCPUs under a quota) that hosts as many replicas for no more money, which
 * keeps every constraint that reads replicas per provider and lifecycle, cost or quota'd vCPUs, so
 * it stays exact with any of them removed (with quotas gone it is merely less tight). Removing
 * residency or a `maxSpotShare: 0` widens the option filters instead, and a reduction made under a
 * narrower filter may have dropped an option for one outside it: those models get candidates
 * rebuilt from the full offer list (./candidates.ts), once per filter combination.
 *
 * Providers: for each provider the spec allows, why it is used or not (./explain-providers.ts).
 */
import type { InstanceOffer } from "../catalog/offer";
import type { WorkloadSpec } from "../spec/schema";
import type { RegionOverheads } from "../plan/overheads";
import { HOURS_PER_MONTH } from "../util/units";
import { round } from "../util/round";
import { LimitReachedError } from "../util/errors";
import type { PlacementOption, ProviderOffers } from "./options";
import { providerReplicaCap, regionKey, spotReplicaCap, type PlacementConstraints } from "./model";
import { solveMip, type SolveLimits, type SolveResult } from "./solver";
import { widenedCandidates, type Candidates } from "./candidates";
import { explainProviders, type ProviderExplanation } from "./explain-providers";

export type { ProviderExplanation } from "./explain-providers";
import { buildGroupModel, type GroupModel } from "./group-model";

export interface ConstraintExplanation {
  /** `minProviders`, `maxProviderShare`, `survivesProviderLoss`, `maxSpotShare`, `maxMonthlyUsd`, `quotas` or `residency`. */
  name: string;
  /** Removing it lowers the optimum by more than $0.01 a month. */
  binding: boolean;
  /** The optimum's monthly cost without it (the plan's own cost when it does not bind). */
  monthlyUsdWithout: number;
}

export interface Explanation {
  /** Absent when a re-solve stopped at the solver's time limit (no exact answer to give). */
  constraints?: ConstraintExplanation[];
  /**
   * The optimum's monthly cost with every one of them removed at once: constraints that bind only
   * together (two share caps giving the same cap) show here, not one at a time. With `constraints`.
   */
  monthlyUsdWithoutAll?: number;
  providers: Record<string, ProviderExplanation>;
}

/** A dollar a month, and a cent of it: the binding threshold of DESIGN.md. */
const BINDING_USD = 0.01;

export interface ExplainInput {
  spec: WorkloadSpec;
  /** The full offer list (candidates are rebuilt from it when an option filter is removed). */
  offers: readonly InstanceOffer[];
  settings: { overheads?: RegionOverheads; allowedRegion?: (provider: string, region: string) => boolean };
  limits: SolveLimits;
  constraints: PlacementConstraints;
  quotaRegions: ReadonlySet<string>;
  /** The plan's own model and its proven optimum. */
  main: { candidates: Candidates; lp: string; result: SolveResult };
  byProvider: ReadonlyMap<string, ProviderOffers>;
  /** The placement (after the tie-break). */
  allocations: ReadonlyArray<{ option: PlacementOption; count: number; replicas: number }>;
}

/** One model of the explanation: constraints as data plus the two option filters. */
interface Variant {
  constraints: PlacementConstraints;
  /** The residency rule applies (the spec has one and it is kept). */
  residency: boolean;
  /** Spot options exist. */
  spot: boolean;
}

interface Solved {
  result: SolveResult;
  options: PlacementOption[];
  groups: GroupModel["groups"];
}

interface Removal {
  name: string;
  variant: Variant;
}

export async function explainPlacement(input: ExplainInput): Promise<Explanation> {
  const constraints = await explainConstraints(input).catch((err: unknown) => {
    if (err instanceof LimitReachedError) return undefined;
    throw err;
  });
  const explained = constraints && constraints.list.length > 0 ? { constraints: constraints.list, monthlyUsdWithoutAll: constraints.withoutAll } : constraints ? { constraints: [] } : {};
  const providers = explainProviders({ spec: input.spec, constraints: input.constraints, candidates: input.main.candidates, byProvider: input.byProvider, allocations: input.allocations });
  return { ...explained, providers };
}

/** Undefined when a re-solve stopped at the solver's time limit: no exact answer then. */
async function explainConstraints(input: ExplainInput): Promise<{ list: ConstraintExplanation[]; withoutAll: number } | undefined> {
  const { spec, constraints: c, main } = input;
  const R = spec.demand.replicas;
  const hasResidency = input.settings.allowedRegion !== undefined;
  const base: Variant = { constraints: c, residency: hasResidency, spot: (c.maxSpotShare ?? 0) > 0 };
  const removals = removalsOf(c, base);
  if (removals.length === 0) return { list: [], withoutAll: 0 };

  const candidateSets = new Map<string, Candidates>([[variantKey(base), main.candidates]]);
  const candidatesOf = (v: Variant): Candidates => {
    const key = variantKey(v);
    let set = candidateSets.get(key);
    if (!set) {
      const allowedRegion = v.residency ? input.settings.allowedRegion : undefined;
      set = widenedCandidates(spec, input.offers, { allowedRegion, spot: v.spot }, input.settings.overheads, input.quotaRegions);
      candidateSets.set(key, set);
    }
    return set;
  };
  // Models already solved, by LP text: a removal that another constraint implies (two share caps
  // giving the same cap) writes the same model and is not solved twice.
  const solved = new Map<string, Solved>();
  const solve = async (v: Variant): Promise<Solved> => {
    const { options, rates, separateRegions } = candidatesOf(v);
    const model = buildGroupModel(options, R, v.constraints, rates, separateRegions);
    let done = solved.get(model.lp);
    if (!done) {
      done = { result: await solveMip(model.lp, input.limits), options, groups: model.groups };
      solved.set(model.lp, done);
    }
    return done;
  };
  const monthly = (r: SolveResult) => r.objective * HOURS_PER_MONTH;
  const planMonthly = monthly(main.result);

  // Step 1: everything removed at once.
  const none: Variant = {
    constraints: { quotas: {}, ...(c.maxSpotShare !== undefined ? { maxSpotShare: 1 } : {}) },
    residency: false,
    spot: base.spot || c.maxSpotShare !== undefined,
  };
  const loosest = await solve(none);
  const loosestMonthly = monthly(loosest.result);
  // A relaxation never makes a feasible model infeasible; a time-limited answer is no proven optimum.
  if (loosest.result.status !== "optimal") return undefined;
  const withoutAll = round(loosestMonthly, 2);
  if (withoutAll === round(planMonthly, 2)) {
    return { list: removals.map(({ name }) => ({ name, binding: false, monthlyUsdWithout: withoutAll })), withoutAll };
  }

  const out: ConstraintExplanation[] = [];
  for (const { name, variant } of removals) {
    let without: number;
    if (name === "maxMonthlyUsd" || sameModel(variant, base, R)) {
      without = planMonthly;
    } else if (meets(loosest, R, variant, input.settings.allowedRegion)) {
      without = loosestMonthly;
    } else {
      const { result } = await solve(variant);
      if (result.status !== "optimal") return undefined;
      without = monthly(result);
    }
    out.push({ name, binding: planMonthly - without > BINDING_USD, monthlyUsdWithout: round(without, 2) });
  }
  return { list: out, withoutAll };
}

/** Each constraint the spec sets, in spec order, with the model that lacks it. */
function removalsOf(c: PlacementConstraints, base: Variant): Removal[] {
  const out: Removal[] = [];
  const without = (name: string, change: Partial<PlacementConstraints>, filters: Partial<Variant> = {}) =>
    out.push({ name, variant: { ...base, ...filters, constraints: { ...c, ...change } } });
  if (c.minProviders !== undefined) without("minProviders", { minProviders: undefined });
  if (c.maxProviderShare !== undefined) without("maxProviderShare", { maxProviderShare: undefined });
  if (c.survivesProviderLoss !== undefined) without("survivesProviderLoss", { survivesProviderLoss: undefined });
  if (c.maxSpotShare !== undefined) without("maxSpotShare", { maxSpotShare: 1 }, { spot: true });
  if (c.maxMonthlyUsd !== undefined) without("maxMonthlyUsd", { maxMonthlyUsd: undefined });
  if (Object.keys(c.quotas).length > 0) without("quotas", { quotas: {} });
  if (base.residency) without("residency", {}, { residency: false });
  return out;
}

const variantKey = (v: Variant) => `${v.residency}|${v.spot}`;

/** The fewest providers any placement of R replicas uses under the provider caps. */
function providersForced(replicas: number, c: PlacementConstraints): number {
  return Math.ceil(replicas / providerReplicaCap(replicas, c));
}

/** Whether a solved placement meets every constraint and option filter of `v`. */
function meets({ result, options, groups }: Solved, replicas: number, v: Variant, allowedRegion: ExplainInput["settings"]["allowedRegion"]): boolean {
  const c = v.constraints;
  const vcpuByRegion = new Map<string, number>();
  for (let j = 0; j < options.length; j++) {
    const o = options[j]!;
    const n = result.values.get(`n${j}`) ?? 0;
    if (n === 0) continue;
    if (v.residency && allowedRegion && !allowedRegion(o.offer.provider, o.offer.region)) return false;
    if (o.lifecycle === "spot" && !v.spot) return false;
    vcpuByRegion.set(regionKey(o), (vcpuByRegion.get(regionKey(o)) ?? 0) + n * o.offer.vcpu);
  }
  const perProvider = new Map<string, number>();
  let spot = 0;
  groups.forEach((g, i) => {
    const y = result.values.get(`g${i}`) ?? 0;
    perProvider.set(g.provider, (perProvider.get(g.provider) ?? 0) + y);
    if (g.spot) spot += y;
  });
  const cap = providerReplicaCap(replicas, c);
  if ([...perProvider.values()].some((y) => y > cap)) return false;
  if (spot > spotReplicaCap(replicas, c)) return false;
  if (c.maxMonthlyUsd !== undefined && result.objective > c.maxMonthlyUsd / HOURS_PER_MONTH) return false;
  if (Object.entries(c.quotas).some(([key, q]) => (vcpuByRegion.get(key) ?? 0) > q)) return false;
  return [...perProvider.values()].filter((y) => y > 0).length >= (c.minProviders ?? 1);
}

/**
 * Whether removing a constraint leaves the plan's own feasible set: the same option filters and
 * the same caps (a share cap that another cap implies, a minProviders the caps already force).
 */
function sameModel(v: Variant, base: Variant, replicas: number): boolean {
  return v.residency === base.residency && v.spot === base.spot && signature(v, replicas) === signature(base, replicas);
}

/** What a model's feasible set depends on, given its options: the caps as integers. */
function signature(v: Variant, replicas: number): string {
  const c = v.constraints;
  const minProviders = (c.minProviders ?? 1) <= providersForced(replicas, c) ? 1 : c.minProviders;
  const quotas = Object.keys(c.quotas).sort().map((k) => [k, c.quotas[k]]);
  return JSON.stringify([providerReplicaCap(replicas, c), v.spot ? spotReplicaCap(replicas, c) : 0, c.maxMonthlyUsd ?? null, quotas, minProviders]);
}
