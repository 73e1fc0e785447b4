/** What a user reads during preview: the plan table and the warnings, with an injected clock. */
import { describe, expect, it } from "vitest";
import { ageInDays, createdNetworkNotice, placementNotices } from "../../components/workload/notices";
import type { Plan } from "../../core";

const NOW = new Date("2026-08-15T12:00:00Z");

const plan: Plan = {
  workload: "web",
  specHash: `sha256:${"a".repeat(64)}`,
  demand: { replicas: 4, cpu: 2, memoryGiB: 8, gpus: 0, source: "static" },
  prices: { aws: { source: "live", asOf: "2026-08-14" }, azure: { source: "snapshot", asOf: "2026-08-01" }, gcp: { source: "file", asOf: "2026-06-30" } },
  allocations: [
    { provider: "aws", region: "us-east-1", instanceType: "m7i.xlarge", lifecycle: "on-demand", count: 2, replicasPerInstance: 2, replicas: 4, vcpu: 4, memoryGiB: 16, gpus: 0, hourlyUsd: 0.2 },
  ],
  totals: { replicas: 4, vcpu: 8, memoryGiB: 32, hourlyUsd: 0.4, monthlyUsd: 292 },
  solver: { status: "optimal", gap: 0, ms: 3 },
};

describe("placement notices", () => {
  it("shows the table, warns about snapshot and old prices, and tells how to pin a computed placement", () => {
    const n = placementNotices({ plan, source: "computed", stackConfig: "Pulumi.dev.yaml", now: NOW });
    expect(n.info.split("\n").slice(0, 2)).toEqual(["web: computed placement (not pinned)", "web: 4 replicas (2 vCPU, 8 GiB each) on 2 instances, $292.00/month"]);
    expect(n.info).toContain("m7i.xlarge");
    expect(n.warnings).toEqual([
      "web: the placement is not pinned: it was computed from current prices and can change on the next deploy. Pin it with `multicloud plan SPEC --stack-config Pulumi.dev.yaml --write` (SPEC: a file holding this workload's spec).",
      "web: azure prices come from the embedded price snapshot, not live price APIs; pass a current `catalog` file to plan on your own prices.",
      "web: gcp prices are 46 days old (as of 2026-06-30); pass a current `catalog` file to plan on your own prices.",
    ]);
  });

  it("points a pinned placement with old prices at drift, and says nothing else", () => {
    const n = placementNotices({ plan, source: "pinned", stackConfig: "Pulumi.prod.yaml", now: NOW });
    expect(n.info.split("\n")[0]).toBe("web: pinned placement (Pulumi.prod.yaml)");
    expect(n.warnings).toEqual([
      "web: azure prices come from the embedded price snapshot, not live price APIs; check the placement against current prices with `multicloud drift --stack-config Pulumi.prod.yaml`.",
      "web: gcp prices are 46 days old (as of 2026-06-30); check the placement against current prices with `multicloud drift --stack-config Pulumi.prod.yaml`.",
    ]);
  });

  it("says why a pinned placement was not used", () => {
    const n = placementNotices({ plan, source: "computed", staleReason: "the spec changed since its placement was pinned (demand.replicas: 2 -> 4)", stackConfig: "Pulumi.dev.yaml", now: NOW });
    expect(n.warnings[0]).toMatch(/^web: the spec changed since its placement was pinned \(demand\.replicas: 2 -> 4\); a new placement was computed/);
  });

  it.each([
    ["2026-08-15", 0],
    ["2026-07-16", 30],
    ["2026-07-15", 31],
    ["2026-07", 45],
    ["2027-01-01", 0],
  ])("dates %s as %i days old", (asOf, days) => {
    expect(ageInDays(asOf, NOW)).toBe(days);
  });

  it("names the range and the arg of a created network", () => {
    expect(createdNetworkNotice("web", "gcp", "us-central1", "10.59.0.0/16", "gcp.networks")).toBe(
      'web: no network given for gcp/us-central1: creating a private network (10.59.0.0/16; outbound internet through NAT unless gcp.egress is \"none\", no public address on instances). Give gcp.networks["us-central1"] to use your own.',
    );
  });
});
