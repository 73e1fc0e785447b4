/**
 * Issue 17: user input never ends in an internal error, live data has one deadline, and the Azure
 * and GCP endpoints can be pointed elsewhere by environment variable.
 *
 * Times are never asserted (machine speed varies): a hanging endpoint against a short deadline
 * must fall back with the warning that names the deadline, which only the deadline path writes.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { OAuth2Client } from "google-auth-library";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { planLive } from "../../core/prices/plan-live";
import { validateSpec } from "../../core/spec/load";
import { resolveCatalog } from "../../core/catalog/resolve";
import { CLOUDS } from "../../clouds/registry";
import { azureLivePrices } from "../../clouds/azure/live-prices";
import { gcpLivePrices } from "../../clouds/gcp/live-prices";
import { azureMetrics } from "../../clouds/azure/metrics";
import { gcpMetrics } from "../../clouds/gcp/metrics";
import type { FakeServer } from "../fakes/http";
import { startAzureRetailFake } from "../fakes/azure-retail";
import { startGcpBillingFake, gcpSku } from "../fakes/gcp-billing";
import { startGcpMonitoringFake } from "../fakes/gcp-monitoring";
import { staticToken, startAzureArmFake, trustingAgent } from "../fakes/azure-arm";
import { startAwsPricingFake } from "../fakes/aws-pricing";
import { startEc2SpotFake } from "../fakes/aws-ec2";
import { startCloudWatchFake } from "../fakes/aws-cloudwatch";
import { FAST_POLICY, noSleep } from "../fakes/policy";
import { cli } from "../helpers/cli";


let dir: string;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "mc-robust-"));
  // Load the SDKs once up front: loading them (seconds on a busy machine) is not what the deadline tests measure.
  await Promise.all(["@aws-sdk/client-pricing", "@aws-sdk/client-ec2", "@aws-sdk/client-cloudwatch", "@azure/arm-monitor", "@google-cloud/billing", "@google-cloud/monitoring"].map((m) => import(m)));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.unstubAllEnvs());

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

const SPEC = ["name: web", "demand: { replicas: 4, cpu: 2, memoryGiB: 8 }", "providers:", "  gcp: { regions: [us-central1] }", ""].join("\n");

/** `a: &a [x, x, ...]`, `b: &b [*a, *a, ...]`, ...: a few hundred bytes that expand to 10^levels nodes. */
function aliasBomb(levels = 9): string {
  const lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"];
  for (let i = 1; i < levels; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(", ")}]`);
  return `${lines.join("\n")}\n`;
}

describe("user input is a user error, never an internal error", () => {
  it("a YAML alias bomb in a spec is an error naming the file", async () => {
    const spec = write("bomb.yaml", `${SPEC}${aliasBomb()}`);
    const r = await cli("plan", spec, "--offline");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: .*bomb\.yaml: the spec file expands too many YAML aliases/);
    expect(r.stderr).not.toMatch(/internal error|at .*\.ts:\d+/);
  });

  it("a YAML alias bomb in a stack config is an error naming the file", async () => {
    const spec = write("ok.yaml", SPEC);
    const config = write("Pulumi.bomb.yaml", `config:\n  other:key: 1\n${aliasBomb().replace(/^/gm, "  ")}`);
    const r = await cli("plan", spec, "--offline", "--stack-config", config, "--write");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: .*Pulumi\.bomb\.yaml: the stack config file expands too many YAML aliases/);
    expect(r.stderr).not.toContain("internal error");
  });

  it("a spec nested thousands of levels deep is an error naming the file and line, not a stack overflow", async () => {
    const spec = write("deep.yaml", `${SPEC}x: ${"[".repeat(20_000)}${"]".repeat(20_000)}\n`);
    const r = await cli("plan", spec, "--offline");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: .*deep\.yaml:5:\d+: the spec file is nested too deeply to read/);
  });

  it("a spec file beyond the 16 MiB limit is an error naming the file, before it is parsed", async () => {
    const spec = write("huge.yaml", `${SPEC}# ${"x".repeat(17 * 1024 * 1024)}\n`);
    const r = await cli("plan", spec, "--offline");
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`error: ${spec}: the spec file is 17.0 MiB, more than the 16.0 MiB a spec file may be (a resource-exhaustion guard); is it the right file?\n`);
  });

  it("per-replica cpu and memory below the documented minimum are errors naming the field", async () => {
    const spec = write("tiny.yaml", SPEC.replace("cpu: 2, memoryGiB: 8", "cpu: 1.0e-13, memoryGiB: 1.0e-13"));
    const r = await cli("plan", spec, "--offline");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/tiny\.yaml:2: demand\.cpu: expected a number >= 0\.001, got 1e-13/);
    expect(r.stderr).toMatch(/tiny\.yaml:2: demand\.memoryGiB: expected a number >= 0\.001, got 1e-13/);
    expect(r.stderr).not.toContain("internal error");
  });

  it("the smallest legitimate sizes plan, with replicas per instance capped", async () => {
    const spec = write("milli.yaml", SPEC.replace("cpu: 2, memoryGiB: 8", "cpu: 0.001, memoryGiB: 0.001"));
    vi.stubEnv("MULTICLOUD_CACHE_DIR", path.join(dir, "cache-milli"));
    const r = await cli("plan", spec, "--offline", "--format", "json");
    expect(withoutStalePrices(r.stderr)).toBe("");
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout) as { totals: { replicas: number }; allocations: Array<{ replicasPerInstance: number }> };
    expect(plan.totals.replicas).toBe(4);
    for (const a of plan.allocations) expect(a.replicasPerInstance).toBeLessThanOrEqual(100_000);
  });

  it("a spec with CR-only line endings reads as written", async () => {
    const spec = write("mac.yaml", SPEC.replace(/\n/g, "\r"));
    vi.stubEnv("MULTICLOUD_CACHE_DIR", path.join(dir, "cache-cr"));
    const r = await cli("plan", spec, "--offline", "--format", "json");
    expect(withoutStalePrices(r.stderr)).toBe("");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ workload: "web", totals: { replicas: 4 } });
  });

  it("a 200,000-character name is shown as its first 80 characters and its length, not echoed whole", async () => {
    const spec = write("long-name.yaml", SPEC.replace("name: web", `name: ${"a".repeat(200_000)}`));
    const r = await cli("plan", spec, "--offline");
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`error: invalid workload spec: ${spec}:1: name: expected a lower-case name of letters, digits and '-', starting with a letter, at most 40 characters (it names cloud resources), got "${"a".repeat(80)}"... (200000 characters)\n`);
  });

  it("a very long unknown region or unknown key is shortened too (found by ./fuzz.test.ts)", async () => {
    const key = await cli("plan", write("long-key.yaml", SPEC.replace("name: web", `name: web\n? ${"k".repeat(50_000)}\n: 1`)), "--offline");
    expect(key.code).toBe(1);
    expect(key.stderr.length).toBeLessThan(1_000);
    expect(key.stderr).toContain(`:2: ${"k".repeat(80)}...(50000 characters): unknown field`);
    const region = await cli("plan", write("long-region.yaml", SPEC.replace("regions: [us-central1]", `regions: [us-central1, ${"x".repeat(50_000)}]`)), "--offline");
    expect(region.code).toBe(1);
    expect(region.stderr.length).toBeLessThan(1_000);
    expect(region.stderr).toContain(`providers.gcp.regions[1]: unknown gcp region "${"x".repeat(80)}"... (50000 characters)`);
  });

  it("a very long catalog cell is shortened in the row's error", async () => {
    const catalog = write("long-cell.csv", `provider,region,instanceType,vcpu,memoryGiB,gpus,gpuType,arch,onDemandHourlyUsd,spotHourlyUsd\ngcp,us-central1,n2-standard-4,${"9".repeat(20_000)}x,16,0,,x86_64,0.19,\n`);
    const r = await cli("plan", write("ok-cell.yaml", SPEC), "--offline", "--catalog", catalog);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`error: invalid catalog: ${catalog}:2: column vcpu: expected a number > 0 and <= 100000 (fractions for shared-core types, e.g. 0.25), got "${"9".repeat(80)}"... (20001 characters)\n`);
  });

  it("a bad --live-timeout or MULTICLOUD_LIVE_TIMEOUT is an error naming it", async () => {
    const spec = write("ok2.yaml", SPEC);
    expect((await cli("plan", spec, "--live", "--live-timeout", "soon")).stderr).toMatch(/^error: --live-timeout: expected a number of seconds/);
    vi.stubEnv("MULTICLOUD_LIVE_TIMEOUT", "-1");
    const r = await cli("plan", spec, "--live");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: MULTICLOUD_LIVE_TIMEOUT: expected a number of seconds/);
  });
});

/** A Google auth client with a ready token: never probes the metadata server. */
function gcpAuth(): OAuth2Client {
  const client = new OAuth2Client();
  client.setCredentials({ access_token: "fake-gcp-token", expiry_date: Date.now() + 3_600_000 });
  return client;
}

const VMSS = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/web-rg/providers/Microsoft.Compute/virtualMachineScaleSets/web";

describe("one deadline over all live data", () => {
  it("a hanging Azure Retail Prices endpoint costs about the deadline, then the snapshot (CLI, env endpoint)", async () => {
    const retail = await startAzureRetailFake([]);
    try {
      retail.failAlways("hang");
      vi.stubEnv("MULTICLOUD_ENDPOINT_AZURE_PRICES", retail.url);
      vi.stubEnv("MULTICLOUD_CACHE_DIR", path.join(dir, "cache-hang"));
      const spec = write("azure.yaml", SPEC.replace("gcp: { regions: [us-central1] }", "azure: { regions: [eastus] }"));
      const r = await cli("plan", spec, "--live", "--live-timeout", "1", "--format", "json");
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/^warning: azure: live prices unavailable \((Retail Prices page 1 for eastus: )?no answer within the 1 s live-data deadline \(--live-timeout\)\); using the embedded snapshot/m);
      expect(JSON.parse(r.stdout)).toMatchObject({ prices: { azure: { source: "snapshot" } } });
    } finally {
      await retail.close();
    }
  });

  it("every price and metrics endpoint of all three clouds hangs: each falls back on its own, within the deadline", async () => {
    const fakes: FakeServer[] = await Promise.all([
      startAwsPricingFake([]),
      startEc2SpotFake([]),
      startCloudWatchFake({}),
      startAzureRetailFake([]),
      startAzureArmFake({}),
      startGcpBillingFake([]),
      startGcpMonitoringFake({}),
    ]);
    const [pricing, ec2, cloudwatch, retail, arm, billing, monitoring] = fakes as [FakeServer, FakeServer, FakeServer, FakeServer, FakeServer, FakeServer, FakeServer];
    try {
      for (const f of fakes) f.failAlways("hang");
      vi.stubEnv("AWS_ENDPOINT_URL_PRICING", pricing.url);
      vi.stubEnv("AWS_ENDPOINT_URL_EC2", ec2.url);
      vi.stubEnv("AWS_ENDPOINT_URL_CLOUDWATCH", cloudwatch.url);
      vi.stubEnv("AWS_ACCESS_KEY_ID", "AKIDFAKEFAKEFAKE");
      vi.stubEnv("AWS_SECRET_ACCESS_KEY", "fake");
      vi.stubEnv("MULTICLOUD_ENDPOINT_AZURE_PRICES", retail.url);
      vi.stubEnv("MULTICLOUD_ENDPOINT_AZURE_MANAGEMENT", arm.url);
      vi.stubEnv("MULTICLOUD_ENDPOINT_GCP_BILLING", billing.url);
      vi.stubEnv("MULTICLOUD_ENDPOINT_GCP_MONITORING", monitoring.url);
      vi.stubEnv("MULTICLOUD_GCP_API_KEY", "fake-api-key");
      const input = {
        name: "web",
        demand: {
          replicas: 12,
          cpu: 2,
          memoryGiB: 8,
          fromMetrics: {
            aws: { autoScalingGroup: "web-asg", region: "us-east-1" },
            azure: { vmScaleSetId: VMSS },
            gcp: { project: "shop-prod", region: "us-central1", instanceGroup: "web-mig" },
            lookbackDays: 14,
            percentile: 95,
            targetUtilization: 60,
          },
        },
        providers: { aws: { regions: ["us-east-1"] }, azure: { regions: ["eastus"] }, gcp: { regions: ["us-central1"] } },
      };
      const spec = validateSpec(input, resolveCatalog(CLOUDS, {}), CLOUDS);
      const { plan, warnings } = await planLive(spec, {
        clouds: CLOUDS,
        live: true,
        liveTimeoutSeconds: 1.5,
        cacheDir: path.join(dir, "cache-all"),
        // Only what env cannot give: Azure's credential and test CA, GCP's metrics credential. Endpoints come from env.
        metricsConnections: { azure: { credentials: staticToken(), clientOptions: { agent: trustingAgent() } }, gcp: { credentials: gcpAuth() } },
        // Real per-attempt timeouts and backoff: the deadline, not the policy, must end the wait.
        sleep: undefined,
      });
      for (const p of ["aws", "azure", "gcp"]) {
        expect(warnings.some((w) => w.startsWith(`${p}: live prices unavailable (`) && w.includes("1.5 s live-data deadline"))).toBe(true);
        expect(plan.prices[p]).toMatchObject({ source: "snapshot" });
      }
      const metrics = warnings.find((w) => w.startsWith("metrics unavailable ("));
      expect(metrics).toMatch(/auto scaling group web-asg \(us-east-1\): no answer within the 1\.5 s live-data deadline/);
      expect(metrics).toMatch(/VM scale set web: no answer within/);
      expect(metrics).toMatch(/managed instance group web-mig \(us-central1\): no answer within/);
      expect(metrics).toMatch(/the static demand\.replicas \(12\) stands$/);
      expect(plan.demand).toMatchObject({ replicas: 12 });
      // The env endpoints were used (the GCP billing client may still be loading its protos when the deadline passes).
      const asked = Object.fromEntries(Object.entries({ pricing, retail, cloudwatch, arm, monitoring }).map(([k, f]) => [k, f.requests.length > 0]));
      expect(asked).toEqual({ pricing: true, retail: true, cloudwatch: true, arm: true, monitoring: true });
      expect(billing.requests.every((r) => r.url.pathname.includes("/v1/services"))).toBe(true);
    } finally {
      await Promise.all(fakes.map((f) => f.close()));
    }
  }, 30_000);
});

describe("endpoint variables for Azure and GCP", () => {
  const US = ["us-central1"];
  const known = (entries: Array<[string, number, number]>) => new Map(entries.map(([t, vcpu, memoryGiB]) => [t, { vcpu, memoryGiB, gpus: 0, gpuType: null, arch: "x86_64" as const }]));

  it("MULTICLOUD_ENDPOINT_AZURE_PRICES points the Retail Prices API elsewhere", async () => {
    const retail = await startAzureRetailFake([{ armSkuName: "Standard_D2s_v5", region: "eastus", usd: 0.0871 }]);
    try {
      vi.stubEnv("MULTICLOUD_ENDPOINT_AZURE_PRICES", retail.url);
      const result = await azureLivePrices.fetch({ regions: ["eastus"], knownTypes: known([["Standard_D2s_v5", 2, 8]]), connection: {}, policy: FAST_POLICY, sleep: noSleep });
      expect(result.offers).toMatchObject([{ instanceType: "Standard_D2s_v5", region: "eastus", onDemandHourlyUsd: 0.0871 }]);
      expect(retail.requests).toHaveLength(1);
    } finally {
      await retail.close();
    }
  });

  it("MULTICLOUD_ENDPOINT_GCP_BILLING points the Cloud Billing Catalog API elsewhere (REST)", async () => {
    const billing = await startGcpBillingFake([
      gcpSku({ description: "N2 Instance Core running in Americas", regions: US, unit: "h", usd: 0.031611 }),
      gcpSku({ description: "N2 Instance Ram running in Americas", regions: US, unit: "GiBy.h", usd: 0.004237 }),
    ]);
    try {
      vi.stubEnv("MULTICLOUD_ENDPOINT_GCP_BILLING", billing.url);
      const result = await gcpLivePrices.fetch({ regions: US, knownTypes: known([["n2-standard-2", 2, 8]]), connection: { apiKey: "fake-api-key" }, policy: FAST_POLICY, sleep: noSleep });
      expect(result.offers.map((o) => o.instanceType)).toEqual(["n2-standard-2"]);
      expect(billing.requests.length).toBeGreaterThan(0);
    } finally {
      await billing.close();
    }
  });

  const HOUR = 3_600_000;
  const T0 = Date.UTC(2026, 6, 1);
  const points = Array.from({ length: 24 }, (_, i) => ({ t: T0 + i * HOUR, v: 40 }));
  const window = { start: new Date(T0), end: new Date(T0 + 24 * HOUR), periodSeconds: 3600, policy: FAST_POLICY, sleep: noSleep };

  it("MULTICLOUD_ENDPOINT_AZURE_MANAGEMENT points Azure Resource Manager elsewhere", async () => {
    const arm = await startAzureArmFake({ [VMSS.toLowerCase()]: { "Percentage CPU": points } });
    try {
      vi.stubEnv("MULTICLOUD_ENDPOINT_AZURE_MANAGEMENT", arm.url);
      const m = await azureMetrics.read({ ...window, fleet: { vmScaleSetId: VMSS }, connection: { credentials: staticToken(), clientOptions: { agent: trustingAgent() } } });
      expect(m.cpu).toHaveLength(24);
      expect(m.cpu[0]!.v).toBeCloseTo(0.4, 9);
      expect(arm.requests.length).toBeGreaterThan(0);
    } finally {
      await arm.close();
    }
  });

  it("MULTICLOUD_ENDPOINT_GCP_MONITORING points Cloud Monitoring elsewhere (REST)", async () => {
    const monitoring = await startGcpMonitoringFake({ "shop-prod/web-mig": { "compute.googleapis.com/instance/cpu/utilization": points.map((p) => ({ ...p, v: 0.4 })) } });
    try {
      vi.stubEnv("MULTICLOUD_ENDPOINT_GCP_MONITORING", monitoring.url);
      const m = await gcpMetrics.read({ ...window, fleet: { project: "shop-prod", region: "us-central1", instanceGroup: "web-mig" }, connection: { credentials: gcpAuth() } });
      expect(m.cpu).toHaveLength(24);
      expect(monitoring.requests.length).toBeGreaterThan(0);
    } finally {
      await monitoring.close();
    }
  });

  it("a variable that is not an http(s) URL fails that provider with a message naming it", async () => {
    vi.stubEnv("MULTICLOUD_ENDPOINT_AZURE_PRICES", "prices.internal:8443");
    await expect(azureLivePrices.fetch({ regions: ["eastus"], knownTypes: new Map(), connection: {}, policy: FAST_POLICY, sleep: noSleep })).rejects.toMatchObject({
      kind: "rejected",
      message: expect.stringMatching(/^MULTICLOUD_ENDPOINT_AZURE_PRICES is not an http\(s\) base URL/),
    });
  });
});

/** stderr without the stale-price warnings (the embedded snapshot is older than 90 days). */
function withoutStalePrices(stderr: string): string {
  return stderr.replace(/^warning: \w+: snapshot prices as of \S+ are \d+ months? old \(stale after 90 days\).*\n/gm, "");
}
