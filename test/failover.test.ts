/**
 * The failover drill (`multicloud failover`): for the loss of each provider and each region of a
 * plan, replicas served at once and after the autoscalers scale out, what the added instances
 * cost, and the DNS weights that remain; exit 0 when every loss is covered, 2 when one is not.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { planWorkload, validateSpec, type Plan } from "../core";
import { failoverDrill } from "../core/failover/drill";
import { cliWith } from "./helpers/cli";
import { CLOUDS } from "../clouds/registry";
import { catalogCsv, catalogOf, offer } from "./helpers/catalog";

const OFFERS = [
  offer({ provider: "aws", region: "us-east-1", instanceType: "m7i.xlarge", vcpu: 4, memoryGiB: 16, onDemandHourlyUsd: 0.2 }),
  offer({ provider: "azure", region: "eastus", instanceType: "Standard_D4s_v5", vcpu: 4, memoryGiB: 16, onDemandHourlyUsd: 0.19 }),
  offer({ provider: "gcp", region: "us-central1", instanceType: "n2-standard-4", vcpu: 4, memoryGiB: 16, onDemandHourlyUsd: 0.18 }),
];
/** 12 replicas, 2 per instance, at most 4 per provider: 2 instances on each cloud. */
const SPEC = {
  name: "web",
  demand: { replicas: 12, cpu: 2, memoryGiB: 8 },
  providers: { aws: {}, azure: {}, gcp: {} },
  constraints: { maxProviderShare: 0.34, survivesProviderLoss: 0.6 },
  scaling: { maxScaleOut: 1.5 },
};

async function drillOf(spec: Record<string, unknown>) {
  const catalog = catalogOf(OFFERS);
  const plan = await planWorkload(spec, catalog, CLOUDS);
  return { plan, report: failoverDrill(plan, validateSpec(spec, catalog, CLOUDS), CLOUDS) };
}

describe("failover drill", () => {
  it("covers every provider loss when the survivors can scale out to full demand", async () => {
    const { report } = await drillOf(SPEC);
    expect(report.losses.map((l) => [l.lost, l.servedAtOnce, l.servedAfterScaleOut, l.addedInstances])).toEqual([
      ["aws", 8, 12, 2],
      ["azure", 8, 12, 2],
      ["gcp", 8, 12, 2],
      ["aws/us-east-1", 8, 12, 2],
      ["azure/eastus", 8, 12, 2],
      ["gcp/us-central1", 8, 12, 2],
    ]);
    // Losing AWS: Azure and GCP each add one instance (2 x 1.5 = 3 max), for a month at their prices.
    expect(report.losses[0]!.extraMonthlyUsd).toBeCloseTo((0.19 + 0.18) * 730, 2);
    expect(report.losses[0]!.weights).toEqual([
      { provider: "azure", region: "eastus", weight: 4, share: 0.5 },
      { provider: "gcp", region: "us-central1", weight: 4, share: 0.5 },
    ]);
    expect(report.passed).toBe(true);
  });

  it("fails a loss the autoscalers cannot make up, saying why", async () => {
    const { report } = await drillOf({ ...SPEC, scaling: { maxScaleOut: 1.2 } });
    // ceil(2 x 1.2) = 3 instances per survivor still carries 6 replicas each: 12. At 1.0 it would not.
    expect(report.passed).toBe(true);
    const tight = (await drillOf({ ...SPEC, scaling: { maxScaleOut: 1 } })).report;
    expect(tight.passed).toBe(false);
    expect(tight.losses[0]).toMatchObject({ lost: "aws", servedAtOnce: 8, servedAfterScaleOut: 8, addedInstances: 0 });
    expect(tight.losses[0]!.failures).toEqual(["serves 8 of 12 replicas after scale-out (maxScaleOut 1 bound the groups)"]);
  });

  it("fails a loss below survivesProviderLoss at once", async () => {
    const { plan } = await drillOf(SPEC);
    const report = failoverDrill(plan, validateSpec({ ...SPEC, constraints: { ...SPEC.constraints, survivesProviderLoss: 0.7 } }, catalogOf(OFFERS), CLOUDS), CLOUDS);
    expect(report.losses[0]!.failures[0]).toBe("serves 8 of 12 replicas at once, below survivesProviderLoss (9)");
  });

  it("bounds the scale-out by a region's vCPU quota", async () => {
    const spec = { ...SPEC, constraints: { ...SPEC.constraints, quotas: { "gcp/us-central1": { vcpu: 8 } } } };
    const { report } = await drillOf(spec);
    const withoutAws = report.losses.find((l) => l.lost === "aws")!;
    // GCP may not grow past its 8 vCPUs (2 instances): only Azure adds one.
    expect(withoutAws).toMatchObject({ servedAtOnce: 8, servedAfterScaleOut: 10, addedInstances: 1 });
    expect(withoutAws.failures[0]).toMatch(/serves 10 of 12 replicas after scale-out \(vCPU quotas bound the groups\)/);
  });
});

/** The drill recounted from the plan's allocations alone, without the groups module. */
function recount(plan: Plan, lostKey: (a: Plan["allocations"][number]) => boolean, maxScaleOut: number) {
  const demand = plan.demand.replicas;
  const surviving = plan.allocations.filter((a) => !lostKey(a));
  const atOnce = surviving.reduce((s, a) => s + a.replicas, 0);
  const total = atOnce;
  const regions = new Map<string, typeof surviving>();
  for (const a of surviving) regions.set(`${a.provider}/${a.region}`, [...(regions.get(`${a.provider}/${a.region}`) ?? []), a]);
  let served = 0;
  for (const list of regions.values()) {
    const weight = list.reduce((s, a) => s + a.replicas, 0);
    const load = (demand * weight) / total;
    // Groups: per type, and per lifecycle on GCP (its groups hold one lifecycle).
    const groups = new Map<string, { count: number; replicas: number; fit: number; spotOnly: boolean }>();
    for (const a of list) {
      const key = `${a.instanceType}${a.provider === "gcp" ? `/${a.lifecycle}` : ""}`;
      const g = groups.get(key) ?? { count: 0, replicas: 0, fit: a.replicasPerInstance, spotOnly: a.provider === "gcp" && a.lifecycle === "spot" };
      groups.set(key, { ...g, count: g.count + a.count, replicas: g.replicas + a.replicas });
    }
    let capacity = 0;
    for (const g of groups.values()) {
      // A GCP spot group's max is rounded down (it may not outgrow its on-demand twin in proportion).
      const max = Math.max(g.count, g.spotOnly ? Math.floor(g.count * maxScaleOut + 1e-9) : Math.ceil(g.count * maxScaleOut - 1e-9));
      capacity += Math.min(max, Math.max(g.count, Math.ceil((load * g.replicas) / weight / g.fit - 1e-9))) * g.fit;
    }
    served += Math.min(load, capacity);
  }
  return { atOnce, after: Math.min(demand, Math.floor(served + 1e-9)) };
}

describe("failover drill vs a recount from the plan", () => {
  it("gives the recount's numbers for random plans and losses", async () => {
    const priceArb = fc.integer({ min: 5, max: 50 }).map((c) => c / 100);
    await fc.assert(
      fc.asyncProperty(
        fc.record({ aws: priceArb, azure: priceArb, gcp: priceArb, gcpSpot: priceArb, replicas: fc.integer({ min: 3, max: 30 }), scale: fc.constantFrom(1, 1.25, 1.5, 2, 3), share: fc.constantFrom(0.5, 0.75, 1) }),
        async (r) => {
          const offers = [
            offer({ provider: "aws", region: "us-east-1", instanceType: "m7i.large", vcpu: 2, memoryGiB: 8, onDemandHourlyUsd: r.aws }),
            offer({ provider: "aws", region: "us-west-2", instanceType: "m7i.xlarge", vcpu: 4, memoryGiB: 16, onDemandHourlyUsd: r.aws * 2.1 }),
            offer({ provider: "azure", region: "eastus", instanceType: "Standard_D4s_v5", vcpu: 4, memoryGiB: 16, onDemandHourlyUsd: r.azure * 2 }),
            offer({ provider: "gcp", region: "us-central1", instanceType: "n2-standard-2", vcpu: 2, memoryGiB: 8, onDemandHourlyUsd: r.gcp, spotHourlyUsd: Math.min(r.gcp * 0.9, r.gcpSpot) }),
          ];
          const spec = { name: "prop", demand: { replicas: r.replicas, cpu: 2, memoryGiB: 8 }, providers: { aws: {}, azure: {}, gcp: {} }, constraints: { maxProviderShare: r.share, maxSpotShare: 0.3 }, scaling: { maxScaleOut: r.scale } };
          const catalog = catalogOf(offers);
          const plan = await planWorkload(spec, catalog, CLOUDS);
          const report = failoverDrill(plan, validateSpec(spec, catalog, CLOUDS), CLOUDS);
          for (const loss of report.losses) {
            const isLost = loss.kind === "provider" ? (a: Plan["allocations"][number]) => a.provider === loss.lost : (a: Plan["allocations"][number]) => `${a.provider}/${a.region}` === loss.lost;
            const expected = recount(plan, isLost, r.scale);
            expect([loss.lost, loss.servedAtOnce, loss.servedAfterScaleOut]).toEqual([loss.lost, expected.atOnce, expected.after]);
          }
        },
      ),
      { numRuns: 60, seed: 11 },
    );
  }, 120_000);
});

describe("multicloud failover", () => {
  const cli = (argv: string[]) => cliWith(undefined, argv);
  function files(spec: Record<string, unknown>) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mc-failover-"));
    fs.writeFileSync(path.join(dir, "prices.csv"), catalogCsv(OFFERS));
    fs.writeFileSync(path.join(dir, "workload.json"), JSON.stringify(spec));
    return { dir, spec: path.join(dir, "workload.json"), catalog: path.join(dir, "prices.csv") };
  }

  it("exits 0 when every loss is covered and 2 when one is not, in every format", async () => {
    const ok = files(SPEC);
    const covered = await cli(["failover", ok.spec, "--catalog", ok.catalog, "--offline"]);
    expect(covered.code).toBe(0);
    expect(covered.stdout).toMatch(/web: 6 of 6 losses keep 60% of demand at once and full demand \(12 replicas\) after scale-out/);
    const bad = files({ ...SPEC, scaling: { maxScaleOut: 1 } });
    const markdown = await cli(["failover", bad.spec, "--catalog", bad.catalog, "--offline", "--format", "markdown"]);
    expect(markdown.code).toBe(2);
    expect(markdown.stdout).toMatch(/^### Failover drill: 1 workload not covered/);
    const json = await cli(["failover", bad.spec, "--catalog", bad.catalog, "--offline", "--format", "json"]);
    expect(JSON.parse(json.stdout).workloads[0].losses).toHaveLength(6);
  });

  it("drills every pinned workload of a stack config, and needs a spec or a stack config", async () => {
    const ok = files(SPEC);
    const config = path.join(ok.dir, "Pulumi.dev.yaml");
    fs.writeFileSync(config, "config: {}\n");
    expect((await cli(["plan", ok.spec, "--catalog", ok.catalog, "--offline", "--stack-config", config, "--write"])).code).toBe(0);
    const pinned = await cli(["failover", "--stack-config", config]);
    expect(pinned.code).toBe(0);
    expect(pinned.stdout).toMatch(/without aws: azure\/eastus 4 \(50%\), gcp\/us-central1 4 \(50%\)/);
    const neither = await cli(["failover"]);
    expect(neither.code).toBe(1);
    expect(neither.stderr).toMatch(/give a spec file, or --stack-config/);
  });
});
