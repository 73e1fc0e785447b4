/**
 * Plans driven by live metrics, end to end: a spec with `demand.fromMetrics` read from the
 * CloudWatch fake, prices from a catalog file (so only the metrics go over the wire).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { planWorkloadLive, specHash, validateSpec, resolveCatalog } from "../../core";
import type { FakeServer } from "../fakes/http";
import { startCloudWatchFake } from "../fakes/aws-cloudwatch";
import { FAST_POLICY, noSleep } from "../fakes/policy";
import { catalogCsv, offer } from "../helpers/catalog";
import { T0 } from "./synthetic";
import { CLOUDS } from "../../clouds/registry";

const HOUR = 3_600_000;
const NOW = new Date(T0 + 14 * 24 * HOUR + 30 * 60_000); // 14 days and 30 minutes after T0
const hourly = (days: number, f: (i: number) => number) => Array.from({ length: days * 24 }, (_, i) => ({ t: T0 + i * HOUR, v: f(i) }));

let cloudwatch: FakeServer;
let dir: string;
let catalogFile: string;

const spec = (asg: string, extra: Record<string, unknown> = {}) => ({
  name: "web",
  demand: { replicas: 40, cpu: 2, memoryGiB: 8, fromMetrics: { aws: { autoScalingGroup: asg, region: "us-east-1" }, lookbackDays: 14, percentile: 95, targetUtilization: 60, ...extra } },
  providers: { aws: { regions: ["us-east-1"] } },
});

const options = (overrides: Record<string, unknown> = {}) => ({
  clouds: CLOUDS,
  catalogFile,
  live: true,
  cacheDir: dir,
  now: () => NOW,
  metricsConnections: { aws: { endpoints: { cloudwatch: cloudwatch.url }, credentials: { accessKeyId: "AKIDFAKEFAKEFAKE", secretAccessKey: "fake" } } },
  policy: FAST_POLICY,
  sleep: noSleep,
  ...overrides,
});

beforeAll(async () => {
  cloudwatch = await startCloudWatchFake({
    quiet: { CPUUtilization: hourly(14, () => 15) }, // far below target: would shrink to 10
    busy: { CPUUtilization: hourly(14, (i) => (i % 24 === 12 || i % 24 === 13 ? 85 : 45)), mem_used_percent: hourly(14, () => 50) },
  });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "mc-plan-live-"));
  catalogFile = path.join(dir, "catalog.csv");
  fs.writeFileSync(catalogFile, catalogCsv([offer({ provider: "aws", region: "us-east-1", instanceType: "m5.xlarge", vcpu: 4, memoryGiB: 16, onDemandHourlyUsd: 0.192 })]));
});
afterAll(async () => {
  await cloudwatch.close();
  fs.rmSync(dir, { recursive: true, force: true });
});
afterEach(() => cloudwatch.failAlways(undefined));

describe("planWorkloadLive with demand.fromMetrics", () => {
  it("sizes a busy fleet up from its p95 and records how, keeping the spec's hash", async () => {
    const { plan, warnings } = await planWorkloadLive(spec("busy"), options());
    // Hourly max(CPU, memory): 50% for 22 hours a day, 85% for two; the p95 (rank 318 of 336) falls in the 85% hours.
    expect(plan.demand).toMatchObject({ source: "metrics", replicas: Math.ceil((40 * 0.85) / 0.6) });
    expect(plan.demand.metrics).toMatchObject({
      currentReplicas: 40,
      percentile: 95,
      targetUtilization: 60,
      observedUtilization: 0.85,
      window: { start: new Date(T0).toISOString(), end: new Date(T0 + 14 * 24 * HOUR).toISOString() },
      hours: { observed: 336, window: 336 },
    });
    expect(plan.totals.replicas).toBeGreaterThanOrEqual(57);
    expect(plan.specHash).toBe(specHash(validateSpec(spec("busy"), resolveCatalog(CLOUDS, { catalogFile }), CLOUDS)));
    expect(plan.prices.aws).toMatchObject({ source: "file" });
    expect(warnings).toEqual([]);
  });

  it("steps a quiet fleet down by at most maxStepDown, with the reason", async () => {
    const { plan, warnings } = await planWorkloadLive(spec("quiet"), options());
    expect(plan.demand).toMatchObject({ source: "metrics", replicas: 30, metrics: { limitedBy: "maxStepDown", observedUtilization: 0.15 } });
    expect(plan.totals.replicas).toBe(30);
    expect(warnings).toEqual(["no CloudWatch agent memory metric (CWAgent mem_used_percent): CPU only", "metrics suggest 10 replicas (p95 15% vs target 60%); stepping down at most 25% below the current 40 per plan: 30"]);
  });

  it("sizes for the forecast peak when forecastDays is set", async () => {
    const { plan } = await planWorkloadLive(spec("busy", { forecastDays: 7 }), options());
    const fc = plan.demand.metrics!.forecast!;
    expect(fc).toMatchObject({ days: 7, seasonality: "daily+weekly" });
    expect(Math.abs(fc.peakUtilization - 0.85)).toBeLessThan(0.03);
    expect(plan.demand.replicas).toBe(Math.ceil((40 * fc.peakUtilization) / 0.6 - 1e-9));
  });

  it("a metrics outage leaves the static demand standing, with a warning", async () => {
    cloudwatch.failAlways("server");
    const { plan, warnings } = await planWorkloadLive(spec("quiet"), options());
    expect(plan.demand).toMatchObject({ source: "static", replicas: 40 });
    expect(plan.demand.metrics).toBeUndefined();
    expect(warnings).toEqual([expect.stringMatching(/^metrics unavailable \(auto scaling group quiet \(us-east-1\): GetMetricData page 1 for quiet: server error 500.*\); the static demand.replicas \(40\) stands$/)]);
  });

  it("with live inputs off, never calls the metrics API", async () => {
    const before = cloudwatch.requests.length;
    const { plan, warnings } = await planWorkloadLive(spec("quiet"), options({ live: false }));
    expect(cloudwatch.requests.length).toBe(before);
    expect(plan.demand).toMatchObject({ source: "static", replicas: 40 });
    expect(warnings).toEqual(["demand.fromMetrics is set but live inputs are off (plan with --live or MULTICLOUD_LIVE=1); the static demand.replicas (40) stands"]);
  });

  it("rejects a fromMetrics without any fleet, naming the field", async () => {
    const bad = { ...spec("busy"), demand: { replicas: 40, cpu: 2, memoryGiB: 8, fromMetrics: { lookbackDays: 14 } } };
    await expect(planWorkloadLive(bad, options())).rejects.toThrow(/demand\.fromMetrics: expected at least one running fleet to read \(aws, azure, gcp\)/);
  });
});
