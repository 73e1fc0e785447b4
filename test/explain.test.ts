/**
 * The plan's `explain` on crafted catalogs: each reason a provider gets (or gets nothing), the
 * binding constraint and its cost, the renderings, and that the explanation is in no hash and
 * survives being pinned (a pinned plan is read, never re-solved).
 */
import { describe, expect, it } from "vitest";
import { planWorkload, planHash, validateSpec, optimizePlacement, buildPlan } from "../core";
import { renderPlan } from "../core/plan/format";
import { readPlacementRecord, choosePinnedPlan } from "../core/placement/record";
import { catalogOf, offer } from "./helpers/catalog";
import { CLOUDS } from "../clouds/registry";

const demand = { replicas: 4, cpu: 2, memoryGiB: 8 };
// Per replica-month (730 h): aws $73, gcp $36.50, azure $146.
const catalog = catalogOf([
  offer({ provider: "aws", region: "us-east-1", instanceType: "m.large", vcpu: 2, memoryGiB: 8, onDemandHourlyUsd: 0.1 }),
  offer({ provider: "gcp", region: "us-central1", instanceType: "g.large", vcpu: 2, memoryGiB: 8, onDemandHourlyUsd: 0.05 }),
  offer({ provider: "azure", region: "eastus", instanceType: "a.large", vcpu: 2, memoryGiB: 8, onDemandHourlyUsd: 0.2 }),
]);
const spec = { name: "web", demand, providers: { aws: {}, azure: {}, gcp: {} }, constraints: { maxProviderShare: 0.5, maxMonthlyUsd: 1000 } };

describe("explain", () => {
  it("says which constraint binds, what the optimum costs without it, and why each provider is used or not", async () => {
    const plan = await planWorkload(spec, catalog, CLOUDS);
    // Two on gcp (held there by the share cap), two on aws: $0.30/h = $219/month; all four on gcp: $146.
    expect(plan.totals.monthlyUsd).toBe(219);
    expect(plan.explain).toEqual({
      constraints: [
        { name: "maxProviderShare", binding: true, monthlyUsdWithout: 146 },
        { name: "maxMonthlyUsd", binding: false, monthlyUsdWithout: 219 },
      ],
      monthlyUsdWithoutAll: 146,
      providers: {
        aws: { used: true, why: "hosts 2 of 4 replicas (50%) at $73.00/replica-month; held to 2 by maxProviderShare 0.5" },
        azure: { used: false, why: "its cheapest option, a.large on-demand in eastus at $146.00/replica-month, costs no less than the plan's dearest replica ($73.00)" },
        gcp: { used: true, why: "hosts 2 of 4 replicas (50%) at $36.50/replica-month; held to 2 by maxProviderShare 0.5" },
      },
    });
  });

  it("reports nothing binding, at the plan's own cost, when no constraint changes the optimum", async () => {
    const plan = await planWorkload({ ...spec, constraints: { maxProviderShare: 1, minProviders: 1 } }, catalog, CLOUDS);
    expect(plan.explain!.constraints).toEqual([
      { name: "minProviders", binding: false, monthlyUsdWithout: 146 },
      { name: "maxProviderShare", binding: false, monthlyUsdWithout: 146 },
    ]);
  });

  it("shows constraints that bind only together: two caps that each give the same cap", async () => {
    // 5 replicas: maxProviderShare 0.6 and survivesProviderLoss 0.4 both cap a provider at 3.
    const plan = await planWorkload({ ...spec, demand: { ...demand, replicas: 5 }, constraints: { maxProviderShare: 0.6, survivesProviderLoss: 0.4 } }, catalog, CLOUDS);
    expect(plan.totals.monthlyUsd).toBe(255.5);
    expect(plan.explain!.constraints).toEqual([
      { name: "maxProviderShare", binding: false, monthlyUsdWithout: 255.5 },
      { name: "survivesProviderLoss", binding: false, monthlyUsdWithout: 255.5 },
    ]);
    expect(plan.explain!.monthlyUsdWithoutAll).toBe(182.5);
    expect(renderPlan(plan, "table")).toContain("constraints: maxProviderShare, survivesProviderLoss do not bind; together they do: $182.50/month without all of them\n");
    expect(plan.explain!.providers.gcp!.why).toBe("hosts 3 of 5 replicas (60%) at $36.50/replica-month; held to 3 by maxProviderShare 0.6 and survivesProviderLoss 0.4");
  });

  it("prices maxSpotShare: 0 as spot unrestricted, from spot options the plan itself never had", async () => {
    const spotCatalog = catalogOf([offer({ provider: "aws", region: "us-east-1", instanceType: "m.large", vcpu: 2, memoryGiB: 8, onDemandHourlyUsd: 0.1, spotHourlyUsd: 0.03 })]);
    const plan = await planWorkload({ name: "web", demand, providers: { aws: {} }, constraints: { maxSpotShare: 0 } }, spotCatalog, CLOUDS);
    expect(plan.allocations.map((a) => a.lifecycle)).toEqual(["on-demand"]);
    // Four spot instances at $0.03/h.
    expect(plan.explain!.constraints).toEqual([{ name: "maxSpotShare", binding: true, monthlyUsdWithout: 87.6 }]);
  });

  it("prices residency removed from the regions it forbade", async () => {
    const plan = await planWorkload({ name: "web", demand, providers: { aws: {}, gcp: {} }, compliance: { residency: ["eu"] } }, catalogOf([
      offer({ provider: "aws", region: "us-east-1", instanceType: "m.large", vcpu: 2, memoryGiB: 8, onDemandHourlyUsd: 0.1 }),
      offer({ provider: "gcp", region: "europe-west1", instanceType: "g.large", vcpu: 2, memoryGiB: 8, onDemandHourlyUsd: 0.2 }),
    ]), CLOUDS);
    expect(plan.explain).toEqual({
      constraints: [{ name: "residency", binding: true, monthlyUsdWithout: 292 }],
      monthlyUsdWithoutAll: 292,
      providers: {
        aws: { used: false, why: "residency: no region of aws in the price catalog is in eu" },
        gcp: { used: true, why: "hosts 4 of 4 replicas (100%) at $146.00/replica-month" },
      },
    });
  });

  it("names the filters that left a provider no instance type, and a quota too small for one instance", async () => {
    const plan = await planWorkload(
      { name: "web", demand, providers: { aws: {}, azure: {}, gcp: {} }, constraints: { quotas: { "aws/us-east-1": { vcpu: 1 } } } },
      catalogOf([
        offer({ provider: "aws", region: "us-east-1", instanceType: "m.large", vcpu: 2, memoryGiB: 8, onDemandHourlyUsd: 0.1 }),
        offer({ provider: "azure", region: "eastus", instanceType: "a.small", vcpu: 1, memoryGiB: 2, onDemandHourlyUsd: 0.01 }),
        offer({ provider: "gcp", region: "us-central1", instanceType: "g.large", vcpu: 2, memoryGiB: 8, onDemandHourlyUsd: 0.2 }),
      ]),
      CLOUDS,
    );
    expect(plan.explain!.providers.aws).toEqual({ used: false, why: "quotas: every region with an eligible instance type has a vCPU quota below one instance" });
    expect(plan.explain!.providers.azure).toEqual({ used: false, why: "no instance type meets 2 vCPU / 8 GiB in the allowed regions (of 1 offer: demand.cpu ruled out 1)" });
    expect(plan.explain!.constraints).toEqual([{ name: "quotas", binding: true, monthlyUsdWithout: 292 }]);
  });

  it("says what it knows when a provider is cheaper per replica yet unused: whole instances", async () => {
    const plan = await planWorkload({ name: "web", demand: { ...demand, replicas: 1 }, providers: { aws: {}, gcp: {} } }, catalogOf([
      offer({ provider: "aws", region: "us-east-1", instanceType: "m.large", vcpu: 2, memoryGiB: 8, onDemandHourlyUsd: 0.1 }),
      offer({ provider: "gcp", region: "us-central1", instanceType: "g.4xlarge", vcpu: 8, memoryGiB: 32, onDemandHourlyUsd: 0.16 }),
    ]), CLOUDS);
    expect(plan.explain!.providers.gcp).toEqual({
      used: false,
      why: "its cheapest option, g.4xlarge on-demand in us-central1 at $29.20/replica-month, is below the plan's dearest $73.00, but the optimum (proven) has no cheaper plan using gcp: it comes in instances of 4 replicas",
    });
  });

  it("is in no hash: planHash and specHash are those of the same plan without it", async () => {
    const valid = validateSpec(spec, catalog, CLOUDS);
    const withExplain = await planWorkload(spec, catalog, CLOUDS);
    const without = buildPlan(valid, catalog, await optimizePlacement(valid, catalog), 0);
    expect(without.explain).toBeUndefined();
    expect(withExplain.explain).toBeDefined();
    expect(planHash(withExplain)).toBe(planHash(without));
    expect(withExplain.specHash).toBe(without.specHash);
    const { explain: _e, solver: _s, ...rest } = withExplain;
    const { solver: _s2, ...restWithout } = without;
    expect(rest).toEqual(restWithout);
  });

  it("renders in the table after the provider shares, and in markdown under the table", async () => {
    const plan = await planWorkload(spec, catalog, CLOUDS);
    const table = renderPlan(plan, "table", new Date("2026-07-20"));
    expect(table).toContain(
      [
        "share by provider: aws 50% (2), gcp 50% (2)",
        "constraints: maxProviderShare binds ($146.00/month without it); maxMonthlyUsd does not bind; $146.00/month without all of them",
        "aws: used: hosts 2 of 4 replicas (50%) at $73.00/replica-month; held to 2 by maxProviderShare 0.5",
        "azure: not used: its cheapest option, a.large on-demand in eastus at $146.00/replica-month, costs no less than the plan's dearest replica ($73.00)",
        "gcp: used: hosts 2 of 4 replicas (50%) at $36.50/replica-month; held to 2 by maxProviderShare 0.5",
      ].join("\n"),
    );
    const markdown = renderPlan(plan, "markdown", new Date("2026-07-20"));
    expect(markdown).toContain("**Why this plan**\n\n- constraints: maxProviderShare binds ($146.00/month without it); maxMonthlyUsd does not bind; $146.00/month without all of them\n- aws: used: ");
    expect(JSON.parse(renderPlan(plan, "json")).explain).toEqual(plan.explain);
  });

  it("is kept as pinned: the pinned plan is read back with its explanation, not re-solved", async () => {
    const valid = validateSpec(spec, catalog, CLOUDS);
    const plan = await planWorkload(spec, catalog, CLOUDS);
    const record = readPlacementRecord(JSON.parse(JSON.stringify({ web: { specHash: plan.specHash, spec: valid, plan } })), CLOUDS);
    const chosen = choosePinnedPlan(record, valid, CLOUDS);
    expect(chosen.kind).toBe("pinned");
    expect(chosen.kind === "pinned" && chosen.plan.explain).toEqual(plan.explain);
    // A plan pinned before `explain` existed still reads.
    const { explain: _explain, ...older } = plan;
    expect(readPlacementRecord({ web: { specHash: plan.specHash, spec: valid, plan: older } }, CLOUDS).web!.plan.explain).toBeUndefined();
  });

  it("is not computed for a drift budget's re-solve (keep)", async () => {
    const valid = validateSpec(spec, catalog, CLOUDS);
    const placement = await optimizePlacement(valid, catalog, { explain: true, keep: { pinned: new Map([["aws/us-east-1/m.large/on-demand", 2]]), minKept: 1 } });
    expect(placement.explain).toBeUndefined();
  });
});
