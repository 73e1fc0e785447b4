/**
 * The three metrics sources against loopback fakes of CloudWatch (JSON 1.0, query-compatible),
 * Azure Resource Manager (HTTPS, bearer token) and Cloud Monitoring (REST transport), through the
 * real SDK clients.
 */
import { OAuth2Client } from "google-auth-library";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { awsMetrics } from "../../clouds/aws/metrics";
import { azureMetrics } from "../../clouds/azure/metrics";
import { gcpMetrics } from "../../clouds/gcp/metrics";
import type { MetricsRequest } from "../../core/metrics/source";
import type { FakeServer } from "../fakes/http";
import { startCloudWatchFake } from "../fakes/aws-cloudwatch";
import { staticToken, startAzureArmFake, trustingAgent } from "../fakes/azure-arm";
import { startGcpMonitoringFake } from "../fakes/gcp-monitoring";
import { FAST_POLICY, HANG_POLICY, noSleep } from "../fakes/policy";
import { T0 } from "./synthetic";

const HOUR = 3_600_000;
const HOURS = 72;
const start = new Date(T0);
const end = new Date(T0 + HOURS * HOUR);
/** Percent per hour: 20% at night, 50% at noon. */
const percentAt = (i: number): number => 35 + 15 * Math.sin((2 * Math.PI * ((i % 24) - 6)) / 24);
const points = (f: (i: number) => number) => Array.from({ length: HOURS }, (_, i) => ({ t: T0 + i * HOUR, v: f(i) }));

const VMSS = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/web-rg/providers/Microsoft.Compute/virtualMachineScaleSets/web";

let cloudwatch: FakeServer;
let arm: FakeServer;
let monitoring: FakeServer;

beforeAll(async () => {
  cloudwatch = await startCloudWatchFake({ "web-asg": { CPUUtilization: points(percentAt), mem_used_percent: points(() => 70) }, "cpu-only": { CPUUtilization: points(percentAt) } }, 30);
  arm = await startAzureArmFake({
    [VMSS.toLowerCase()]: { "Percentage CPU": points(percentAt), "Available Memory Percentage": points(() => 45), "Available Memory Bytes": points(() => 3.5 * 2 ** 30) },
  });
  monitoring = await startGcpMonitoringFake(
    { "shop-prod/web-mig": { "compute.googleapis.com/instance/cpu/utilization": points((i) => percentAt(i) / 100) } },
    40,
  );
});
afterAll(async () => {
  await Promise.all([cloudwatch.close(), arm.close(), monitoring.close()]);
});
afterEach(() => {
  for (const f of [cloudwatch, arm, monitoring]) f.failAlways(undefined);
  vi.unstubAllEnvs();
});

const base = { start, end, periodSeconds: 3600, policy: FAST_POLICY, sleep: noSleep };
const awsRequest = (fleet: unknown): MetricsRequest => ({
  ...base,
  fleet,
  connection: { endpoints: { cloudwatch: cloudwatch.url }, credentials: { accessKeyId: "AKIDFAKEFAKEFAKE", secretAccessKey: "fake" } },
});
const azureRequest = (): MetricsRequest => ({ ...base, fleet: { vmScaleSetId: VMSS }, connection: { endpoints: { arm: arm.url }, credentials: staticToken(), clientOptions: { agent: trustingAgent() } } });
const gcpAuth = (): OAuth2Client => {
  const client = new OAuth2Client();
  client.setCredentials({ access_token: "fake-gcp-token", expiry_date: Date.now() + 3_600_000 });
  return client;
};
const gcpRequest = (): MetricsRequest => ({ ...base, fleet: { project: "shop-prod", region: "us-central1", instanceGroup: "web-mig" }, connection: { endpoints: { monitoring: monitoring.url }, credentials: gcpAuth() } });

const expectSeries = (samples: Array<{ t: number; v: number }>, f: (i: number) => number) => {
  const sorted = [...samples].sort((a, b) => a.t - b.t);
  expect(sorted).toHaveLength(HOURS);
  sorted.forEach((s, i) => {
    expect(s.t).toBe(T0 + i * HOUR);
    expect(s.v).toBeCloseTo(f(i), 9);
  });
};

describe("CloudWatch GetMetricData (AWS)", () => {
  it("pages through CPU and agent memory of an auto scaling group, as fractions", async () => {
    const m = await awsMetrics.read(awsRequest({ autoScalingGroup: "web-asg", region: "us-east-1" }));
    expectSeries(m.cpu, (i) => percentAt(i) / 100);
    expectSeries(m.memory!, () => 0.7);
    expect(cloudwatch.requests.length).toBeGreaterThanOrEqual(3); // 72 points in pages of 30
    expect(cloudwatch.requests[0]!.headers["x-amz-target"]).toBe("GraniteServiceVersion20100801.GetMetricData");
  });

  it("reads CPU alone when the CloudWatch agent publishes no memory", async () => {
    const m = await awsMetrics.read(awsRequest({ autoScalingGroup: "cpu-only", region: "us-east-1" }));
    expect(m.memory).toBeUndefined();
    expect(m.notes).toEqual(["no CloudWatch agent memory metric (CWAgent mem_used_percent): CPU only"]);
  });

  it("retries query-compatible Throttling and fails on a persistent 5xx", async () => {
    cloudwatch.failNext("throttle");
    const m = await awsMetrics.read(awsRequest({ autoScalingGroup: "web-asg", region: "us-east-1" }));
    expect(m.cpu).toHaveLength(HOURS);
    cloudwatch.failAlways("server");
    await expect(awsMetrics.read(awsRequest({ autoScalingGroup: "web-asg", region: "us-east-1" }))).rejects.toMatchObject({ kind: "server" });
  });
});

describe("Azure Monitor metrics (arm-monitor over HTTPS)", () => {
  it("reads Percentage CPU and memory of a scale set with the real bearer-token policy", async () => {
    const m = await azureMetrics.read(azureRequest());
    expectSeries(m.cpu, (i) => percentAt(i) / 100);
    expectSeries(m.memory!, () => 0.55);
    expect(m.notes).toEqual(["lowest available memory per instance: 3.50 GiB"]);
    const req = arm.requests.at(-1)!;
    expect(req.headers.authorization).toBe("Bearer fake-arm-token");
    expect(req.url.searchParams.get("metricnames")).toBe("Percentage CPU,Available Memory Bytes,Available Memory Percentage");
    expect(req.url.searchParams.get("interval")).toBe("PT60M");
  });

  it("retries 429 and reports malformed bodies and timeouts", async () => {
    arm.failNext("throttle");
    expect((await azureMetrics.read(azureRequest())).cpu).toHaveLength(HOURS);
    arm.failNext("malformed");
    await expect(azureMetrics.read(azureRequest())).rejects.toMatchObject({ kind: "malformed" });
    arm.failAlways("hang");
    await expect(azureMetrics.read({ ...azureRequest(), policy: { ...HANG_POLICY, attempts: 1 } })).rejects.toMatchObject({ kind: "timeout" });
  });

  it("reports a credential that cannot produce a token", async () => {
    const { EnvironmentCredential } = await import("@azure/identity");
    vi.stubEnv("AZURE_TENANT_ID", "");
    vi.stubEnv("AZURE_CLIENT_ID", "");
    const before = arm.requests.length;
    const req = azureRequest();
    await expect(azureMetrics.read({ ...req, connection: { ...req.connection, credentials: new EnvironmentCredential() } })).rejects.toMatchObject({ kind: "credentials" });
    expect(arm.requests.length).toBe(before);
  });
});

describe("Cloud Monitoring listTimeSeries (GCP, REST transport)", () => {
  it("pages the managed instance group's CPU utilization (newest first on the wire)", async () => {
    const m = await gcpMetrics.read(gcpRequest());
    expectSeries(m.cpu, (i) => percentAt(i) / 100);
    expect(m.memory).toBeUndefined();
    const filter = monitoring.requests[0]!.url.searchParams.get("filter")!;
    expect(filter).toContain('metadata.system_labels.instance_group = "web-mig"');
    expect(filter).toContain('resource.labels.zone = starts_with("us-central1-")');
    expect(monitoring.requests.filter((r) => r.url.searchParams.get("filter")!.includes("cpu/utilization"))).toHaveLength(2); // 72 points in pages of 40
  });

  it("retries RESOURCE_EXHAUSTED and fails on a persistent outage", async () => {
    monitoring.failNext("throttle");
    expect((await gcpMetrics.read(gcpRequest())).cpu).toHaveLength(HOURS);
    monitoring.failAlways("server");
    await expect(gcpMetrics.read(gcpRequest())).rejects.toMatchObject({ kind: "server" });
  });

  it("without credentials fails before any request (no metadata-server probe)", async () => {
    vi.stubEnv("GOOGLE_APPLICATION_CREDENTIALS", "");
    vi.stubEnv("CLOUDSDK_CONFIG", "/nonexistent/gcloud");
    const before = monitoring.requests.length;
    const req = gcpRequest();
    await expect(gcpMetrics.read({ ...req, connection: { endpoints: req.connection.endpoints } })).rejects.toMatchObject({ kind: "credentials" });
    expect(monitoring.requests.length).toBe(before);
  });
});
