/** The user catalog CSV: row-by-row validation naming line and column, and provider override. */
import { describe, expect, it } from "vitest";
import { parseCatalogCsv, overrideCatalog, UserError } from "../core";
import { catalogCsv, catalogOf, offer } from "./helpers/catalog";
import { CLOUDS } from "../clouds/registry";

const HEADER = "provider,region,instanceType,vcpu,memoryGiB,gpus,gpuType,arch,onDemandHourlyUsd,spotHourlyUsd";

function problems(text: string): string[] {
  try {
    parseCatalogCsv(text, "prices.csv", "2026-11-01", CLOUDS);
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return [...(err as UserError).problems];
  }
  throw new Error("expected the catalog to be rejected");
}

describe("catalog CSV", () => {
  it("parses rows, infers burstable from the cloud's naming rule, and dates prices", () => {
    const catalog = parseCatalogCsv(
      `${HEADER}\naws,us-east-1,t3.large,2,8,0,,x86_64,0.0832,0.03\naws,us-east-1,m7i.large,2,8,0,,x86_64,0.1008,\ngcp,us-central1,a2-highgpu-1g,12,85,1,A100,x86_64,3.67,1.1\n`,
      "prices.csv",
      "2026-11-01", CLOUDS,
    );
    expect(catalog.offers.map((o) => [o.instanceType, o.burstable, o.spotHourlyUsd, o.gpuType])).toEqual([
      ["m7i.large", false, null, null],
      ["t3.large", true, 0.03, null],
      ["a2-highgpu-1g", false, 1.1, "a100"],
    ]);
    expect(catalog.provenance).toEqual({ aws: { source: "file", asOf: "2026-11-01" }, gcp: { source: "file", asOf: "2026-11-01" } });
  });

  it("takes an explicit burstable column over the naming rule", () => {
    const catalog = parseCatalogCsv(`${HEADER},burstable\naws,us-east-1,t3.large,2,8,0,,x86_64,0.0832,,false\n`, "prices.csv", "2026-11-01", CLOUDS);
    expect(catalog.offers[0]!.burstable).toBe(false);
  });

  it("names the line and the column of every bad cell", () => {
    expect(
      problems(`${HEADER}\naws,us-east-1,m7i.large,two,8,0,,x86_64,0.1008,\nazur,eastus,D2,2,8,0,,amd64,-1,\ngcp,us-central1,g2-standard-4,4,16,1,,x86_64,0.7,abc\n`),
    ).toEqual([
      'prices.csv:2: column vcpu: expected a number > 0 and <= 100000 (fractions for shared-core types, e.g. 0.25), got "two"',
      'prices.csv:3: column provider: expected one of aws, azure, gcp (did you mean "azure"?), got "azur"',
      'prices.csv:3: column arch: expected one of x86_64, arm64, got "amd64"',
      'prices.csv:3: column onDemandHourlyUsd: expected a price in $/hour > 0 and <= 10000, got "-1"',
      // A GPU the source does not name (empty gpuType) is valid: it plans as "unnamed".
      'prices.csv:4: column spotHourlyUsd: expected a price in $/hour > 0 and <= 10000, or empty when there is no spot offer, got "abc"',
    ]);
  });

  it("rejects a wrong header, short rows and duplicates", () => {
    expect(problems("provider,region,type\naws,us-east-1,m7i.large\n")[0]).toMatch(/^prices\.csv:1: expected the header "provider,region,instanceType,/);
    expect(problems(`${HEADER}\naws,us-east-1,m7i.large,2,8\n`)).toEqual(["prices.csv:2: expected 10 columns, got 5"]);
    expect(problems(`${HEADER}\naws,us-east-1,m7i.large,2,8,0,,x86_64,0.1,\naws,us-east-1,m7i.large,2,8,0,,x86_64,0.2,\n`)).toEqual([
      "prices.csv:3: aws/us-east-1/m7i.large is listed twice (first on line 2)",
    ]);
  });

  it("replaces every other source for the providers it lists, and only those", () => {
    const base = catalogOf([
      offer({ provider: "aws", region: "us-east-1", instanceType: "m7i.large" }),
      offer({ provider: "gcp", region: "us-central1", instanceType: "n2-standard-2" }),
    ]);
    const file = parseCatalogCsv(catalogCsv([offer({ provider: "aws", region: "eu-west-1", instanceType: "m7g.large", onDemandHourlyUsd: 0.05 })]), "f.csv", "2026-11-01", CLOUDS);
    const merged = overrideCatalog(base, file);
    expect(merged.offers.map((o) => `${o.provider}/${o.region}/${o.instanceType}`)).toEqual(["aws/eu-west-1/m7g.large", "gcp/us-central1/n2-standard-2"]);
    expect(merged.provenance.aws!.source).toBe("file");
    expect(merged.provenance.gcp!.source).toBe("file");
  });
});
