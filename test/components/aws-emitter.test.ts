/**
 * The AWS emitter's pure parts: the on-demand share above the base of a mixed group (core/plan/groups.ts), and the
 * public subnet range of a created network (identity: pinned, like test/components/names.test.ts).
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { lifecycleSplit } from "../../core/plan/groups";

const onDemandPercentAboveBase = (g: { onDemand: number; spot: number }) => lifecycleSplit(g.onDemand, g.spot).onDemandAboveBasePercent;
import { awsRanges } from "../../clouds/aws/network";

describe("onDemandPercentAboveBase", () => {
  it("is 100 for an on-demand group and 0 for a spot group", () => {
    expect(onDemandPercentAboveBase({ onDemand: 3, spot: 0 })).toBe(100);
    expect(onDemandPercentAboveBase({ onDemand: 0, spot: 3 })).toBe(0);
    expect(onDemandPercentAboveBase({ onDemand: 2, spot: 1 })).toBe(67);
    expect(onDemandPercentAboveBase({ onDemand: 1, spot: 3 })).toBe(25);
  });

  // OnDemandPercentageAboveBaseCapacity is an integer 0-100:
  // https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_InstancesDistribution.html
  it("is the smallest integer percentage whose spot share does not exceed the plan's (property)", () => {
    fc.assert(
      fc.property(fc.nat(500), fc.nat(500), (onDemand, spot) => {
        fc.pre(onDemand + spot > 0);
        const pct = onDemandPercentAboveBase({ onDemand, spot });
        const planSpot = (100 * spot) / (onDemand + spot);
        expect(Number.isInteger(pct) && pct >= 0 && pct <= 100).toBe(true);
        expect(100 - pct).toBeLessThanOrEqual(planSpot);
        if (pct > 0) expect(100 - (pct - 1)).toBeGreaterThan(planSpot);
      }),
      { seed: 20261128, numRuns: 200 },
    );
  });
});

describe("awsRanges", () => {
  it("pins the public subnet after the two private ones", () => {
    expect(awsRanges("us-east-1")).toEqual({ network: "10.158.0.0/16", subnets: ["10.158.0.0/20", "10.158.16.0/20"], public: "10.158.32.0/20" });
  });

  // Subnets lie inside the VPC range and do not overlap:
  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSubnet.html
  it("puts the public subnet inside the network, clear of the private subnets (property)", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), (region) => {
        const r = awsRanges(region);
        const [a, b] = r.network.split(".");
        expect(r.public).toBe(`${a}.${b}.32.0/20`);
        expect(r.subnets).toEqual([`${a}.${b}.0.0/20`, `${a}.${b}.16.0/20`]);
      }),
      { seed: 20261128, numRuns: 200 },
    );
  });
});
