/**
 * Tests for the embedded price snapshot: the three builders on tiny crafted source folders (same
 * headers as the real tables), the writer's round trip through the loader, and the committed
 * data/snapshot/catalog.json.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, it, expect } from "vitest";
import { buildAwsSnapshot } from "../clouds/aws/snapshot";
import { buildAzureSnapshot } from "../clouds/azure/snapshot";
import { buildGcpSnapshot } from "../clouds/gcp/snapshot";
import { CLOUDS } from "../clouds/registry";
import type { SnapshotBuild } from "../core/clouds/adapter";
import { median, round } from "../core/clouds/snapshot-helpers";
import type { InstanceOffer } from "../core/catalog/offer";
import { parseSnapshot, SNAPSHOT_PATH } from "../core/catalog/snapshot";
import type { SnapshotFile } from "../core/catalog/snapshot-format";
import { renderSnapshot, toSnapshotFile } from "../scripts/build-snapshot";

const AWS_2024 = `region,instance_type,vcpu,memory_gib,gpu,arch,current_generation,ondemand_usd_per_hour,spot_avg_usd_per_hour
us-east-1,m7i.xlarge,4,16.0,0,x86_64,True,0.25,0.09
us-east-1,p5.48xlarge,192,2048.0,8,x86_64,True,0,0.000000
us-east-1,t3.micro,2,1.0,0,x86_64,True,0.0104,0.0031
eu-west-1,p5.48xlarge,192,2048.0,8,x86_64,True,0,0.000000
eu-west-1,m7i.xlarge,4,16.0,0,x86_64,True,0.2112,
eu-west-1,c5.large,2,4.0,0,x86_64,True,0.096,
eu-west-1,g3.4xlarge,16,122.0,1,x86_64,True,1.21,0.5
eu-west-1,g5.xlarge,4,16.0,1,x86_64,True,1.123,0.4
eu-west-1,g4dn.xlarge,4,16.0,1,x86_64,True,0.587,0.2
eu-west-1,g5g.xlarge,4,8.0,1,arm64,True,0.468,0.15
eu-west-1,g6e.xlarge,4,32.0,1,x86_64,True,2.0,0.8
eu-west-1,p4d.24xlarge,96,1152.0,8,x86_64,True,35.4,12.1
eu-west-1,p3.2xlarge,8,61.0,1,x86_64,True,3.3,1.0
eu-west-1,inf2.xlarge,4,16.0,0,x86_64,True,0.83,0.3
us-east-1-atl-1,m7i.xlarge,4,16.0,0,x86_64,True,0.24,0.1
us-west-2-wl1-las1,m7i.xlarge,4,16.0,0,x86_64,True,0.24,0.1
ap-northeast-1-wl1-kix1,c5.large,2,4.0,0,x86_64,True,0.12,0.05
`;

const AWS_2026 = `region,instance_type,vcpu,memory_gib,gpu,arch,ondemand_usd_per_hour,spec_source
us-east-1,m7i.xlarge,4,16.0,0,amd64,0.2016,karpenter-instance-types.md
us-east-1,p5.48xlarge,192,2048.0,8,amd64,55.04,karpenter-instance-types.md
us-east-1,p5en.48xlarge,192,2048.0,8,amd64,63.296,karpenter-instance-types.md
us-east-1,g3.4xlarge,,,,,1.14,
us-east-1,inf2.xlarge,4,16.0,1,amd64,0.7582,karpenter-instance-types.md
us-east-1,mac2.metal,12,16.0,0,arm64,0.65,karpenter-instance-types.md
us-gov-west-1,m7i.xlarge,4,16.0,0,amd64,0.2534,karpenter-instance-types.md
`;

const AWS_ADVISOR = `region,os,instance_type,vcpu,memory_gib,spot_savings_pct_vs_ondemand,interruption_frequency
us-east-1,Linux,p5.48xlarge,192,2048.0,52,>20%
us-east-1,Linux,m7i.xlarge,4,16.0,70,<5%
eu-west-1,Linux,m7i.xlarge,4,16.0,60,<5%
eu-west-1,Windows,c5.large,2,4.0,70,<5%
eu-west-1,Linux,p5.48xlarge,192,2048.0,-62,>20%
`;

/** Three regions of one constant-shape family, plus a B-series family where B1s is always cheap per vCPU. */
function azureRegion(region: string, d2Price: number): string {
  return [
    `${region},Standard_D2as_v5,2,8.0,0,amd64,standardDASv5Family,${d2Price},${d2Price},0`,
    `${region},Standard_D4as_v5,4,16.0,0,amd64,standardDASv5Family,0.172,0.172,0`,
    `${region},Standard_D8as_v5,8,32.0,0,amd64,standardDASv5Family,0.344,0.344,0`,
    `${region},Standard_D16as_v5,16,64.0,0,amd64,standardDASv5Family,0.688,0.688,0`,
    `${region},Standard_B1s,1,1.0,0,amd64,standardBSFamily,0.0104,0.0104,0`,
    `${region},Standard_B2ms,2,8.0,0,amd64,standardBSFamily,0.0832,0.0832,0`,
    `${region},Standard_B4ms,4,16.0,0,amd64,standardBSFamily,0.166,0.166,0`,
  ].join("\n");
}

const AZURE = `region,arm_sku_name,vcpu,memory_gib,gpu,arch,sku_family,ondemand_usd_per_hour_2026_06_18,min_over_4_generations_2025_05_to_2026_06,generations_disagree
${azureRegion("northeurope", 0.086)}
${azureRegion("westus", 0.3)}
eastus,Standard_D2as_v5,2,8.0,0,amd64,standardDASv5Family,0.178,0.086,1
eastus,Standard_D4as_v5,4,16.0,0,amd64,standardDASv5Family,0.172,0.172,0
eastus,Standard_D2ps_v5,2,8.0,0,arm64,standardDPSv5Family,0.077,0.077,0
eastus,Standard_D2s_v6,,,,,,0.096,0.096,0
eastus,Basic_A1,,,,,,0.032,0.032,0
eastus,Standard_D2ds_v5,2,8.0,0,amd64,standardDDSv5Family,0.0,0.0,0
eastus,Standard_NC24ads_A100_v4,24,220.0,1,amd64,StandardNCADSA100v4Family,3.673,3.673,0
eastus,Standard_ND96isr_H100_v5,96,1900.0,8,amd64,standardNDSH100v5Family,98.32,98.32,0
eastus,Standard_NC6s_v3,6,112.0,1,amd64,standardNCSv3Family,3.06,3.06,0
eastus,Standard_NV12s_v3,12,112.0,1,amd64,standardNVSv3Family,1.14,1.14,0
eastus,Standard_NC4as_T4_v3,4,28.0,1,amd64,Standard NCASv3_T4 Family,0.526,0.526,0
eastus,Standard_NP10s,10,168.0,1,amd64,standardNPSFamily,1.65,1.65,0
eastus,Standard_NV6ads_A10_v5,6,55.0,1,amd64,StandardNVADSA10v5Family,0.454,0.454,0
eastus,Standard_NV36ads_A10_v5,36,440.0,1,amd64,StandardNVADSA10v5Family,3.2,3.2,0
northeurope,Standard_F4ams_v6,4,32.0,0,amd64,StandardFamsv6Family,0.4,0.4,0
westus,Standard_F4ams_v6,4,32.0,0,amd64,StandardFamsv6Family,0.38,0.38,0
eastus,Standard_F4ams_v6,4,32.0,0,amd64,StandardFamsv6Family,0.36,0.36,0
newzealandnorth,Standard_F4ams_v6,4,32.0,0,amd64,StandardFamsv6Family,0.0449,0.0449,0
newzealandnorth,Standard_F8ams_v6,8,64.0,0,amd64,StandardFamsv6Family,0.0898,0.0898,0
`;

const GCP = `InstanceType,vCPUs,MemoryGiB,AcceleratorName,AcceleratorCount,Region,Price,SpotPrice
c4a-standard-4,4,16,,,us-central1,0.1796,0.0717
t2a-standard-1,1,4,,,us-central1,0.0385,0.0115
n4a-standard-2,2,8,,,us-central1,0.0862,0.0301
n2-standard-2,2,8,,,us-central1,0.097118,0.023505
n2-standard-2,2,8,,,europe-west1,0.106848,0.0259
c3d-standard-4,4,16,,,us-central1,0.181,0.0651
e2-micro,0.25,1,,,us-central1,0.00838,0.0025
custom-1-7680-ext,1,7.5,,,us-central1,0.073217025,0.00659
a2-highgpu-1g,12,85,a100,1,us-central1,3.673385,1.1
a2-ultragpu-1g,12,170,a100-80gb,1,us-central1,5.0688,1.6
a3-highgpu-8g,208,1872,h100-80gb,8,us-central1,88.25,
g2-standard-4,4,16,l4,1,us-central1,0.7068,0.2827
g4-standard-12,12,45,rtx6000,0.25,us-central1,1.46,0.58
m2-ultramem-208,208,5888,,,us-central1,42.186,0
`;

/** Writes the crafted tables to a fresh temp folder laid out like ../shared/pricing-sources. */
function sourcesDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "snapshot-sources-"));
  const files: Record<string, string> = {
    "aws/ec2-ondemand-spot-2024-04.csv": AWS_2024,
    "aws/ec2-ondemand-us-east-1-and-gov-2026-07.csv": AWS_2026,
    "aws/spot-advisor-savings-2025-06.csv": AWS_ADVISOR,
    "azure/vm-ondemand-2026-06.csv": AZURE,
    "gcp/vms-2026-07.csv": GCP,
  };
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

const DIR = sourcesDir();
afterAll(() => fs.rmSync(DIR, { recursive: true, force: true }));

function find(rows: readonly InstanceOffer[], region: string, instanceType: string): InstanceOffer | undefined {
  return rows.find((r) => r.region === region && r.instanceType === instanceType);
}

function get(rows: readonly InstanceOffer[], region: string, instanceType: string): InstanceOffer {
  const row = find(rows, region, instanceType);
  if (!row) throw new Error(`no row ${region}/${instanceType}`);
  return row;
}

describe("helpers", () => {
  it("rounds away float noise and takes medians", () => {
    expect(round(0.1 + 0.2, 8)).toBe(0.3);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
  });
});

describe("buildAwsSnapshot", () => {
  const build = buildAwsSnapshot(DIR);
  const rows = build.rows;

  it("prefers the 2026 on-demand price over the 2024 one, keeping the observed 2024 spot", () => {
    const r = get(rows, "us-east-1", "m7i.xlarge");
    expect(r.onDemandHourlyUsd).toBe(0.2016);
    expect(r.spotHourlyUsd).toBe(0.09);
    expect(r.spotEstimated).toBe(false);
    expect(r.arch).toBe("x86_64"); // amd64 normalised
  });

  it("treats a 0 price as missing: falls back to 2026, or drops the row when no table has one", () => {
    expect(get(rows, "us-east-1", "p5.48xlarge").onDemandHourlyUsd).toBe(55.04);
    expect(find(rows, "eu-west-1", "p5.48xlarge")).toBeUndefined();
  });

  it("estimates spot from the Linux advisor savings and marks it estimated", () => {
    const p5 = get(rows, "us-east-1", "p5.48xlarge");
    expect(p5.spotHourlyUsd).toBe(26.4192); // 55.04 x (1 - 0.52)
    expect(p5.spotEstimated).toBe(true);
    const m7i = get(rows, "eu-west-1", "m7i.xlarge");
    expect(m7i.spotHourlyUsd).toBe(0.08448); // 0.2112 x (1 - 0.60), no float noise
    expect(m7i.spotEstimated).toBe(true);
    // Windows advisor rows are ignored: no observed or estimated spot.
    expect(get(rows, "eu-west-1", "c5.large").spotHourlyUsd).toBeNull();
  });

  it("drops local and wavelength zones and says so", () => {
    const regions = [...new Set(rows.map((r) => r.region))].sort();
    expect(regions).toEqual(["eu-west-1", "us-east-1", "us-gov-west-1"]);
    expect(build.notes.join("\n")).toMatch(/local or wavelength zone.*: 3 /);
  });

  it("maps GPU families to models, and non-GPU accelerators to gpus 0", () => {
    const model = (region: string, t: string): [number, string | null] => [get(rows, region, t).gpus, get(rows, region, t).gpuType];
    expect(model("us-east-1", "p5.48xlarge")).toEqual([8, "h100"]);
    expect(model("us-east-1", "p5en.48xlarge")).toEqual([8, "h200"]);
    expect(model("eu-west-1", "p4d.24xlarge")).toEqual([8, "a100"]);
    expect(model("eu-west-1", "p3.2xlarge")).toEqual([1, "v100"]);
    expect(model("eu-west-1", "g5.xlarge")).toEqual([1, "a10g"]);
    expect(model("eu-west-1", "g5g.xlarge")).toEqual([1, "t4g"]);
    expect(model("eu-west-1", "g4dn.xlarge")).toEqual([1, "t4"]);
    expect(model("eu-west-1", "g6e.xlarge")).toEqual([1, "l40s"]);
    expect(model("eu-west-1", "m7i.xlarge")).toEqual([0, null]);
    expect(model("us-east-1", "inf2.xlarge")).toEqual([0, null]);
    expect(model("eu-west-1", "inf2.xlarge")).toEqual([0, null]);
  });

  it("fills a 2026 row's missing specs from the same type elsewhere, and drops mac hosts", () => {
    expect(get(rows, "us-east-1", "g3.4xlarge")).toMatchObject({ vcpu: 16, memoryGiB: 122, gpus: 1, gpuType: "m60", onDemandHourlyUsd: 1.14 });
    expect(rows.some((r) => r.instanceType.startsWith("mac"))).toBe(false);
  });

  it("dates each region by its oldest price", () => {
    expect(build.asOf).toBe("2024-04");
    // us-east-1 uses 2024 spot prices, so it cannot claim 2026; GovCloud is 2026 only.
    expect(build.regionAsOf).toEqual({ "us-gov-west-1": "2026-07-20" });
  });
});

describe("buildAzureSnapshot", () => {
  const build = buildAzureSnapshot(DIR);
  const rows = build.rows;
  const notes = build.notes.join("\n");

  it("uses the minimum-over-generations price, not the latest (Windows-level) one", () => {
    expect(get(rows, "eastus", "Standard_D2as_v5").onDemandHourlyUsd).toBe(0.086);
  });

  it("drops rows without specs or price and counts them", () => {
    expect(find(rows, "eastus", "Standard_D2s_v6")).toBeUndefined();
    expect(find(rows, "eastus", "Basic_A1")).toBeUndefined();
    expect(find(rows, "eastus", "Standard_D2ds_v5")).toBeUndefined();
    expect(notes).toMatch(/no vCPU\/memory.*: 2 /);
    expect(notes).toMatch(/no price.*: 1 /);
  });

  it("drops a size priced far below the same size elsewhere, even when its whole family is off in that region", () => {
    // Both F*ams_v6 rows in newzealandnorth are ~1/8 of the usual price, so the family check sees nothing odd.
    expect(find(rows, "newzealandnorth", "Standard_F4ams_v6")).toBeUndefined();
    expect(get(rows, "eastus", "Standard_F4ams_v6").onDemandHourlyUsd).toBe(0.36);
    // Seen in one region only: no median to judge it by, so it stays.
    expect(get(rows, "newzealandnorth", "Standard_F8ams_v6").onDemandHourlyUsd).toBe(0.0898);
    expect(notes).toMatch(/dropped as underpriced.*: 1 \(newzealandnorth Standard_F4ams_v6 \$0\.0449\/h\)/);
  });

  it("normalises amd64 to x86_64 and keeps arm64", () => {
    expect(get(rows, "eastus", "Standard_D4as_v5").arch).toBe("x86_64");
    expect(get(rows, "eastus", "Standard_D2ps_v5").arch).toBe("arm64");
  });

  it("flags per-vCPU outliers, dropping only the clearly wrong ones", () => {
    // westus D2as_v5 costs 3.5x its family per vCPU, where the same size is in line elsewhere.
    expect(find(rows, "westus", "Standard_D2as_v5")).toBeUndefined();
    // B1s is always ~0.25x its family (1 GiB per vCPU): flagged in every region, kept.
    expect(get(rows, "westus", "Standard_B1s").onDemandHourlyUsd).toBe(0.0104);
    expect(notes).toMatch(/outliers flagged.*: 3$/m);
    expect(notes).toMatch(/dropped as clearly wrong.*: 1: westus Standard_D2as_v5/);
  });

  it("takes GPU models from the SKU name and leaves out FPGA and fractional-GPU sizes", () => {
    const model = (t: string): [number, string | null] => [get(rows, "eastus", t).gpus, get(rows, "eastus", t).gpuType];
    expect(model("Standard_NC24ads_A100_v4")).toEqual([1, "a100"]);
    expect(model("Standard_ND96isr_H100_v5")).toEqual([8, "h100"]);
    expect(model("Standard_NC6s_v3")).toEqual([1, "v100"]);
    expect(model("Standard_NV12s_v3")).toEqual([1, "m60"]);
    expect(model("Standard_NC4as_T4_v3")).toEqual([1, "t4"]);
    expect(model("Standard_NV36ads_A10_v5")).toEqual([1, "a10"]);
    expect(find(rows, "eastus", "Standard_NP10s")).toBeUndefined();
    expect(find(rows, "eastus", "Standard_NV6ads_A10_v5")).toBeUndefined();
  });

  it("has no spot prices", () => {
    expect(rows.every((r) => r.spotHourlyUsd === null && !r.spotEstimated)).toBe(true);
    expect(build.asOf).toBe("2026-06-18");
  });
});

describe("buildGcpSnapshot", () => {
  const build = buildGcpSnapshot(DIR);
  const rows = build.rows;

  it("marks the Arm families arm64 and the rest x86_64", () => {
    expect(get(rows, "us-central1", "c4a-standard-4").arch).toBe("arm64");
    expect(get(rows, "us-central1", "t2a-standard-1").arch).toBe("arm64");
    expect(get(rows, "us-central1", "n4a-standard-2").arch).toBe("arm64");
    expect(get(rows, "us-central1", "n2-standard-2").arch).toBe("x86_64");
    expect(get(rows, "us-central1", "c3d-standard-4").arch).toBe("x86_64");
  });

  it("drops custom and fractional-GPU types", () => {
    expect(rows.some((r) => r.instanceType.startsWith("custom"))).toBe(false);
    expect(find(rows, "us-central1", "g4-standard-12")).toBeUndefined();
  });

  it("keeps accelerator names and counts", () => {
    expect(get(rows, "us-central1", "a2-highgpu-1g")).toMatchObject({ gpus: 1, gpuType: "a100" });
    expect(get(rows, "us-central1", "a2-ultragpu-1g")).toMatchObject({ gpus: 1, gpuType: "a100" }); // memory variants fold into the cross-cloud model name
    expect(get(rows, "us-central1", "a3-highgpu-8g")).toMatchObject({ gpus: 8, gpuType: "h100" });
    expect(get(rows, "us-central1", "g2-standard-4")).toMatchObject({ gpus: 1, gpuType: "l4" });
    expect(get(rows, "us-central1", "n2-standard-2")).toMatchObject({ gpus: 0, gpuType: null });
  });

  it("uses observed spot prices, null when empty or 0", () => {
    expect(get(rows, "us-central1", "n2-standard-2")).toMatchObject({ spotHourlyUsd: 0.023505, spotEstimated: false });
    expect(get(rows, "us-central1", "a3-highgpu-8g").spotHourlyUsd).toBeNull();
    expect(get(rows, "us-central1", "m2-ultramem-208").spotHourlyUsd).toBeNull();
  });
});

describe("snapshot writer", () => {
  // The builders are called directly: the adapters load them with a lazy require() of a .ts file,
  // which works under tsx (the script) but not in vitest's module runner.
  const builders: Record<string, (dir: string) => SnapshotBuild> = { aws: buildAwsSnapshot, azure: buildAzureSnapshot, gcp: buildGcpSnapshot };
  const builds = CLOUDS.adapters.map((adapter) => ({ adapter, build: builders[adapter.name]!(DIR) }));

  it("round-trips through the loader, with burstable from each adapter's rule", () => {
    const text = renderSnapshot(toSnapshotFile(builds));
    const catalog = parseSnapshot(text);
    const expected = builds.flatMap(({ adapter, build }) => build.rows.map((r) => ({ ...r, burstable: adapter.isBurstable(r.instanceType) })));
    expect(catalog.offers).toEqual(expected);
    const burstable = catalog.offers.filter((o) => o.burstable).map((o) => `${o.provider}/${o.instanceType}`);
    expect([...new Set(burstable)].sort()).toEqual(["aws/t3.micro", "azure/Standard_B1s", "azure/Standard_B2ms", "azure/Standard_B4ms", "gcp/e2-micro"]);
    expect(catalog.provenance.aws).toEqual({ source: "snapshot", asOf: "2024-04", regionAsOf: { "us-gov-west-1": "2026-07-20" } });
  });

  it("is deterministic and puts each type and region on its own line", () => {
    const a = renderSnapshot(toSnapshotFile(builds));
    const b = renderSnapshot(toSnapshotFile([...builds].reverse()));
    expect(a).toBe(b);
    expect(a).toMatch(/^ {8}\["m7i\.xlarge",4,16,0,null,"x86_64",0\],?$/m);
    // Prices as columns (snapshot-format.ts, schema 2), the whole region on one line.
    expect(a).toMatch(/^ {8}"us-east-1": \{"type":\[[\d,]+\],"onDemandHourlyUsd":\[.*\],"spotHourlyUsd":\[.*\],"spotEstimated":\[[01,]+\]\},?$/m);
  });
});

describe("committed data/snapshot/catalog.json", () => {
  const text = fs.readFileSync(SNAPSHOT_PATH, "utf8");
  const catalog = parseSnapshot(text);

  it("parses and covers all three providers with many regions each", () => {
    expect(Object.keys(catalog.provenance)).toEqual(["aws", "azure", "gcp"]);
    for (const provider of ["aws", "azure", "gcp"]) {
      const regions = new Set(catalog.offers.filter((o) => o.provider === provider).map((o) => o.region));
      expect(regions.size).toBeGreaterThan(20);
    }
  });

  it("has the 2026 us-east-1 m7i.xlarge price", () => {
    const m7i = catalog.offers.find((o) => o.provider === "aws" && o.region === "us-east-1" && o.instanceType === "m7i.xlarge");
    expect(m7i).toMatchObject({ onDemandHourlyUsd: 0.2016, vcpu: 4, memoryGiB: 16, arch: "x86_64", burstable: false });
  });

  it("has no AWS local zones", () => {
    const awsRegions = new Set(catalog.offers.filter((o) => o.provider === "aws").map((o) => o.region));
    for (const r of awsRegions) expect(r).toMatch(/^[a-z]{2}(-gov)?-[a-z]+-\d+$/);
  });

  it("is in the writer's canonical layout (so rebuilding gives no spurious diff)", () => {
    expect(renderSnapshot(JSON.parse(text) as SnapshotFile)).toBe(text);
  });

  it("ships an attribution naming every source file", () => {
    const attribution = fs.readFileSync(path.join(path.dirname(SNAPSHOT_PATH), "ATTRIBUTION.md"), "utf8");
    for (const file of ["ec2-ondemand-spot-2024-04.csv", "ec2-ondemand-us-east-1-and-gov-2026-07.csv", "spot-advisor-savings-2025-06.csv", "vm-ondemand-2026-06.csv", "vms-2026-07.csv"]) {
      expect(attribution).toContain(file);
    }
    expect(attribution).toContain("not the raw files");
  });
});
