/**
 * The `MultiCloudWorkload` args: the DESIGN.md workload spec (demand, instance, providers,
 * constraints, scaling; `name` defaults to the resource name) plus what the resources need.
 *
 * This file is also the plugin's schema source (provider/schema-gen.ts infers the package schema
 * from these interfaces), so it follows the inferrer's rules: interfaces, no union types (choices
 * are `as const` enums, which accept plain strings too), `pulumi.Input<>` only where a value may
 * be computed by another resource. Everything that decides *how many* resources exist is plain:
 * a placement is computed at construction time, before any child resource is registered.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { AwsWorkloadArgs } from "../../clouds/aws/workload-emitter";
import type { AzureWorkloadArgs } from "../../clouds/azure/workload-emitter";
import type { GcpWorkloadArgs } from "../../clouds/gcp/workload-emitter";

/** CPU architecture of the instances; `any` lets the optimizer mix architectures. */
export const InstanceArch = { X86_64: "x86_64", Arm64: "arm64", Any: "any" } as const;
export type InstanceArch = (typeof InstanceArch)[keyof typeof InstanceArch];

/** Transport protocol of a declared port. */
export const Protocol = { Tcp: "tcp", Udp: "udp" } as const;
export type Protocol = (typeof Protocol)[keyof typeof Protocol];

/** How a regional load balancer forwards: L4 passthrough, or HTTP. */
export const TrafficProtocol = { Tcp: "tcp", Http: "http" } as const;
export type TrafficProtocol = (typeof TrafficProtocol)[keyof typeof TrafficProtocol];

/** How the load balancers and autohealing probe an instance. */
export const HealthCheckProtocol = { Http: "http", Https: "https", Tcp: "tcp" } as const;
export type HealthCheckProtocol = (typeof HealthCheckProtocol)[keyof typeof HealthCheckProtocol];

/** Where a deployed placement came from. */
export const PlacementSource = {
  /** The plan pinned in stack config (`multicloud:placements`) for this exact spec. */
  Pinned: "pinned",
  /** Computed at deploy time from current prices: not pinned, may change on the next deploy. */
  Computed: "computed",
} as const;
export type PlacementSource = (typeof PlacementSource)[keyof typeof PlacementSource];

/**
 * Demand from the running fleet's utilization (DESIGN.md "Metrics"): read only with live inputs
 * on (MULTICLOUD_LIVE=1); otherwise, or when metrics cannot be read, `replicas` stands.
 */
export interface WorkloadFromMetricsArgs {
  /** The running AWS fleet: { autoScalingGroup, region }. */
  aws?: { [field: string]: string };
  /** The running Azure fleet: { vmScaleSetId }. */
  azure?: { [field: string]: string };
  /** The running GCP fleet: { project, region, instanceGroup }. */
  gcp?: { [field: string]: string };
  /** Days of history read (default 14). */
  lookbackDays?: number;
  /** Percentile of hourly utilization that demand is sized for (default 95). */
  percentile?: number;
  /** Utilization, percent, the fleet should run at (default 60). */
  targetUtilization?: number;
  /** Size for the peak of a seasonal forecast this many days ahead. */
  forecastDays?: number;
  /** Largest fraction below the current replicas one plan may step down (default 0.25). */
  maxStepDown?: number;
}

/** How many replicas to place, and what each needs. */
export interface WorkloadDemandArgs {
  /** Replicas to place (copies of the workload's unit). */
  replicas: number;
  /** vCPUs per replica. */
  cpu: number;
  /** GiB of memory per replica. */
  memoryGiB: number;
  /** GPUs per replica (default 0). */
  gpus?: number;
  fromMetrics?: WorkloadFromMetricsArgs;
}

/** Glob lists on instance type names. */
export interface WorkloadFamiliesArgs {
  allow?: string[];
  deny?: string[];
}

/** What each instance may look like. */
export interface WorkloadInstanceArgs {
  minVcpu?: number;
  maxVcpu?: number;
  /** Default x86_64. */
  arch?: InstanceArch;
  /** GPU model (e.g. a100) when demand.gpus > 0. */
  gpuType?: string;
  /** Burstable / shared-core types are excluded unless true. */
  allowBurstable?: boolean;
  /** Blast-radius cap: at most this many replicas on one instance. */
  maxReplicasPerInstance?: number;
  families?: WorkloadFamiliesArgs;
}

/** One cloud the workload may be placed on (DESIGN.md spec `providers.<cloud>`). */
export interface WorkloadProviderArgs {
  /** Regions allowed; absent = every region in the price catalog. */
  regions?: string[];
  /** Fraction off list prices (EDP, savings plans), 0 to 0.99. */
  discount?: number;
}

export interface WorkloadQuotaArgs {
  /** vCPUs the workload may use in that provider/region. */
  vcpu: number;
}

/** Placement constraints; all optional. */
export interface WorkloadConstraintsArgs {
  minProviders?: number;
  maxProviderShare?: number;
  survivesProviderLoss?: number;
  maxSpotShare?: number;
  maxMonthlyUsd?: number;
  /** Keyed `provider/region`, e.g. `aws/us-east-1`. */
  quotas?: { [providerRegion: string]: WorkloadQuotaArgs };
}

/** Autoscaler settings, the same on every cloud. */
export interface WorkloadScalingArgs {
  /** Target average CPU utilisation, percent (default 60). */
  targetCpuUtilization?: number;
  /** Max size of each group = ceil(planned count x maxScaleOut) (default 2). */
  maxScaleOut?: number;
}

/** The health check shared by the load balancers and the groups' autohealing. */
export interface WorkloadHealthCheckArgs {
  /** http, https or tcp (default: http when the traffic is http or a path is given, else tcp). */
  protocol?: HealthCheckProtocol;
  /** Path probed by http(s) checks, starting with "/" (default "/"). */
  path?: string;
  /** Port probed on each instance (default: traffic.targetPort). */
  port?: number;
  /** Seconds between probes: 10 or 30 (default 10). */
  intervalSeconds?: number;
  /** Failed probes before an instance is taken out and replaced, 2-10 (default 3). */
  unhealthyThreshold?: number;
}

/** Rules the placement is held to. */
export interface WorkloadComplianceArgs {
  /** Allowed geographies: us, ca, eu (the EEA), uk, ch, apac, jp, au, in, sa, me, af. */
  residency?: string[];
}

/** One DNS name steered across every region of the plan (Route 53 weighted records with health checks). */
export interface WorkloadDnsArgs {
  /** An existing Route 53 hosted zone id. */
  zoneId: string;
  /** The name, in that zone (e.g. web.example.com). */
  name: string;
  /** Seconds resolvers may cache an answer (default 60). */
  ttl?: number;
  /** The zone is private: required for records of internal load balancers (default false). */
  privateZone?: boolean;
}

/** Where alerts go when a region loses healthy capacity. */
export interface WorkloadNotificationArgs {
  email: string;
}

/** One regional load balancer per region of the plan, in front of every group there (DESIGN.md "Traffic"). */
export interface WorkloadTrafficArgs {
  /** Port clients connect to on each regional load balancer. */
  port: number;
  /** Port the instances listen on (default: port). */
  targetPort?: number;
  /** tcp (L4 passthrough, default) or http. */
  protocol?: TrafficProtocol;
  /** Internet-facing load balancers (default false: internal); needs ingressCidrs. */
  public?: boolean;
  healthCheck?: WorkloadHealthCheckArgs;
  /** One name steered across every region, weighted by the plan's replicas there. */
  dns?: WorkloadDnsArgs;
  /** Where "a region lost healthy capacity" alerts go. */
  notification?: WorkloadNotificationArgs;
}

/** A regional endpoint clients connect to. */
export interface WorkloadEndpointOutput {
  provider: string;
  region: string;
  /** The load balancer's IP address or DNS name. */
  address: string;
  port: number;
}

/** A port opened to `ingressCidrs` on every cloud. */
export interface WorkloadPortArgs {
  port: number;
  /** Default tcp. */
  protocol?: Protocol;
}

export interface MultiCloudWorkloadArgs {
  /** Workload name in the plan, the placement record and tags; defaults to the resource name. */
  name?: string;
  demand: WorkloadDemandArgs;
  instance?: WorkloadInstanceArgs;
  /** Clouds the workload may be placed on, keyed aws, azure, gcp. */
  providers: { [cloud: string]: WorkloadProviderArgs };
  constraints?: WorkloadConstraintsArgs;
  scaling?: WorkloadScalingArgs;
  /** Rules the placement is held to (residency). */
  compliance?: WorkloadComplianceArgs;
  /** Regional load balancers with a health check, and autohealing on it (absent: none). */
  traffic?: WorkloadTrafficArgs;

  /** Price catalog CSV (DESIGN.md format): replaces every other price source for the providers it lists. */
  catalog?: string;
  /** Tags on every resource on every cloud (normalised to label rules on GCP). */
  tags?: { [key: string]: string };
  /** Ports opened to `ingressCidrs`; nothing is reachable from outside the network otherwise. */
  ports?: WorkloadPortArgs[];
  /** IPv4 CIDR blocks allowed to reach `ports` (0.0.0.0/0 only when listed). */
  ingressCidrs?: string[];
  /** One cloud-init script, delivered as EC2 user data, Azure custom data and GCE `user-data` metadata. */
  userData?: pulumi.Input<string>;
  /** Give instances public IPs (default false); needs networks of your own with internet access. */
  assignPublicIp?: boolean;
  /** Create a private network in each region with no network given (default true). */
  createNetworks?: boolean;
  /** Root disk size in GiB (default 30). */
  rootVolumeGiB?: number;

  /** AWS resources: providers, networks and images per region. */
  aws?: AwsWorkloadArgs;
  /** Azure resources: providers, resource group, subnets, admin SSH key. */
  azure?: AzureWorkloadArgs;
  /** GCP resources: providers, project, networks, image. */
  gcp?: GcpWorkloadArgs;
}

/** One emitted instance group (an ASG, a VM scale set, a managed instance group). */
export interface WorkloadGroupOutput {
  cloud: string;
  region: string;
  instanceType: string;
  /** on-demand, spot, or mixed (one group realising both). */
  lifecycle: string;
  onDemand: number;
  spot: number;
  minSize: number;
  maxSize: number;
  /** Resource type of the group. */
  kind: string;
  /** ASG name, VM scale set id, or managed instance group self link. */
  id: string;
}
