/**
 * Child resource names and created address ranges are identity: pinned here. Changing one of these
 * expectations means existing stacks would replace resources.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { groupName, MAX_NAME, regionName, regionPartName, slug } from "../../kit/workload/names";
import { privateRanges } from "../../kit/workload/network";
import type { WorkloadGroup } from "../../core/plan/groups";

function group(g: Partial<WorkloadGroup>): WorkloadGroup {
  return {
    cloud: "aws", region: "us-east-1", instanceType: "m7i.xlarge", arch: "x86_64", gpus: 0, grouping: "mixed", lifecycle: "mixed",
    onDemand: 1, spot: 1, replicas: 2, minSize: 2, maxSize: 4, onDemandBase: 1, onDemandAboveBasePercent: 0, ...g,
  };
}

describe("resource names", () => {
  it("pins the naming scheme", () => {
    expect(regionName("web", "aws", "us-east-1")).toBe("web-aws-us-east-1");
    expect(regionPartName("web", "aws", "us-east-1", "x86_64")).toBe("web-aws-us-east-1-x86-64");
    expect(regionPartName("web", "aws", "us-east-1", "subnet-1")).toBe("web-aws-us-east-1-subnet-1");
    expect(groupName("web", group({}))).toBe("web-aws-us-east-1-m7i-xlarge");
    expect(groupName("web", group({ cloud: "azure", region: "eastus", instanceType: "Standard_D4s_v5" }))).toBe("web-azure-eastus-standard-d4s-v5");
    expect(groupName("web", group({ cloud: "gcp", region: "us-central1", instanceType: "n2-standard-4", grouping: "separate", lifecycle: "spot" }))).toBe(
      "web-gcp-us-central1-n2-standard-4-spot",
    );
  });

  it("names a mixed group the same whatever its lifecycle mix", () => {
    expect(groupName("web", group({ lifecycle: "spot" }))).toBe(groupName("web", group({ lifecycle: "on-demand" })));
  });

  it("keeps long names within the limit, distinct and stable, ending in a hash of the full name", () => {
    const long = "a-very-long-workload-name-for-testing-xx";
    const spot = groupName(long, group({ cloud: "gcp", region: "northamerica-northeast2", instanceType: "c3d-highmem-180-lssd", grouping: "separate", lifecycle: "spot" }));
    const od = groupName(long, group({ cloud: "gcp", region: "northamerica-northeast2", instanceType: "c3d-highmem-180-lssd", grouping: "separate", lifecycle: "on-demand" }));
    expect(spot).toBe("a-very-long-workload-name-for-testing-xx-gcp-n-deb8bf2c");
    expect(spot.length).toBeLessThanOrEqual(MAX_NAME);
    expect(od).not.toBe(spot);
  });

  it("slugs any name into lower-case letters, digits and single dashes (property)", () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const out = slug(s);
        expect(out).toMatch(/^([a-z0-9]+(-[a-z0-9]+)*)?$/);
      }),
    );
  });
});

describe("private address ranges", () => {
  it("pins the range of a region, independent of other regions", () => {
    expect(privateRanges("aws", "us-east-1")).toEqual({ network: "10.158.0.0/16", subnets: ["10.158.0.0/20", "10.158.16.0/20"] });
    expect(privateRanges("gcp", "us-central1").network).toBe("10.59.0.0/16");
  });

  it("stays inside 10.16.0.0 - 10.239.255.255 with subnets inside the network (property)", () => {
    fc.assert(
      fc.property(fc.constantFrom("aws", "azure", "gcp"), fc.string({ minLength: 1 }), (cloud, region) => {
        const r = privateRanges(cloud, region);
        const second = Number(r.network.split(".")[1]);
        expect(second).toBeGreaterThanOrEqual(16);
        expect(second).toBeLessThanOrEqual(239);
        for (const s of r.subnets) expect(s.startsWith(`10.${second}.`)).toBe(true);
      }),
    );
  });
});
