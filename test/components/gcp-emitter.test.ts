/**
 * The GCP emitter's own choices under Pulumi's mocks, on a GCP-only plan: the Cloud Router and
 * Cloud NAT of a created network (named like the region's other resources), the same graph in
 * preview, and the `gcp.egress` setting's validation. The API rules these resources must keep are
 * in test/conformance/gcp.test.ts.
 */
import { describe, expect, it } from "vitest";
import * as pulumi from "@pulumi/pulumi";
import { MultiCloudWorkload, type MultiCloudWorkloadArgs } from "../../components";
import { offer } from "../helpers/catalog";
import { setupPulumi } from "./harness";
import { webArgs } from "./scenario";

const ROUTER = "gcp:compute/router:Router";
const NAT = "gcp:compute/routerNat:RouterNat";
const MIG = "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager";

function gcpOnly(overrides: Partial<MultiCloudWorkloadArgs> = {}): MultiCloudWorkloadArgs {
  const offers = [offer({ provider: "gcp", region: "us-central1", instanceType: "n2-standard-4", vcpu: 4, memoryGiB: 16, onDemandHourlyUsd: 0.194 })];
  return webArgs({ providers: { gcp: { regions: ["us-central1"] } }, constraints: {}, azure: undefined, ...overrides }, offers);
}

describe("GCP egress", () => {
  it("puts a NAT-only Cloud Router and a Cloud NAT gateway on the network it creates, named by region", async () => {
    const h = await setupPulumi();
    await new MultiCloudWorkload("web", gcpOnly()).ready();
    await h.settle();
    const [router] = h.ofType(ROUTER);
    const [nat] = h.ofType(NAT);
    expect(h.ofType(ROUTER).map((r) => r.name)).toEqual(["web-gcp-us-central1"]);
    expect(router!.inputs).toEqual({ region: "us-central1", network: "web-gcp-us-central1_id" });
    expect(nat!.name).toBe("web-gcp-us-central1");
    expect(nat!.inputs).toEqual({
      region: "us-central1",
      router: "web-gcp-us-central1-1a2b3c",
      natIpAllocateOption: "AUTO_ONLY",
      sourceSubnetworkIpRangesToNat: "ALL_SUBNETWORKS_ALL_IP_RANGES",
    });
  });

  it("registers the same in preview, where the router's name is not known yet", async () => {
    const h = await setupPulumi({ preview: true });
    await new MultiCloudWorkload("web", gcpOnly()).ready();
    await h.settle();
    expect(h.ofType(ROUTER)).toHaveLength(1);
    expect(pulumi.isUnknown(h.ofType(NAT)[0]!.inputs.router)).toBe(true);
    // The update policy is plain data: a preview shows it as it will be sent.
    expect(h.ofType(MIG)[0]!.inputs.updatePolicy).toMatchObject({ type: "PROACTIVE", maxSurgeFixed: 3, maxUnavailableFixed: 0 });
  });

  it("rejects an unknown egress value, naming the field", async () => {
    await setupPulumi({ preview: true });
    const bad = new MultiCloudWorkload("web", gcpOnly({ gcp: { egress: "gateway" } }));
    const message = await bad.ready().then(() => "no failure", (err: Error) => err.message);
    expect(message).toMatch(/^invalid MultiCloudWorkload "web" args: gcp\.egress: /);
    expect(message).toMatch(/nat/);
  });
});
