import { describe, expect, it } from "vitest";
import { loadSnapshot, validateSpec } from "../../core";
import type { UserError } from "../../core/util/errors";
import { CLOUDS } from "../../clouds/registry";

const base = { name: "web", demand: { replicas: 10, cpu: 2, memoryGiB: 8 }, providers: { aws: {} } };
const problems = (fromMetrics: unknown): readonly string[] => {
  try {
    validateSpec({ ...base, demand: { ...base.demand, fromMetrics } }, loadSnapshot(), CLOUDS);
    return [];
  } catch (err) {
    return (err as UserError).problems;
  }
};

describe("demand.fromMetrics in the spec", () => {
  it("fills the documented defaults", () => {
    const spec = validateSpec({ ...base, demand: { ...base.demand, fromMetrics: { aws: { autoScalingGroup: "web", region: "us-east-1" } } } }, loadSnapshot(), CLOUDS);
    expect(spec.demand.fromMetrics).toEqual({ aws: { autoScalingGroup: "web", region: "us-east-1" }, lookbackDays: 14, percentile: 95, targetUtilization: 60, maxStepDown: 0.25 });
  });

  it("names the field, the rule and the fix for bad fleet references and rules", () => {
    expect(problems({ azure: { vmScaleSetId: "web" } })).toEqual([
      'demand.fromMetrics.azure.vmScaleSetId: expected a scale set resource id: /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.Compute/virtualMachineScaleSets/<name>, got "web"',
    ]);
    expect(problems({ gcp: { project: "shop-prod", region: "us-central1", instanceGroup: "web" }, maxStepDown: 1.5 })).toEqual(["demand.fromMetrics.maxStepDown: expected a number <= 1, got 1.5"]);
    expect(problems({ aws: { autoScalingGroup: "web", region: "us-east-1" }, percentil: 90 })[0]).toMatch(/^demand\.fromMetrics\.percentil: unknown field \(did you mean "percentile"\?\)/);
    expect(problems({ lookbackDays: 7 })).toEqual(["demand.fromMetrics: expected at least one running fleet to read (aws, azure, gcp), got a mapping"]);
  });
});
