/**
 * AWS `traffic` under Pulumi's mocks (issue "A pulumi up that serves"): per region one network load
 * balancer, target group and listener; every auto scaling group of the region registered in that
 * region's target group with ELB health checks (autohealing); the target group probing
 * `traffic.healthCheck`; internal by default and internet-facing, in public subnets, with
 * `public: true`; the security group opened only as far as the load balancer needs; nothing public
 * but the NAT gateways' Elastic IPs (and, with `public: true`, the load balancers); the `endpoints`
 * output; and the refusals of an internet-facing load balancer that has no public subnet to sit in.
 * The AWS rules behind each value are in clouds/aws/load-balancer.ts and test/conformance/aws.test.ts.
 */
import { beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { MultiCloudWorkload, type MultiCloudWorkloadArgs } from "../../components";
import type { InstanceOffer } from "../../core/catalog/offer";
import { offer } from "../helpers/catalog";
import { setupPulumi, valueOf, type Harness, type Recorded } from "./harness";
import { webArgs } from "./scenario";
import { HEALTH_CHECK_GRACE_SECONDS, HEALTHY_THRESHOLD, loadBalancerName, MAX_LB_NAME } from "../../clouds/aws/load-balancer";
import { awsRanges } from "../../clouds/aws/network";

const COMPONENT = "multicloud:index:MultiCloudWorkload";
const T = {
  vpc: "aws:ec2/vpc:Vpc",
  subnet: "aws:ec2/subnet:Subnet",
  sg: "aws:ec2/securityGroup:SecurityGroup",
  lt: "aws:ec2/launchTemplate:LaunchTemplate",
  igw: "aws:ec2/internetGateway:InternetGateway",
  eip: "aws:ec2/eip:Eip",
  nat: "aws:ec2/natGateway:NatGateway",
  rt: "aws:ec2/routeTable:RouteTable",
  rta: "aws:ec2/routeTableAssociation:RouteTableAssociation",
  asg: "aws:autoscaling/group:Group",
  nlb: "aws:lb/loadBalancer:LoadBalancer",
  tg: "aws:lb/targetGroup:TargetGroup",
  listener: "aws:lb/listener:Listener",
} as const;

const REGIONS = ["us-east-1", "us-west-2"];
const M7I = { instanceType: "m7i.xlarge", vcpu: 4, memoryGiB: 16 } as const;
const OFFERS: InstanceOffer[] = [
  offer({ provider: "aws", region: "us-east-1", ...M7I, onDemandHourlyUsd: 0.2, spotHourlyUsd: 0.06 }),
  offer({ provider: "aws", region: "us-east-1", instanceType: "c7i.xlarge", vcpu: 4, memoryGiB: 8, onDemandHourlyUsd: 0.17 }),
  offer({ provider: "aws", region: "us-west-2", ...M7I, onDemandHourlyUsd: 0.21 }),
];
const TRAFFIC = { port: 443, targetPort: 8443, healthCheck: { path: "/healthz", port: 9000, intervalSeconds: 30, unhealthyThreshold: 4 } } as const;

/** An AWS-only plan over both regions (quotas spread it), with `traffic`. */
function awsArgs(overrides: Partial<MultiCloudWorkloadArgs> = {}): MultiCloudWorkloadArgs {
  return webArgs({
    demand: { replicas: 8, cpu: 2, memoryGiB: 4 },
    providers: { aws: { regions: REGIONS } },
    constraints: { maxSpotShare: 0.25, quotas: { "aws/us-east-1": { vcpu: 8 }, "aws/us-west-2": { vcpu: 8 } } },
    traffic: TRAFFIC,
    ...overrides,
  }, OFFERS);
}

interface Deployed {
  h: Harness;
  endpoints: unknown;
  regions: string[];
}

async function deploy(args: MultiCloudWorkloadArgs): Promise<Deployed> {
  const h = await setupPulumi({ stack: "dev" });
  const workload = new MultiCloudWorkload("web", args);
  await workload.ready();
  await h.settle();
  const plan = (await valueOf(workload.plan)) as unknown as { allocations: { region: string }[] };
  return { h, endpoints: await valueOf(workload.endpoints), regions: [...new Set(plan.allocations.map((a) => a.region))].sort() };
}

/** Resources of a type in a region (every name holds `-${region}`). */
const inRegion = (h: Harness, type: string, region: string) => h.ofType(type).filter((r) => r.name.includes(`-${region}`));
const byId = (h: Harness, type: string, id: unknown) => h.resources.find((r) => r.type === type && `${r.name}_id` === id);
const arnOf = (r: Recorded) => expect.stringContaining(`/${r.inputs.name}/`);

let internal: Deployed;
let open: Deployed;

beforeAll(async () => {
  // One after another: Pulumi's mocks are process-global.
  internal = await deploy(awsArgs());
  open = await deploy(awsArgs({ traffic: { ...TRAFFIC, public: true } }));
}, 60_000);

describe("AWS traffic, internal (the default)", () => {
  it("places on both regions (the scenario's premise)", () => {
    expect(internal.regions).toEqual(REGIONS);
  });

  it("has exactly one network load balancer, target group and listener per region: two regions, two", () => {
    for (const type of [T.nlb, T.tg, T.listener]) {
      expect(internal.h.ofType(type), type).toHaveLength(2);
      for (const region of REGIONS) expect(inRegion(internal.h, type, region).map((r) => r.name), `${type} ${region}`).toEqual([`web-aws-${region}-lb`]);
    }
  });

  it("is an internal network load balancer in the groups' private subnets", () => {
    for (const region of REGIONS) {
      const [nlb] = inRegion(internal.h, T.nlb, region);
      expect(nlb!.inputs).toMatchObject({ name: `web-aws-${region}-lb`, loadBalancerType: "network", internal: true });
      const groupSubnets = new Set(inRegion(internal.h, T.asg, region).flatMap((g) => g.inputs.vpcZoneIdentifiers as string[]));
      expect(new Set(nlb!.inputs.subnets)).toEqual(groupSubnets);
      expect(nlb!.inputs.subnets).toHaveLength(2);
    }
  });

  it("registers every group of a region in that region's target group, with ELB health checks and a grace period", () => {
    let groups = 0;
    for (const region of REGIONS) {
      const [tg] = inRegion(internal.h, T.tg, region);
      for (const asg of inRegion(internal.h, T.asg, region)) {
        groups++;
        expect(asg.inputs.targetGroupArns, asg.name).toEqual([arnOf(tg!)]);
        expect(asg.inputs.healthCheckType, asg.name).toBe("ELB");
        expect(asg.inputs.healthCheckGracePeriod, asg.name).toBe(HEALTH_CHECK_GRACE_SECONDS);
      }
    }
    expect(groups).toBe(internal.h.ofType(T.asg).length);
    // The premise: one region holds two groups (two instance types), both attached.
    expect(inRegion(internal.h, T.asg, "us-east-1")).toHaveLength(2);
  });

  it("probes traffic.healthCheck: protocol, path, port, interval and unhealthy threshold", () => {
    for (const tg of internal.h.ofType(T.tg)) {
      expect(tg.inputs).toMatchObject({ protocol: "TCP", port: 8443, targetType: "instance" });
      expect(tg.inputs.healthCheck).toEqual({ enabled: true, protocol: "HTTP", path: "/healthz", port: "9000", interval: 30, timeout: 5, healthyThreshold: HEALTHY_THRESHOLD, unhealthyThreshold: 4 });
      expect(byId(internal.h, T.vpc, tg.inputs.vpcId)?.name).toBe(tg.name.replace(/-lb$/, ""));
    }
  });

  it("listens on traffic.port over TCP and forwards to the region's target group", () => {
    for (const region of REGIONS) {
      const [listener] = inRegion(internal.h, T.listener, region);
      const [nlb] = inRegion(internal.h, T.nlb, region);
      const [tg] = inRegion(internal.h, T.tg, region);
      expect(listener!.inputs).toMatchObject({ port: 443, protocol: "TCP", loadBalancerArn: arnOf(nlb!) });
      expect(listener!.inputs.defaultActions).toEqual([{ type: "forward", targetGroupArn: arnOf(tg!) }]);
    }
  });

  it("admits the target port from ingressCidrs and the VPC, the health-check port from the VPC only, nothing else new", () => {
    for (const region of REGIONS) {
      const vpc = awsRanges(region).network;
      const [sg] = inRegion(internal.h, T.sg, region);
      expect(sg!.inputs.ingress).toEqual([
        { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["10.0.0.0/8", "192.168.0.0/16"] },
        // 8443 is a declared port too: only the VPC's range is added.
        { protocol: "tcp", fromPort: 8443, toPort: 8443, cidrBlocks: ["10.0.0.0/8", "192.168.0.0/16"] },
        { protocol: "tcp", fromPort: 8443, toPort: 8443, cidrBlocks: [vpc] },
        { protocol: "tcp", fromPort: 9000, toPort: 9000, cidrBlocks: [vpc] },
      ]);
    }
  });

  it("makes nothing public but the NAT gateways' Elastic IPs", () => {
    publicOnlyNatAnd(internal.h, []);
  });

  it("lists every region's load balancer in the endpoints output", () => {
    expect(internal.endpoints).toEqual(REGIONS.map((region) => ({ provider: "aws", region, address: `web-aws-${region}-lb-0123456789abcdef.elb.amazonaws.com`, port: 443 })));
  });

  it("adds no second public subnet", () => {
    expect(internal.h.ofType(T.subnet).filter((s) => s.name.endsWith("-public-1"))).toEqual([]);
  });
});

describe("AWS traffic, public: true", () => {
  it("is internet-facing, in one public subnet per zone of the groups, routed to the internet gateway", () => {
    expect(open.h.ofType(T.nlb)).toHaveLength(2);
    for (const region of REGIONS) {
      const [nlb] = inRegion(open.h, T.nlb, region);
      expect(nlb!.inputs).toMatchObject({ loadBalancerType: "network", internal: false });
      const subnets = (nlb!.inputs.subnets as string[]).map((id) => byId(open.h, T.subnet, id)!);
      expect(subnets.map((s) => s.name)).toEqual([`web-aws-${region}-public`, `web-aws-${region}-public-1`]);
      const groupZones = new Set(inRegion(open.h, T.asg, region).flatMap((g) => (g.inputs.vpcZoneIdentifiers as string[]).map((id) => byId(open.h, T.subnet, id)!.inputs.availabilityZone)));
      expect(new Set(subnets.map((s) => s.inputs.availabilityZone))).toEqual(groupZones);
      for (const s of subnets) {
        const association = open.h.ofType(T.rta).find((a) => a.inputs.subnetId === `${s.name}_id`)!;
        const table = byId(open.h, T.rt, association.inputs.routeTableId)!;
        expect(byId(open.h, T.igw, table.inputs.routes[0].gatewayId), s.name).toBeDefined();
        expect(s.inputs.mapPublicIpOnLaunch).toBe(false);
      }
      expect(subnets[1]!.inputs.cidrBlock).toBe(awsRanges(region).network.replace(".0.0/16", ".48.0/20"));
    }
  });

  it("still registers every group with ELB health checks, and lists both regions' endpoints", () => {
    for (const region of REGIONS) {
      const [tg] = inRegion(open.h, T.tg, region);
      for (const asg of inRegion(open.h, T.asg, region)) expect(asg.inputs).toMatchObject({ targetGroupArns: [arnOf(tg!)], healthCheckType: "ELB" });
    }
    expect((open.endpoints as { region: string }[]).map((e) => e.region)).toEqual(REGIONS);
  });

  it("makes nothing public but the NAT gateways' Elastic IPs and the load balancers", () => {
    publicOnlyNatAnd(open.h, open.h.ofType(T.nlb).map((n) => n.name));
  });
});

/** Elastic IPs only on NAT gateways; no public instance address; only `nlbs` internet-facing. */
function publicOnlyNatAnd(h: Harness, nlbs: string[]): void {
  const natAllocations = new Set(h.ofType(T.nat).map((n) => n.inputs.allocationId));
  expect(h.ofType(T.eip).every((e) => natAllocations.has(`${e.name}_id`))).toBe(true);
  expect(h.ofType(T.eip)).toHaveLength(REGIONS.length);
  expect(h.ofType(T.nlb).filter((n) => n.inputs.internal !== true).map((n) => n.name)).toEqual(nlbs);
  for (const lt of h.ofType(T.lt)) expect(lt.inputs.networkInterfaces.map((n: { associatePublicIpAddress: string }) => n.associatePublicIpAddress)).toEqual(["false"]);
  for (const s of h.ofType(T.subnet)) expect(s.inputs.mapPublicIpOnLaunch, s.name).toBe(false);
  for (const sg of h.ofType(T.sg)) {
    for (const rule of sg.inputs.ingress as { cidrBlocks: string[] }[]) expect(rule.cidrBlocks).not.toContain("0.0.0.0/0");
  }
}

describe("AWS traffic with a given network", () => {
  const given = { vpcId: "vpc-0given", subnetIds: ["subnet-0a", "subnet-0b"] };
  const oneRegion = (overrides: Partial<MultiCloudWorkloadArgs>) =>
    awsArgs({ providers: { aws: { regions: ["us-west-2"] } }, constraints: { quotas: {} }, ...overrides });

  it("internal: sits in the given subnets and admits the health checks from the VPC's looked-up ranges", async () => {
    const d = await deploy(oneRegion({ aws: { networks: { "us-west-2": given } } }));
    const [nlb] = d.h.ofType(T.nlb);
    expect(nlb!.inputs).toMatchObject({ internal: true, subnets: given.subnetIds });
    expect(d.h.invokes.filter((i) => i.token === "aws:ec2/getVpc:getVpc").map((i) => i.inputs.id)).toEqual(["vpc-0given"]);
    expect((d.h.ofType(T.sg)[0]!.inputs.ingress as { fromPort: number; cidrBlocks: string[] }[]).find((r) => r.fromPort === 9000)?.cidrBlocks).toEqual(["172.31.0.0/16"]);
  });

  it("public: sits in the given public subnets", async () => {
    const d = await deploy(oneRegion({ traffic: { ...TRAFFIC, public: true }, aws: { networks: { "us-west-2": { ...given, publicSubnetIds: ["subnet-0pa", "subnet-0pb"] } } } }));
    expect(d.h.ofType(T.nlb)[0]!.inputs).toMatchObject({ internal: false, subnets: ["subnet-0pa", "subnet-0pb"] });
  });
});

describe("an internet-facing load balancer without public subnets is refused at preview", () => {
  async function failWith(args: MultiCloudWorkloadArgs): Promise<string> {
    const h = await setupPulumi({ preview: true });
    const workload = new MultiCloudWorkload("web", args);
    const message = await workload.ready().then(() => "no failure", (err: Error) => err.message);
    await valueOf(workload.urn);
    expect(h.resources.filter((r) => r.type !== COMPONENT)).toEqual([]);
    return message;
  }
  const publicTraffic = { ...TRAFFIC, public: true };

  it("a given network without publicSubnetIds", async () => {
    const message = await failWith(awsArgs({ traffic: publicTraffic, aws: { networks: { "us-east-1": { vpcId: "vpc-0given", subnetIds: ["subnet-0a"] } } } }));
    expect(message).toMatch(/aws\.networks\.us-east-1\.publicSubnetIds: is required when traffic\.public is true/);
  });

  it('a created network with egress "none" (no internet gateway)', async () => {
    expect(await failWith(awsArgs({ traffic: publicTraffic, aws: { egress: "none" } }))).toMatch(/aws\.egress: is "none", which creates no internet gateway/);
  });

  it('but not egress "none" when every region has a given network with public subnets', async () => {
    const networks = Object.fromEntries(REGIONS.map((r) => [r, { vpcId: `vpc-${r}`, subnetIds: [`subnet-${r}`], publicSubnetIds: [`subnet-p-${r}`] }]));
    expect(await failWith(awsArgs({ traffic: publicTraffic, aws: { egress: "none", networks } }))).toBe("no failure");
  });
});

describe("loadBalancerName", () => {
  const VALID = /^[0-9A-Za-z](?:[0-9A-Za-z-]*[0-9A-Za-z])?$/;

  it("keeps short names, hashes long ones, never starts with internal-", () => {
    expect(loadBalancerName("web-aws-us-east-1-lb")).toBe("web-aws-us-east-1-lb");
    expect(loadBalancerName("web-aws-us-east-1-lb", "8443")).toBe("web-aws-us-east-1-lb-8443");
    const long = loadBalancerName("checkout-frontend-aws-ap-southeast-2-lb");
    expect(long).toHaveLength(MAX_LB_NAME);
    expect(long).toMatch(/^checkout-frontend-aws-a-[0-9a-f]{8}$/);
    expect(loadBalancerName("internal-aws-us-east-1-lb")).toBe("lb-internal-aws-us-east-1-lb");
  });

  // At most 32 alphanumerics or hyphens, no hyphen at either end, not starting with "internal-":
  // https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html
  it("is a valid ELB name, deterministic, and distinct for distinct inputs (property)", () => {
    const slugPart = fc.stringMatching(/^[a-z0-9]{1,12}$/);
    const logical = fc.array(slugPart, { minLength: 1, maxLength: 6 }).map((parts) => parts.join("-"));
    fc.assert(
      fc.property(logical, fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }), (name, port) => {
        const n = loadBalancerName(name, port === undefined ? undefined : String(port));
        expect(n.length).toBeLessThanOrEqual(MAX_LB_NAME);
        expect(n).toMatch(VALID);
        expect(n.startsWith("internal-")).toBe(false);
        expect(loadBalancerName(name, port === undefined ? undefined : String(port))).toBe(n);
      }),
      { seed: 20261128, numRuns: 200 },
    );
    fc.assert(
      fc.property(logical, logical, (a, b) => {
        fc.pre(a !== b && !a.startsWith("internal-") && !b.startsWith("internal-"));
        expect(loadBalancerName(a)).not.toBe(loadBalancerName(b));
      }),
      { seed: 20261129, numRuns: 200 },
    );
  });
});
