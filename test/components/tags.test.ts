/** One tag map for every cloud: merging, GCP label normalisation, and the checks each cloud runs. */
import { describe, expect, it } from "vitest";
import { planTagValue, reservedTagProblems, workloadTags } from "../../kit/workload/tags";
import { awsTagProblems } from "../../clouds/aws/tags";
import { azureTagProblems } from "../../clouds/azure/tags";
import { gcpLabelKey, gcpLabelProblems, gcpLabels, gcpLabelValue } from "../../clouds/gcp/tags";

const HASH = "sha256:3f2a9c0b1d2e3f405162738495a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e";

describe("workload tags", () => {
  it("adds the workload and the plan hash, keys sorted", () => {
    expect(Object.entries(workloadTags({ team: "web", Env: "prod" }, "web", HASH))).toEqual([
      ["Env", "prod"],
      ["multicloud-plan", "3f2a9c0b1d2e3f40"],
      ["multicloud-workload", "web"],
      ["team", "web"],
    ]);
    expect(planTagValue(HASH)).toBe("3f2a9c0b1d2e3f40");
  });

  it.each([
    ["team", "team"],
    ["CostCenter", "costcenter"],
    ["app.kubernetes.io/name", "app_kubernetes_io_name"],
    ["2fa", "tag_2fa"],
    ["x".repeat(70), "x".repeat(63)],
  ])("normalises the key %s to the GCP label key %s", (key, label) => {
    expect(gcpLabelKey(key)).toBe(label);
  });

  it.each([
    ["Web Platform", "web_platform"],
    ["cc-42", "cc-42"],
    ["", ""],
    ["a@b.com", "a_b_com"],
  ])("normalises the value %j to %j", (value, label) => {
    expect(gcpLabelValue(value)).toBe(label);
  });

  it("labels every tag", () => {
    expect(gcpLabels({ Team: "Web", "multicloud-workload": "web" })).toEqual({ team: "web", "multicloud-workload": "web" });
  });
});

describe("tag checks", () => {
  it("reserves the component's own keys", () => {
    expect(reservedTagProblems({ "multicloud-workload": "x", ok: "y" })).toEqual([
      { path: ["tags", "multicloud-workload"], message: "is set by the component (it names the workload and its plan): use another key" },
    ]);
  });

  it("applies AWS and Azure limits", () => {
    expect(awsTagProblems({ "aws:owner": "x", fine: "y" }).map((p) => p.path)).toEqual([["tags", "aws:owner"]]);
    expect(awsTagProblems({ k: "v".repeat(257) }).map((p) => p.path)).toEqual([["tags", "k"]]);
    // EC2 resources take keys of at most 127 characters (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_Tag.html).
    expect(awsTagProblems({ ["k".repeat(127)]: "v" })).toEqual([]);
    expect(awsTagProblems({ ["k".repeat(128)]: "v" }).map((p) => p.path)).toEqual([["tags", "k".repeat(128)]]);
    expect(azureTagProblems({ "a/b": "x", "a-b": "y" }).map((p) => p.path)).toEqual([["tags", "a/b"]]);
  });

  it("reports tags that become the same GCP label, on the later key", () => {
    expect(gcpLabelProblems({ Env: "a", env: "b", "Multicloud-Plan": "c" })).toEqual([
      {
        path: ["tags", "Multicloud-Plan"],
        message: 'becomes the GCP label "multicloud-plan", like the component\'s multicloud-plan tag: GCP label keys are lower-case letters, digits, _ and -, so rename one of them',
      },
      { path: ["tags", "env"], message: 'becomes the GCP label "env", like tags.Env: GCP label keys are lower-case letters, digits, _ and -, so rename one of them' },
    ]);
  });
});
