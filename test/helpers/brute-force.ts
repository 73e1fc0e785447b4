/**
 * Small random placement scenarios and their brute-force optimum, shared by the optimizer's
 * property tests: every split of the replicas over the options is enumerated, so the optimum is
 * known without the MILP.
 */
import fc from "fast-check";
import { offer } from "./catalog";
import type { InstanceOffer } from "../../core/catalog/offer";

const PROVIDERS = ["aws", "azure", "gcp"] as const;
const REGIONS = ["r1", "r2"];

export interface Scenario {
  offers: InstanceOffer[];
  replicas: number;
  cpu: number;
  memoryGiB: number;
  constraints: Record<string, unknown>;
  discount: number;
}

const offerArb = fc.record({
  provider: fc.constantFrom(...PROVIDERS),
  region: fc.constantFrom(...REGIONS),
  vcpu: fc.constantFrom(1, 2, 4, 8),
  memoryGiB: fc.constantFrom(2, 4, 8, 16, 32),
  price: fc.integer({ min: 1, max: 400 }).map((c) => c / 100),
  spot: fc.option(fc.integer({ min: 1, max: 200 }).map((c) => c / 100), { nil: null }),
});

export const scenarioArb: fc.Arbitrary<Scenario> = fc
  .record({
    raw: fc.array(offerArb, { minLength: 1, maxLength: 5 }),
    replicas: fc.integer({ min: 1, max: 7 }),
    cpu: fc.constantFrom(1, 2),
    memoryGiB: fc.constantFrom(2, 4),
    minProviders: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
    maxProviderShare: fc.option(fc.constantFrom(0.34, 0.5, 0.6, 0.75, 1), { nil: undefined }),
    survivesProviderLoss: fc.option(fc.constantFrom(0, 0.25, 0.5), { nil: undefined }),
    maxSpotShare: fc.option(fc.constantFrom(0, 0.3, 0.5, 1), { nil: undefined }),
    maxMonthlyUsd: fc.option(fc.integer({ min: 100, max: 3000 }), { nil: undefined }),
    quota: fc.option(fc.record({ provider: fc.constantFrom(...PROVIDERS), region: fc.constantFrom(...REGIONS), vcpu: fc.integer({ min: 0, max: 24 }) }), { nil: undefined }),
    discount: fc.constantFrom(0, 0, 0.1),
  })
  .map((r) => {
    const offers = r.raw.map((o, i) =>
      offer({ provider: o.provider, region: o.region, instanceType: `t${i}.x`, vcpu: o.vcpu, memoryGiB: o.memoryGiB, onDemandHourlyUsd: o.price, spotHourlyUsd: o.spot }),
    );
    const constraints: Record<string, unknown> = {};
    for (const key of ["minProviders", "maxProviderShare", "survivesProviderLoss", "maxSpotShare", "maxMonthlyUsd"] as const) {
      if (r[key] !== undefined) constraints[key] = r[key];
    }
    const providers = new Set(offers.map((o) => o.provider));
    if (r.minProviders !== undefined && r.minProviders > providers.size) delete constraints.minProviders;
    if (r.quota && offers.some((o) => o.provider === r.quota!.provider && o.region === r.quota!.region)) {
      constraints.quotas = { [`${r.quota.provider}/${r.quota.region}`]: { vcpu: r.quota.vcpu } };
    }
    return { offers, replicas: r.replicas, cpu: r.cpu, memoryGiB: r.memoryGiB, constraints, discount: r.discount };
  });

export function specOf(s: Scenario) {
  const providers = Object.fromEntries(
    [...new Set(s.offers.map((o) => o.provider))].map((p) => [p, { regions: [...new Set(s.offers.filter((o) => o.provider === p).map((o) => o.region))], discount: s.discount }]),
  );
  return {
    name: "prop",
    demand: { replicas: s.replicas, cpu: s.cpu, memoryGiB: s.memoryGiB },
    instance: { arch: "any" },
    providers,
    constraints: s.constraints,
  };
}

interface Choice { o: InstanceOffer; spot: boolean; fit: number; price: number }

/** Enumerates every split of the replicas over the options; instances = ceil(replicas / fit). */
export function bruteForce(s: Scenario, overheadOf?: (providerRegion: string) => number): number | undefined {
  const c = s.constraints as { minProviders?: number; maxProviderShare?: number; survivesProviderLoss?: number; maxSpotShare?: number; maxMonthlyUsd?: number; quotas?: Record<string, { vcpu: number }> };
  const choices: Choice[] = [];
  for (const o of s.offers) {
    const fit = Math.min(Math.floor(o.vcpu / s.cpu), Math.floor(o.memoryGiB / s.memoryGiB));
    if (fit < 1) continue;
    choices.push({ o, spot: false, fit, price: o.onDemandHourlyUsd * (1 - s.discount) });
    if ((c.maxSpotShare ?? 0) > 0 && o.spotHourlyUsd !== null) choices.push({ o, spot: true, fit, price: o.spotHourlyUsd * (1 - s.discount) });
  }
  let best: number | undefined;
  const R = s.replicas;
  const y = new Array<number>(choices.length).fill(0);
  const visit = (j: number, left: number) => {
    if (j === choices.length - 1) {
      y[j] = left;
      evaluate();
      return;
    }
    for (let k = 0; k <= left; k++) {
      y[j] = k;
      visit(j + 1, left - k);
    }
  };
  const evaluate = () => {
    const perProvider = new Map<string, number>();
    let spot = 0, cost = 0;
    const vcpuByRegion = new Map<string, number>();
    choices.forEach((ch, j) => {
      const n = Math.ceil(y[j]! / ch.fit);
      perProvider.set(ch.o.provider, (perProvider.get(ch.o.provider) ?? 0) + y[j]!);
      if (ch.spot) spot += y[j]!;
      cost += n * ch.price;
      const key = `${ch.o.provider}/${ch.o.region}`;
      vcpuByRegion.set(key, (vcpuByRegion.get(key) ?? 0) + n * ch.o.vcpu);
    });
    const used = [...perProvider.values()].filter((v) => v > 0).length;
    if (c.minProviders !== undefined && used < c.minProviders) return;
    for (const v of perProvider.values()) {
      if (c.maxProviderShare !== undefined && v > c.maxProviderShare * R + 1e-9) return;
      if (c.survivesProviderLoss !== undefined && R - v < c.survivesProviderLoss * R - 1e-9) return;
    }
    if (spot > (c.maxSpotShare ?? 0) * R + 1e-9) return;
    // Fixed costs of the regions used (a region is used when it hosts a replica).
    if (overheadOf) {
      const used = new Set(choices.flatMap((ch, j) => (y[j]! > 0 ? [`${ch.o.provider}/${ch.o.region}`] : [])));
      for (const key of used) cost += overheadOf(key);
    }
    if (c.maxMonthlyUsd !== undefined && cost * 730 > c.maxMonthlyUsd + 1e-6) return;
    for (const [key, q] of Object.entries(c.quotas ?? {})) if ((vcpuByRegion.get(key) ?? 0) > q.vcpu) return;
    if (best === undefined || cost < best) best = cost;
  };
  if (choices.length > 0) visit(0, R);
  return best;
}

