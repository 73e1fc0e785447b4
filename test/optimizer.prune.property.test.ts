/**
 * Options dominated inside their own region are left out before the reduction
 * (placementOptions' `pruneInRegion`, core/optimizer/options.ts). The claim is exact: the reduced
 * candidates, the fixed-cost rates and the separate regions are the same as from every option,
 * whatever the regions with a vCPU quota or a fixed cost. Checked on random catalogs dense with
 * ties (equal prices, fits and vCPUs across types), spot offers and discounts; the golden plans
 * (plans-golden.test.ts) check the same on the real snapshot.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { validateSpec } from "../core";
import type { InstanceOffer } from "../core/catalog/offer";
import { placementOptions, type PlacementOption } from "../core/optimizer/options";
import { reduceCandidates } from "../core/optimizer/candidates";
import { catalogOf, offer } from "./helpers/catalog";
import { CLOUDS } from "../clouds/registry";

/** An option as the plan names it, with what the model reads of it. */
const key = (o: PlacementOption) => `${o.offer.provider}/${o.offer.region}/${o.offer.instanceType}/${o.lifecycle} fit ${o.fit} $${o.hourlyUsd}`;

const REGIONS: Record<string, string[]> = { aws: ["us-east-1", "us-west-2"], gcp: ["us-central1", "europe-west1"], azure: ["eastus"] };
const ALL_REGIONS = Object.entries(REGIONS).flatMap(([p, rs]) => rs.map((r) => `${p}/${r}`));

const offerArb = fc
  .record({
    where: fc.constantFrom(...ALL_REGIONS),
    type: fc.integer({ min: 0, max: 7 }),
    vcpu: fc.constantFrom(1, 2, 4, 8),
    memoryGiB: fc.constantFrom(2, 4, 8, 16, 32),
    // Few distinct prices, so that exact ties are common.
    onDemand: fc.constantFrom(0.05, 0.1, 0.2, 0.3, 0.4),
    spot: fc.option(fc.constantFrom(0.02, 0.05, 0.1), { nil: null }),
  })
  .map(({ where, type, vcpu, memoryGiB, onDemand, spot }): InstanceOffer => {
    const [provider = "", region = ""] = where.split("/");
    return offer({ provider, region, instanceType: `t${type}.x${vcpu}m${memoryGiB}`, vcpu, memoryGiB, onDemandHourlyUsd: onDemand, spotHourlyUsd: spot });
  });

const caseArb = fc.record({
  offers: fc.uniqueArray(offerArb, { minLength: 1, maxLength: 40, selector: (o) => `${o.provider}/${o.region}/${o.instanceType}` }),
  cpu: fc.constantFrom(1, 2),
  memoryGiB: fc.constantFrom(2, 4, 8),
  spot: fc.boolean(),
  discount: fc.constantFrom(0, 0.1),
  quota: fc.subarray(ALL_REGIONS),
  fixedCost: fc.subarray(ALL_REGIONS),
});

describe("options pruned inside their region", () => {
  it("reduce to exactly the candidates every option reduces to", () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const catalog = catalogOf(c.offers);
        const providers = Object.fromEntries(
          [...new Set(c.offers.map((o) => o.provider))].map((p) => [p, { regions: [...new Set(c.offers.filter((o) => o.provider === p).map((o) => o.region))], discount: c.discount }]),
        );
        const spec = validateSpec({ name: "prune", demand: { replicas: 4, cpu: c.cpu, memoryGiB: c.memoryGiB }, providers, constraints: { maxSpotShare: c.spot ? 0.5 : 0 } }, catalog, CLOUDS);
        const quotaRegions = new Set(c.quota);
        const overheads = (provider: string, region: string) => (c.fixedCost.includes(`${provider}/${region}`) ? [{ item: "load balancer", hourlyUsd: 0.03 }] : []);
        const all = placementOptions(spec, catalog.offers, undefined, false);
        const pruned = placementOptions(spec, catalog.offers, undefined, true);
        expect(pruned.eligible).toBe(all.options.length);
        expect(pruned.options.length).toBeLessThanOrEqual(all.options.length);
        const fromAll = reduceCandidates(all.options, overheads, quotaRegions);
        const fromPruned = reduceCandidates(pruned.options, overheads, quotaRegions);
        expect(fromPruned.options.map(key)).toEqual(fromAll.options.map(key));
        expect([...fromPruned.rates]).toEqual([...fromAll.rates]);
        expect([...fromPruned.separateRegions]).toEqual([...fromAll.separateRegions]);
      }),
      { numRuns: 400, seed: 20261128 },
    );
  });
});
