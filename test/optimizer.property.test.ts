/**
 * The optimizer against brute force on small random instances (fast-check): every plan satisfies
 * every constraint, and costs exactly the brute-force optimum; infeasible exactly when brute force
 * finds nothing.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { bruteForce, scenarioArb, specOf, type Scenario } from "./helpers/brute-force";
import { planWorkload, InfeasibleError, type Plan } from "../core";
import { catalogOf } from "./helpers/catalog";
import { CLOUDS } from "../clouds/registry";

/** Independent check of a plan against its scenario, from the plan JSON alone. */
function assertPlanSatisfies(plan: Plan, s: Scenario) {
  const c = s.constraints as { minProviders?: number; maxProviderShare?: number; survivesProviderLoss?: number; maxSpotShare?: number; maxMonthlyUsd?: number; quotas?: Record<string, { vcpu: number }> };
  const R = s.replicas;
  expect(plan.totals.replicas).toBe(R);
  const perProvider = new Map<string, number>();
  let spot = 0;
  for (const a of plan.allocations) {
    expect(a.replicas).toBeGreaterThan(0);
    expect(a.replicas).toBeLessThanOrEqual(a.count * a.replicasPerInstance);
    expect(a.replicasPerInstance).toBe(Math.min(Math.floor(a.vcpu / s.cpu), Math.floor(a.memoryGiB / s.memoryGiB)));
    perProvider.set(a.provider, (perProvider.get(a.provider) ?? 0) + a.replicas);
    if (a.lifecycle === "spot") spot += a.replicas;
  }
  if (c.minProviders !== undefined) expect(perProvider.size).toBeGreaterThanOrEqual(c.minProviders);
  for (const v of perProvider.values()) {
    if (c.maxProviderShare !== undefined) expect(v).toBeLessThanOrEqual(c.maxProviderShare * R + 1e-9);
    if (c.survivesProviderLoss !== undefined) expect(R - v).toBeGreaterThanOrEqual(c.survivesProviderLoss * R - 1e-9);
  }
  expect(spot).toBeLessThanOrEqual((c.maxSpotShare ?? 0) * R + 1e-9);
  if (c.maxMonthlyUsd !== undefined) expect(plan.totals.monthlyUsd).toBeLessThanOrEqual(c.maxMonthlyUsd + 0.01);
  for (const [key, q] of Object.entries(c.quotas ?? {})) {
    const used = plan.allocations.filter((a) => `${a.provider}/${a.region}` === key).reduce((sum, a) => sum + a.count * a.vcpu, 0);
    expect(used).toBeLessThanOrEqual(q.vcpu);
  }
}

describe("optimizer vs brute force", () => {
  it("finds exactly the brute-force optimum, and every plan satisfies every constraint", async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (s) => {
        const expected = bruteForce(s);
        const catalog = catalogOf(s.offers);
        if (expected === undefined) {
          await expect(planWorkload(specOf(s), catalog, CLOUDS)).rejects.toBeInstanceOf(InfeasibleError);
          return;
        }
        const plan = await planWorkload(specOf(s), catalog, CLOUDS);
        assertPlanSatisfies(plan, s);
        const cost = plan.allocations.reduce((sum, a) => sum + a.count * a.hourlyUsd, 0);
        expect(cost).toBeCloseTo(expected, 6);
        expect(plan.solver).toMatchObject({ status: "optimal", gap: 0 });
      }),
      { numRuns: 300, seed: 20261122 },
    );
  }, 120_000);

  it("gives the same plan whatever order the catalog lists offers in", async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, fc.integer(), async (s, seed) => {
        if (bruteForce(s) === undefined) return;
        const shuffled = [...s.offers].sort((a, b) => ((hash(a.instanceType + seed) - hash(b.instanceType + seed)) | 0));
        const a = await planWorkload(specOf(s), catalogOf(s.offers), CLOUDS);
        const b = await planWorkload(specOf(s), { ...catalogOf(s.offers), offers: shuffled }, CLOUDS);
        expect(b.allocations).toEqual(a.allocations);
        expect(b.specHash).toBe(a.specHash);
      }),
      { numRuns: 60, seed: 7 },
    );
  }, 60_000);
});

function hash(text: string): number {
  let h = 0;
  for (const ch of text) h = (h * 31 + ch.charCodeAt(0)) | 0;
  return h;
}
