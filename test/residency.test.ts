/**
 * Data residency in the optimum (issue "Compliance and audit" #1, part): `compliance.residency`
 * restricts placement to regions of the allowed geographies, from each cloud's region table;
 * naming a region outside them is an error naming region and geography; nothing left is named as
 * the reason; the plan records the rules.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { planWorkload, validateSpec, InfeasibleError } from "../core";
import { verifyPlan } from "../core/plan/verify";
import { residencyOf, RESIDENCY_GEOGRAPHIES } from "../core/spec/residency";
import { CLOUDS } from "../clouds/registry";
import { catalogOf, offer } from "./helpers/catalog";

const OFFERS = [
  offer({ provider: "aws", region: "us-east-1", instanceType: "m7i.large", vcpu: 2, memoryGiB: 8, onDemandHourlyUsd: 0.1 }),
  offer({ provider: "aws", region: "eu-west-1", instanceType: "m7i.large", vcpu: 2, memoryGiB: 8, onDemandHourlyUsd: 0.11 }),
  offer({ provider: "aws", region: "eu-central-1", instanceType: "m7i.large", vcpu: 2, memoryGiB: 8, onDemandHourlyUsd: 0.12 }),
  offer({ provider: "aws", region: "eu-west-2", instanceType: "m7i.large", vcpu: 2, memoryGiB: 8, onDemandHourlyUsd: 0.105 }),
  offer({ provider: "gcp", region: "us-central1", instanceType: "n2-standard-2", vcpu: 2, memoryGiB: 8, onDemandHourlyUsd: 0.09 }),
  offer({ provider: "gcp", region: "europe-west4", instanceType: "n2-standard-2", vcpu: 2, memoryGiB: 8, onDemandHourlyUsd: 0.115 }),
  offer({ provider: "azure", region: "switzerlandnorth", instanceType: "Standard_D2s_v5", vcpu: 2, memoryGiB: 8, onDemandHourlyUsd: 0.13 }),
];
const SPEC = { name: "api", demand: { replicas: 4, cpu: 2, memoryGiB: 8 }, providers: { aws: {}, gcp: {}, azure: {} } };

describe("compliance.residency", () => {
  it("picks the cheapest regions inside the allowed geographies when the cheap ones are outside", async () => {
    const plan = await planWorkload({ ...SPEC, compliance: { residency: ["eu"] } }, catalogOf(OFFERS), CLOUDS);
    // us-central1 and us-east-1 are cheaper; eu-west-2 (London) is the UK, not the EU.
    expect(plan.allocations.map((a) => `${a.provider}/${a.region}`)).toEqual(["aws/eu-west-1"]);
    expect(plan.compliance).toEqual({ residency: ["eu"] });
    const uk = await planWorkload({ ...SPEC, compliance: { residency: ["uk", "ch"] } }, catalogOf(OFFERS), CLOUDS);
    expect(uk.allocations.map((a) => `${a.provider}/${a.region}`)).toEqual(["aws/eu-west-2"]);
  });

  it("refuses a listed region outside the allowed geographies, naming region and geography", () => {
    const spec = { ...SPEC, providers: { aws: { regions: ["us-east-1", "eu-west-1"] } }, compliance: { residency: ["eu"] } };
    expect(() => validateSpec(spec, catalogOf(OFFERS), CLOUDS)).toThrow(/providers\.aws\.regions\[0\]: aws\/us-east-1 is in US, us, outside compliance\.residency \(eu\)/);
  });

  it("names residency when it leaves no region at all", async () => {
    const run = planWorkload({ ...SPEC, compliance: { residency: ["af"] } }, catalogOf(OFFERS), CLOUDS);
    await expect(run).rejects.toBeInstanceOf(InfeasibleError);
    await expect(run).rejects.toThrow(/compliance\.residency ruled out 7/);
  });

  it("names residency among the constraints to relax when it conflicts with another, with the cost without it", async () => {
    // Only Switzerland is allowed: Azure alone has a region there, so two providers are impossible.
    const run = planWorkload({ ...SPEC, constraints: { minProviders: 2 }, compliance: { residency: ["ch"] } }, catalogOf(OFFERS), CLOUDS);
    await expect(run).rejects.toBeInstanceOf(InfeasibleError);
    const err = (await run.catch((e: unknown) => e)) as InfeasibleError;
    // Without minProviders: 4 x $0.13/h in switzerlandnorth = $379.60/month. Without residency:
    // 3 replicas on gcp us-central1 ($0.09) + 1 on aws us-east-1 ($0.10) = $0.37/h = $270.10/month.
    expect(err.message).toMatch(/constraints\.minProviders \(2; without it the cheapest plan costs \$379\.60\/month\)/);
    expect(err.message).toMatch(/compliance\.residency \(ch; without it the cheapest plan costs \$270\.10\/month\)/);
  });

  it("holds a pinned plan to the rules", async () => {
    const plan = await planWorkload(SPEC, catalogOf(OFFERS), CLOUDS);
    const strict = validateSpec({ ...SPEC, compliance: { residency: ["eu"] } }, catalogOf(OFFERS), CLOUDS);
    expect(verifyPlan(plan, strict, CLOUDS).map((v) => v.path)).toContain("compliance.residency");
  });

  it("never places outside the allowed geographies (property)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.subarray([...RESIDENCY_GEOGRAPHIES], { minLength: 1 }), fc.integer({ min: 1, max: 9 }), async (residency, replicas) => {
        const spec = { ...SPEC, demand: { ...SPEC.demand, replicas }, compliance: { residency } };
        const plan = await planWorkload(spec, catalogOf(OFFERS), CLOUDS).catch((e: unknown) => e);
        if (plan instanceof InfeasibleError) {
          // Only when no offer is in an allowed geography.
          expect(OFFERS.some((o) => residency.includes(residencyOf(CLOUDS.placeOf(o.provider, o.region)!)!))).toBe(false);
          return;
        }
        for (const a of (plan as Awaited<ReturnType<typeof planWorkload>>).allocations) {
          expect(residency).toContain(residencyOf(CLOUDS.placeOf(a.provider, a.region)!));
        }
      }),
      { numRuns: 60, seed: 14 },
    );
  });

  it("maps every region of every cloud: EEA countries to eu, the UK and Switzerland apart", () => {
    expect(residencyOf(CLOUDS.placeOf("aws", "eu-north-1")!)).toBe("eu");
    expect(residencyOf(CLOUDS.placeOf("gcp", "europe-north1")!)).toBe("eu");
    expect(residencyOf(CLOUDS.placeOf("azure", "uksouth")!)).toBe("uk");
    expect(residencyOf(CLOUDS.placeOf("azure", "switzerlandnorth")!)).toBe("ch");
    expect(residencyOf(CLOUDS.placeOf("aws", "ap-northeast-1")!)).toBe("jp");
    expect(residencyOf(CLOUDS.placeOf("aws", "ap-southeast-1")!)).toBe("apac");
  });
});

describe("compliance on the component", () => {
  it("places a MultiCloudWorkload by its residency rules, like the CLI", async () => {
    const { setupPulumi } = await import("./components/harness");
    const { deployWorkload } = await import("./components/deploy");
    const { webArgs } = await import("./components/scenario");
    const h = await setupPulumi({ stack: "dev" });
    const args = webArgs({ providers: { aws: {}, gcp: {}, azure: {} }, constraints: {}, compliance: { residency: ["eu"] } }, OFFERS);
    const { plan } = await deployWorkload(h, args);
    expect(plan.compliance).toEqual({ residency: ["eu"] });
    for (const a of plan.allocations) expect(residencyOf(CLOUDS.placeOf(a.provider, a.region)!)).toBe("eu");
  });
});

describe("compliance.residency on a backup", () => {
  const NOW = new Date("2026-08-01T00:00:00Z");
  const base = { source: { provider: "aws", region: "us-east-1", bucket: "orders" }, sizeGiB: 100, dailyChangeGiB: 1 };

  it("chooses the destination among the allowed regions only, even far from the source", async () => {
    const { planBackupArgs } = await import("../core/backup");
    const { plan } = planBackupArgs("orders", { ...base, compliance: { residency: ["eu"] } }, CLOUDS, { now: NOW });
    expect(residencyOf(CLOUDS.placeOf(plan.destination.provider, plan.destination.region)!)).toBe("eu");
    // Without the rule, the default is the source's own geography.
    const free = planBackupArgs("orders", base, CLOUDS, { now: NOW }).plan;
    expect(CLOUDS.placeOf(free.destination.provider, free.destination.region)![0]).toBe("north-america");
  });

  it("refuses a pinned destination outside the allowed geographies, naming region and geography", async () => {
    const { planBackupArgs } = await import("../core/backup");
    expect(() => planBackupArgs("orders", { ...base, destination: { provider: "gcp", region: "us-central1" }, compliance: { residency: ["eu"] } }, CLOUDS, { now: NOW })).toThrow(
      /destination\.region: gcp\/us-central1 is in US, us, outside compliance\.residency \(eu\)/,
    );
  });
});
