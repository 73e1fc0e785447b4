/**
 * Issue 17: behind a corporate proxy, `HTTPS_PROXY` carries every live call of every cloud, and
 * `NO_PROXY` exempts hosts. The CLI runs as a user runs it, in its own process, so that only the
 * environment steers it: HTTPS_PROXY at a loopback CONNECT proxy, the endpoint variables at https
 * fronts of the loopback API fakes (the real endpoints are https: a proxy tunnels them), and
 * NODE_EXTRA_CA_CERTS trusting the fakes' certificate, as a corporate CA would be trusted.
 *
 * Which client needs what (read in each SDK's source, node_modules):
 * - Node's global fetch (Azure Retail Prices) reads no proxy variable: undici's fetch with an
 *   EnvHttpProxyAgent, per call (core/prices/proxy.ts).
 * - The AWS SDK v3 reads none either: NodeHttpHandler with proxy-aware agents (https-proxy-agent).
 * - google-gax's REST transport passes its own keep-alive agent to gaxios, and gaxios skips its own
 *   HTTPS_PROXY support whenever an agent is given (gaxios `#prepareRequest`): an interceptor puts
 *   the proxy-aware agents back (clouds/gcp). (gRPC would read grpc_proxy/https_proxy itself; the
 *   clients run over REST.)
 * - @azure/core-rest-pipeline's proxyPolicy reads HTTPS_PROXY/HTTP_PROXY/NO_PROXY itself (Azure
 *   Monitor metrics): shown through ./azure-metrics-child.ts, as the CLI would need an Entra ID
 *   token the child cannot get (and the policy steps aside when a caller passes its own agent).
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeServer } from "../fakes/http";
import { awsProduct, startAwsPricingFake } from "../fakes/aws-pricing";
import { startEc2SpotFake } from "../fakes/aws-ec2";
import { startCloudWatchFake } from "../fakes/aws-cloudwatch";
import { startAzureRetailFake } from "../fakes/azure-retail";
import { gcpSku, startGcpBillingFake } from "../fakes/gcp-billing";
import { startAzureArmFake } from "../fakes/azure-arm";
import { startProxyFake, startTlsFront, type FakeProxy, type TlsFront } from "../fakes/proxy";

const ROOT = path.resolve(__dirname, "../..");
const CA = path.join(ROOT, "test/fakes/tls/loopback.crt");
const HOUR = 3_600_000;
const US = ["us-central1"];
const VMSS = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/web-rg/providers/Microsoft.Compute/virtualMachineScaleSets/web";

let dir: string;
let fakes: Record<"pricing" | "ec2" | "cloudwatch" | "retail" | "billing", FakeServer>;
let fronts: Record<keyof typeof fakes, TlsFront>;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "mc-proxy-"));
  const now = Date.now();
  const [pricing, ec2, cloudwatch, retail, billing] = await Promise.all([
    startAwsPricingFake([awsProduct({ instanceType: "m5.large", region: "us-east-1", vcpu: 2, memoryGiB: 8, usd: 0.0777 })]),
    startEc2SpotFake([{ instanceType: "m5.large", zone: "us-east-1a", usd: 0.0311, at: new Date(now - HOUR).toISOString() }]),
    // A steady 50% CPU over the last two weeks: demand = ceil(12 x 0.5 / 0.6) = 10.
    startCloudWatchFake({ "web-asg": { CPUUtilization: Array.from({ length: 14 * 24 }, (_, i) => ({ t: Math.floor((now - (i + 1) * HOUR) / HOUR) * HOUR, v: 50 })) } }),
    startAzureRetailFake([{ armSkuName: "Standard_D2s_v5", region: "eastus", usd: 0.0888 }]),
    startGcpBillingFake([
      gcpSku({ description: "N2 Instance Core running in Americas", regions: US, unit: "h", usd: 0.0333 }),
      gcpSku({ description: "N2 Instance Ram running in Americas", regions: US, unit: "GiBy.h", usd: 0.0044 }),
    ]),
  ]);
  fakes = { pricing: pricing!, ec2: ec2!, cloudwatch: cloudwatch!, retail: retail!, billing: billing! };
  const started = await Promise.all(Object.values(fakes).map((f) => startTlsFront(f.url)));
  fronts = Object.fromEntries(Object.keys(fakes).map((k, i) => [k, started[i]!])) as typeof fronts;
  fs.writeFileSync(
    path.join(dir, "web.yaml"),
    [
      "name: web",
      "demand:",
      "  replicas: 12",
      "  cpu: 2",
      "  memoryGiB: 8",
      "  fromMetrics:",
      "    aws: { autoScalingGroup: web-asg, region: us-east-1 }",
      "    lookbackDays: 14",
      "    percentile: 95",
      "    targetUtilization: 60",
      "providers:",
      "  aws: { regions: [us-east-1] }",
      "  azure: { regions: [eastus] }",
      "  gcp: { regions: [us-central1] }",
      "",
    ].join("\n"),
  );
});

afterAll(async () => {
  await Promise.all([...Object.values(fronts ?? {}).map((f) => f.close()), ...Object.values(fakes ?? {}).map((f) => f.close())]);
  fs.rmSync(dir, { recursive: true, force: true });
});

interface ChildResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `node ARGS` in a child process whose environment is exactly `env` (cwd: the repository). */
function runChild(args: readonly string[], env: Record<string, string>): Promise<ChildResult> {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { PATH: process.env.PATH ?? "", HOME: dir, NODE_EXTRA_CA_CERTS: CA, ...env } });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => void (stdout += c.toString()));
  child.stderr.on("data", (c: Buffer) => void (stderr += c.toString()));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** `multicloud plan --live` with the endpoints at the fronts, and `extra` (the proxy variables). HOME has no ~/.aws, no gcloud. */
function planLive(extra: Record<string, string>, cache: string): Promise<ChildResult> {
  // The CLI as users run it (bin/ on the build that test/setup/build.ts keeps current).
  return runChild([path.join(ROOT, "bin", "multicloud.js"), "plan", path.join(dir, "web.yaml"), "--live", "--live-timeout", "60", "--format", "json"], {
    MULTICLOUD_CACHE_DIR: path.join(dir, cache),
    AWS_ACCESS_KEY_ID: "AKIDFAKEFAKEFAKE",
    AWS_SECRET_ACCESS_KEY: "fake-secret",
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_ENDPOINT_URL_PRICING: fronts.pricing.url,
    AWS_ENDPOINT_URL_EC2: fronts.ec2.url,
    AWS_ENDPOINT_URL_CLOUDWATCH: fronts.cloudwatch.url,
    MULTICLOUD_ENDPOINT_AZURE_PRICES: fronts.retail.url,
    MULTICLOUD_ENDPOINT_GCP_BILLING: fronts.billing.url,
    MULTICLOUD_GCP_API_KEY: "fake-api-key",
    ...extra,
  });
}

interface PlanJson {
  prices: Record<string, { source: string }>;
  demand: { source?: string; replicas: number };
  allocations: Array<{ provider: string; instanceType: string; onDemandHourlyUsd?: number; hourlyUsd?: number }>;
}

function expectLivePlan(r: ChildResult): PlanJson {
  expect(r.stderr).not.toMatch(/unavailable|internal error|NodeVersionSupportWarning|Warning:/);
  expect(r.code).toBe(0);
  const plan = JSON.parse(r.stdout) as PlanJson;
  for (const p of ["aws", "azure", "gcp"]) expect(plan.prices[p], p).toMatchObject({ source: "live" });
  expect(plan.demand).toMatchObject({ source: "metrics", replicas: 10 });
  return plan;
}

const requestsSoFar = (): Record<string, number> => Object.fromEntries(Object.entries(fakes).map(([k, f]) => [k, f.requests.length]));

describe("HTTPS_PROXY and NO_PROXY on every live call (CLI in its own process)", () => {
  let proxy: FakeProxy;
  beforeAll(async () => {
    proxy = await startProxyFake();
  });
  afterAll(() => proxy.close());

  it("with HTTPS_PROXY, the prices of all three clouds and the AWS metrics go through the proxy, and the plan uses them", async () => {
    const before = requestsSoFar();
    const plan = expectLivePlan(await planLive({ HTTPS_PROXY: proxy.url }, "cache-proxied"));
    // Every API was reached, each through a CONNECT tunnel to its endpoint.
    const reached = Object.fromEntries(Object.entries(requestsSoFar()).map(([k, n]) => [k, n > before[k]!]));
    expect(reached).toEqual({ pricing: true, ec2: true, cloudwatch: true, retail: true, billing: true });
    const tunnelled = Object.fromEntries(Object.entries(fronts).map(([k, f]) => [k, proxy.tunnels.includes(f.authority)]));
    expect(tunnelled).toEqual({ pricing: true, ec2: true, cloudwatch: true, retail: true, billing: true });
    const endpoints = new Set(Object.values(fronts).map((f) => f.authority));
    expect(proxy.tunnels.filter((t) => !endpoints.has(t))).toEqual([]);
    // Nothing tried to leave the machine (the GCP client used to probe the metadata server at 169.254.169.254).
    expect(proxy.refused).toEqual([]);
    expect(plan.allocations.length).toBeGreaterThan(0);
  }, 90_000);

  it("with NO_PROXY covering the endpoints' host, the proxy sees nothing and the plan still uses live data", async () => {
    const tunnels = proxy.tunnels.length;
    const forwarded = proxy.forwarded.length;
    const before = requestsSoFar();
    expectLivePlan(await planLive({ HTTPS_PROXY: proxy.url, NO_PROXY: "127.0.0.1" }, "cache-direct"));
    expect(Object.values(requestsSoFar()).every((n, i) => n > Object.values(before)[i]!)).toBe(true);
    expect(proxy.tunnels.length - tunnels).toBe(0);
    expect(proxy.forwarded.length - forwarded).toBe(0);
    expect(proxy.refused).toEqual([]);
  }, 90_000);

  it("the Azure SDK (Monitor metrics) reads HTTPS_PROXY and NO_PROXY itself", async () => {
    const T0 = Date.UTC(2026, 6, 1);
    const arm = await startAzureArmFake({ [VMSS.toLowerCase()]: { "Percentage CPU": Array.from({ length: 24 }, (_, i) => ({ t: T0 + i * HOUR, v: 40 })) } });
    const authority = new URL(arm.url).host;
    try {
      const read = (extra: Record<string, string>) =>
        runChild(["--import", "tsx", "test/robustness/azure-metrics-child.ts"], { MULTICLOUD_ENDPOINT_AZURE_MANAGEMENT: arm.url, SCALE_SET_ID: VMSS, METRICS_START: String(T0), HTTPS_PROXY: proxy.url, ...extra });
      const proxied = await read({});
      expect(proxied.stdout).toBe('{"cpuSamples":24}\n');
      expect(proxy.tunnels.filter((t) => t === authority).length).toBeGreaterThan(0);
      const tunnels = proxy.tunnels.length;
      const direct = await read({ NO_PROXY: "127.0.0.1" });
      expect(direct.stdout).toBe('{"cpuSamples":24}\n');
      expect(proxy.tunnels.length).toBe(tunnels);
      expect(arm.requests.length).toBe(2);
      expect(proxy.refused).toEqual([]);
    } finally {
      await arm.close();
    }
  }, 60_000);
});
