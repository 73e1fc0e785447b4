/** The optimizer on crafted catalogs: known-good placements, filters, reductions, and infeasibility messages. */
import { describe, expect, it } from "vitest";
import { planWorkload, validateSpec, InfeasibleError, optimizePlacement } from "../core";
import { replicaFit, placementOptions } from "../core/optimizer/options";
import { reduceOptions } from "../core/optimizer/reduce";
import { catalogOf, offer } from "./helpers/catalog";
import { CLOUDS } from "../clouds/registry";

const base = {
  name: "web",
  demand: { replicas: 10, cpu: 2, memoryGiB: 8 },
};

describe("replica fit", () => {
  const spec = (demand: object, maxReplicasPerInstance: number | null = null) =>
    ({ demand: { replicas: 1, cpu: 2, memoryGiB: 8, gpus: 0, ...demand }, instance: { maxReplicasPerInstance } }) as Parameters<typeof replicaFit>[1];
  it.each([
    [{ vcpu: 8, memoryGiB: 32, gpus: 0 }, {}, null, 4],
    [{ vcpu: 8, memoryGiB: 16, gpus: 0 }, {}, null, 2], // memory-bound
    [{ vcpu: 2, memoryGiB: 64, gpus: 0 }, {}, null, 1], // cpu-bound
    [{ vcpu: 1, memoryGiB: 64, gpus: 0 }, {}, null, 0], // too small
    [{ vcpu: 48, memoryGiB: 192, gpus: 4 }, { gpus: 1 }, null, 4], // gpu-bound
    [{ vcpu: 48, memoryGiB: 192, gpus: 0 }, { gpus: 1 }, null, 0], // no gpu
    [{ vcpu: 64, memoryGiB: 256, gpus: 0 }, {}, 3, 3], // blast-radius cap
    [{ vcpu: 4, memoryGiB: 15.99999999999, gpus: 0 }, {}, null, 2], // float noise never costs a slot...
    [{ vcpu: 4, memoryGiB: 15.9, gpus: 0 }, {}, null, 1], // ...and a real shortfall never gains one
  ])("%j for %j (cap %s) hosts %i replicas", (offerSpec, demand, cap, expected) => {
    expect(replicaFit(offerSpec, spec(demand, cap))).toBe(expected);
  });
});

describe("placements", () => {
  it("picks the cheapest replica slots and reports placed replicas", async () => {
    const catalog = catalogOf([
      offer({ provider: "aws", region: "us-east-1", instanceType: "m.large", vcpu: 2, memoryGiB: 8, onDemandHourlyUsd: 0.1 }),
      offer({ provider: "aws", region: "us-east-1", instanceType: "m.2xlarge", vcpu: 8, memoryGiB: 32, onDemandHourlyUsd: 0.36 }),
    ]);
    const plan = await planWorkload({ ...base, providers: { aws: {} } }, catalog, CLOUDS);
    // 0.09/replica on the 2xlarge beats 0.10: two of them (8 slots) + two larges, not three 2xlarges (1.08).
    expect(plan.allocations.map((a) => [a.instanceType, a.count, a.replicas])).toEqual([
      ["m.2xlarge", 2, 8],
      ["m.large", 2, 2],
    ]);
    expect(plan.totals).toEqual({ replicas: 10, vcpu: 20, memoryGiB: 80, hourlyUsd: 0.92, monthlyUsd: 671.6 });
  });

  it("applies the provider discount to list prices", async () => {
    const catalog = catalogOf([
      offer({ provider: "aws", region: "us-east-1", instanceType: "m.large", vcpu: 2, memoryGiB: 8, onDemandHourlyUsd: 0.1 }),
      offer({ provider: "gcp", region: "us-central1", instanceType: "n.large", vcpu: 2, memoryGiB: 8, onDemandHourlyUsd: 0.095 }),
    ]);
    const plan = await planWorkload({ ...base, providers: { aws: { discount: 0.1 }, gcp: {} } }, catalog, CLOUDS);
    expect(plan.allocations.map((a) => [a.provider, a.hourlyUsd])).toEqual([["aws", 0.09]]);
  });

  it("honours the spot share and uses spot only when allowed", async () => {
    const catalog = catalogOf([offer({ provider: "aws", region: "us-east-1", instanceType: "m.large", vcpu: 2, memoryGiB: 8, onDemandHourlyUsd: 0.1, spotHourlyUsd: 0.03 })]);
    const none = await planWorkload({ ...base, providers: { aws: {} } }, catalog, CLOUDS);
    expect(none.allocations.map((a) => a.lifecycle)).toEqual(["on-demand"]);
    const some = await planWorkload({ ...base, providers: { aws: {} }, constraints: { maxSpotShare: 0.3 } }, catalog, CLOUDS);
    expect(some.allocations.map((a) => [a.lifecycle, a.count])).toEqual([["on-demand", 7], ["spot", 3]]);
  });

  it("excludes burstable, wrong-arch, wrong-GPU and denied families", async () => {
    const catalog = catalogOf([
      offer({ provider: "aws", region: "us-east-1", instanceType: "t3.large", vcpu: 2, memoryGiB: 8, onDemandHourlyUsd: 0.01, burstable: true }),
      offer({ provider: "aws", region: "us-east-1", instanceType: "m7g.large", vcpu: 2, memoryGiB: 8, onDemandHourlyUsd: 0.02, arch: "arm64" }),
      offer({ provider: "aws", region: "us-east-1", instanceType: "c7i.large", vcpu: 2, memoryGiB: 8, onDemandHourlyUsd: 0.03 }),
      offer({ provider: "aws", region: "us-east-1", instanceType: "m7i.large", vcpu: 2, memoryGiB: 8, onDemandHourlyUsd: 0.04 }),
    ]);
    const spec = { ...base, providers: { aws: {} }, instance: { families: { deny: ["c7*"] } } };
    expect((await planWorkload(spec, catalog, CLOUDS)).allocations[0]!.instanceType).toBe("m7i.large");
    expect((await planWorkload({ ...spec, instance: { arch: "any" } }, catalog, CLOUDS)).allocations[0]!.instanceType).toBe("m7g.large");
    expect((await planWorkload({ ...spec, instance: { arch: "any", allowBurstable: true } }, catalog, CLOUDS)).allocations[0]!.instanceType).toBe("t3.large");
    expect((await planWorkload({ ...spec, instance: { families: { allow: ["c7i.*", "m7i.*"] } } }, catalog, CLOUDS)).allocations[0]!.instanceType).toBe("c7i.large");
  });

  it("places GPU replicas only on the requested GPU type", async () => {
    const catalog = catalogOf([
      offer({ provider: "gcp", region: "us-central1", instanceType: "g2-standard-8", vcpu: 8, memoryGiB: 32, gpus: 1, gpuType: "l4", onDemandHourlyUsd: 0.85 }),
      offer({ provider: "gcp", region: "us-central1", instanceType: "a2-highgpu-1g", vcpu: 12, memoryGiB: 85, gpus: 1, gpuType: "a100", onDemandHourlyUsd: 3.67 }),
      offer({ provider: "gcp", region: "us-central1", instanceType: "n2-standard-8", vcpu: 8, memoryGiB: 32, onDemandHourlyUsd: 0.38 }),
    ]);
    const spec = { name: "infer", demand: { replicas: 3, cpu: 4, memoryGiB: 16, gpus: 1 }, providers: { gcp: {} } };
    expect((await planWorkload(spec, catalog, CLOUDS)).allocations.map((a) => [a.instanceType, a.count])).toEqual([["g2-standard-8", 3]]);
    expect((await planWorkload({ ...spec, instance: { gpuType: "a100" } }, catalog, CLOUDS)).allocations.map((a) => a.instanceType)).toEqual(["a2-highgpu-1g"]);
  });

  it("keeps region-level quotas exact after reduction", async () => {
    const catalog = catalogOf([
      offer({ provider: "aws", region: "us-east-1", instanceType: "m.large", vcpu: 2, memoryGiB: 8, onDemandHourlyUsd: 0.1 }),
      offer({ provider: "aws", region: "us-west-2", instanceType: "m.large", vcpu: 2, memoryGiB: 8, onDemandHourlyUsd: 0.11 }),
    ]);
    const plan = await planWorkload({ ...base, providers: { aws: {} }, constraints: { quotas: { "aws/us-east-1": { vcpu: 8 } } } }, catalog, CLOUDS);
    expect(plan.allocations.map((a) => [a.region, a.count])).toEqual([["us-east-1", 4], ["us-west-2", 6]]);
  });

  it("breaks cost ties towards fewer instances, independent of catalog order", async () => {
    const offers = [
      offer({ provider: "aws", region: "us-east-1", instanceType: "m.large", vcpu: 2, memoryGiB: 8, onDemandHourlyUsd: 0.1 }),
      offer({ provider: "aws", region: "us-east-1", instanceType: "m.xlarge", vcpu: 4, memoryGiB: 16, onDemandHourlyUsd: 0.2 }),
      offer({ provider: "aws", region: "us-east-2", instanceType: "m.xlarge", vcpu: 4, memoryGiB: 16, onDemandHourlyUsd: 0.2 }),
    ];
    const a = await planWorkload({ ...base, providers: { aws: {} } }, catalogOf(offers), CLOUDS);
    const b = await planWorkload({ ...base, providers: { aws: {} } }, { ...catalogOf(offers), offers: [...offers].reverse() }, CLOUDS);
    expect(a.allocations.map((x) => [x.region, x.instanceType, x.count])).toEqual([["us-east-1", "m.xlarge", 5]]);
    expect(JSON.stringify({ ...b, solver: null })).toBe(JSON.stringify({ ...a, solver: null }));
  });
});

describe("exact reduction", () => {
  it("keeps only the Pareto frontier of (fit, price) per provider and lifecycle", () => {
    const spec = validateSpec({ ...base, providers: { aws: {} } }, catalogOf([offer({ provider: "aws", region: "r", instanceType: "x" })]), CLOUDS);
    const offers = [
      offer({ provider: "aws", region: "a", instanceType: "small", vcpu: 2, memoryGiB: 8, onDemandHourlyUsd: 0.1 }),
      offer({ provider: "aws", region: "b", instanceType: "small", vcpu: 2, memoryGiB: 8, onDemandHourlyUsd: 0.12 }), // dominated: same fit, dearer
      offer({ provider: "aws", region: "a", instanceType: "big", vcpu: 8, memoryGiB: 32, onDemandHourlyUsd: 0.38 }),
      offer({ provider: "aws", region: "a", instanceType: "bigger-mem", vcpu: 8, memoryGiB: 64, onDemandHourlyUsd: 0.5 }), // dominated by big
      offer({ provider: "aws", region: "a", instanceType: "cheap-big", vcpu: 4, memoryGiB: 16, onDemandHourlyUsd: 0.1 }), // dominates small
    ];
    const { options } = placementOptions(spec, offers);
    // big (4 replicas, $0.38) also goes: two cheap-big instances host as many for $0.20.
    expect(reduceOptions(options, new Set()).map((o) => o.offer.instanceType)).toEqual(["cheap-big"]);
    // A quota on region a groups its options apart, where vCPUs count too: small (2 vCPU) is no
    // longer dominated by cheap-big (4 vCPU), and region b keeps its own frontier.
    expect(reduceOptions(options, new Set(["aws/a"])).map((o) => `${o.offer.region}/${o.offer.instanceType}`)).toEqual(["a/big", "a/cheap-big", "a/small", "b/small"]);
  });

  it("drops an option that copies of a smaller one beat strictly, and keeps exact ties", () => {
    const spec = validateSpec({ ...base, providers: { aws: {} } }, catalogOf([offer({ provider: "aws", region: "r", instanceType: "x" })]), CLOUDS);
    const type = (instanceType: string, replicas: number, usd: number) =>
      offer({ provider: "aws", region: "a", instanceType, vcpu: 2 * replicas, memoryGiB: 8 * replicas, onDemandHourlyUsd: usd });
    const offers = [
      type("one", 1, 0.1),
      type("two", 2, 0.2), // two "one" cost the same: an exact tie, kept (the canonical order decides ties)
      type("three-dear", 3, 0.3000000001), // three "one" cost $0.30 < $0.3000000001: gone
      type("four-cheap", 4, 0.39), // four "one" cost $0.40: kept
      type("five", 5, 0.48), // 2 x four-cheap hosts 8 for $0.78, 5 x one $0.50: kept
    ];
    const { options } = placementOptions(spec, offers);
    expect(reduceOptions(options, new Set()).map((o) => o.offer.instanceType)).toEqual(["five", "four-cheap", "one", "two"]);
    // In a quota region k instances may use more vCPUs than the one they replace: nothing goes.
    expect(reduceOptions(options, new Set(["aws/a"])).map((o) => o.offer.instanceType)).toEqual(["five", "four-cheap", "one", "three-dear", "two"]);
  });

  it("gives the same placement with and without reduction", async () => {
    const catalog = catalogOf(
      Array.from({ length: 30 }, (_, i) =>
        offer({ provider: ["aws", "azure", "gcp"][i % 3]!, region: `r${i % 4}`, instanceType: `t${i}`, vcpu: 2 ** (i % 5), memoryGiB: 4 * 2 ** (i % 4), onDemandHourlyUsd: 0.05 + ((i * 37) % 23) / 100, spotHourlyUsd: 0.02 + ((i * 11) % 7) / 100 }),
      ),
    );
    const spec = validateSpec({ ...base, demand: { replicas: 37, cpu: 1, memoryGiB: 4 }, instance: { arch: "any" }, providers: { aws: {}, azure: {}, gcp: {} }, constraints: { maxProviderShare: 0.5, maxSpotShare: 0.4, minProviders: 2 } }, catalog, CLOUDS);
    const reduced = await optimizePlacement(spec, catalog);
    const full = await optimizePlacement(spec, catalog, { reduce: false });
    const cost = (p: typeof full) => p.allocations.reduce((s, a) => s + a.count * a.option.hourlyUsd, 0);
    expect(cost(reduced)).toBeCloseTo(cost(full), 9);
    expect(reduced.stats.reducedOptions).toBeLessThan(full.stats.reducedOptions);
  });
});

describe("infeasible specs", () => {
  const catalog = catalogOf([
    offer({ provider: "aws", region: "us-east-1", instanceType: "m.large", vcpu: 2, memoryGiB: 8, onDemandHourlyUsd: 0.1 }),
    offer({ provider: "gcp", region: "us-central1", instanceType: "n.large", vcpu: 2, memoryGiB: 8, onDemandHourlyUsd: 0.1 }),
  ]);

  it("names the budget and what the cheapest plan would cost", async () => {
    await expect(planWorkload({ ...base, providers: { aws: {}, gcp: {} }, constraints: { maxMonthlyUsd: 500 } }, catalog, CLOUDS)).rejects.toThrow(
      "infeasible: no placement of 10 replicas meets every constraint (eligible instance types exist on: aws, gcp). Relaxing any one of these makes it feasible: constraints.maxMonthlyUsd (500; without it the cheapest plan costs $730.00/month)",
    );
  });

  it("names every single constraint whose relaxation makes it feasible", async () => {
    const err = await planWorkload({ ...base, providers: { aws: {}, gcp: {} }, constraints: { maxProviderShare: 0.6, quotas: { "gcp/us-central1": { vcpu: 4 } } } }, catalog, CLOUDS).catch((e) => e);
    expect(err).toBeInstanceOf(InfeasibleError);
    expect(err.conflicting).toEqual(["constraints.maxProviderShare", "constraints.quotas.gcp/us-central1"]);
  });

  it("falls back to pairs when no single relaxation suffices", async () => {
    const err = await planWorkload({ ...base, providers: { aws: {}, gcp: {} }, constraints: { maxProviderShare: 0.4, survivesProviderLoss: 0.7 } }, catalog, CLOUDS).catch((e) => e);
    expect(err.message).toMatch(/No single constraint is to blame; relaxing both constraints\.maxProviderShare \(0\.4\) and constraints\.survivesProviderLoss \(0\.7\) makes it feasible \(cheapest plan then \$730\.00\/month\)/);
  });

  it("says which filter left no eligible instance type", async () => {
    await expect(planWorkload({ ...base, demand: { replicas: 1, cpu: 4, memoryGiB: 8 }, providers: { aws: {} } }, catalog, CLOUDS)).rejects.toThrow(
      "infeasible: no instance type in aws (all regions) can host a replica of 4 vCPU, 8 GiB under the instance filters (of 1 offers: demand.cpu ruled out 1); relax demand.cpu",
    );
  });
});
