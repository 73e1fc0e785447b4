/** Spec validation: every class of bad input names the field path and what was expected. */
import { describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { validateSpec, loadSpecFile, UserError, specHash } from "../core";
import { catalogOf, offer } from "./helpers/catalog";
import { CLOUDS } from "../clouds/registry";

const catalog = catalogOf([
  offer({ provider: "aws", region: "us-east-1", instanceType: "m7i.xlarge" }),
  offer({ provider: "aws", region: "us-west-2", instanceType: "m7i.xlarge" }),
  offer({ provider: "gcp", region: "us-central1", instanceType: "n2-standard-4" }),
]);

const valid = {
  name: "web",
  demand: { replicas: 4, cpu: 2, memoryGiB: 8 },
  providers: { aws: { regions: ["us-east-1"] }, gcp: {} },
};

function problemsOf(input: unknown): string[] {
  try {
    validateSpec(input, catalog, CLOUDS);
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return [...(err as UserError).problems];
  }
  throw new Error("expected the spec to be rejected");
}

function withSpec(text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mc-spec-"));
  const file = path.join(dir, "workload.yaml");
  fs.writeFileSync(file, text);
  return file;
}

describe("spec validation", () => {
  it("accepts a minimal spec and applies defaults", () => {
    const spec = validateSpec(valid, catalog, CLOUDS);
    expect(spec.demand.gpus).toBe(0);
    expect(spec.instance.arch).toBe("x86_64");
    expect(spec.providers.gcp).toEqual({ discount: 0 });
    expect(spec.scaling).toEqual({ targetCpuUtilization: 60, maxScaleOut: 2 });
  });

  it("rejects an unknown top-level field with a did-you-mean", () => {
    expect(problemsOf({ ...valid, constrains: { minProviders: 2 } })).toEqual([
      'constrains: unknown field (did you mean "constraints"?); expected one of: name, demand, instance, providers, constraints, scaling, compliance, tags, traffic',
    ]);
  });

  it("rejects unknown nested fields and unknown providers", () => {
    const problems = problemsOf({ ...valid, demand: { ...valid.demand, replica: 3 }, providers: { aws: {}, awz: {} } });
    expect(problems).toContain('demand.replica: unknown field (did you mean "replicas"?); expected one of: replicas, cpu, memoryGiB, gpus, fromMetrics');
    expect(problems).toContain('providers.awz: unknown field (did you mean "aws"?); expected one of: aws, azure, gcp');
  });

  it("names the path, the rule and the value for out-of-range numbers", () => {
    const problems = problemsOf({ ...valid, demand: { replicas: 0, cpu: -1, memoryGiB: "8" }, constraints: { maxProviderShare: 1.5 } });
    expect(problems).toEqual(
      expect.arrayContaining([
        "demand.replicas: expected a number >= 1, got 0",
        "demand.cpu: expected a number >= 0.001, got -1",
        'demand.memoryGiB: expected a number, got "8"',
        "constraints.maxProviderShare: expected a number <= 1, got 1.5",
      ]),
    );
  });

  it("reports a missing required field", () => {
    expect(problemsOf({ name: "web", providers: { aws: {} } })).toEqual(["demand: is required (expected a mapping of fields)"]);
  });

  it("checks enum choices", () => {
    expect(problemsOf({ ...valid, instance: { arch: "arm" } })).toEqual(['instance.arch: expected one of x86_64, arm64, any, got "arm" (did you mean "arm64"?)']);
  });

  it("checks regions against the catalog, with a suggestion", () => {
    expect(problemsOf({ ...valid, providers: { aws: { regions: ["us-est-1"] } } })).toEqual([
      'providers.aws.regions[0]: unknown aws region "us-est-1" (did you mean "us-east-1"?)',
    ]);
  });

  it("checks cross-field rules", () => {
    const problems = problemsOf({
      ...valid,
      instance: { minVcpu: 8, maxVcpu: 4, gpuType: "a100" },
      constraints: { minProviders: 3, quotas: { "azure/eastus": { vcpu: 10 }, "aws/eu-west-1": { vcpu: 10 } } },
    });
    expect(problems).toEqual([
      "instance.minVcpu: must not exceed instance.maxVcpu (4), got 8",
      "instance.gpuType: is only meaningful when demand.gpus > 0: set demand.gpus or remove gpuType",
      "constraints.minProviders: asks for 3 providers but only 2 are listed under providers (aws, gcp)",
      'constraints.quotas.azure/eastus: names provider "azure", which is not under providers (aws, gcp)',
      'constraints.quotas.aws/eu-west-1: names region "eu-west-1", which is not a region this spec allows for aws',
    ]);
  });

  it("rejects a malformed quota key", () => {
    expect(problemsOf({ ...valid, constraints: { quotas: { "aws-us-east-1": { vcpu: 1 } } } })[0]).toMatch(
      /^constraints\.quotas\.aws-us-east-1: .*provider\/region/,
    );
  });

  it("hashes normalised specs: defaults and key order do not matter, scaling is not placement", () => {
    const a = validateSpec(valid, catalog, CLOUDS);
    const b = validateSpec({ providers: { gcp: { discount: 0 }, aws: { regions: ["us-east-1"] } }, demand: { memoryGiB: 8, cpu: 2, replicas: 4, gpus: 0 }, name: "web", scaling: { maxScaleOut: 3 } }, catalog, CLOUDS);
    const c = validateSpec({ ...valid, demand: { ...valid.demand, replicas: 5 } }, catalog, CLOUDS);
    expect(specHash(b)).toBe(specHash(a));
    expect(specHash(c)).not.toBe(specHash(a));
    expect(specHash(a)).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});

describe("spec files", () => {
  it("says when the file is missing", () => {
    expect(() => loadSpecFile("/nonexistent/workload.yaml", catalog, CLOUDS)).toThrow("spec file not found: /nonexistent/workload.yaml");
  });

  it("gives YAML syntax errors with line and column", () => {
    const file = withSpec("name: web\ndemand:\n  replicas: [1, 2\n");
    expect(() => loadSpecFile(file, catalog, CLOUDS)).toThrow(new RegExp(`${file}:\\d+:\\d+: YAML syntax error`));
  });

  it("rejects duplicate keys", () => {
    const file = withSpec("name: web\nname: api\n");
    expect(() => loadSpecFile(file, catalog, CLOUDS)).toThrow(/YAML syntax error: Map keys must be unique/);
  });

  it("prefixes field problems with the file and line of the field", () => {
    const file = withSpec(["name: web", "demand:", "  replicas: 4", "  cpu: 2", "  memoryGiB: 8", "providers:", "  aws: {}", "constrains:", "  minProviders: 2", ""].join("\n"));
    expect(() => loadSpecFile(file, catalog, CLOUDS)).toThrow(`invalid workload spec: ${file}:8: constrains: unknown field (did you mean "constraints"?)`);
  });

  it("points at the line of a bad value", () => {
    const file = withSpec(["name: web", "demand:", "  replicas: 4", "  cpu: 2", "  memoryGiB: 8", "providers:", "  aws:", "    regions: [us-east-1, us-est-2]", ""].join("\n"));
    expect(() => loadSpecFile(file, catalog, CLOUDS)).toThrow(`${file}:8: providers.aws.regions[1]: unknown aws region "us-est-2"`);
  });
});
