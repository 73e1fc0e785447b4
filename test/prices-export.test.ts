/**
 * `multicloud prices export`: the prices a plan would use, as a catalog file that `--catalog` reads
 * back to the same plans (DESIGN.md "Price catalog file"; issue 12).
 */
import { beforeAll, describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { catalogToCsv, parseCatalogCsv } from "../core/catalog/csv";
import { loadSnapshot } from "../core/catalog/snapshot";
import { CLOUDS } from "../clouds/registry";
import { offer } from "./helpers/catalog";
import { cli } from "./helpers/cli";


let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "mc-export-"));
  // An empty cache: the export and the plans all read the embedded snapshot, whatever this machine cached.
  process.env.MULTICLOUD_CACHE_DIR = path.join(dir, "cache");
  delete process.env.MULTICLOUD_LIVE;
});

const REGIONS = "us-east-1,us-west-2,eastus,us-central1";

const SPECS: Record<string, string> = {
  // The README's example workload.
  web: fs.readFileSync(path.resolve(__dirname, "../examples/web/workload.yaml"), "utf8"),
  // Fractional vCPUs (e2-micro 0.25) and burstable types.
  tiny: "name: tiny\ndemand: { replicas: 6, cpu: 0.25, memoryGiB: 0.5 }\ninstance: { allowBurstable: true }\nproviders: { gcp: { regions: [us-central1] }, aws: { regions: [us-east-1] } }\n",
  // GPUs, spot and all three clouds.
  gpu: "name: infer\ndemand: { replicas: 8, cpu: 4, memoryGiB: 16, gpus: 1 }\ninstance: { gpuType: l4 }\nproviders: { aws: { regions: [us-east-1, us-west-2] }, gcp: { regions: [us-central1] }, azure: { regions: [eastus] } }\nconstraints: { minProviders: 2, maxSpotShare: 0.5 }\n",
};

/** The plan JSON without what legitimately differs: timing, and where the prices came from. */
function comparable(json: string): string {
  const plan = JSON.parse(json);
  plan.solver.ms = 0;
  for (const p of Object.keys(plan.prices)) plan.prices[p] = { source: "-", asOf: "-" };
  return JSON.stringify(plan, null, 2);
}

describe("multicloud prices export", () => {
  it("exports the embedded snapshot for a region set as a catalog that plans byte-identically", async () => {
    const file = path.join(dir, "exported.csv");
    const exported = await cli("prices", "export", "--regions", REGIONS, "--offline", "--out", file);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toBe("");
    expect(exported.stderr).toMatch(/^wrote \d+ offers \(aws snapshot [\d-]+, azure snapshot [\d-]+, gcp snapshot [\d-]+\) to .*exported\.csv\n$/);
    const text = fs.readFileSync(file, "utf8");
    expect(text.split("\n")[0]).toBe("provider,region,instanceType,vcpu,memoryGiB,gpus,gpuType,arch,onDemandHourlyUsd,spotHourlyUsd,burstable");
    expect(text).toMatch(/^gcp,us-central1,e2-micro,0\.25,1,0,,x86_64,[\d.]+,[\d.]*,true$/m);
    // Exactly the snapshot's offers in those regions, every field but spotEstimated kept.
    const regions = new Set(REGIONS.split(","));
    const strip = ({ spotEstimated: _s, ...o }: { spotEstimated: boolean }) => o;
    const expected = loadSnapshot().offers.filter((o) => regions.has(o.region)).map((o) => strip({ ...o }));
    expect(parseCatalogCsv(text, file, "2026-11-01", CLOUDS).offers.map((o) => strip({ ...o }))).toEqual(expected);

    for (const [name, yaml] of Object.entries(SPECS)) {
      const spec = path.join(dir, `${name}.yaml`);
      fs.writeFileSync(spec, yaml);
      const fromSnapshot = await cli("plan", spec, "--offline", "--format", "json");
      const fromFile = await cli("plan", spec, "--offline", "--catalog", file, "--format", "json");
      expect(fromSnapshot.code, `${name}: ${fromSnapshot.stderr}`).toBe(0);
      expect(fromFile.code, `${name}: ${fromFile.stderr}`).toBe(0);
      expect(fromFile.stderr).toBe("");
      expect(JSON.parse(fromFile.stdout).prices).toEqual(Object.fromEntries(Object.keys(JSON.parse(fromSnapshot.stdout).prices).map((p) => [p, { source: "file", asOf: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) }])));
      expect(comparable(fromFile.stdout), name).toBe(comparable(fromSnapshot.stdout));
    }

    // Exporting what was read back from the file gives the same file.
    const again = await cli("prices", "export", "--regions", REGIONS, "--offline", "--catalog", file);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(text);
  });

  it("writes to stdout by default, and narrows to one provider and its regions", async () => {
    const { code, stdout, stderr } = await cli("prices", "export", "--provider", "gcp", "--regions", "us-central1", "--offline");
    expect(code).toBe(0);
    expect(stderr).toBe("");
    const rows = stdout.trimEnd().split("\n").slice(1);
    expect(rows.length).toBe(loadSnapshot().offers.filter((o) => o.provider === "gcp" && o.region === "us-central1").length);
    expect(rows.every((r) => r.startsWith("gcp,us-central1,"))).toBe(true);
  });

  it.each([
    [["--provider", "gpc"], /^error: --provider: unknown provider "gpc" \(did you mean "gcp"\?\)/],
    [["--regions", "us-east-9"], /^error: --regions: unknown region "us-east-9"/],
    [["--provider", "gcp", "--regions", "eastus"], /^error: --regions: unknown region "eastus" for gcp/],
    [["--out", "/nope/dir/prices.csv"], /^error: --out \/nope\/dir\/prices\.csv: the folder \/nope\/dir does not exist\n$/],
  ])("exits 1 with a clear message for %j", async (argv, message) => {
    const { code, stdout, stderr } = await cli("prices", "export", "--offline", ...argv);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toMatch(message);
  });

  it("quotes cells only when needed, and reads them back", () => {
    const offers = [
      offer({ provider: "aws", region: "us-east-1", instanceType: 'odd,"name"', vcpu: 0.25, memoryGiB: 0.5, gpus: 0.125, gpuType: "t4", spotHourlyUsd: 1e-7 }),
      offer({ provider: "aws", region: "us-east-1", instanceType: "t3.micro", vcpu: 2, memoryGiB: 1, burstable: true }),
    ];
    const text = catalogToCsv(offers);
    expect(text).toContain('"odd,""name""",0.25,0.5,0.125,t4,x86_64,0.2,1e-7,false');
    expect(parseCatalogCsv(text, "f.csv", "2026-11-01", CLOUDS).offers).toEqual([...offers].sort((a, b) => (a.instanceType < b.instanceType ? -1 : 1)));
  });
});
