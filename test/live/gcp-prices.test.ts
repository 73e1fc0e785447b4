import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { gcpLivePrices } from "../../clouds/gcp/live-prices";
import type { LivePriceRequest, TypeSpec } from "../../core/prices/source";
import type { FakeServer } from "../fakes/http";
import { gcpSku, startGcpBillingFake } from "../fakes/gcp-billing";
import { FAST_POLICY, HANG_POLICY, noSleep } from "../fakes/policy";

const spec = (vcpu: number, memoryGiB: number, gpus = 0, gpuType: string | null = null): TypeSpec => ({ vcpu, memoryGiB, gpus, gpuType, arch: "x86_64" });
const knownTypes = new Map([
  ["n2-standard-4", spec(4, 16)],
  ["n2-highmem-8", spec(8, 64)],
  ["e2-micro", spec(0.25, 1)],
  ["g2-standard-4", spec(4, 16, 1, "l4")],
  ["a2-highgpu-1g", spec(12, 85, 1, "a100")],
  ["a2-ultragpu-1g", spec(12, 170, 1, "a100")],
  ["c3-standard-4-lssd", spec(4, 16)],
  ["f1-micro", spec(1, 0.6)],
  ["t2d-standard-4", spec(4, 16)], // no SKU in the fake: not offered
]);

const US = ["us-central1"];
const skus = [
  gcpSku({ description: "N2 Instance Core running in Americas", regions: ["us-central1", "us-east1"], unit: "h", usd: 0.031611 }),
  gcpSku({ description: "N2 Instance Ram running in Americas", regions: ["us-central1", "us-east1"], unit: "GiBy.h", usd: 0.004237 }),
  gcpSku({ description: "Spot Preemptible N2 Instance Core running in Americas", usageType: "Preemptible", regions: US, unit: "h", usd: 0.007603 }),
  gcpSku({ description: "Spot Preemptible N2 Instance Ram running in Americas", usageType: "Preemptible", regions: US, unit: "GiBy.h", usd: 0.001019 }),
  gcpSku({ description: "Commitment v1: N2 Cpu in Americas for 1 Year", usageType: "Commit1Yr", regions: US, unit: "h", usd: 0.019915 }),
  gcpSku({ description: "N2 Custom Instance Core running in Americas", regions: US, unit: "h", usd: 0.033191 }),
  gcpSku({ description: "E2 Instance Core running in Americas", regions: US, unit: "h", usd: 0.021811 }),
  gcpSku({ description: "E2 Instance Ram running in Americas", regions: US, unit: "GiBy.h", usd: 0.002923 }),
  gcpSku({ description: "G2 Instance Core running in Americas", regions: US, unit: "h", usd: 0.024988 }),
  gcpSku({ description: "G2 Instance Ram running in Americas", regions: US, unit: "GiBy.h", usd: 0.002927 }),
  gcpSku({ description: "Nvidia L4 GPU running in Americas", regions: US, unit: "h", usd: 0.56, resourceGroup: "GPU" }),
  gcpSku({ description: "A2 Instance Core running in Americas", regions: US, unit: "h", usd: 0.031611 }),
  gcpSku({ description: "A2 Instance Ram running in Americas", regions: US, unit: "GiBy.h", usd: 0.004237 }),
  gcpSku({ description: "Nvidia Tesla A100 GPU running in Americas", regions: US, unit: "h", usd: 2.933908, resourceGroup: "GPU" }),
  gcpSku({ description: "Nvidia Tesla A100 80GB GPU running in Americas", regions: US, unit: "h", usd: 3.92808, resourceGroup: "GPU" }),
  gcpSku({ description: "C3 Instance Core running in Americas", regions: US, unit: "h", usd: 0.03465 }),
  gcpSku({ description: "C3 Instance Ram running in Americas", regions: US, unit: "GiBy.h", usd: 0.003938 }),
  gcpSku({ description: "Micro Instance with burstable CPU running in Americas", regions: US, unit: "h", usd: 0.0076, resourceGroup: "F1Micro" }),
  gcpSku({ description: "Storage PD Capacity in Americas", regions: US, unit: "GiBy.mo", usd: 0.04 }),
];

let billing: FakeServer;
const request = (regions: string[], overrides: Partial<LivePriceRequest> = {}): LivePriceRequest => ({
  regions,
  knownTypes,
  connection: { endpoints: { billing: billing.url }, apiKey: "fake-api-key" },
  policy: FAST_POLICY,
  sleep: noSleep,
  ...overrides,
});

beforeEach(async () => {
  billing = await startGcpBillingFake(skus, 4);
});
afterEach(async () => {
  await billing.close();
  vi.unstubAllEnvs();
});

describe("GCP live prices against the Cloud Billing Catalog fake (REST transport)", () => {
  it("pages listSkus and composes machine-type prices from core, RAM and GPU rates", async () => {
    const result = await gcpLivePrices.fetch(request(["us-central1", "us-east1"]));
    const byKey = new Map(result.offers.map((o) => [`${o.region}/${o.instanceType}`, o]));
    expect(byKey.get("us-central1/n2-standard-4")!.onDemandHourlyUsd).toBeCloseTo(4 * 0.031611 + 16 * 0.004237, 8);
    expect(byKey.get("us-central1/n2-standard-4")!.spotHourlyUsd).toBeCloseTo(4 * 0.007603 + 16 * 0.001019, 8);
    expect(byKey.get("us-central1/n2-highmem-8")!.onDemandHourlyUsd).toBeCloseTo(8 * 0.031611 + 64 * 0.004237, 8);
    expect(byKey.get("us-central1/e2-micro")!.onDemandHourlyUsd).toBeCloseTo(0.25 * 0.021811 + 1 * 0.002923, 8);
    expect(byKey.get("us-central1/g2-standard-4")!.onDemandHourlyUsd).toBeCloseTo(4 * 0.024988 + 16 * 0.002927 + 0.56, 8);
    expect(byKey.get("us-central1/f1-micro")!.onDemandHourlyUsd).toBe(0.0076);
    // Both A2 series carry an "a100", but the 80GB one is billed at its own rate.
    expect(byKey.get("us-central1/a2-highgpu-1g")!.onDemandHourlyUsd).toBeCloseTo(12 * 0.031611 + 85 * 0.004237 + 2.933908, 8);
    expect(byKey.get("us-central1/a2-ultragpu-1g")!.onDemandHourlyUsd).toBeCloseTo(12 * 0.031611 + 170 * 0.004237 + 3.92808, 8);
    // us-east1 has N2 on-demand rates only: priced, without spot.
    expect(byKey.get("us-east1/n2-standard-4")).toMatchObject({ spotHourlyUsd: null });
    expect(byKey.has("us-east1/e2-micro")).toBe(false);
    // Bundled local SSD cannot be composed; t2d has no rates here.
    expect(byKey.has("us-central1/c3-standard-4-lssd")).toBe(false);
    expect(byKey.has("us-central1/t2d-standard-4")).toBe(false);
    expect(result.pages).toBe(5); // 19 SKUs in pages of 4
    expect(billing.requests.every((r) => r.headers["x-goog-api-key"] === "fake-api-key")).toBe(true);
  });

  it("retries RESOURCE_EXHAUSTED (429) and UNAVAILABLE (503)", async () => {
    billing.failNext("throttle", "server");
    const result = await gcpLivePrices.fetch(request(US));
    expect(result.offers.find((o) => o.instanceType === "n2-standard-4")!.onDemandHourlyUsd).toBeCloseTo(4 * 0.031611 + 16 * 0.004237, 8);
    expect(billing.requests).toHaveLength(5 + 2);
  });

  it("fails on a malformed page, a hanging server, and a persistent outage", async () => {
    billing.failNext("malformed");
    await expect(gcpLivePrices.fetch(request(US))).rejects.toMatchObject({ kind: "malformed" });
    billing.failAlways("hang");
    await expect(gcpLivePrices.fetch(request(US, { policy: { ...HANG_POLICY, attempts: 2 } }))).rejects.toMatchObject({ kind: "timeout" });
    billing.failAlways("server");
    await expect(gcpLivePrices.fetch(request(US))).rejects.toMatchObject({ kind: "server", message: expect.stringMatching(/listSkus page 1.*after 3 attempts/) });
  });

  it("without an API key or credentials fails at once, before any request (no metadata-server probe)", async () => {
    vi.stubEnv("MULTICLOUD_GCP_API_KEY", "");
    vi.stubEnv("GOOGLE_API_KEY", "");
    vi.stubEnv("GOOGLE_APPLICATION_CREDENTIALS", "");
    vi.stubEnv("CLOUDSDK_CONFIG", "/nonexistent/gcloud");
    const err = await gcpLivePrices.fetch(request(US, { connection: { endpoints: { billing: billing.url } } })).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: "credentials" });
    expect(billing.requests).toHaveLength(0);
  });
});
