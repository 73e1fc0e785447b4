/**
 * `multicloud prices refresh|show` and `plan --live` against the Azure Retail Prices fake, and
 * the offline default of `plan` (no network, no warnings).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { pricesRefreshCommand, pricesShowCommand, refreshTargets, type LiveDeps } from "../../provider/cli/prices";
import { run } from "../../provider/cli/main";
import type { Io } from "../../provider/cli/io";
import { pricesStale } from "../../core/plan/plan";
import { ageInMonths } from "../../core/plan/format";

function months(asOf: string): string {
  const n = ageInMonths(asOf, new Date());
  return `${n} month${n === 1 ? "" : "s"}`;
}
import type { FakeServer } from "../fakes/http";
import { startAzureRetailFake } from "../fakes/azure-retail";
import { FAST_POLICY, noSleep } from "../fakes/policy";

const NOW = new Date("2026-07-20T12:00:00Z");
let retail: FakeServer;
let cacheDir: string;
let deps: LiveDeps;

function capture(): Io & { out: string; err: string } {
  const io = { out: "", err: "", stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t) };
  return io;
}

beforeEach(async () => {
  retail = await startAzureRetailFake(
    [
      { armSkuName: "Standard_D2s_v5", region: "eastus", usd: 0.0871 },
      { armSkuName: "Standard_D2s_v5", region: "eastus", usd: 0.0174, kind: "spot" },
      { armSkuName: "Standard_D4s_v5", region: "eastus", usd: 0.1742 },
      { armSkuName: "Standard_D2s_v5", region: "westus2", usd: 0.0899 },
    ],
    2,
  );
  cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "mc-cli-"));
  deps = { connections: { azure: { endpoints: { retail: retail.url } } }, policy: FAST_POLICY, sleep: noSleep, now: () => NOW, cacheDir };
});
afterEach(async () => {
  await retail.close();
  fs.rmSync(cacheDir, { recursive: true, force: true });
  vi.unstubAllEnvs();
});

describe("multicloud prices refresh", () => {
  it("fills the cache for the named provider and regions, with progress on stderr", async () => {
    const io = capture();
    expect(await pricesRefreshCommand({ provider: "azure", regions: ["eastus,westus2"] }, io, deps)).toBe(0);
    expect(io.err).toContain("azure: eastus page 1 (2 rows)");
    expect(io.err).toContain("azure: eastus page 2 (1 rows)");
    expect(io.out).toMatch(/azure[\s│]+2[\s│]+3[\s│]+3[\s│]+[\d.]+[\s│]+cached/);
    expect(fs.readdirSync(path.join(cacheDir, "prices", "v1", "azure")).sort()).toEqual(["eastus.json", "westus2.json"]);
  });

  it("reports a failed provider, exits 1 and leaves its cache alone", async () => {
    retail.failAlways("server");
    const io = capture();
    expect(await pricesRefreshCommand({ provider: "azure", regions: ["eastus"] }, io, deps)).toBe(1);
    expect(io.err).toMatch(/^error: azure: Retail Prices page 1 for eastus: HTTP 503.*; its cached prices were left as they were$/m);
    expect(fs.existsSync(path.join(cacheDir, "prices", "v1", "azure"))).toBe(false);
  });

  it("assigns regions to the providers that have them, and rejects unknown names with a suggestion", () => {
    expect(refreshTargets({ regions: ["eastus", "us-east-1"] })).toEqual({ providers: ["aws", "azure"], regions: { aws: ["us-east-1"], azure: ["eastus"] } });
    expect(() => refreshTargets({ regions: ["us-eastt-1"] })).toThrow(/unknown region "us-eastt-1" \(did you mean "us-east-1"\?\)/);
    expect(() => refreshTargets({ provider: "azrue" })).toThrow(/unknown provider "azrue".*did you mean "azure"/);
  });
});

describe("multicloud prices show", () => {
  it("shows the cached live prices after a refresh, with their source and date", async () => {
    await pricesRefreshCommand({ provider: "azure", regions: ["eastus"] }, capture(), deps);
    const io = capture();
    expect(await pricesShowCommand("Standard_D2s_v5", { region: "eastus", live: false, offline: false, format: "table" }, io, deps)).toBe(0);
    expect(io.out).toMatch(/^Standard_D2s_v5: 2 vCPU, 8 GiB, x86_64\n/);
    expect(io.out).toMatch(/azure[\s│]+eastus[\s│]+\$0\.0871[\s│]+\$0\.0174[\s│]+cache 2026-07-20/);
    expect(io.err).toBe("");
  });

  it("falls back to the snapshot without a cache, and suggests close type names", async () => {
    const io = capture();
    expect(await pricesShowCommand("Standard_D2s_v5", { region: "eastus", live: false, offline: true, format: "json" }, io, deps)).toBe(0);
    expect(JSON.parse(io.out)).toEqual([expect.objectContaining({ provider: "azure", region: "eastus", onDemandHourlyUsd: 0.096, prices: "snapshot 2026-06-18" })]);
    await expect(pricesShowCommand("Standard_D2s_v6x", { region: "eastus", live: false, offline: true, format: "table" }, capture(), deps)).rejects.toThrow(/did you mean "Standard_D2s_v6"/);
  });
});

describe("multicloud plan", () => {
  it("by default uses no network and prints no warnings (the README's first command)", async () => {
    vi.stubEnv("XDG_CACHE_HOME", cacheDir);
    vi.stubEnv("MULTICLOUD_CACHE_DIR", "");
    vi.stubEnv("MULTICLOUD_LIVE", "");
    const io = capture();
    expect(await run(["plan", "examples/web/workload.yaml", "--format", "json"], io)).toBe(0);
    // No warning but staleness: the embedded snapshot's prices older than 90 days say so, once per provider.
    const prices = JSON.parse(io.out).prices as Record<string, { source: string; asOf: string; stale?: true }>;
    expect(Object.keys(prices)).toEqual(["aws", "azure", "gcp"]);
    const stale = Object.keys(prices).filter((p) => pricesStale(prices[p]!.asOf, new Date()));
    for (const [p, entry] of Object.entries(prices)) expect(entry).toEqual({ source: "snapshot", asOf: p === "azure" ? "2026-06-18" : expect.any(String), ...(stale.includes(p) ? { stale: true } : {}) });
    expect(io.err).toBe(stale.map((p) => `warning: ${p}: snapshot prices as of ${prices[p]!.asOf} are ${months(prices[p]!.asOf)} old (stale after 90 days): plan with --live, or run \`multicloud prices refresh\`\n`).join(""));
  });

  it("uses the cache filled by `prices refresh` for the providers it covers", async () => {
    await pricesRefreshCommand({ provider: "azure", regions: ["eastus"] }, capture(), deps);
    vi.stubEnv("MULTICLOUD_CACHE_DIR", cacheDir);
    const io = capture();
    expect(await run(["plan", "examples/web/workload.yaml", "--format", "json", "--offline"], io)).toBe(0);
    const plan = JSON.parse(io.out);
    expect(plan.prices.azure).toEqual({ source: "cache", asOf: "2026-07-20", stale: true });
    expect(io.err).toMatch(/^warning: azure: using cached prices fetched 2026-07-20 \(\d+ days old\), older than the 24 h TTL/);
  });
});
