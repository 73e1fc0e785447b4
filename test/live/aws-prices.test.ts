import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { awsLivePrices } from "../../clouds/aws/live-prices";
import { LiveSourceError } from "../../core/prices/errors";
import type { LivePriceRequest } from "../../core/prices/source";
import type { FakeServer } from "../fakes/http";
import { awsProduct, startAwsPricingFake } from "../fakes/aws-pricing";
import { REVOKED_ACCESS_KEY } from "../fakes/aws-json";
import { startEc2SpotFake } from "../fakes/aws-ec2";
import { FAST_POLICY, HANG_POLICY, noSleep } from "../fakes/policy";

const credentials = { accessKeyId: "AKIDFAKEFAKEFAKE", secretAccessKey: "fake-secret" };

const products = [
  awsProduct({ instanceType: "m5.large", region: "us-east-1", vcpu: 2, memoryGiB: 8, usd: 0.096 }),
  awsProduct({ instanceType: "m5.xlarge", region: "us-east-1", vcpu: 4, memoryGiB: 16, usd: 0.192 }),
  awsProduct({ instanceType: "m7g.large", region: "us-east-1", vcpu: 2, memoryGiB: 8, usd: 0.0816, processor: "AWS Graviton3 Processor" }),
  awsProduct({ instanceType: "g5.xlarge", region: "us-east-1", vcpu: 4, memoryGiB: 16, usd: 1.006, gpu: 1, processor: "AMD EPYC 7R32" }),
  awsProduct({ instanceType: "inf2.xlarge", region: "us-east-1", vcpu: 4, memoryGiB: 16, usd: 0.7582, gpu: 1 }),
  awsProduct({ instanceType: "x2iedn.32xlarge", region: "us-east-1", vcpu: 128, memoryGiB: 4096, usd: 26.676 }),
  // Filtered out by the request's TERM_MATCH filters: other OS, other tenancy, other region.
  awsProduct({ instanceType: "m5.large", region: "us-east-1", vcpu: 2, memoryGiB: 8, usd: 0.188, operatingSystem: "Windows" }),
  awsProduct({ instanceType: "m5.large", region: "us-east-1", vcpu: 2, memoryGiB: 8, usd: 0.106, tenancy: "Dedicated" }),
  awsProduct({ instanceType: "m5.large", region: "eu-west-1", vcpu: 2, memoryGiB: 8, usd: 0.107 }),
  awsProduct({ instanceType: "c5.large", region: "eu-west-1", vcpu: 2, memoryGiB: 4, usd: 0.096 }),
];

const spot = [
  { instanceType: "m5.large", zone: "us-east-1a", usd: 0.031, at: "2026-07-20T08:00:00.000Z" },
  { instanceType: "m5.large", zone: "us-east-1a", usd: 0.035, at: "2026-07-20T09:00:00.000Z" }, // latest in 1a
  { instanceType: "m5.large", zone: "us-east-1b", usd: 0.041, at: "2026-07-19T09:00:00.000Z" }, // latest in 1b: the region's (highest) price
  { instanceType: "m5.large", zone: "us-east-1b", usd: 0.029, at: "2026-07-18T09:00:00.000Z" },
  { instanceType: "m5.xlarge", zone: "us-east-1c", usd: 0.25, at: "2026-07-20T09:00:00.000Z" }, // above on-demand: passed on as quoted
  { instanceType: "c5.large", zone: "eu-west-1a", usd: 0.04, at: "2026-07-20T09:00:00.000Z" },
];

let pricing: FakeServer;
let ec2: FakeServer;

function request(regions: string[], overrides: Partial<LivePriceRequest> = {}): LivePriceRequest {
  return {
    regions,
    knownTypes: new Map(),
    connection: { endpoints: { pricing: pricing.url, ec2: ec2.url }, credentials },
    policy: FAST_POLICY,
    sleep: noSleep,
    ...overrides,
  };
}

beforeEach(async () => {
  pricing = await startAwsPricingFake(products, 2);
  ec2 = await startEc2SpotFake(spot, 2);
});
afterEach(async () => {
  await Promise.all([pricing.close(), ec2.close()]);
  vi.unstubAllEnvs();
});

describe("AWS live prices against the Price List and EC2 fakes", () => {
  it("pages through GetProducts and DescribeSpotPriceHistory and prices every type exactly", async () => {
    const result = await awsLivePrices.fetch(request(["us-east-1", "eu-west-1"]));
    const byKey = new Map(result.offers.map((o) => [`${o.region}/${o.instanceType}`, o]));
    expect(byKey.get("us-east-1/m5.large")).toMatchObject({ vcpu: 2, memoryGiB: 8, arch: "x86_64", gpus: 0, onDemandHourlyUsd: 0.096, spotHourlyUsd: 0.041, spotEstimated: false });
    // Quoted as is; resolvePrices drops spot quotes not below on-demand for every cloud.
    expect(byKey.get("us-east-1/m5.xlarge")).toMatchObject({ onDemandHourlyUsd: 0.192, spotHourlyUsd: 0.25 });
    expect(byKey.get("us-east-1/m7g.large")).toMatchObject({ arch: "arm64", onDemandHourlyUsd: 0.0816 });
    expect(byKey.get("us-east-1/g5.xlarge")).toMatchObject({ gpus: 1, gpuType: "a10g" });
    expect(byKey.get("us-east-1/inf2.xlarge")).toMatchObject({ gpus: 0, gpuType: null });
    expect(byKey.get("us-east-1/x2iedn.32xlarge")).toMatchObject({ memoryGiB: 4096 });
    expect(byKey.get("eu-west-1/m5.large")).toMatchObject({ onDemandHourlyUsd: 0.107, spotHourlyUsd: null });
    expect(byKey.get("eu-west-1/c5.large")).toMatchObject({ onDemandHourlyUsd: 0.096, spotHourlyUsd: 0.04 });
    expect(result.offers).toHaveLength(8);
    // 6 us-east-1 products in pages of 2 = 3 pages; 5 us-east-1 spot entries in pages of 2 = 3 pages; eu-west-1: 1 + 1.
    expect(result.pages).toBe(8);
    const targets = pricing.requests.map((r) => r.headers["x-amz-target"]);
    expect(new Set(targets)).toEqual(new Set(["AWSPriceListService.GetProducts"]));
    const filters = (JSON.parse(pricing.requests[0]!.body) as { Filters: Array<{ Field: string; Value: string }> }).Filters;
    expect(Object.fromEntries(filters.map((f) => [f.Field, f.Value]))).toMatchObject({ operatingSystem: "Linux", tenancy: "Shared", preInstalledSw: "NA", capacitystatus: "Used" });
  });

  it("retries throttling (ThrottlingException, RequestLimitExceeded) and ends with the right prices", async () => {
    pricing.failNext("throttle", "throttle");
    ec2.failNext("throttle");
    const result = await awsLivePrices.fetch(request(["us-east-1"]));
    expect(result.offers.find((o) => o.instanceType === "m5.large")).toMatchObject({ onDemandHourlyUsd: 0.096, spotHourlyUsd: 0.041 });
    expect(pricing.requests).toHaveLength(3 + 2);
    expect(ec2.requests).toHaveLength(3 + 1);
  });

  it("gives up on a persistent 5xx after the configured attempts, naming the page", async () => {
    pricing.failAlways("server");
    const err = await awsLivePrices.fetch(request(["us-east-1"])).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LiveSourceError);
    expect(err).toMatchObject({ kind: "server" });
    expect((err as Error).message).toMatch(/GetProducts page 1 for us-east-1: server error 500.*after 3 attempts/);
    expect(pricing.requests).toHaveLength(3);
  });

  it("fails a page that never answers within the timeout", async () => {
    pricing.failAlways("hang");
    const err = await awsLivePrices.fetch(request(["us-east-1"], { policy: { ...HANG_POLICY, attempts: 2 } })).catch((e: unknown) => e);
    // A timeout, after exactly the configured attempts (never a wait on the clock in the test).
    expect(err).toMatchObject({ kind: "timeout" });
    expect(pricing.requests).toHaveLength(2);
  });

  it("fails on a malformed body without retrying", async () => {
    pricing.failNext("malformed");
    const err = await awsLivePrices.fetch(request(["us-east-1"])).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: "malformed" });
    expect(pricing.requests).toHaveLength(1);
  });

  it("fails fast with no credentials anywhere, without calling the API or the metadata service", async () => {
    vi.stubEnv("AWS_ACCESS_KEY_ID", "");
    vi.stubEnv("AWS_PROFILE", "");
    vi.stubEnv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials");
    vi.stubEnv("AWS_CONFIG_FILE", "/nonexistent/config");
    const req = request(["us-east-1"]);
    const err = await awsLivePrices.fetch({ ...req, connection: { endpoints: req.connection.endpoints } }).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: "credentials" });
    expect((err as Error).message).toMatch(/no AWS credentials found/);
    expect(pricing.requests).toHaveLength(0);
  });

  it("reports credentials the service rejects, without retrying them", async () => {
    const req = request(["us-east-1"]);
    const connection = { ...req.connection, credentials: { accessKeyId: REVOKED_ACCESS_KEY, secretAccessKey: "x" } };
    const err = await awsLivePrices.fetch({ ...req, connection }).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: "credentials" });
    expect((err as Error).message).toMatch(/UnrecognizedClientException/);
    expect((err as Error).message).not.toContain("fake-secret");
    expect(pricing.requests).toHaveLength(1);
  });
});
