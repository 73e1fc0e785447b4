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
import type { Plan } from "../../core/plan/plan";
import type { WorkloadSpec } from "../../core/spec/schema";

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
 * Demand from the running fleet's utilization (its CPU history, read from the cloud's metrics): read only with live inputs
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

/** One cloud the workload may be placed on (`providers.<cloud>`). */
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

/** Rules the workload is held to. */
export interface WorkloadComplianceArgs {
  /** Allowed geographies: us, ca, eu (the EEA), uk, ch, apac, jp, au, in, sa, me, af. */
  residency?: string[];
  /** Keys `tags` must carry, each with a value (e.g. owner, cost-center); a missing one fails the preview. */
  requiredTags?: string[];
}

/** One DNS name steered across every region of the plan (Route 53 weighted records with health checks). */
export interface WorkloadDnsArgs {
  /** An existing Route 53 hosted zone id, or another resource's output (a zone created in the same program). */
  zoneId: pulumi.Input<string>;
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

/** One regional load balancer per region of the plan, in front of every group there, with a health check. */
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
  /** Rules the workload is held to (residency, required tags). */
  compliance?: WorkloadComplianceArgs;
  /** Regional load balancers with a health check, and autohealing on it (absent: none). */
  traffic?: WorkloadTrafficArgs;

  /**
   * Path of a price catalog CSV file (header `provider,region,instanceType,vcpu,memoryGiB,gpus,gpuType,arch,onDemandHourlyUsd,spotHourlyUsd,burstable`,
   * one instance offer a row, as `multicloud prices export` writes it): replaces every other price source for the providers it lists.
   */
  catalog?: string;
  /**
   * Tags on every resource on every cloud (normalised to label rules on GCP). The keys are plain
   * (checked before anything is registered); a value may be another resource's output or a secret.
   */
  tags?: { [key: string]: pulumi.Input<string> };
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

/** Where one provider's prices came from, and as of when. */
export interface PlanPricesOutput {
  /** live, cache, snapshot or file. */
  source: string;
  /** Date of the prices (YYYY-MM-DD, or YYYY-MM). */
  asOf: string;
  /** true when the prices are older than 90 days (absent otherwise). */
  stale?: boolean;
}

/** The demand a plan places. */
export interface PlanDemandOutput {
  replicas: number;
  cpu: number;
  memoryGiB: number;
  gpus: number;
  /** static (the spec's replicas) or metrics (sized from the running fleet's utilization). */
  source: string;
  /** With source metrics: the window, percentile, observed utilization and forecast behind `replicas`. */
  metrics?: PlanDemandMetricsOutput;
}

/** A time window, ISO 8601 instants. */
export interface PlanMetricsWindowOutput {
  start: string;
  end: string;
}

export interface PlanMetricsHoursOutput {
  /** Hourly samples used. */
  observed: number;
  /** Hours in the window. */
  window: number;
}

export interface PlanForecastOutput {
  /** Days ahead the forecast's peak is for. */
  days: number;
  /** The seasonality fitted: daily, or daily+weekly. */
  seasonality: string;
  peakUtilization: number;
}

/** How demand was sized from the running fleet's utilization. */
export interface PlanDemandMetricsOutput {
  currentReplicas: number;
  window: PlanMetricsWindowOutput;
  percentile: number;
  targetUtilization: number;
  /** Observed utilization at the percentile, as a fraction; absent when there was no usable data. */
  observedUtilization?: number;
  forecast?: PlanForecastOutput;
  hours: PlanMetricsHoursOutput;
  /** maxStepDown or coverage: what held the fleet above what metrics suggest. */
  limitedBy?: string;
}

/** Instances of one type, in one region, on one lifecycle. */
export interface PlanAllocationOutput {
  provider: string;
  region: string;
  instanceType: string;
  /** on-demand or spot. */
  lifecycle: string;
  /** Instances. */
  count: number;
  /** Replicas one instance can host. */
  replicasPerInstance: number;
  /** Replicas placed on these instances. */
  replicas: number;
  vcpu: number;
  memoryGiB: number;
  gpus: number;
  /** GPU model (l4, a100, ...); absent or null without GPUs. */
  gpuType?: string;
  /** USD per hour per instance, after discount. */
  hourlyUsd: number;
}

/** A fixed monthly cost of a region the plan uses (a load balancer, a NAT gateway). */
export interface PlanOverheadOutput {
  provider: string;
  region: string;
  item: string;
  monthlyUsd: number;
}

export interface PlanTotalsOutput {
  replicas: number;
  vcpu: number;
  memoryGiB: number;
  hourlyUsd: number;
  /** hourlyUsd x 730, plus the overheads. */
  monthlyUsd: number;
}

/** How the optimizer ended. */
export interface PlanSolverOutput {
  /** optimal, or time-limit (the best placement found within the solver's time limit). */
  status: string;
  /** Relative gap to the optimum (0 when optimal). */
  gap: number;
  /** Solve time, milliseconds. */
  ms: number;
}

/** The plan a MultiCloudWorkload realises: where each instance runs, and what it costs. */
export interface WorkloadPlanOutput {
  workload: string;
  /** Hash of the spec fields that decide the placement (what a pinned placement is keyed by). */
  specHash: string;
  demand: PlanDemandOutput;
  /** The compliance rules the plan was made under, by rule (only when the spec has some). */
  compliance?: { [rule: string]: string[] };
  /** Per provider: where its prices came from. */
  prices: { [provider: string]: PlanPricesOutput };
  allocations: PlanAllocationOutput[];
  /** Fixed monthly costs of the regions used, when the spec asks for them (`traffic`). */
  overheads?: PlanOverheadOutput[];
  totals: PlanTotalsOutput;
  solver: PlanSolverOutput;
}

/** `spec.demand.fromMetrics`: the running fleets read (their fields differ by cloud) and the sizing rules, defaults applied. */
export interface SpecFromMetricsOutput {
  aws?: { [field: string]: any };
  azure?: { [field: string]: any };
  gcp?: { [field: string]: any };
  lookbackDays: number;
  percentile: number;
  targetUtilization: number;
  forecastDays?: number;
  maxStepDown: number;
}

export interface SpecDemandOutput {
  replicas: number;
  cpu: number;
  memoryGiB: number;
  gpus: number;
  fromMetrics?: SpecFromMetricsOutput;
}

export interface SpecFamiliesOutput {
  allow: string[];
  deny: string[];
}

export interface SpecInstanceOutput {
  minVcpu?: number;
  maxVcpu?: number;
  /** x86_64, arm64 or any. */
  arch: string;
  /** Absent (or null) without a GPU model. */
  gpuType?: string;
  allowBurstable: boolean;
  /** Absent (or null) without a cap. */
  maxReplicasPerInstance?: number;
  families: SpecFamiliesOutput;
}

export interface SpecProviderOutput {
  /** Absent: every region in the price catalog. */
  regions?: string[];
  discount: number;
}

export interface SpecQuotaOutput {
  vcpu: number;
}

export interface SpecConstraintsOutput {
  minProviders?: number;
  maxProviderShare?: number;
  survivesProviderLoss?: number;
  maxSpotShare?: number;
  maxMonthlyUsd?: number;
  quotas: { [providerRegion: string]: SpecQuotaOutput };
}

export interface SpecScalingOutput {
  targetCpuUtilization: number;
  maxScaleOut: number;
}

export interface SpecComplianceOutput {
  residency?: string[];
  requiredTags?: string[];
}

export interface SpecHealthCheckOutput {
  /** Absent: follows the traffic's protocol (http when a path is given). */
  protocol?: string;
  path?: string;
  port?: number;
  intervalSeconds: number;
  unhealthyThreshold: number;
}

export interface SpecDnsOutput {
  /** The hosted zone id; "(output)" when it was another resource's output (not recorded here). */
  zoneId: string;
  name: string;
  ttl: number;
  privateZone: boolean;
}

export interface SpecNotificationOutput {
  email: string;
}

export interface SpecTrafficOutput {
  port: number;
  targetPort?: number;
  /** tcp or http. */
  protocol: string;
  public: boolean;
  healthCheck: SpecHealthCheckOutput;
  dns?: SpecDnsOutput;
  notification?: SpecNotificationOutput;
}

/** The normalised spec a plan is for (defaults applied): what `multicloud drift --stack-export` re-optimizes. */
export interface WorkloadSpecOutput {
  name: string;
  demand: SpecDemandOutput;
  instance: SpecInstanceOutput;
  /** Keyed aws, azure, gcp: the clouds the workload may be placed on. */
  providers: { [cloud: string]: SpecProviderOutput };
  constraints: SpecConstraintsOutput;
  scaling: SpecScalingOutput;
  compliance?: SpecComplianceOutput;
  /** The tags; a value given as another resource's output (or a secret) is "(output)" here, never the value. */
  tags?: { [key: string]: string };
  traffic?: SpecTrafficOutput;
}

// Compile-time: every WorkloadSpec (core/spec/schema.ts) is a WorkloadSpecOutput (null as absent).
const specIsOutput: (spec: Omit<WorkloadSpec, "instance"> & { instance: NullAsAbsent<WorkloadSpec["instance"]> }) => WorkloadSpecOutput = (spec) => spec;
void specIsOutput;

// Compile-time: every Plan (core/plan/plan.ts) is a WorkloadPlanOutput (a null gpuType aside, absent in the schema's terms).
type NullAsAbsent<T> = { [K in keyof T]: null extends T[K] ? Exclude<T[K], null> | undefined : T[K] };
const planIsOutput: (plan: Omit<Plan, "allocations"> & { allocations: NullAsAbsent<Plan["allocations"][number]>[] }) => WorkloadPlanOutput = (plan) => plan;
void planIsOutput;
