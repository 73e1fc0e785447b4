/**
 * The plan's `explain` against brute force (fast-check, fixed seed): for every constraint the spec
 * sets, `monthlyUsdWithout` is the brute-force optimum of the same scenario without that constraint
 * (spot unrestricted for maxSpotShare, every region for residency), and `binding` says whether that
 * optimum is more than $0.01 below the plan's. Scenarios place offers in one US and one EU region
 * of each cloud, so residency rules cut real regions.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { bruteForce, scenarioArb, type Scenario } from "./helpers/brute-force";
import { planWorkload, InfeasibleError } from "../core";
import { catalogOf } from "./helpers/catalog";
import { CLOUDS } from "../clouds/registry";

/** r1 -> a US region, r2 -> an EU region of the same cloud. */
const REAL_REGION: Record<string, Record<string, string>> = {
  aws: { r1: "us-east-1", r2: "eu-west-1" },
  azure: { r1: "eastus", r2: "westeurope" },
  gcp: { r1: "us-central1", r2: "europe-west1" },
};
const GEOGRAPHY: Record<string, string> = { r1: "us", r2: "eu" };

interface Case {
  scenario: Scenario;
  residency?: "us" | "eu";
}

const caseArb: fc.Arbitrary<Case> = fc.record({ scenario: scenarioArb, residency: fc.option(fc.constantFrom("us" as const, "eu" as const), { nil: undefined }) }).map(({ scenario, residency }) => {
  const offers = scenario.offers.map((o) => ({ ...o, region: REAL_REGION[o.provider]![o.region]! }));
  const constraints = { ...scenario.constraints };
  const quotas = constraints.quotas as Record<string, { vcpu: number }> | undefined;
  if (quotas) {
    constraints.quotas = Object.fromEntries(Object.entries(quotas).map(([key, q]) => {
      const [p, r] = key.split("/") as [string, string];
      return [`${p}/${REAL_REGION[p]![r]}`, q];
    }));
  }
  // A quota on a region the residency rule forbids is an error in the spec: drop it then.
  if (residency && quotas && Object.keys(quotas).some((key) => GEOGRAPHY[key.split("/")[1]!] !== residency)) delete constraints.quotas;
  return { scenario: { ...scenario, offers, constraints }, ...(residency ? { residency } : {}) };
});

const inGeography = (region: string, geography: string) => Object.values(REAL_REGION).some((m) => Object.entries(m).some(([r, real]) => real === region && GEOGRAPHY[r] === geography));

function specOf({ scenario: s, residency }: Case) {
  const providers = Object.fromEntries([...new Set(s.offers.map((o) => o.provider))].sort().map((p) => [p, { discount: s.discount }]));
  return {
    name: "prop",
    demand: { replicas: s.replicas, cpu: s.cpu, memoryGiB: s.memoryGiB },
    instance: { arch: "any" },
    providers,
    constraints: s.constraints,
    ...(residency ? { compliance: { residency: [residency] } } : {}),
  };
}

/** Brute-force optimum ($/month) of the case with the named constraints removed (or none). */
function bruteMonthly(c: Case, ...without: string[]): number | undefined {
  const constraints = { ...c.scenario.constraints };
  for (const name of without) {
    if (name === "maxSpotShare") constraints.maxSpotShare = 1;
    else if (name !== "residency") delete constraints[name];
  }
  const residency = without.includes("residency") ? undefined : c.residency;
  const offers = residency ? c.scenario.offers.filter((o) => inGeography(o.region, residency)) : c.scenario.offers;
  const hourly = bruteForce({ ...c.scenario, offers, constraints });
  return hourly === undefined ? undefined : hourly * 730;
}

const ORDER = ["minProviders", "maxProviderShare", "survivesProviderLoss", "maxSpotShare", "maxMonthlyUsd", "quotas", "residency"];

describe("explain vs brute force", () => {
  it("names every constraint the spec sets, and its cost without it is the brute-force optimum without it", async () => {
    let binding = 0;
    let checked = 0;
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const optimum = bruteMonthly(c);
        // Some offers may sit only in the forbidden geography: then a provider lists no region.
        const plan = await planWorkload(specOf(c), catalogOf(c.scenario.offers), CLOUDS).catch((err: Error) => err);
        if (optimum === undefined || plan instanceof Error) {
          if (plan instanceof Error && !(plan instanceof InfeasibleError)) throw plan;
          return;
        }
        expect(plan.explain).toBeDefined();
        const set = ORDER.filter((name) => (name === "residency" ? c.residency !== undefined : c.scenario.constraints[name] !== undefined));
        const explained = plan.explain!.constraints!;
        expect(explained.map((x) => x.name)).toEqual(set);
        if (set.length > 0) expect(Math.abs(plan.explain!.monthlyUsdWithoutAll! - bruteMonthly(c, ...set)!)).toBeLessThanOrEqual(0.006);
        for (const x of explained) {
          const without = bruteMonthly(c, x.name)!;
          expect(without).toBeDefined();
          expect(Math.abs(x.monthlyUsdWithout - without)).toBeLessThanOrEqual(0.006);
          expect(x.binding).toBe(optimum - without > 0.01);
          checked++;
          if (x.binding) binding++;
        }
        // Every provider the spec allows is explained; used exactly when the plan places replicas there.
        const used = new Set(plan.allocations.map((a) => a.provider));
        expect(Object.keys(plan.explain!.providers).sort()).toEqual(Object.keys(specOf(c).providers).sort());
        for (const [p, e] of Object.entries(plan.explain!.providers)) expect(e.used).toBe(used.has(p));
      }),
      { numRuns: 200, seed: 20261128 },
    );
    // The generator must exercise both answers, or the property says little.
    expect(binding).toBeGreaterThan(10);
    expect(checked - binding).toBeGreaterThan(20);
  }, 180_000);
});
