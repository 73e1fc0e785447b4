/**
 * Regional overheads in the optimum (issue "Failover across clouds", DESIGN.md Plan `overheads`):
 * with `traffic`, each region used costs its load balancer and NAT, exactly, in the MILP; a small
 * fleet is not spread over regions whose fixed costs exceed the savings. Without `traffic`, plans
 * are unchanged.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { planSpec, planWorkload, validateSpec, type Plan } from "../core";
import { overheadsFor } from "../core/plan/overheads";
import { CLOUDS } from "../clouds/registry";
import { catalogOf, offer } from "./helpers/catalog";
import { bruteForce, scenarioArb, specOf } from "./helpers/brute-force";

/** AWS in two regions: on-demand only in us-east-1, spot (at `spot` $/h) in us-west-2. */
function twoRegions(spot: number) {
  return catalogOf([
    offer({ provider: "aws", region: "us-east-1", instanceType: "m7i.large", vcpu: 2, memoryGiB: 8, onDemandHourlyUsd: 0.1 }),
    offer({ provider: "aws", region: "us-west-2", instanceType: "m7i.large", vcpu: 2, memoryGiB: 8, onDemandHourlyUsd: 0.2, spotHourlyUsd: spot }),
  ]);
}
const FLEET = {
  name: "api",
  demand: { replicas: 4, cpu: 2, memoryGiB: 8 },
  providers: { aws: { regions: ["us-east-1", "us-west-2"] } },
  constraints: { maxSpotShare: 0.5 },
};
const TRAFFIC = { port: 443, healthCheck: { path: "/healthz" } };
/** What AWS charges per region used for an internal NLB and NAT (clouds/aws/overhead-prices.ts). */
const AWS_REGION_HOURLY = 0.0225 + 0.045 + 0.005;

const regions = (plan: Plan) => [...new Set(plan.allocations.map((a) => a.region))];

describe("a region's fixed costs in the optimum", () => {
  it("keeps a 4-replica fleet in one region when a second region's overhead exceeds its saving", async () => {
    // Spot in us-west-2 saves 2 x (0.10 - 0.08) = $0.04/h, less than the region's $0.0725/h.
    const plan = await planWorkload({ ...FLEET, traffic: TRAFFIC }, twoRegions(0.08), CLOUDS);
    expect(regions(plan)).toEqual(["us-east-1"]);
    expect(plan.overheads).toEqual([
      { provider: "aws", region: "us-east-1", item: "load-balancer", monthlyUsd: 16.43 },
      { provider: "aws", region: "us-east-1", item: "nat-gateway", monthlyUsd: 32.85 },
      { provider: "aws", region: "us-east-1", item: "nat-public-ipv4", monthlyUsd: 3.65 },
    ]);
    expect(plan.totals.monthlyUsd).toBeCloseTo((4 * 0.1 + AWS_REGION_HOURLY) * 730, 2);
  });

  it("moves to two regions when the saving is larger than the overhead", async () => {
    // Spot at $0.03 saves 2 x 0.07 = $0.14/h, more than $0.0725/h.
    const plan = await planWorkload({ ...FLEET, traffic: TRAFFIC }, twoRegions(0.03), CLOUDS);
    expect(regions(plan)).toEqual(["us-east-1", "us-west-2"]);
    expect(plan.overheads?.map((o) => `${o.region}/${o.item}`)).toEqual([
      "us-east-1/load-balancer", "us-east-1/nat-gateway", "us-east-1/nat-public-ipv4",
      "us-west-2/load-balancer", "us-west-2/nat-gateway", "us-west-2/nat-public-ipv4",
    ]);
    expect(plan.totals.monthlyUsd).toBeCloseTo((2 * 0.1 + 2 * 0.03 + 2 * AWS_REGION_HOURLY) * 730, 2);
  });

  it("without traffic spreads for any saving and lists no overheads: the plan is as before", async () => {
    const plan = await planWorkload(FLEET, twoRegions(0.08), CLOUDS);
    expect(regions(plan)).toEqual(["us-east-1", "us-west-2"]);
    expect("overheads" in plan).toBe(false);
    expect(plan.totals.monthlyUsd).toBeCloseTo((2 * 0.1 + 2 * 0.08) * 730, 2);
  });

  it("prices an internet-facing load balancer's public addresses too", async () => {
    const plan = await planWorkload({ ...FLEET, traffic: { ...TRAFFIC, public: true } }, twoRegions(0.08), CLOUDS);
    expect(plan.overheads?.map((o) => o.item)).toContain("load-balancer-public-ipv4");
  });

  it("keeps only what traffic costs in the spec hash: a health-check path change does not unpin a plan", async () => {
    const a = await planWorkload({ ...FLEET, traffic: TRAFFIC }, twoRegions(0.08), CLOUDS);
    const b = await planWorkload({ ...FLEET, traffic: { ...TRAFFIC, healthCheck: { path: "/ready" } } }, twoRegions(0.08), CLOUDS);
    expect(b.specHash).toBe(a.specHash);
    // What traffic costs per region is in: adding traffic, or making it public, is a new placement.
    const none = await planWorkload(FLEET, twoRegions(0.08), CLOUDS);
    const open = await planWorkload({ ...FLEET, traffic: { ...TRAFFIC, public: true } }, twoRegions(0.08), CLOUDS);
    expect(new Set([none.specHash, a.specHash, open.specHash]).size).toBe(3);
  });
});

describe("optimizer with overheads vs brute force", () => {
  it("finds exactly the brute-force optimum including each used region's fixed cost", async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, fc.array(fc.integer({ min: 0, max: 60 }), { minLength: 6, maxLength: 6 }), async (s, cents) => {
        // A fixed $/h per provider/region, some of them 0 (a region without overhead).
        const keys = ["aws/r1", "aws/r2", "azure/r1", "azure/r2", "gcp/r1", "gcp/r2"];
        const rate = (key: string) => cents[keys.indexOf(key)]! / 100;
        const expected = bruteForce(s, rate);
        const catalog = catalogOf(s.offers);
        const spec = validateSpec(specOf(s), catalog, CLOUDS);
        const overheads = (provider: string, region: string) => {
          const r = rate(`${provider}/${region}`);
          return r > 0 ? [{ item: "fixed", hourlyUsd: r }] : [];
        };
        if (expected === undefined) {
          await expect(planSpec(spec, catalog, { overheads })).rejects.toThrow();
          return;
        }
        const plan = await planSpec(spec, catalog, { overheads });
        expect(plan.totals.hourlyUsd).toBeCloseTo(expected, 6);
        // Overheads are listed for exactly the regions used.
        const used = [...new Set(plan.allocations.map((a) => `${a.provider}/${a.region}`))].filter((k) => rate(k) > 0).sort();
        expect([...new Set((plan.overheads ?? []).map((o) => `${o.provider}/${o.region}`))]).toEqual(used);
      }),
      { numRuns: 200, seed: 20261128 },
    );
  }, 120_000);

  it("has no overheads without traffic, whatever the clouds' tables say", () => {
    const spec = validateSpec(FLEET, twoRegions(0.08), CLOUDS);
    expect(overheadsFor(spec, CLOUDS)).toBeUndefined();
  });
});
