/**
 * AWS conformance: MultiCloudWorkload under Pulumi's mocks, on a matrix of plans that place
 * instances on AWS (on-demand only, spot next to on-demand, two regions, a GPU type, arm64, a given
 * network with public IPs asked, a created network without egress, and `traffic` variants: an
 * internal load balancer in two regions, an internet-facing one with a TCP health check, one on a
 * given network with its public subnets). Every registered aws:*
 * resource is checked against the documented AWS API rules, one rule per object, each with the
 * page it comes from (researched in /tmp/research/aws-rules.md); then what "a pulumi up that
 * serves" needs: egress through NAT, rolling updates by instance refresh, on-demand kept above the
 * base in the plan's share, and with `traffic` one network load balancer per region that every
 * group of the region registers in, with ELB health checks.
 *
 * The rules read only recorded inputs. Under the mocks an id is `${logical name}_id`, so a
 * reference (vpcId, subnetId, ...) is resolved to its resource by id and type.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { MultiCloudWorkloadArgs } from "../../components";
import type { InstanceOffer } from "../../core/catalog/offer";
import type { Plan } from "../../core";
import { offer } from "../helpers/catalog";
import { setupPulumi, type Recorded } from "../components/harness";
import { webArgs } from "../components/scenario";
import { deployWorkload } from "../components/deploy";

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
  policy: "aws:autoscaling/policy:Policy",
  nlb: "aws:lb/loadBalancer:LoadBalancer",
  tg: "aws:lb/targetGroup:TargetGroup",
  listener: "aws:lb/listener:Listener",
} as const;

/** Pulumi's auto-name appends "-" and 7 hex characters to the logical name. */
const AUTO_NAME_SUFFIX = 8;

// ---------------------------------------------------------------------------------------------
// The matrix

const M7I = { instanceType: "m7i.xlarge", vcpu: 4, memoryGiB: 16 } as const;

interface Scenario {
  name: string;
  args: MultiCloudWorkloadArgs;
}

function awsOnly(offers: InstanceOffer[], overrides: Partial<MultiCloudWorkloadArgs>): MultiCloudWorkloadArgs {
  const regions = [...new Set(offers.map((o) => o.region))].sort();
  return webArgs({ demand: { replicas: 6, cpu: 2, memoryGiB: 8 }, providers: { aws: { regions } }, constraints: {}, ...overrides }, offers);
}

const SCENARIOS: Scenario[] = [
  {
    name: "on-demand only",
    args: awsOnly([offer({ provider: "aws", region: "us-east-1", ...M7I, onDemandHourlyUsd: 0.2 })], {}),
  },
  {
    // 3 instances, at most 34% of replicas on spot: 1 spot + 2 on-demand (percent 67 above the base).
    name: "spot next to on-demand",
    args: awsOnly([offer({ provider: "aws", region: "us-east-1", ...M7I, onDemandHourlyUsd: 0.2, spotHourlyUsd: 0.06 })], { constraints: { maxSpotShare: 0.34 } }),
  },
  {
    name: "two regions",
    args: awsOnly(
      [offer({ provider: "aws", region: "us-east-1", ...M7I, onDemandHourlyUsd: 0.2 }), offer({ provider: "aws", region: "us-west-2", ...M7I, onDemandHourlyUsd: 0.21 })],
      { demand: { replicas: 8, cpu: 2, memoryGiB: 8 }, constraints: { quotas: { "aws/us-east-1": { vcpu: 8 }, "aws/us-west-2": { vcpu: 8 } } } },
    ),
  },
  {
    name: "GPU (g6.xlarge, L4)",
    args: awsOnly([offer({ provider: "aws", region: "us-east-1", instanceType: "g6.xlarge", vcpu: 4, memoryGiB: 16, gpus: 1, gpuType: "l4", onDemandHourlyUsd: 0.805 })], {
      demand: { replicas: 2, cpu: 2, memoryGiB: 8, gpus: 1 },
      instance: { gpuType: "l4" },
    }),
  },
  {
    name: "arm64 (m7g)",
    args: awsOnly([offer({ provider: "aws", region: "us-west-2", instanceType: "m7g.xlarge", vcpu: 4, memoryGiB: 16, arch: "arm64", onDemandHourlyUsd: 0.163 })], {
      instance: { arch: "arm64" },
    }),
  },
  {
    name: "given network, public IPs asked",
    args: awsOnly([offer({ provider: "aws", region: "us-east-1", ...M7I, onDemandHourlyUsd: 0.2 })], {
      assignPublicIp: true,
      aws: { networks: { "us-east-1": { vpcId: "vpc-0given", subnetIds: ["subnet-0a", "subnet-0b"] } } },
    }),
  },
  {
    name: "egress none",
    args: awsOnly([offer({ provider: "aws", region: "us-east-1", ...M7I, onDemandHourlyUsd: 0.2 })], { aws: { egress: "none" } }),
  },
  {
    name: "traffic, internal, two regions",
    args: awsOnly(
      [offer({ provider: "aws", region: "us-east-1", ...M7I, onDemandHourlyUsd: 0.2, spotHourlyUsd: 0.06 }), offer({ provider: "aws", region: "us-west-2", ...M7I, onDemandHourlyUsd: 0.21 })],
      {
        demand: { replicas: 8, cpu: 2, memoryGiB: 8 },
        constraints: { maxSpotShare: 0.25, quotas: { "aws/us-east-1": { vcpu: 8 }, "aws/us-west-2": { vcpu: 8 } } },
        traffic: { port: 443, targetPort: 8443, healthCheck: { path: "/healthz", intervalSeconds: 30, unhealthyThreshold: 10 } },
      },
    ),
  },
  {
    name: "traffic, public, TCP health check",
    args: awsOnly([offer({ provider: "aws", region: "us-east-1", ...M7I, onDemandHourlyUsd: 0.2 })], {
      traffic: { port: 80, targetPort: 65535, public: true, healthCheck: { protocol: "tcp", unhealthyThreshold: 2 } },
    }),
  },
  {
    name: "traffic, public, given network",
    args: awsOnly([offer({ provider: "aws", region: "us-east-1", ...M7I, onDemandHourlyUsd: 0.2 })], {
      traffic: { port: 1, protocol: "http", public: true, healthCheck: { protocol: "https", path: "/" + "p".repeat(254), port: 65535 } },
      aws: { networks: { "us-east-1": { vpcId: "vpc-0given", subnetIds: ["subnet-0a", "subnet-0b"], publicSubnetIds: ["subnet-0pa", "subnet-0pb"] } } },
    }),
  },
];

const TRAFFIC_SCENARIOS = SCENARIOS.filter((s) => s.args.traffic !== undefined).map((s) => s.name);

interface Deployed {
  scenario: Scenario;
  plan: Plan;
  graph: Graph;
}

const deployed = new Map<string, Deployed>();

beforeAll(async () => {
  // One after another: Pulumi's mocks are process-global.
  for (const scenario of SCENARIOS) {
    const h = await setupPulumi({ stack: "dev" });
    const { plan } = await deployWorkload(h, scenario.args);
    deployed.set(scenario.name, { scenario, plan, graph: graphOf(h.resources.filter((r) => r.type.startsWith("aws:")), scenario.args.assignPublicIp ?? false) });
  }
}, 120_000);

// ---------------------------------------------------------------------------------------------
// The resource graph, as recorded

interface Graph {
  resources: Recorded[];
  /** The scenario's `assignPublicIp`. */
  assignPublicIp: boolean;
  ofType(type: string): Recorded[];
  /** The resource of `type` whose id (under the mocks `${name}_id`) is `id`. */
  byId(type: string, id: unknown): Recorded | undefined;
  /** The load balancer or target group whose ARN (under the mocks `...:<kind>/<name>/<id>`) is `arn`. */
  byArn(type: string, arn: unknown): Recorded | undefined;
}

function graphOf(resources: Recorded[], assignPublicIp = false): Graph {
  return {
    resources,
    assignPublicIp,
    ofType: (type) => resources.filter((r) => r.type === type),
    byId: (type, id) => resources.find((r) => r.type === type && `${r.name}_id` === id),
    byArn: (type, arn) => resources.find((r) => r.type === type && typeof arn === "string" && arn.includes(`/${r.inputs.name ?? r.name}/`)),
  };
}

/** The route table associated with a subnet (a subnet has exactly one association). */
function routeTableOf(g: Graph, subnetId: unknown): Recorded | undefined {
  const association = g.ofType(T.rta).find((a) => a.inputs.subnetId === subnetId);
  return association && g.byId(T.rt, association.inputs.routeTableId);
}

function defaultRoute(table: Recorded | undefined): Record<string, any> | undefined {
  return (table?.inputs.routes as Record<string, any>[] | undefined)?.find((r) => r.cidrBlock === "0.0.0.0/0");
}

// ---------------------------------------------------------------------------------------------
// IPv4 CIDR arithmetic

interface Cidr {
  base: number;
  prefix: number;
  size: number;
}

function cidr(text: unknown): Cidr | undefined {
  const m = typeof text === "string" ? /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text) : null;
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const base = octets.reduce((n, o) => n * 256 + o, 0);
  return { base, prefix, size: 2 ** (32 - prefix) };
}

const canonical = (c: Cidr) => c.base % c.size === 0;
const contains = (outer: Cidr, inner: Cidr) => inner.base >= outer.base && inner.base + inner.size <= outer.base + outer.size;
const overlaps = (a: Cidr, b: Cidr) => a.base < b.base + b.size && b.base < a.base + a.size;

// ---------------------------------------------------------------------------------------------
// The rules: one documented rule each

interface Rule {
  name: string;
  url: string;
  /** Resource types the rule applies to; absent = every aws:* resource. */
  types?: readonly string[];
  check(r: Recorded, g: Graph): string | undefined;
}

const problems = (list: (string | false | undefined)[]) => list.filter((p): p is string => typeof p === "string").join("; ") || undefined;

/** Every tag map a resource sets: its own tags and those it puts on what it launches. */
function tagMaps(r: Recorded): Record<string, string>[] {
  if (Array.isArray(r.inputs.tags)) return [Object.fromEntries((r.inputs.tags as { key: string; value: string }[]).map((t) => [t.key, t.value]))];
  const own = r.inputs.tags ? [r.inputs.tags as Record<string, string>] : [];
  const launched = ((r.inputs.tagSpecifications ?? []) as { tags?: Record<string, string> }[]).map((s) => s.tags ?? {});
  return [...own, ...launched];
}

const ASCII_33_126 = /^[\x21-\x7e]+$/;
/** An ELB name: 1-32 alphanumerics or hyphens, no hyphen at either end (CreateLoadBalancer, CreateTargetGroup). */
const ELB_NAME = /^[0-9A-Za-z](?:[0-9A-Za-z-]{0,30}[0-9A-Za-z])?$/;
const NLB_PROTOCOLS = ["TCP", "TLS", "UDP", "TCP_UDP", "QUIC", "TCP_QUIC"];
const isPort = (p: unknown) => Number.isInteger(p) && (p as number) >= 1 && (p as number) <= 65535;
const between = (n: unknown, min: number, max: number) => Number.isInteger(n) && (n as number) >= min && (n as number) <= max;
/** The target groups an auto scaling group registers in. */
const targetGroupsOf = (asg: Recorded, g: Graph) => ((asg.inputs.targetGroupArns ?? []) as unknown[]).map((arn) => g.byArn(T.tg, arn));
const SG_CHARS = /^[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]*$/;

const RULES: Rule[] = [
  {
    name: "EC2 tags: key 1-127 characters, value at most 256, no aws: prefix",
    url: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_Tag.html",
    types: [T.vpc, T.subnet, T.sg, T.lt, T.igw, T.eip, T.nat, T.rt],
    check: (r) =>
      problems(tagMaps(r).flatMap((tags) => Object.entries(tags).map(([k, v]) =>
        (k.length < 1 || k.length > 127 || v.length > 256 || k.toLowerCase().startsWith("aws:")) && `tag ${k}`))),
  },
  {
    name: "Auto Scaling tags: key 1-128 characters, value at most 256",
    url: "https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_Tag.html",
    types: [T.asg],
    check: (r) => problems(tagMaps(r).flatMap((tags) => Object.entries(tags).map(([k, v]) => (k.length < 1 || k.length > 128 || v.length > 256) && `tag ${k}`))),
  },
  {
    name: "at most 50 user tags per resource, no aws: prefix on keys or values",
    url: "https://docs.aws.amazon.com/batch/latest/userguide/tag-restrictions.html",
    check: (r) =>
      problems(tagMaps(r).flatMap((tags) => [
        Object.keys(tags).length > 50 && `${Object.keys(tags).length} tags`,
        ...Object.entries(tags).map(([k, v]) => (k.toLowerCase().startsWith("aws:") || v.toLowerCase().startsWith("aws:")) && `reserved prefix in ${k}`),
      ])),
  },
  {
    name: "launch template: IMDSv2 required (httpTokens required), hop limit 1-64",
    url: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_LaunchTemplateInstanceMetadataOptionsRequest.html",
    types: [T.lt],
    check: (r) => {
      const m = r.inputs.metadataOptions ?? {};
      return problems([
        m.httpTokens !== "required" && `httpTokens ${m.httpTokens}`,
        m.httpEndpoint !== undefined && !["enabled", "disabled"].includes(m.httpEndpoint) && `httpEndpoint ${m.httpEndpoint}`,
        m.httpPutResponseHopLimit !== undefined && !(Number.isInteger(m.httpPutResponseHopLimit) && m.httpPutResponseHopLimit >= 1 && m.httpPutResponseHopLimit <= 64) && `hop limit ${m.httpPutResponseHopLimit}`,
      ]);
    },
  },
  {
    name: "launch template: user data is base64 of at most 16 KB raw",
    url: "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instancedata-add-user-data.html",
    types: [T.lt],
    check: (r) => {
      const data = r.inputs.userData;
      if (data === undefined) return undefined;
      if (typeof data !== "string" || !/^[A-Za-z0-9+/]*={0,2}$/.test(data) || data.length % 4 !== 0) return "user data is not base64";
      const raw = Buffer.from(data, "base64").length;
      return raw > 16 * 1024 ? `user data is ${raw} bytes raw` : undefined;
    },
  },
  {
    name: "launch template name: 3-125 characters of [0-9A-Za-z()./_-] (logical name + auto-name suffix)",
    url: "https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_LaunchTemplateSpecification.html",
    types: [T.lt],
    check: (r) => {
      const length = r.name.length + AUTO_NAME_SUFFIX;
      return problems([!/^[0-9A-Za-z()./_-]+$/.test(r.name) && `name ${r.name}`, (length < 3 || length > 125) && `name of ${length} characters`]);
    },
  },
  {
    name: "launch template EBS: gp3 volume 1-65,536 GiB; encrypted and deleteOnTermination are strings",
    url: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_LaunchTemplateEbsBlockDeviceRequest.html",
    types: [T.lt],
    check: (r) =>
      problems(((r.inputs.blockDeviceMappings ?? []) as { ebs?: Record<string, any> }[]).map(({ ebs }) =>
        ebs && ((ebs.volumeType === "gp3" && !(ebs.volumeSize >= 1 && ebs.volumeSize <= 65536)) || typeof ebs.encrypted !== "string" || typeof ebs.deleteOnTermination !== "string") && `ebs ${JSON.stringify(ebs)}`)),
  },
  {
    name: "security group: description required, at most 255 characters of the allowed set",
    url: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html",
    types: [T.sg],
    check: (r) => {
      const d = r.inputs.description;
      return typeof d === "string" && d.length >= 1 && d.length <= 255 && SG_CHARS.test(d) ? undefined : `description ${JSON.stringify(d)}`;
    },
  },
  {
    name: "security group name: at most 255 characters of the allowed set, not starting with sg-",
    url: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html",
    types: [T.sg],
    check: (r) => {
      const name = (r.inputs.name as string | undefined) ?? r.name;
      return problems([name.toLowerCase().startsWith("sg-") && "starts with sg-", !SG_CHARS.test(name) && "characters", name.length + AUTO_NAME_SUFFIX > 255 && "too long"]);
    },
  },
  {
    name: "VPC: a canonical IPv4 CIDR between /16 and /28",
    url: "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html",
    types: [T.vpc],
    check: (r) => {
      const c = cidr(r.inputs.cidrBlock);
      return c && canonical(c) && c.prefix >= 16 && c.prefix <= 28 ? undefined : `cidr ${r.inputs.cidrBlock}`;
    },
  },
  {
    name: "subnet: a canonical CIDR between /16 and /28, inside its VPC, overlapping no other subnet of it",
    url: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSubnet.html",
    types: [T.subnet],
    check: (r, g) => {
      const c = cidr(r.inputs.cidrBlock);
      const vpc = g.byId(T.vpc, r.inputs.vpcId);
      const network = cidr(vpc?.inputs.cidrBlock);
      if (!c || !canonical(c) || c.prefix < 16 || c.prefix > 28) return `cidr ${r.inputs.cidrBlock}`;
      if (!network || !contains(network, c)) return `outside its VPC ${vpc?.inputs.cidrBlock}`;
      const clash = g.ofType(T.subnet).find((s) => s !== r && s.inputs.vpcId === r.inputs.vpcId && overlaps(c, cidr(s.inputs.cidrBlock)!));
      return clash && `overlaps ${clash.name} ${clash.inputs.cidrBlock}`;
    },
  },
  {
    name: "auto scaling group name: 1-255 ASCII characters 33-126, no colon",
    url: "https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_CreateAutoScalingGroup.html",
    types: [T.asg],
    check: (r) => (ASCII_33_126.test(r.name) && !r.name.includes(":") && r.name.length + AUTO_NAME_SUFFIX <= 255 ? undefined : `name ${r.name}`),
  },
  {
    name: "auto scaling group: 0 <= min <= desired <= max",
    url: "https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_CreateAutoScalingGroup.html",
    types: [T.asg],
    check: ({ inputs: { minSize, maxSize, desiredCapacity } }) => {
      const desired = desiredCapacity ?? minSize;
      return Number.isInteger(minSize) && Number.isInteger(maxSize) && minSize >= 0 && minSize <= desired && desired <= maxSize ? undefined : `min ${minSize} desired ${desiredCapacity} max ${maxSize}`;
    },
  },
  {
    name: "instances distribution: base >= 0, on-demand percentage above base 0-100, allocation strategies of the documented values",
    url: "https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_InstancesDistribution.html",
    types: [T.asg],
    check: (r) => {
      const d = r.inputs.mixedInstancesPolicy?.instancesDistribution;
      if (!d) return undefined;
      const pct = d.onDemandPercentageAboveBaseCapacity;
      return problems([
        !(Number.isInteger(d.onDemandBaseCapacity ?? 0) && (d.onDemandBaseCapacity ?? 0) >= 0) && `base ${d.onDemandBaseCapacity}`,
        pct !== undefined && !(Number.isInteger(pct) && pct >= 0 && pct <= 100) && `percentage ${pct}`,
        d.spotAllocationStrategy !== undefined && !["lowest-price", "capacity-optimized", "capacity-optimized-prioritized", "price-capacity-optimized"].includes(d.spotAllocationStrategy) && `spot strategy ${d.spotAllocationStrategy}`,
        d.onDemandAllocationStrategy !== undefined && !["lowest-price", "prioritized"].includes(d.onDemandAllocationStrategy) && `on-demand strategy ${d.onDemandAllocationStrategy}`,
        d.spotInstancePools !== undefined && d.spotAllocationStrategy !== "lowest-price" && d.spotInstancePools !== 0 && "spotInstancePools only with lowest-price",
      ]);
    },
  },
  {
    name: "mixed instances policy: at most 40 instance types",
    url: "https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_LaunchTemplateOverrides.html",
    types: [T.asg],
    check: (r) => {
      const overrides = r.inputs.mixedInstancesPolicy?.launchTemplate?.overrides ?? [];
      return overrides.length > 40 ? `${overrides.length} overrides` : undefined;
    },
  },
  {
    name: "launch template reference: id or name (one), version a number, $Latest or $Default",
    url: "https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_LaunchTemplateSpecification.html",
    types: [T.asg],
    check: (r, g) => {
      const spec = r.inputs.mixedInstancesPolicy?.launchTemplate?.launchTemplateSpecification ?? r.inputs.launchTemplate;
      if (!spec) return "no launch template";
      return problems([
        (spec.launchTemplateId === undefined) === (spec.launchTemplateName === undefined) && "exactly one of id and name",
        spec.launchTemplateId !== undefined && !g.byId(T.lt, spec.launchTemplateId) && `unknown template ${spec.launchTemplateId}`,
        spec.version !== undefined && !/^(\d+|\$Latest|\$Default)$/.test(spec.version) && `version ${spec.version}`,
      ]);
    },
  },
  {
    name: "instance refresh: strategy Rolling; min healthy 0-100, max healthy 100-200, max needs min, max - min <= 100",
    url: "https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_RefreshPreferences.html",
    types: [T.asg],
    check: (r) => {
      const refresh = r.inputs.instanceRefresh;
      if (!refresh) return undefined;
      const { minHealthyPercentage: min, maxHealthyPercentage: max } = refresh.preferences ?? {};
      return problems([
        refresh.strategy !== "Rolling" && `strategy ${refresh.strategy}`,
        min !== undefined && !(min >= 0 && min <= 100) && `min ${min}`,
        max !== undefined && !(max >= 100 && max <= 200) && `max ${max}`,
        max !== undefined && min === undefined && "max without min",
        max !== undefined && min !== undefined && max - min > 100 && `max - min = ${max - min}`,
      ]);
    },
  },
  {
    name: "instance refresh never starts on $Latest (or $Default): reference a template version number",
    url: "https://docs.aws.amazon.com/autoscaling/ec2/userguide/asg-instance-refresh.html",
    types: [T.asg],
    check: (r) => {
      const version = r.inputs.mixedInstancesPolicy?.launchTemplate?.launchTemplateSpecification?.version ?? r.inputs.launchTemplate?.version;
      return r.inputs.instanceRefresh && !/^\d+$/.test(String(version)) ? `version ${version} with an instance refresh` : undefined;
    },
  },
  {
    name: "target-tracking policy: documented policy and predefined metric types, a target value",
    url: "https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_PredefinedMetricSpecification.html",
    types: [T.policy],
    check: (r) => {
      const c = r.inputs.targetTrackingConfiguration;
      return problems([
        !["TargetTrackingScaling", "StepScaling", "SimpleScaling", "PredictiveScaling"].includes(r.inputs.policyType) && `policy type ${r.inputs.policyType}`,
        r.inputs.policyType === "TargetTrackingScaling" && typeof c?.targetValue !== "number" && "no target value",
        c && !["ASGAverageCPUUtilization", "ASGAverageNetworkIn", "ASGAverageNetworkOut", "ALBRequestCountPerTarget"].includes(c.predefinedMetricSpecification?.predefinedMetricType) && "metric type",
      ]);
    },
  },
  {
    name: "Elastic IP: domain vpc",
    url: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AllocateAddress.html",
    types: [T.eip],
    check: (r) => (r.inputs.domain === "vpc" ? undefined : `domain ${r.inputs.domain}`),
  },
  {
    name: "public NAT gateway: in a subnet routed to an internet gateway of its VPC, with an Elastic IP at creation",
    url: "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-nat-gateway.html",
    types: [T.nat],
    check: (r, g) => {
      if ((r.inputs.connectivityType ?? "public") !== "public") return undefined;
      const subnet = g.byId(T.subnet, r.inputs.subnetId);
      const route = defaultRoute(routeTableOf(g, r.inputs.subnetId));
      const igw = g.byId(T.igw, route?.gatewayId);
      const eip = g.byId(T.eip, r.inputs.allocationId);
      return problems([
        !subnet && "no subnet",
        (!igw || igw.inputs.vpcId !== subnet?.inputs.vpcId) && "its subnet has no route to an internet gateway of the VPC",
        !eip && "no Elastic IP allocation",
      ]);
    },
  },
  {
    name: "route: one destination, exactly one target; NAT routes by natGatewayId; targets in the same VPC",
    url: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateRoute.html",
    types: [T.rt],
    check: (r, g) =>
      problems(((r.inputs.routes ?? []) as Record<string, any>[]).map((route) => {
        const targets = ["gatewayId", "natGatewayId", "transitGatewayId", "vpcEndpointId", "networkInterfaceId", "vpcPeeringConnectionId", "egressOnlyGatewayId"].filter((k) => route[k] !== undefined);
        const destinations = ["cidrBlock", "ipv6CidrBlock", "destinationPrefixListId"].filter((k) => route[k] !== undefined);
        if (targets.length !== 1 || destinations.length !== 1) return `route ${JSON.stringify(route)}`;
        if (route.gatewayId !== undefined && g.byId(T.nat, route.gatewayId)) return "a NAT gateway given as gatewayId";
        const target = route.natGatewayId !== undefined ? g.byId(T.nat, route.natGatewayId) : g.byId(T.igw, route.gatewayId);
        const targetVpc = target?.type === T.nat ? g.byId(T.subnet, target.inputs.subnetId)?.inputs.vpcId : target?.inputs.vpcId;
        return targetVpc !== r.inputs.vpcId && `target ${route.natGatewayId ?? route.gatewayId} not in the VPC`;
      })),
  },
  {
    name: "route table association: exactly one of subnet and gateway; a subnet has one association; same VPC",
    url: "https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html",
    types: [T.rta],
    check: (r, g) => {
      const { subnetId, gatewayId, routeTableId } = r.inputs;
      const table = g.byId(T.rt, routeTableId);
      const subnet = g.byId(T.subnet, subnetId);
      return problems([
        (subnetId === undefined) === (gatewayId === undefined) && "exactly one of subnetId and gatewayId",
        !table && "unknown route table",
        subnet !== undefined && table?.inputs.vpcId !== subnet.inputs.vpcId && "route table and subnet in different VPCs",
        g.ofType(T.rta).filter((a) => subnetId !== undefined && a.inputs.subnetId === subnetId).length > 1 && "subnet associated twice",
      ]);
    },
  },
  {
    name: "no public IPv4 on instances unless assignPublicIp (a public address is reachable through the internet gateway)",
    url: "https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Internet_Gateway.html",
    types: [T.lt, T.subnet],
    check: (r, g) => {
      if (r.type === T.subnet) return r.inputs.mapPublicIpOnLaunch === false ? undefined : "subnet maps public IPs on launch";
      const nics = (r.inputs.networkInterfaces ?? []) as { associatePublicIpAddress?: string }[];
      const asked = String(g.assignPublicIp);
      return nics.length > 0 && nics.every((n) => n.associatePublicIpAddress === asked) ? undefined : `associatePublicIpAddress ${JSON.stringify(nics.map((n) => n.associatePublicIpAddress))}, asked ${asked}`;
    },
  },
  {
    name: "ELBv2 tags: key 1-128 characters, value at most 256",
    url: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_Tag.html",
    types: [T.nlb, T.tg, T.listener],
    check: (r) => problems(tagMaps(r).flatMap((tags) => Object.entries(tags).map(([k, v]) => (k.length < 1 || k.length > 128 || v.length > 256) && `tag ${k}`))),
  },
  {
    // Pulumi does not cap an aws.lb.LoadBalancer auto-name at 32, so the name must be explicit.
    name: "load balancer name: explicit, at most 32 alphanumerics or hyphens, no hyphen at either end, not starting with internal-",
    url: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html",
    types: [T.nlb],
    check: (r) => {
      const name = r.inputs.name;
      return typeof name === "string" && ELB_NAME.test(name) && !name.startsWith("internal-") ? undefined : `name ${JSON.stringify(name)}`;
    },
  },
  {
    // Both default to an application load balancer, internet-facing: set them explicitly.
    name: "load balancer: type network and the scheme set explicitly (internal true or false)",
    url: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html",
    types: [T.nlb],
    check: (r) =>
      problems([
        r.inputs.loadBalancerType !== "network" && `type ${r.inputs.loadBalancerType}`,
        typeof r.inputs.internal !== "boolean" && `internal ${r.inputs.internal} (scheme left to the internet-facing default)`,
        r.inputs.internal === true && r.inputs.ipAddressType !== undefined && r.inputs.ipAddressType !== "ipv4" && `an internal load balancer with ${r.inputs.ipAddressType}`,
      ]),
  },
  {
    name: "load balancer subnets: at least one, subnets or mappings (not both), one subnet per zone, in one VPC",
    url: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html",
    types: [T.nlb],
    check: (r, g) => {
      const ids = (r.inputs.subnets ?? []) as unknown[];
      const known = ids.map((id) => g.byId(T.subnet, id)).filter((s): s is Recorded => s !== undefined);
      const zones = known.map((s) => s.inputs.availabilityZone);
      return problems([
        ids.length === 0 && "no subnets",
        r.inputs.subnetMappings !== undefined && ids.length > 0 && "both subnets and subnetMappings",
        new Set(ids).size !== ids.length && "a subnet twice",
        new Set(zones).size !== zones.length && `two subnets in one zone (${zones.join(", ")})`,
        new Set(known.map((s) => s.inputs.vpcId)).size > 1 && "subnets of different VPCs",
      ]);
    },
  },
  {
    name: "internet-facing load balancer: in public subnets (routed to an internet gateway of the VPC); internal: in none of them",
    url: "https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Internet_Gateway.html",
    types: [T.nlb],
    check: (r, g) =>
      problems(((r.inputs.subnets ?? []) as unknown[]).map((id) => {
        const subnet = g.byId(T.subnet, id);
        if (!subnet) return undefined; // a given subnet: the user's word
        const igw = g.byId(T.igw, defaultRoute(routeTableOf(g, id))?.gatewayId);
        const isPublic = igw !== undefined && igw.inputs.vpcId === subnet.inputs.vpcId;
        if (r.inputs.internal === false && !isPublic) return `internet-facing in ${subnet.name}, which has no route to an internet gateway`;
        if (r.inputs.internal === true && isPublic) return `internal in the public subnet ${subnet.name}`;
        return undefined;
      })),
  },
  {
    // An auto-name is the logical name + "-" + 7 hex: it must fit 32 too.
    name: "target group name: at most 32 alphanumerics or hyphens, no hyphen at either end",
    url: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html",
    types: [T.tg],
    check: (r) => {
      const name = (r.inputs.name as string | undefined) ?? `${r.name}-0000000`;
      return ELB_NAME.test(name) ? undefined : `name ${name}`;
    },
  },
  {
    name: "target group: port 1-65535, an NLB protocol, a VPC, target type instance (auto scaling groups register instances)",
    url: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html",
    types: [T.tg],
    check: (r, g) =>
      problems([
        !isPort(r.inputs.port) && `port ${r.inputs.port}`,
        !NLB_PROTOCOLS.includes(r.inputs.protocol) && `protocol ${r.inputs.protocol}`,
        (r.inputs.vpcId === undefined || r.inputs.vpcId === "") && "no VPC",
        (r.inputs.targetType ?? "instance") !== "instance" && g.ofType(T.asg).some((a) => targetGroupsOf(a, g).includes(r)) && `target type ${r.inputs.targetType} with an auto scaling group`,
      ]),
  },
  {
    // The provider sends protocol HTTP when it is left out, and refuses a path on a TCP check.
    name: "target group health check: protocol HTTP, HTTPS or TCP set explicitly; path (1-1024, from /) only for HTTP(S); port traffic-port or 1-65535; interval 5-300; thresholds 2-10; timeout 2-120; enabled",
    url: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html",
    types: [T.tg],
    check: (r) => {
      const hc = r.inputs.healthCheck as Record<string, any> | undefined;
      if (!hc) return "no health check (the provider would probe HTTP /)";
      const port = hc.port ?? "traffic-port";
      return problems([
        !["HTTP", "HTTPS", "TCP"].includes(hc.protocol) && `protocol ${hc.protocol}`,
        hc.protocol === "TCP" && (hc.path !== undefined || hc.matcher !== undefined) && "path or matcher on a TCP check",
        hc.path !== undefined && !(typeof hc.path === "string" && hc.path.startsWith("/") && hc.path.length <= 1024) && `path ${hc.path}`,
        !(port === "traffic-port" || (typeof port === "string" && /^\d+$/.test(port) && isPort(Number(port)))) && `port ${JSON.stringify(port)}`,
        hc.interval !== undefined && !between(hc.interval, 5, 300) && `interval ${hc.interval}`,
        hc.healthyThreshold !== undefined && !between(hc.healthyThreshold, 2, 10) && `healthy threshold ${hc.healthyThreshold}`,
        hc.unhealthyThreshold !== undefined && !between(hc.unhealthyThreshold, 2, 10) && `unhealthy threshold ${hc.unhealthyThreshold}`,
        hc.timeout !== undefined && !between(hc.timeout, 2, 120) && `timeout ${hc.timeout}`,
        hc.enabled === false && "health checks cannot be disabled for instance targets",
      ]);
    },
  },
  {
    // For a network load balancer the provider sends no protocol when it is left out.
    name: "listener: port 1-65535, protocol set (TCP for a TCP target group), forward to a target group of the same VPC, on a known load balancer",
    url: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateListener.html",
    types: [T.listener],
    check: (r, g) => {
      const actions = (r.inputs.defaultActions ?? []) as Record<string, any>[];
      const nlb = g.byArn(T.nlb, r.inputs.loadBalancerArn);
      return problems([
        !isPort(r.inputs.port) && `port ${r.inputs.port}`,
        !NLB_PROTOCOLS.includes(r.inputs.protocol) && `protocol ${r.inputs.protocol}`,
        !nlb && "unknown load balancer",
        actions.length === 0 && "no default action",
        ...actions.map((a) => {
          const tg = g.byArn(T.tg, a.targetGroupArn);
          if (a.type !== "forward" || !tg) return `action ${JSON.stringify(a)}`;
          if (r.inputs.protocol === "TCP" && !["TCP", "TCP_UDP"].includes(tg.inputs.protocol)) return `TCP listener to a ${tg.inputs.protocol} target group`;
          const lbVpc = g.byId(T.subnet, nlb?.inputs.subnets?.[0])?.inputs.vpcId;
          return lbVpc !== undefined && lbVpc !== tg.inputs.vpcId ? "target group in another VPC" : undefined;
        }),
      ]);
    },
  },
  {
    name: "auto scaling group health checks: type from EC2, EBS, ELB, VPC_LATTICE (at most 32 characters); target groups known, at most 50; ELB checks need a target group",
    url: "https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_CreateAutoScalingGroup.html",
    types: [T.asg],
    check: (r, g) => {
      const type = r.inputs.healthCheckType as string | undefined;
      const groups = targetGroupsOf(r, g);
      return problems([
        type !== undefined && !(type.length <= 32 && type.split(",").every((t) => ["EC2", "EBS", "ELB", "VPC_LATTICE"].includes(t))) && `type ${type}`,
        groups.length > 50 && `${groups.length} target groups`,
        groups.some((t) => t === undefined) && "an unknown target group",
        type?.split(",").includes("ELB") === true && groups.length === 0 && "ELB health checks without a target group",
      ]);
    },
  },
  {
    // A grace period shorter than the checks need to pass once makes the group replace instances
    // that are still coming up.
    name: "health-check grace period: whole seconds >= 0; with ELB checks at least the time to pass its target groups' checks (healthy threshold x interval)",
    url: "https://docs.aws.amazon.com/autoscaling/ec2/userguide/health-check-grace-period.html",
    types: [T.asg],
    check: (r, g) => {
      const grace = r.inputs.healthCheckGracePeriod;
      if (grace === undefined) return undefined;
      if (!Number.isInteger(grace) || grace < 0) return `grace period ${grace}`;
      if (!String(r.inputs.healthCheckType ?? "").split(",").includes("ELB")) return undefined;
      const needed = Math.max(0, ...targetGroupsOf(r, g).map((t) => (t?.inputs.healthCheck?.healthyThreshold ?? 3) * (t?.inputs.healthCheck?.interval ?? 30)));
      return grace < needed ? `grace period ${grace} s < ${needed} s to pass the checks` : undefined;
    },
  },
  {
    // Client IP preservation is on for instance targets of a TCP target group, and the health
    // checks come from the load balancer's private addresses in the VPC.
    name: "instances behind a load balancer admit its health-check port and the target port from the VPC's range",
    url: "https://docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-register-targets.html#target-security-groups",
    types: [T.tg],
    check: (r, g) => {
      const vpc = cidr(g.byId(T.vpc, r.inputs.vpcId)?.inputs.cidrBlock);
      if (!vpc) return undefined; // a given VPC: its ranges are looked up (test/components/aws-traffic.test.ts)
      const hcPort = r.inputs.healthCheck?.port === undefined || r.inputs.healthCheck.port === "traffic-port" ? r.inputs.port : Number(r.inputs.healthCheck.port);
      const groups = g.ofType(T.asg).filter((a) => targetGroupsOf(a, g).includes(r));
      return problems(groups.flatMap((asg) => {
        const template = g.byId(T.lt, asg.inputs.mixedInstancesPolicy?.launchTemplate?.launchTemplateSpecification?.launchTemplateId);
        const sgs = ((template?.inputs.networkInterfaces?.[0]?.securityGroups ?? []) as unknown[]).map((id) => g.byId(T.sg, id));
        const rules = sgs.flatMap((sg) => (sg?.inputs.ingress ?? []) as Record<string, any>[]);
        const fromVpc = (x: Record<string, any>) => ((x.cidrBlocks ?? []) as string[]).some((c) => { const range = cidr(c); return range !== undefined && contains(range, vpc); });
        const admits = (port: number) => rules.some((x) => (x.protocol === "-1" || (x.protocol === "tcp" && x.fromPort <= port && port <= x.toPort)) && fromVpc(x));
        return [!admits(hcPort) && `${asg.name} does not admit the health checks on ${hcPort}`, !admits(r.inputs.port) && `${asg.name} does not admit ${r.inputs.port} from the VPC`];
      }));
    },
  },
];

function violations(d: Deployed): string[] {
  return d.graph.resources.flatMap((r) =>
    RULES.filter((rule) => !rule.types || rule.types.includes(r.type)).map((rule) => {
      const problem = rule.check(r, d.graph);
      return problem && `${r.type} ${r.name}: ${rule.name} (${rule.url}): ${problem}`;
    }),
  ).filter((p): p is string => typeof p === "string");
}

// ---------------------------------------------------------------------------------------------
// The plan's numbers per group

function planned(plan: Plan, region: string, instanceType: string): { onDemand: number; spot: number } {
  const of = (lifecycle: string) => plan.allocations.filter((a) => a.provider === "aws" && a.region === region && a.instanceType === instanceType && a.lifecycle === lifecycle).reduce((n, a) => n + a.count, 0);
  return { onDemand: of("on-demand"), spot: of("spot") };
}

function groupsOf(d: Deployed): { asg: Recorded; region: string; instanceType: string; onDemand: number; spot: number }[] {
  return d.graph.ofType(T.asg).map((asg) => {
    const instanceType = asg.inputs.mixedInstancesPolicy.launchTemplate.overrides[0].instanceType as string;
    const region = d.plan.allocations.find((a) => a.provider === "aws" && a.instanceType === instanceType && asg.name.includes(`-${a.region}-`))!.region;
    return { asg, region, instanceType, ...planned(d.plan, region, instanceType) };
  });
}

const get = (name: string) => deployed.get(name)!;

// ---------------------------------------------------------------------------------------------

describe.each(SCENARIOS.map((s) => s.name))("AWS conformance: %s", (name) => {
  it("places instances on AWS (the scenario's premise)", () => {
    const d = get(name);
    expect(d.plan.allocations.length).toBeGreaterThan(0);
    expect(d.plan.allocations.every((a) => a.provider === "aws")).toBe(true);
    expect(d.graph.ofType(T.asg).length).toBeGreaterThan(0);
  });

  it("every aws:* resource follows the documented rules", () => {
    expect(violations(get(name))).toEqual([]);
  });

  it("every aws:* resource type emitted is covered by at least one type-specific rule", () => {
    const covered = new Set(RULES.flatMap((r) => r.types ?? []));
    expect([...new Set(get(name).graph.resources.map((r) => r.type))].filter((t) => !covered.has(t))).toEqual([]);
  });

  it("rolls changes out by instance refresh, never below the plan, on the template's version number", () => {
    const d = get(name);
    for (const { asg } of groupsOf(d)) {
      expect(asg.inputs.instanceRefresh, asg.name).toEqual({ strategy: "Rolling", preferences: { minHealthyPercentage: 100, maxHealthyPercentage: 200 } });
      // The mocks' launch templates are at version 1.
      expect(asg.inputs.mixedInstancesPolicy.launchTemplate.launchTemplateSpecification.version, asg.name).toBe("1");
    }
  });

  it("keeps the planned on-demand instances as the base and the plan's on-demand share above it", () => {
    for (const g of groupsOf(get(name))) {
      const d = g.asg.inputs.mixedInstancesPolicy.instancesDistribution;
      expect(d.onDemandBaseCapacity, g.asg.name).toBe(g.onDemand);
      expect(g.asg.inputs.minSize, g.asg.name).toBe(g.onDemand + g.spot);
      // Rounded up: the spot share above the base never exceeds the plan's spot share.
      expect(d.onDemandPercentageAboveBaseCapacity, g.asg.name).toBe(Math.ceil((100 * g.onDemand) / (g.onDemand + g.spot)));
      expect(100 - d.onDemandPercentageAboveBaseCapacity).toBeLessThanOrEqual((100 * g.spot) / (g.onDemand + g.spot));
    }
  });
});

describe.each(TRAFFIC_SCENARIOS)("AWS traffic: %s", (name) => {
  const regionsOf = (d: Deployed) => [...new Set(d.plan.allocations.map((a) => a.region))].sort();
  const inRegion = (d: Deployed, type: string, region: string) => d.graph.ofType(type).filter((r) => r.name.startsWith(`web-aws-${region}-`));

  it("one network load balancer, target group and listener per planned region, and nothing more", () => {
    const d = get(name);
    for (const type of [T.nlb, T.tg, T.listener]) {
      expect(d.graph.ofType(type), type).toHaveLength(regionsOf(d).length);
      for (const region of regionsOf(d)) expect(inRegion(d, type, region).map((r) => r.name), `${type} ${region}`).toEqual([`web-aws-${region}-lb`]);
    }
  });

  it("every group registers in its region's target group, with ELB health checks", () => {
    const d = get(name);
    for (const region of regionsOf(d)) {
      const [tg] = inRegion(d, T.tg, region);
      for (const asg of inRegion(d, T.asg, region)) {
        expect(targetGroupsOf(asg, d.graph), asg.name).toEqual([tg]);
        expect(asg.inputs.healthCheckType, asg.name).toBe("ELB");
      }
    }
  });

  it("the scheme follows traffic.public, the ports and the health check follow traffic", () => {
    const d = get(name);
    const t = d.scenario.args.traffic!;
    for (const nlb of d.graph.ofType(T.nlb)) expect(nlb.inputs.internal, nlb.name).toBe(!(t.public ?? false));
    for (const listener of d.graph.ofType(T.listener)) expect(listener.inputs.port).toBe(t.port);
    for (const tg of d.graph.ofType(T.tg)) {
      expect(tg.inputs.port).toBe(t.targetPort ?? t.port);
      const hc = t.healthCheck ?? {};
      const protocol = hc.protocol ?? (t.protocol === "http" || hc.path !== undefined ? "http" : "tcp");
      expect(tg.inputs.healthCheck).toMatchObject({
        protocol: protocol.toUpperCase(),
        port: String(hc.port ?? t.targetPort ?? t.port),
        interval: hc.intervalSeconds ?? 10,
        unhealthyThreshold: hc.unhealthyThreshold ?? 3,
      });
      expect(tg.inputs.healthCheck.path).toBe(protocol === "tcp" ? undefined : (hc.path ?? "/"));
    }
  });
});

describe("AWS egress", () => {
  /** Each group subnet's default route, by the target type it reaches. */
  function egressOf(d: Deployed): string[] {
    return groupsOf(d).flatMap(({ asg }) => (asg.inputs.vpcZoneIdentifiers as string[]).map((id) => {
      const route = defaultRoute(routeTableOf(d.graph, id));
      if (!route) return "none";
      if (route.natGatewayId !== undefined && d.graph.byId(T.nat, route.natGatewayId)) return "nat";
      return d.graph.byId(T.igw, route.gatewayId) ? "internet gateway" : "other";
    }));
  }

  it.each(["on-demand only", "spot next to on-demand", "two regions", "GPU (g6.xlarge, L4)", "arm64 (m7g)"])(
    "%s: a created network reaches the internet through a NAT gateway, and only through it",
    (name) => {
      const d = get(name);
      const regions = new Set(d.plan.allocations.map((a) => a.region));
      expect(egressOf(d)).toEqual(groupsOf(d).flatMap(({ asg }) => asg.inputs.vpcZoneIdentifiers.map(() => "nat")));
      for (const type of [T.igw, T.eip, T.nat]) expect(d.graph.ofType(type), type).toHaveLength(regions.size);
      // The public subnet holds only the NAT gateway: no group launches into it.
      const groupSubnets = new Set(groupsOf(d).flatMap(({ asg }) => asg.inputs.vpcZoneIdentifiers as string[]));
      for (const nat of d.graph.ofType(T.nat)) expect(groupSubnets.has(nat.inputs.subnetId)).toBe(false);
    },
  );

  it('egress "none": private subnets only, no internet gateway, NAT, Elastic IP or route table', () => {
    const d = get("egress none");
    expect(egressOf(d).every((e) => e === "none")).toBe(true);
    for (const type of [T.igw, T.eip, T.nat, T.rt, T.rta]) expect(d.graph.ofType(type), type).toEqual([]);
    expect(d.graph.ofType(T.subnet).map((s) => s.name).sort()).toEqual(["web-aws-us-east-1-subnet-0", "web-aws-us-east-1-subnet-1"]);
  });

  it("a given network is used as it is: nothing of the network is created", () => {
    const d = get("given network, public IPs asked");
    for (const type of [T.vpc, T.subnet, T.igw, T.eip, T.nat, T.rt, T.rta]) expect(d.graph.ofType(type), type).toEqual([]);
    for (const { asg } of groupsOf(d)) expect(asg.inputs.vpcZoneIdentifiers).toEqual(["subnet-0a", "subnet-0b"]);
    expect(d.graph.ofType(T.sg)[0]!.inputs.vpcId).toBe("vpc-0given");
  });

  it("names the egress parts by region (names are identity)", () => {
    const d = get("on-demand only");
    const names = (type: string) => d.graph.ofType(type).map((r) => r.name).sort();
    expect(names(T.igw)).toEqual(["web-aws-us-east-1"]);
    expect(names(T.eip)).toEqual(["web-aws-us-east-1-nat"]);
    expect(names(T.nat)).toEqual(["web-aws-us-east-1-nat"]);
    expect(names(T.rt)).toEqual(["web-aws-us-east-1-private", "web-aws-us-east-1-public"]);
    expect(names(T.rta)).toEqual(["web-aws-us-east-1-public", "web-aws-us-east-1-subnet-0", "web-aws-us-east-1-subnet-1"]);
    expect(names(T.subnet)).toEqual(["web-aws-us-east-1-public", "web-aws-us-east-1-subnet-0", "web-aws-us-east-1-subnet-1"]);
  });
});

describe("the matrix covers what it claims", () => {
  it("spot next to on-demand: one group holds both, with more on-demand than spot above the base than 0%", () => {
    const [g] = groupsOf(get("spot next to on-demand"));
    expect(g).toMatchObject({ onDemand: 2, spot: 1 });
    // The old emitter sent 0: scale-out went all to spot.
    expect(g!.asg.inputs.mixedInstancesPolicy.instancesDistribution.onDemandPercentageAboveBaseCapacity).toBe(67);
    expect(g!.asg.inputs.capacityRebalance).toBe(true);
  });

  it("two regions, a GPU type and arm64 are placed as named", () => {
    expect(new Set(get("two regions").plan.allocations.map((a) => a.region))).toEqual(new Set(["us-east-1", "us-west-2"]));
    expect(get("GPU (g6.xlarge, L4)").plan.allocations.map((a) => a.instanceType)).toEqual(["g6.xlarge"]);
    const arm = get("arm64 (m7g)").graph.ofType(T.lt);
    expect(arm.map((t) => [t.name, t.inputs.imageId])).toEqual([["web-aws-us-west-2-arm64", "ami-arm64-us-west-2"]]);
  });

  it("public IPs are given only where asked", () => {
    const asked = get("given network, public IPs asked").graph.ofType(T.lt);
    expect(asked.map((t) => t.inputs.networkInterfaces[0].associatePublicIpAddress)).toEqual(["true"]);
    expect(get("on-demand only").graph.ofType(T.lt).map((t) => t.inputs.networkInterfaces[0].associatePublicIpAddress)).toEqual(["false"]);
  });
});

// ---------------------------------------------------------------------------------------------
// The rules catch what they are for (so that a passing conformance run means something)

describe("each rule rejects a known violation", () => {
  const rec = (type: string, name: string, inputs: Record<string, any>): Recorded => ({ type, name, inputs });
  const vpc = rec(T.vpc, "v", { cidrBlock: "10.1.0.0/16" });
  const rule = (prefix: string) => RULES.find((r) => r.name.startsWith(prefix))!;
  const asg = (inputs: Record<string, any>) =>
    rec(T.asg, "g", {
      minSize: 2, maxSize: 4,
      mixedInstancesPolicy: { instancesDistribution: {}, launchTemplate: { launchTemplateSpecification: { launchTemplateId: "lt_id", version: "1" }, overrides: [] } },
      ...inputs,
    });

  const cases: [string, Recorded, Recorded[]][] = [
    ["EC2 tags", rec(T.vpc, "v", { tags: { ["k".repeat(128)]: "v" } }), []],
    ["at most 50", rec(T.vpc, "v", { tags: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, "v"])) }), []],
    ["at most 50", rec(T.vpc, "v", { tags: { "AWS:owner": "x" } }), []],
    ["launch template: IMDSv2", rec(T.lt, "lt", { metadataOptions: { httpTokens: "optional" } }), []],
    ["launch template: user data", rec(T.lt, "lt", { userData: Buffer.alloc(16 * 1024 + 1, "a").toString("base64") }), []],
    ["launch template name", rec(T.lt, "web aws", {}), []],
    ["security group: description", rec(T.sg, "sg", { description: "it's" }), []],
    ["security group name", rec(T.sg, "sg-web", { description: "ok" }), []],
    ["VPC", rec(T.vpc, "v", { cidrBlock: "10.0.0.0/8" }), []],
    ["VPC", rec(T.vpc, "v", { cidrBlock: "10.1.0.5/16" }), []],
    ["subnet", rec(T.subnet, "s", { vpcId: "v_id", cidrBlock: "10.2.0.0/20" }), [vpc]],
    ["subnet", rec(T.subnet, "s", { vpcId: "v_id", cidrBlock: "10.1.8.0/24" }), [vpc, rec(T.subnet, "t", { vpcId: "v_id", cidrBlock: "10.1.0.0/20" })]],
    ["auto scaling group: 0 <= min", asg({ minSize: 5, maxSize: 4 }), []],
    ["instances distribution", asg({ mixedInstancesPolicy: { instancesDistribution: { onDemandPercentageAboveBaseCapacity: 101 } } }), []],
    ["instances distribution", asg({ mixedInstancesPolicy: { instancesDistribution: { spotAllocationStrategy: "cheapest" } } }), []],
    ["instance refresh: strategy", asg({ instanceRefresh: { strategy: "Rolling", preferences: { minHealthyPercentage: 90, maxHealthyPercentage: 200 } } }), []],
    ["instance refresh: strategy", asg({ instanceRefresh: { strategy: "Rolling", preferences: { maxHealthyPercentage: 150 } } }), []],
    ["instance refresh never", asg({
      instanceRefresh: { strategy: "Rolling" },
      mixedInstancesPolicy: { launchTemplate: { launchTemplateSpecification: { launchTemplateId: "lt_id", version: "$Latest" } } },
    }), []],
    ["Elastic IP", rec(T.eip, "e", { domain: "standard" }), []],
    ["public NAT gateway", rec(T.nat, "n", { subnetId: "s_id", allocationId: "e_id" }), [
      // A subnet routed to the NAT gateway itself, not to an internet gateway: no way out.
      rec(T.subnet, "s", { vpcId: "v_id", cidrBlock: "10.1.0.0/20" }),
      rec(T.rt, "private", { vpcId: "v_id", routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: "n_id" }] }),
      rec(T.rta, "s", { routeTableId: "private_id", subnetId: "s_id" }),
      rec(T.eip, "e", { domain: "vpc" }),
    ]],
    ["public NAT gateway", rec(T.nat, "n", { subnetId: "s_id" }), [
      rec(T.subnet, "s", { vpcId: "v_id", cidrBlock: "10.1.0.0/20" }),
      rec(T.igw, "i", { vpcId: "v_id" }),
      rec(T.rt, "public", { vpcId: "v_id", routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: "i_id" }] }),
      rec(T.rta, "s", { routeTableId: "public_id", subnetId: "s_id" }),
    ]],
    ["route:", rec(T.rt, "r", { vpcId: "v_id", routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: "n_id" }] }), [rec(T.nat, "n", { subnetId: "s_id" }), rec(T.subnet, "s", { vpcId: "v_id" })]],
    ["route:", rec(T.rt, "r", { vpcId: "v_id", routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: "i_id", natGatewayId: "n_id" }] }), []],
    ["route table association", rec(T.rta, "a", { routeTableId: "r_id", subnetId: "s_id", gatewayId: "i_id" }), [rec(T.rt, "r", { vpcId: "v_id" })]],
    ["no public IPv4", rec(T.lt, "lt", { networkInterfaces: [{ associatePublicIpAddress: "true" }] }), []],
    ["no public IPv4", rec(T.subnet, "s", { mapPublicIpOnLaunch: true }), []],
    ["ELBv2 tags", rec(T.nlb, "l", { tags: { ["k".repeat(129)]: "v" } }), []],
    ["load balancer name", rec(T.nlb, "l", { loadBalancerType: "network", internal: true }), []],
    ["load balancer name", rec(T.nlb, "l", { name: "internal-web-aws-us-east-1-lb" }), []],
    ["load balancer name", rec(T.nlb, "l", { name: "web-aws-ap-southeast-2-lb-0123456" }), []],
    ["load balancer name", rec(T.nlb, "l", { name: "web-aws-us-east-1-" }), []],
    ["load balancer name", rec(T.nlb, "l", { name: "web_aws" }), []],
    ["load balancer: type", rec(T.nlb, "l", { internal: true }), []],
    ["load balancer: type", rec(T.nlb, "l", { loadBalancerType: "network" }), []],
    ["load balancer subnets", rec(T.nlb, "l", { subnets: [] }), []],
    ["load balancer subnets", rec(T.nlb, "l", { subnets: ["a_id", "b_id"] }), [rec(T.subnet, "a", { vpcId: "v_id", availabilityZone: "z1" }), rec(T.subnet, "b", { vpcId: "v_id", availabilityZone: "z1" })]],
    ["internet-facing load balancer", rec(T.nlb, "l", { internal: false, subnets: ["s_id"] }), [rec(T.subnet, "s", { vpcId: "v_id" })]],
    ["target group name", rec(T.tg, "web-aws-us-east-1-lb-8443", {}), []],
    ["target group name", rec(T.tg, "t", { name: "-web" }), []],
    ["target group:", rec(T.tg, "t", { port: 8443, protocol: "HTTP", vpcId: "v_id" }), []],
    ["target group:", rec(T.tg, "t", { port: 0, protocol: "TCP", vpcId: "v_id" }), []],
    ["target group:", rec(T.tg, "t", { port: 80, protocol: "TCP" }), []],
    ["target group health check", rec(T.tg, "t", {}), []],
    ["target group health check", rec(T.tg, "t", { healthCheck: { port: "80" } }), []],
    ["target group health check", rec(T.tg, "t", { healthCheck: { protocol: "TCP", path: "/" } }), []],
    ["target group health check", rec(T.tg, "t", { healthCheck: { protocol: "HTTP", path: "healthz" } }), []],
    ["target group health check", rec(T.tg, "t", { healthCheck: { protocol: "TCP", port: "65536" } }), []],
    ["target group health check", rec(T.tg, "t", { healthCheck: { protocol: "TCP", interval: 301 } }), []],
    ["target group health check", rec(T.tg, "t", { healthCheck: { protocol: "TCP", healthyThreshold: 1 } }), []],
    ["target group health check", rec(T.tg, "t", { healthCheck: { protocol: "TCP", unhealthyThreshold: 11 } }), []],
    ["target group health check", rec(T.tg, "t", { healthCheck: { protocol: "TCP", enabled: false } }), []],
    ["listener", rec(T.listener, "x", { loadBalancerArn: "arn:lb/l/1", port: 443, defaultActions: [{ type: "forward", targetGroupArn: "arn:tg/t/1" }] }), [rec(T.nlb, "l", { name: "l" }), rec(T.tg, "t", { name: "t", protocol: "TCP" })]],
    ["listener", rec(T.listener, "x", { loadBalancerArn: "arn:lb/l/1", port: 0, protocol: "TCP", defaultActions: [{ type: "forward", targetGroupArn: "arn:tg/t/1" }] }), [rec(T.nlb, "l", { name: "l" }), rec(T.tg, "t", { name: "t", protocol: "TCP" })]],
    ["listener", rec(T.listener, "x", { loadBalancerArn: "arn:lb/l/1", port: 443, protocol: "TCP", defaultActions: [] }), [rec(T.nlb, "l", { name: "l" })]],
    ["listener", rec(T.listener, "x", { loadBalancerArn: "arn:lb/l/1", port: 443, protocol: "TCP", defaultActions: [{ type: "forward", targetGroupArn: "arn:tg/t/1" }] }), [rec(T.nlb, "l", { name: "l" }), rec(T.tg, "t", { name: "t", protocol: "UDP" })]],
    ["auto scaling group health checks", asg({ healthCheckType: "HTTP" }), []],
    ["auto scaling group health checks", asg({ healthCheckType: "ELB" }), []],
    ["auto scaling group health checks", asg({ healthCheckType: "ELB", targetGroupArns: ["arn:tg/missing/1"] }), []],
    ["health-check grace period", asg({ healthCheckGracePeriod: -1 }), []],
    ["health-check grace period", asg({ healthCheckType: "ELB", healthCheckGracePeriod: 60, targetGroupArns: ["arn:tg/t/1"] }), [rec(T.tg, "t", { name: "t", healthCheck: { healthyThreshold: 3, interval: 30 } })]],
    ["instances behind a load balancer", rec(T.tg, "t", { name: "t", port: 8443, vpcId: "v_id", healthCheck: { port: "9000" } }), [
      vpc,
      asg({ targetGroupArns: ["arn:tg/t/1"] }),
      rec(T.lt, "lt", { networkInterfaces: [{ securityGroups: ["sg_id"] }] }),
      // Admits the target port from the VPC, but the health-check port only from elsewhere.
      rec(T.sg, "sg", { ingress: [{ protocol: "tcp", fromPort: 8443, toPort: 8443, cidrBlocks: ["10.1.0.0/16"] }, { protocol: "tcp", fromPort: 9000, toPort: 9000, cidrBlocks: ["192.168.0.0/16"] }] }),
    ]],
  ];

  it.each(cases.map(([prefix, r, rest], i) => [`${i}: ${prefix}`, prefix, r, rest] as const))("%s", (_label, prefix, r, rest) => {
    const g = graphOf([r, ...rest]);
    expect(rule(prefix).check(r, g)).toEqual(expect.any(String));
  });

});

// ---------------------------------------------------------------------------------------------
// Capacity alerts (issue "Failover across clouds" #4, clouds/aws/alerts.ts): the CloudWatch alarm
// per region, and with traffic.notification its SNS topic, topic policy and e-mail subscription.
// The rules join RULES (so every scenario above holds its alarms to them, and the type-coverage
// test sees them); a scenario with a notification is deployed here for the SNS resources.

describe("AWS capacity alerts", () => {
  const A = {
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    topic: "aws:sns/topic:Topic",
    topicPolicy: "aws:sns/topicPolicy:TopicPolicy",
    subscription: "aws:sns/topicSubscription:TopicSubscription",
  } as const;
  const PUT_METRIC_ALARM = "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html";
  const NLB_METRICS = "https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-cloudwatch-metrics.html";
  const CREATE_TOPIC = "https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html";
  const isArn = (v: unknown) => typeof v === "string" && v.startsWith("arn:");
  const topicOf = (g: Graph, arn: unknown) => g.ofType(A.topic).find((t) => arn === `arn:aws:sns:r:123456789012:${t.name}`);

  const ALERT_RULES: Rule[] = [
    {
      name: "capacity alarm: HealthyHostCount in AWS/NetworkELB of one target group (TargetGroup and LoadBalancer dimensions = the ARN suffixes), statistic Maximum",
      url: NLB_METRICS,
      types: [A.alarm],
      check: (r, g) => {
        const d = r.inputs.dimensions ?? {};
        const tg = g.byArn(T.tg, d.TargetGroup);
        const nlb = g.byArn(T.nlb, d.LoadBalancer);
        return problems([
          (r.inputs.namespace !== "AWS/NetworkELB" || r.inputs.metricName !== "HealthyHostCount") && `metric ${r.inputs.namespace}/${r.inputs.metricName}`,
          Object.keys(d).sort().join(",") !== "LoadBalancer,TargetGroup" && `dimensions ${Object.keys(d).join(",")}`,
          !(typeof d.TargetGroup === "string" && d.TargetGroup.startsWith("targetgroup/") && tg) && `TargetGroup ${d.TargetGroup} is not a target group's ARN suffix`,
          !(typeof d.LoadBalancer === "string" && d.LoadBalancer.startsWith("net/") && nlb) && `LoadBalancer ${d.LoadBalancer} is not a network load balancer's ARN suffix`,
          tg && !g.ofType(T.listener).some((l) => g.byArn(T.nlb, l.inputs.loadBalancerArn) === nlb && l.inputs.defaultActions?.some((x: any) => g.byArn(T.tg, x.targetGroupArn) === tg)) && "the load balancer does not forward to the target group",
          r.inputs.statistic !== "Maximum" && `statistic ${r.inputs.statistic} (AWS recommends the maximum of HealthyHostCount)`,
        ]);
      },
    },
    {
      name: "metric alarm: period 10, 20, 30 or a multiple of 60 (at least 60 for NLB metrics), 1 <= datapointsToAlarm <= evaluationPeriods, a static threshold and operator, treatMissingData of the four values, at most 5 actions per list",
      url: PUT_METRIC_ALARM,
      types: [A.alarm],
      check: (r) => {
        const i = r.inputs;
        const period = i.period as number;
        const lists = ["alarmActions", "okActions", "insufficientDataActions"].map((k) => (i[k] ?? []) as unknown[]);
        return problems([
          !(Number.isInteger(period) && ([10, 20, 30].includes(period) || (period > 0 && period % 60 === 0))) && `period ${period}`,
          i.namespace === "AWS/NetworkELB" && !(period >= 60) && `period ${period} under the NLB's 60 s`,
          !(Number.isInteger(i.evaluationPeriods) && i.evaluationPeriods >= 1) && `evaluationPeriods ${i.evaluationPeriods}`,
          i.datapointsToAlarm !== undefined && !(Number.isInteger(i.datapointsToAlarm) && i.datapointsToAlarm >= 1 && i.datapointsToAlarm <= i.evaluationPeriods) && `datapointsToAlarm ${i.datapointsToAlarm}`,
          typeof i.threshold !== "number" && "no threshold",
          !["GreaterThanOrEqualToThreshold", "GreaterThanThreshold", "LessThanThreshold", "LessThanOrEqualToThreshold"].includes(i.comparisonOperator) && `comparisonOperator ${i.comparisonOperator}`,
          i.treatMissingData !== undefined && !["breaching", "notBreaching", "ignore", "missing"].includes(i.treatMissingData) && `treatMissingData ${i.treatMissingData}`,
          (i.statistic === undefined) === (i.extendedStatistic === undefined) && "exactly one of statistic and extendedStatistic",
          lists.some((l) => l.length > 5 || !l.every(isArn)) && "an action list with more than 5 entries or a non-ARN",
        ]);
      },
    },
    {
      name: "SNS topic name: 1-256 ASCII letters, digits, _ and - (auto-named: the logical name plus 8 characters)",
      url: CREATE_TOPIC,
      types: [A.topic],
      check: (r) => {
        const name = (r.inputs.name as string | undefined) ?? `${r.name}-abcdefg`;
        return /^[A-Za-z0-9_-]{1,256}$/.test(name) ? undefined : `topic name ${name}`;
      },
    },
    {
      name: "e-mail subscription: protocol email, an e-mail endpoint, on a topic of the deployment",
      url: "https://docs.aws.amazon.com/sns/latest/api/API_Subscribe.html",
      types: [A.subscription],
      check: (r, g) => problems([
        r.inputs.protocol !== "email" && `protocol ${r.inputs.protocol}`,
        !/^[^@\s]+@[^@\s]+$/.test(String(r.inputs.endpoint)) && `endpoint ${r.inputs.endpoint}`,
        !topicOf(g, r.inputs.topic) && `topic ${r.inputs.topic} is not in the deployment`,
      ]),
    },
    {
      name: "topic policy: lets cloudwatch.amazonaws.com publish to its own topic, for the deployment's alarms only",
      url: "https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html",
      types: [A.topicPolicy],
      check: (r, g) => {
        const statements = (JSON.parse(String(r.inputs.policy ?? "{}")).Statement ?? []) as any[];
        const cw = statements.filter((s) => s.Principal?.Service === "cloudwatch.amazonaws.com");
        return problems([
          !topicOf(g, r.inputs.arn) && `topic ${r.inputs.arn} is not in the deployment`,
          cw.length === 0 && "CloudWatch may not publish",
          cw.some((s) => s.Action !== "sns:Publish" || s.Resource !== r.inputs.arn) && "a CloudWatch statement beyond sns:Publish on this topic",
          cw.some((s) => !g.ofType(A.alarm).some((a) => s.Condition?.ArnEquals?.["aws:SourceArn"] === `arn:aws:cloudwatch:r:123456789012:alarm:${a.name}`)) && "a CloudWatch statement not scoped to an alarm of the deployment",
        ]);
      },
    },
  ];
  RULES.push(...ALERT_RULES);

  let notified: Deployed;
  beforeAll(async () => {
    const h = await setupPulumi({ stack: "dev" });
    // The ARNs AWS computes for topics and alarms (the harness echoes inputs).
    const monitor = (await import("@pulumi/pulumi")).runtime.getMonitor() as unknown as { mocks: any };
    const inner = monitor.mocks;
    monitor.mocks = {
      call: (a: any) => inner.call(a),
      newResource: async (a: any) => {
        const result = await inner.newResource(a);
        if (a.type === A.topic) return { ...result, state: { ...result.state, arn: `arn:aws:sns:r:123456789012:${a.name}` } };
        if (a.type === A.alarm) return { ...result, state: { ...result.state, arn: `arn:aws:cloudwatch:r:123456789012:alarm:${a.name}` } };
        return result;
      },
    };
    const scenario = get("traffic, internal, two regions").scenario;
    const args = { ...scenario.args, traffic: { ...scenario.args.traffic!, notification: { email: "oncall@example.com" } } };
    const { plan } = await deployWorkload(h, args);
    notified = { scenario: { name: "traffic with notification", args }, plan, graph: graphOf(h.resources.filter((r) => r.type.startsWith("aws:"))) };
  }, 60_000);

  it("a traffic scenario with a notification: every aws:* resource (alarm, topic, policy, subscription) follows the documented rules", () => {
    for (const type of Object.values(A)) expect(notified.graph.ofType(type).length, type).toBe(2);
    expect(violations(notified)).toEqual([]);
    const covered = new Set(RULES.flatMap((r) => r.types ?? []));
    expect([...new Set(notified.graph.resources.map((r) => r.type))].filter((t) => !covered.has(t))).toEqual([]);
  });

  it.each(TRAFFIC_SCENARIOS)("%s: one alarm per planned region, on that region's target group, threshold the region's planned count", (name) => {
    const d = get(name);
    const regions = [...new Set(d.plan.allocations.map((a) => a.region))].sort();
    expect(d.graph.ofType(A.alarm).map((a) => a.name).sort()).toEqual(regions.map((r) => `web-aws-${r}-alert`));
    for (const region of regions) {
      const alarm = d.graph.ofType(A.alarm).find((a) => a.name === `web-aws-${region}-alert`)!;
      expect(d.graph.byArn(T.tg, alarm.inputs.dimensions.TargetGroup)?.name).toBe(`web-aws-${region}-lb`);
      expect(alarm.inputs.threshold).toBe(d.plan.allocations.filter((a) => a.region === region).reduce((n, a) => n + a.count, 0));
    }
    expect(d.graph.ofType(A.topic)).toEqual([]);
  });

  it("no alarm without traffic", () => {
    for (const s of SCENARIOS.filter((x) => !x.args.traffic)) expect(get(s.name).graph.ofType(A.alarm), s.name).toEqual([]);
  });

  const rec = (type: string, name: string, inputs: Record<string, any>): Recorded => ({ type, name, inputs });
  const tg = rec(T.tg, "t", { name: "t", protocol: "TCP" });
  const nlb = rec(T.nlb, "l", { name: "l" });
  const listener = rec(T.listener, "x", { loadBalancerArn: "arn:loadbalancer/net/l/1", defaultActions: [{ type: "forward", targetGroupArn: "arn:targetgroup/t/1" }] });
  const good = { namespace: "AWS/NetworkELB", metricName: "HealthyHostCount", dimensions: { TargetGroup: "targetgroup/t/1", LoadBalancer: "net/l/1" }, statistic: "Maximum", period: 60, evaluationPeriods: 3, datapointsToAlarm: 3, threshold: 4, comparisonOperator: "LessThanThreshold", treatMissingData: "breaching" };
  const alarm = (inputs: Record<string, any>) => rec(A.alarm, "web-aws-us-east-1-alert", { ...good, ...inputs });
  const world = [tg, nlb, listener];
  const cases: [string, Recorded, Recorded[]][] = [
    ["capacity alarm", alarm({}), [nlb, listener, rec(T.tg, "other", { name: "other" })]],
    ["capacity alarm", alarm({ dimensions: { TargetGroup: "targetgroup/t/1" } }), world],
    ["capacity alarm", alarm({ statistic: "Sum" }), world],
    ["capacity alarm", alarm({ metricName: "UnHealthyHostCount" }), world],
    ["capacity alarm", alarm({}), [tg, nlb]],
    ["metric alarm", alarm({ period: 45 }), world],
    ["metric alarm", alarm({ period: 30 }), world],
    ["metric alarm", alarm({ datapointsToAlarm: 4 }), world],
    ["metric alarm", alarm({ comparisonOperator: "LessThan" }), world],
    ["metric alarm", alarm({ treatMissingData: "alarm" }), world],
    ["metric alarm", alarm({ alarmActions: ["arn:1", "arn:2", "arn:3", "arn:4", "arn:5", "arn:6"] }), world],
    ["metric alarm", alarm({ extendedStatistic: "p99" }), world],
    ["SNS topic name", rec(A.topic, "t", { name: "web.alerts" }), []],
    ["SNS topic name", rec(A.topic, "t".repeat(250), {}), []],
    ["e-mail subscription", rec(A.subscription, "s", { protocol: "sms", endpoint: "a@b.c", topic: "arn:aws:sns:r:123456789012:t" }), [rec(A.topic, "t", {})]],
    ["e-mail subscription", rec(A.subscription, "s", { protocol: "email", endpoint: "a@b.c", topic: "arn:aws:sns:r:123456789012:other" }), [rec(A.topic, "t", {})]],
    ["topic policy", rec(A.topicPolicy, "p", { arn: "arn:aws:sns:r:123456789012:t", policy: JSON.stringify({ Statement: [{ Principal: { Service: "events.amazonaws.com" }, Action: "sns:Publish", Resource: "arn:aws:sns:r:123456789012:t" }] }) }), [rec(A.topic, "t", {})]],
    ["topic policy", rec(A.topicPolicy, "p", { arn: "arn:aws:sns:r:123456789012:t", policy: JSON.stringify({ Statement: [{ Principal: { Service: "cloudwatch.amazonaws.com" }, Action: "sns:*", Resource: "arn:aws:sns:r:123456789012:t", Condition: { ArnEquals: { "aws:SourceArn": "arn:aws:cloudwatch:r:123456789012:alarm:a" } } }] }) }), [rec(A.topic, "t", {}), rec(A.alarm, "a", {})]],
    ["topic policy", rec(A.topicPolicy, "p", { arn: "arn:aws:sns:r:123456789012:t", policy: JSON.stringify({ Statement: [{ Principal: { Service: "cloudwatch.amazonaws.com" }, Action: "sns:Publish", Resource: "arn:aws:sns:r:123456789012:t" }] }) }), [rec(A.topic, "t", {}), rec(A.alarm, "a", {})]],
  ];

  it("the known-good alarm passes both alarm rules", () => {
    const g = graphOf([alarm({}), ...world]);
    for (const prefix of ["capacity alarm", "metric alarm"]) expect(ALERT_RULES.find((r) => r.name.startsWith(prefix))!.check(alarm({}), g)).toBeUndefined();
  });

  it.each(cases.map(([prefix, r, rest], i) => [`${i}: ${prefix}`, prefix, r, rest] as const))("each alert rule rejects a known violation: %s", (_label, prefix, r, rest) => {
    const rule = ALERT_RULES.find((x) => x.name.startsWith(prefix))!;
    expect(rule.check(r, graphOf([r, ...rest]))).toEqual(expect.any(String));
  });
});
