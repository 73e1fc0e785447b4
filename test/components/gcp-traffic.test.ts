/**
 * GCP `traffic` under Pulumi's mocks, on GCP-only plans: per region one regional passthrough
 * Network Load Balancer (regional health check, regional backend service, forwarding rule) in front
 * of every managed instance group of the region, autohealing on the same health check, the firewall
 * rules for Google's health-check probes and for clients, and the endpoints output. The API rules
 * these resources must keep are in test/conformance/gcp.test.ts.
 */
import { privateRanges } from "../../kit/workload/network";
import { beforeAll, describe, expect, it } from "vitest";
import { MultiCloudWorkload, type MultiCloudWorkloadArgs } from "../../components";
import { AUTOHEAL_INITIAL_DELAY_SEC } from "../../clouds/gcp/workload-emitter";
import { offer } from "../helpers/catalog";
import { setupPulumi, valueOf, type Harness, type Recorded } from "./harness";
import { webArgs } from "./scenario";

const T = {
  hc: "gcp:compute/regionHealthCheck:RegionHealthCheck",
  bs: "gcp:compute/regionBackendService:RegionBackendService",
  fr: "gcp:compute/forwardingRule:ForwardingRule",
  mig: "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager",
  template: "gcp:compute/instanceTemplate:InstanceTemplate",
  firewall: "gcp:compute/firewall:Firewall",
} as const;
const COMPONENT = "multicloud:index:MultiCloudWorkload";
const REGIONS = ["europe-west1", "us-central1"];

type Traffic = NonNullable<MultiCloudWorkloadArgs["traffic"]>;

/** Two regions, spot beside on-demand in us-central1: more than one managed instance group behind a balancer. */
function gcpTwoRegions(traffic: Traffic | undefined, overrides: Partial<MultiCloudWorkloadArgs> = {}): MultiCloudWorkloadArgs {
  const n2 = { instanceType: "n2-standard-4", vcpu: 4, memoryGiB: 16 };
  const offers = [
    offer({ provider: "gcp", region: "us-central1", ...n2, onDemandHourlyUsd: 0.194, spotHourlyUsd: 0.05 }),
    offer({ provider: "gcp", region: "europe-west1", ...n2, onDemandHourlyUsd: 0.213, spotHourlyUsd: 0.055 }),
  ];
  return webArgs({
    providers: { gcp: { regions: REGIONS } },
    constraints: { maxSpotShare: 0.5, quotas: { "gcp/us-central1": { vcpu: 40 }, "gcp/europe-west1": { vcpu: 48 } } },
    azure: undefined,
    ...(traffic ? { traffic } : {}),
    ...overrides,
  }, offers);
}

interface Deployed {
  h: Harness;
  endpoints: unknown;
}

async function deploy(args: MultiCloudWorkloadArgs): Promise<Deployed> {
  const h = await setupPulumi();
  const w = new MultiCloudWorkload("web", args);
  await w.ready();
  await h.settle();
  return { h, endpoints: await valueOf(w.endpoints) };
}

const inRegion = (h: Harness, type: string, region: string) => h.ofType(type).filter((r) => r.inputs.region === region);
const TRAFFIC: Traffic = { port: 443, healthCheck: { path: "/healthz" } };

let internal: Deployed;
let external: Deployed;
let none: Deployed;

beforeAll(async () => {
  internal = await deploy(gcpTwoRegions(TRAFFIC));
  external = await deploy(gcpTwoRegions({ ...TRAFFIC, public: true }));
  none = await deploy(gcpTwoRegions(undefined));
}, 60_000);

describe("GCP traffic: one passthrough load balancer per region", () => {
  it("plans every region with spot beside on-demand (more than one group behind a balancer)", () => {
    for (const region of REGIONS) expect(inRegion(internal.h, T.mig, region).length, region).toBeGreaterThan(0);
    expect(inRegion(internal.h, T.mig, "us-central1").map((m) => m.name).sort()).toEqual(["web-gcp-us-central1-n2-standard-4-on-demand", "web-gcp-us-central1-n2-standard-4-spot"]);
  });

  it("registers exactly one health check, backend service and forwarding rule per region, named by region", () => {
    for (const { h } of [internal, external]) {
      for (const region of REGIONS) {
        expect(inRegion(h, T.hc, region).map((r) => r.name), region).toEqual([`web-gcp-${region}-hc`]);
        expect(inRegion(h, T.bs, region).map((r) => r.name), region).toEqual([`web-gcp-${region}-lb`]);
        expect(inRegion(h, T.fr, region).map((r) => r.name), region).toEqual([`web-gcp-${region}-lb`]);
      }
    }
  });

  it("puts every managed instance group of the region behind its backend service, by instance group, in CONNECTION mode", () => {
    for (const { h } of [internal, external]) {
      for (const region of REGIONS) {
        const [bs] = inRegion(h, T.bs, region);
        const groups = (bs!.inputs.backends as { group: string; balancingMode: string }[]);
        const migs = inRegion(h, T.mig, region);
        // The instance group the manager created (its `instanceGroup` output), never the manager itself.
        expect(groups.map((b) => b.group).sort(), region).toEqual(migs.map((m) => `https://www.googleapis.com/compute/v1/projects/p/regions/${region}/instanceGroups/${m.name}`).sort());
        for (const b of groups) {
          expect(b.balancingMode).toBe("CONNECTION");
          expect(Object.keys(b).sort()).toEqual(["balancingMode", "group"]);
        }
        expect(bs!.inputs.protocol).toBe("TCP");
        expect(bs!.inputs.portName).toBeUndefined();
      }
    }
  });

  it("autoheals every group on the balancer's own health check", () => {
    for (const region of REGIONS) {
      const [hc] = inRegion(internal.h, T.hc, region);
      const [bs] = inRegion(internal.h, T.bs, region);
      expect(bs!.inputs.healthChecks).toBe(`${hc!.name}_id`);
      for (const mig of inRegion(internal.h, T.mig, region)) {
        expect(mig.inputs.autoHealingPolicies, mig.name).toEqual({ healthCheck: `${hc!.name}_id`, initialDelaySec: AUTOHEAL_INITIAL_DELAY_SEC });
      }
    }
    expect(AUTOHEAL_INITIAL_DELAY_SEC).toBeGreaterThanOrEqual(0);
    expect(AUTOHEAL_INITIAL_DELAY_SEC).toBeLessThanOrEqual(3600);
  });

  it("probes what traffic.healthCheck says (http on the path, the port, interval and threshold)", () => {
    for (const hc of internal.h.ofType(T.hc)) {
      expect(hc.inputs).toEqual({
        region: hc.inputs.region,
        checkIntervalSec: 10,
        timeoutSec: 5,
        healthyThreshold: 2,
        unhealthyThreshold: 3,
        httpHealthCheck: { port: 443, requestPath: "/healthz" },
      });
    }
  });

  it("is internal by default: INTERNAL on both, the forwarding rule in the instances' network and subnetwork", () => {
    for (const region of REGIONS) {
      const [bs] = inRegion(internal.h, T.bs, region);
      const [fr] = inRegion(internal.h, T.fr, region);
      const template = internal.h.ofType(T.template).find((t) => t.name === inRegion(internal.h, T.mig, region)[0]!.name)!;
      expect(bs!.inputs.loadBalancingScheme).toBe("INTERNAL");
      expect(fr!.inputs).toMatchObject({ loadBalancingScheme: "INTERNAL", ipProtocol: "TCP", ports: ["443"], backendService: `${bs!.name}_id` });
      expect(fr!.inputs.network).toBe(template.inputs.networkInterfaces[0].network);
      expect(fr!.inputs.subnetwork).toBe(template.inputs.networkInterfaces[0].subnetwork);
    }
  });

  it("is external with public: EXTERNAL on both, no network or subnetwork on the forwarding rule", () => {
    for (const region of REGIONS) {
      const [bs] = inRegion(external.h, T.bs, region);
      const [fr] = inRegion(external.h, T.fr, region);
      expect(bs!.inputs.loadBalancingScheme).toBe("EXTERNAL");
      expect(fr!.inputs).toMatchObject({ loadBalancingScheme: "EXTERNAL", ipProtocol: "TCP", ports: ["443"] });
      expect(fr!.inputs.network).toBeUndefined();
      expect(fr!.inputs.subnetwork).toBeUndefined();
    }
  });

  it("gives no instance a public IP, internal or external, and reserves no address", () => {
    for (const { h } of [internal, external]) {
      for (const t of h.ofType(T.template)) expect(t.inputs.networkInterfaces[0].accessConfigs, t.name).toEqual([]);
      expect(h.resources.filter((r) => /gcp:compute\/(global)?[aA]ddress:/.test(r.type))).toEqual([]);
    }
  });

  it("admits the health-check port from Google's probe ranges and traffic.port from ingressCidrs, on the workload's tag only", () => {
    for (const { h } of [internal, external]) {
      for (const region of REGIONS) {
        const network = h.ofType(T.template).find((t) => t.name === inRegion(h, T.mig, region)[0]!.name)!.inputs.networkInterfaces[0].network;
        const rules = h.ofType(T.firewall).filter((f) => f.inputs.network === network);
        const byName = (n: string): Recorded => rules.find((f) => f.name === n)!;
        // The declared-ports rule as before, and two new ones: nothing else.
        expect(rules.map((f) => f.name).sort()).toEqual([`web-gcp-${region}`, `web-gcp-${region}-hc`, `web-gcp-${region}-lb`]);
        const hc = byName(`web-gcp-${region}-hc`);
        expect(hc.inputs.direction).toBe("INGRESS");
        expect(hc.inputs.allows).toEqual([{ protocol: "tcp", ports: ["443"] }]);
        expect(hc.inputs.sourceRanges).toEqual(expect.arrayContaining(["35.191.0.0/16", "130.211.0.0/22"]));
        expect(hc.inputs.targetTags).toEqual(["multicloud-web"]);
        const lb = byName(`web-gcp-${region}-lb`);
        // Internal: the created network's own range too (a custom VPC denies all ingress by default).
        const own = h === internal.h ? [privateRanges("gcp", region).network] : [];
        expect(lb.inputs).toMatchObject({ direction: "INGRESS", allows: [{ protocol: "tcp", ports: ["443"] }], sourceRanges: ["10.0.0.0/8", "192.168.0.0/16", ...own], targetTags: ["multicloud-web"] });
      }
    }
  });

  it("probes on the health check's own port when it differs from traffic.port, and opens only that port to the probers", async () => {
    const { h } = await deploy(gcpTwoRegions({ port: 8080, healthCheck: { protocol: "tcp", port: 9000 } }));
    for (const hc of h.ofType(T.hc)) expect(hc.inputs.tcpHealthCheck).toEqual({ port: 9000 });
    for (const hc of h.ofType(T.hc)) expect(hc.inputs.httpHealthCheck).toBeUndefined();
    for (const f of h.ofType(T.firewall).filter((f) => f.name.endsWith("-hc"))) expect(f.inputs.allows).toEqual([{ protocol: "tcp", ports: ["9000"] }]);
    for (const f of h.ofType(T.firewall).filter((f) => f.name.endsWith("-lb"))) expect(f.inputs.allows).toEqual([{ protocol: "tcp", ports: ["8080"] }]);
    for (const fr of h.ofType(T.fr)) expect(fr.inputs.ports).toEqual(["8080"]);
  });

  // Forwarding rules take labels (`gcloud compute forwarding-rules update --update-labels`,
  // https://cloud.google.com/sdk/gcloud/reference/compute/forwarding-rules/update; label rules in
  // test/conformance/gcp.test.ts "gcp-labels"): the load balancer is labelled like the instances.
  it("labels each region's forwarding rule with the workload's labels, as its instance templates", async () => {
    const { h } = await deploy(gcpTwoRegions(TRAFFIC));
    for (const region of REGIONS) {
      const [fr] = inRegion(h, T.fr, region);
      const templates = h.ofType(T.template).filter((t) => t.name.startsWith(`web-gcp-${region}-`));
      expect(templates.length, region).toBeGreaterThan(0);
      expect(fr!.inputs.labels, region).toEqual(templates[0]!.inputs.labels);
      expect(Object.keys(fr!.inputs.labels ?? {}).length, region).toBeGreaterThan(0);
    }
  });

  it("uses an https probe with its path, and an interval of 30 s with the same timeout", async () => {
    const { h } = await deploy(gcpTwoRegions({ port: 443, healthCheck: { protocol: "https", path: "/ready", intervalSeconds: 30, unhealthyThreshold: 5 } as Traffic["healthCheck"] }));
    for (const hc of h.ofType(T.hc)) {
      expect(hc.inputs).toMatchObject({ checkIntervalSec: 30, timeoutSec: 5, unhealthyThreshold: 5, httpsHealthCheck: { port: 443, requestPath: "/ready" } });
    }
  });

  it("lists every region's forwarding rule address in the endpoints output", () => {
    expect(internal.endpoints).toEqual(REGIONS.map((region) => ({ provider: "gcp", region, address: "10.59.0.9", port: 443 })).sort((a, b) => a.region.localeCompare(b.region)));
    expect((external.endpoints as { region: string; address: string }[]).map((e) => [e.region, e.address]).sort()).toEqual(REGIONS.map((r) => [r, "203.0.113.9"]).sort());
  });

  it("creates none of it without traffic: no balancer, no health check, no autohealing, no new firewall rule", () => {
    for (const type of [T.hc, T.bs, T.fr]) expect(none.h.ofType(type)).toEqual([]);
    for (const mig of none.h.ofType(T.mig)) expect(mig.inputs.autoHealingPolicies).toBeUndefined();
    expect(none.h.ofType(T.firewall).map((f) => f.name).sort()).toEqual(REGIONS.map((r) => `web-gcp-${r}`).sort());
    expect(none.endpoints).toEqual([]);
  });
});

describe("GCP traffic: port and targetPort", () => {
  it("refuses a targetPort other than port at preview, before any resource, saying instances must listen on port", async () => {
    const h = await setupPulumi({ preview: true });
    const w = new MultiCloudWorkload("web", gcpTwoRegions({ port: 443, targetPort: 8443 }));
    const message = await w.ready().then(() => "no failure", (err: Error) => err.message);
    await valueOf(w.urn);
    expect(h.resources.filter((r) => r.type !== COMPONENT)).toEqual([]);
    expect(message).toMatch(/traffic\.targetPort: is 8443 but traffic\.port is 443: GCP's passthrough load balancer cannot map one port to another/);
    expect(message).toMatch(/instances must listen on traffic\.port/);
  });

  it("accepts a targetPort equal to port", async () => {
    const { h } = await deploy(gcpTwoRegions({ port: 443, targetPort: 443 }));
    expect(h.ofType(T.fr)).toHaveLength(REGIONS.length);
  });
});
