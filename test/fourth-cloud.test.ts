/**
 * A fourth cloud is one folder plus one registry line (test/fixtures/fourth-cloud): the spec
 * schema, the catalog file, the optimizer and the CLI take it with no edit anywhere else, because
 * the core receives the cloud list as an argument.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { cliWith } from "./helpers/cli";
import { CLOUDS } from "../clouds/registry";
import { FOUR_CLOUDS } from "./fixtures/fourth-cloud/registry";
import { parseCatalogCsv, validateSpec, planWorkload, type Plan } from "../core";
import { validateBackupSpec } from "../core/backup";
import { loadStoragePrices } from "../core/backup/prices";
import { catalogCsv, offer } from "./helpers/catalog";

const OFFERS = [
  offer({ provider: "aws", region: "us-east-1", instanceType: "m7i.xlarge", vcpu: 4, memoryGiB: 16, onDemandHourlyUsd: 0.2016 }),
  offer({ provider: "oci", region: "us-ashburn-1", instanceType: "VM.Standard.E5.Flex.4", vcpu: 4, memoryGiB: 16, onDemandHourlyUsd: 0.12 }),
  offer({ provider: "oci", region: "eu-frankfurt-1", instanceType: "VM.Standard.E5.Flex.4", vcpu: 4, memoryGiB: 16, onDemandHourlyUsd: 0.125 }),
  // Cheapest of all, but burstable by OCI's own rule (the adapter's, not a column of the file).
  offer({ provider: "oci", region: "us-ashburn-1", instanceType: "VM.Standard.E2.1.Micro", vcpu: 4, memoryGiB: 16, onDemandHourlyUsd: 0.01 }),
];
const SPEC = {
  name: "api",
  demand: { replicas: 8, cpu: 2, memoryGiB: 8 },
  providers: { aws: { regions: ["us-east-1"] }, oci: {} },
  constraints: { minProviders: 2, maxProviderShare: 0.75 },
};

function scenario(): { dir: string; spec: string; catalog: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mc-oci-"));
  const catalog = path.join(dir, "prices.csv");
  // No burstable column: each provider's own rule decides.
  fs.writeFileSync(catalog, catalogCsv(OFFERS));
  const spec = path.join(dir, "workload.json");
  fs.writeFileSync(spec, JSON.stringify(SPEC));
  return { dir, spec, catalog };
}

const cli = (argv: string[]) => cliWith(FOUR_CLOUDS, argv);

describe("a fourth cloud from one folder and one registry line", () => {
  it("plans across it from the CLI: exact, the burstable rule applied, the constraints held", async () => {
    const { spec, catalog } = scenario();
    const { code, stdout, stderr } = await cli(["plan", spec, "--catalog", catalog, "--offline", "--format", "json"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const plan = JSON.parse(stdout) as Plan;
    // 8 replicas, 2 per instance; at most 6 on one provider: 3 oci instances in Ashburn, 1 aws.
    expect(plan.allocations.map((a) => [a.provider, a.region, a.instanceType, a.count])).toEqual([
      ["aws", "us-east-1", "m7i.xlarge", 1],
      ["oci", "us-ashburn-1", "VM.Standard.E5.Flex.4", 3],
    ]);
    expect(plan.totals.monthlyUsd).toBeCloseTo((0.2016 + 3 * 0.12) * 730, 2);
    expect(plan.prices.oci).toMatchObject({ source: "file" });
  });

  it("gives the spec schema a providers.oci key, with did-you-mean for a typo", () => {
    const catalog = parseCatalogCsv(catalogCsv(OFFERS), "prices.csv", "2026-11-01", FOUR_CLOUDS);
    expect(() => validateSpec({ ...SPEC, providers: { aws: {}, ocx: {} } }, catalog, FOUR_CLOUDS)).toThrow(/providers\.ocx: .*oci/);
    expect(validateSpec(SPEC, catalog, FOUR_CLOUDS).providers.oci).toEqual({ discount: 0 });
  });

  it("plans in process the same as the CLI", async () => {
    const catalog = parseCatalogCsv(catalogCsv(OFFERS), "prices.csv", "2026-11-01", FOUR_CLOUDS);
    const plan = await planWorkload(SPEC, catalog, FOUR_CLOUDS);
    expect(plan.allocations.filter((a) => a.provider === "oci").reduce((n, a) => n + a.replicas, 0)).toBe(6);
  });

  it("is unknown to the real registry, which names the clouds it has", () => {
    expect(() => parseCatalogCsv(catalogCsv(OFFERS), "prices.csv", "2026-11-01", CLOUDS)).toThrow(/column provider: expected one of aws, azure, gcp/);
    const catalog = parseCatalogCsv(catalogCsv(OFFERS.filter((o) => o.provider === "aws")), "prices.csv", "2026-11-01", CLOUDS);
    expect(() => validateSpec(SPEC, catalog, CLOUDS)).toThrow(/providers\.oci/);
  });

  it("adds its own piece to a backup source: its fields are its own, named when used on another cloud", () => {
    const prices = loadStoragePrices();
    const now = new Date("2026-11-28T00:00:00Z");
    const input = { source: { provider: "aws", region: "us-east-1", bucket: "orders", namespace: "x" }, sizeGiB: 10, dailyChangeGiB: 1 };
    expect(() => validateBackupSpec(input, { clouds: FOUR_CLOUDS, prices, now })).toThrow(/source\.namespace: is not a field of a aws source/);
    // The real registry has no such field at all.
    expect(() => validateBackupSpec(input, { clouds: CLOUDS, prices, now })).toThrow(/source.*namespace/);
  });
});
