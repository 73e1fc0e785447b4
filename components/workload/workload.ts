/**
 * MultiCloudWorkload (`multicloud:index:MultiCloudWorkload`): places a workload across AWS, Azure
 * and GCP at the lowest cost and emits the native resources that realise the placement.
 *
 * Thin by design: `initialize` (Pulumi's async component hook) resolves everything first
 * (./resolve.ts: args validated, plan pinned or computed, checked against the args) and only then
 * registers children, through the cloud emitters; so a bad arg or an infeasible spec fails the
 * component with its message and no child resources. Every child is parented to the component.
 *
 * Failure surfaces as the rejection of `ready()` (the outputs then resolve to undefined). A program
 * that does not await it still fails: the rejection is then unhandled, which the Pulumi language
 * host reports (as a ResourceError on this component, without a stack trace) and turns into a
 * failed deployment.
 */
import * as pulumi from "@pulumi/pulumi";
import { planHash, type Plan } from "../../core/plan/plan";
import { UserError } from "../../core/util/errors";
import type { WorkloadSpec } from "../../core/spec/schema";
import type { MultiCloudWorkloadArgs, PlacementSource, WorkloadEndpointOutput, WorkloadGroupOutput, WorkloadPlanOutput, WorkloadSpecOutput } from "./args";
import { resolveTraffic } from "../../core/spec/traffic";
import type { EmittedEndpoint, EmittedGroup, RegionEmitInput } from "../../kit/workload/emitter";
import { dnsWeights, type DnsEmitInput, type DnsEmitter, type DnsEndpoint } from "../../kit/workload/dns";
import { regionName } from "../../kit/workload/names";
import { privateRanges } from "../../kit/workload/network";
import { createdNetworkNotice, placementNotices, dnsReachabilityNotice } from "./notices";
import { resolveWorkload, type ResolvedWorkload } from "./resolve";
import { CLOUDS } from "../../clouds/registry";
import { workloadTags } from "../../kit/workload/tags";

export const WORKLOAD_TOKEN = "multicloud:index:MultiCloudWorkload";

interface WorkloadData {
  spec: WorkloadSpec;
  plan: Plan;
  placementSource: PlacementSource;
  groups: pulumi.Output<WorkloadGroupOutput[]>;
  endpoints: pulumi.Output<WorkloadEndpointOutput[]>;
  dnsName?: string;
}

// Outside the class: the schema inferrer reads every class property as an output.
const readiness = new WeakMap<MultiCloudWorkload, Promise<void>>();

/** A workload placed across clouds at the lowest cost that meets its constraints. */
export class MultiCloudWorkload extends pulumi.ComponentResource<WorkloadData> {
  /** The plan the resources realise: instances per provider, region, type and lifecycle, where prices came from, totals. */
  public readonly plan: pulumi.Output<WorkloadPlanOutput>;
  /** The normalised spec the plan is for (defaults applied): what `multicloud drift --stack-export` re-optimizes. */
  public readonly spec: pulumi.Output<WorkloadSpecOutput>;
  /** Monthly cost of the planned instances, USD (hourly x 730). */
  public readonly monthlyCostUsd: pulumi.Output<number>;
  /** pinned: the plan from stack config; computed: planned at deploy time, not pinned. */
  public readonly placementSource: pulumi.Output<PlacementSource>;
  /** One entry per emitted instance group. */
  public readonly groups: pulumi.Output<WorkloadGroupOutput[]>;
  /** With `traffic`: one regional load balancer endpoint per region of the plan (else empty). */
  public readonly endpoints: pulumi.Output<WorkloadEndpointOutput[]>;
  /** With `traffic.dns`: the name steered across every region of the plan (else undefined). */
  public readonly dnsName: pulumi.Output<string | undefined>;

  constructor(name: string, args: MultiCloudWorkloadArgs, opts?: pulumi.ComponentResourceOptions) {
    super(WORKLOAD_TOKEN, name, args as unknown as pulumi.Inputs, opts);
    const data = this.getData();
    // The one promise left to reject unobserved when the component fails (see the header).
    readiness.set(this, data.then(() => undefined));
    // Each output from its own promise, so the plan is known at preview while group ids are not.
    // On failure the outputs resolve to undefined rather than reject: an Output built on a
    // rejected promise leaves a trail of unobserved rejections; the failure is reported once, above.
    const output = <T>(pick: (d: WorkloadData) => T | pulumi.Output<T>): pulumi.Output<T> =>
      pulumi.output(data.then(pick, () => undefined as never)) as pulumi.Output<T>;
    this.plan = output((d) => d.plan as unknown as WorkloadPlanOutput);
    this.spec = output((d) => d.spec as unknown as WorkloadSpecOutput);
    this.monthlyCostUsd = output((d) => d.plan.totals.monthlyUsd);
    this.placementSource = output((d) => d.placementSource);
    this.groups = output((d) => d.groups);
    this.endpoints = output((d) => d.endpoints);
    this.dnsName = output((d) => d.dnsName);
  }

  /** Resolves once the placement is decided and every child is registered; rejects with why the component failed. */
  ready(): Promise<void> {
    return readiness.get(this)!;
  }

  protected override async initialize(args: pulumi.Inputs, _opts?: pulumi.ComponentResourceOptions, name?: string): Promise<WorkloadData> {
    const stackConfig = `Pulumi.${pulumi.getStack()}.yaml`;
    let resolved: ResolvedWorkload;
    try {
      resolved = await resolveWorkload(args, name!, {
        clouds: CLOUDS,
        placements: readPlacementsConfig(),
        stackConfig,
        live: process.env.MULTICLOUD_LIVE === "1",
        offline: process.env.MULTICLOUD_OFFLINE === "1",
      });
    } catch (err) {
      if (err instanceof UserError) throw resourceError(err.message, this);
      throw err;
    }
    const { spec, plan, source } = resolved;
    const notices = placementNotices({ plan, source, staleReason: resolved.staleReason, stackConfig, now: new Date() });
    void pulumi.log.info(notices.info, this);
    for (const warning of [...notices.warnings, ...resolved.inputWarnings.map((w) => `${spec.name}: ${w}`)]) void pulumi.log.warn(warning, this);

    const common = { ...resolved.common, tags: workloadTags(resolved.common.tags, spec.name, planHash(plan)) };
    const traffic = spec.traffic ? resolveTraffic(spec.traffic) : undefined;
    // Loaded before any cloud emits: a spec asking for DNS steering no cloud offers fails with no child.
    const dnsEmitter = traffic?.dns ? await loadDnsEmitter(spec.name, this) : undefined;
    const unreachable = traffic?.dns && traffic.public ? dnsReachabilityNotice(spec.name, traffic.port, common.ingressCidrs) : undefined;
    if (unreachable) void pulumi.log.warn(unreachable, this);
    const emittedEndpoints: { provider: string; endpoint: EmittedEndpoint }[] = [];
    const emitted: EmittedGroup[] = resolved.clouds.flatMap(({ emitter, prepared, regions }) => {
      const cloud = emitter.cloud;
      const inputs: RegionEmitInput[] = regions.map((r) => ({
        region: r.region,
        provider: prepared.providers?.[r.region] ?? prepared.defaultProvider(regionName(spec.name, cloud, r.region), r.region, this),
        groups: r.groups,
      }));
      for (const r of regions.filter((r) => !prepared.networkRegions.includes(r.region))) {
        void pulumi.log.info(createdNetworkNotice(spec.name, cloud, r.region, privateRanges(cloud, r.region).network, prepared.networkArg), this);
      }
      const result = prepared.emit({ workload: spec.name, parent: this, common, targetCpuUtilization: spec.scaling.targetCpuUtilization, ...(traffic ? { traffic } : {}), regions: inputs });
      emittedEndpoints.push(...result.endpoints.map((endpoint) => ({ provider: cloud, endpoint })));
      return result.groups;
    });

    const groups = pulumi.all(emitted.map((e) => e.id.apply((id) => groupOutput(e, id))));
    const endpoints = pulumi.all(
      emittedEndpoints.map(({ provider, endpoint: e }) => e.address.apply((address): WorkloadEndpointOutput => ({ provider, region: e.region, address, port: e.port }))),
    );
    // The zone id the user gave: an Output goes to the records as it is (the spec holds FROM_OUTPUT).
    const dns = traffic?.dns ? { ...traffic.dns, zoneId: resolved.dnsZoneId ?? traffic.dns.zoneId } : undefined;
    const dnsName = dnsEmitter && traffic && dns ? this.steer(dnsEmitter, spec.name, { ...traffic, dns }, plan, emittedEndpoints) : undefined;
    this.registerOutputs({ plan, spec, monthlyCostUsd: plan.totals.monthlyUsd, placementSource: source, groups, endpoints, dnsName });
    return { spec, plan, placementSource: source, groups, endpoints, ...(dnsName !== undefined ? { dnsName } : {}) };
  }

  /**
   * `traffic.dns`, once every cloud has emitted its load balancers: each region's endpoint with its
   * weight from the plan (pinned or computed; kit/workload/dns.ts), handed to the cloud that steers.
   */
  private steer(
    emitter: DnsEmitter,
    workload: string,
    traffic: DnsEmitInput["traffic"],
    plan: Plan,
    emitted: readonly { provider: string; endpoint: EmittedEndpoint }[],
  ): string {
    const weights = new Map(dnsWeights(plan).map((w) => [`${w.provider}/${w.region}`, w.weight]));
    const endpoints: DnsEndpoint[] = emitted
      .map(({ provider, endpoint: e }): DnsEndpoint => {
        const weight = weights.get(`${provider}/${e.region}`);
        if (weight === undefined) throw new Error(`${workload}: an endpoint in ${provider}/${e.region}, a region without replicas in the plan`);
        return { provider, region: e.region, address: e.address, port: e.port, weight };
      })
      .sort((a, b) => (a.provider === b.provider ? (a.region < b.region ? -1 : 1) : a.provider < b.provider ? -1 : 1));
    const result = emitter.emit({ workload, parent: this, traffic, endpoints });
    for (const warning of result.warnings) void pulumi.log.warn(warning, this);
    return result.dnsName;
  }
}

/**
 * The error Pulumi reports on this component, without a stack trace. Its reference to the
 * component is kept but not enumerable, so that tools printing the error do not walk the
 * component's whole object graph.
 */
function resourceError(message: string, resource: pulumi.Resource): pulumi.ResourceError {
  const err = new pulumi.ResourceError(message, resource, true);
  Object.defineProperty(err, "resource", { value: resource, enumerable: false });
  return err;
}

function groupOutput({ group: g, kind }: EmittedGroup, id: string): WorkloadGroupOutput {
  return {
    cloud: g.cloud,
    region: g.region,
    instanceType: g.instanceType,
    lifecycle: g.lifecycle,
    onDemand: g.onDemand,
    spot: g.spot,
    minSize: g.minSize,
    maxSize: g.maxSize,
    kind,
    id,
  };
}

/** The DNS emitter of the first cloud of the registry that offers DNS steering. */
async function loadDnsEmitter(workload: string, component: pulumi.Resource): Promise<DnsEmitter> {
  const cloud = CLOUDS.adapters.find((c) => c.loadDnsEmitter !== undefined);
  if (!cloud?.loadDnsEmitter) throw resourceError(`${workload}: traffic.dns: no cloud of this package offers DNS steering`, component);
  return cloud.loadDnsEmitter();
}

/** `multicloud:placements` structured config (Pulumi hands it to programs as JSON). */
function readPlacementsConfig(): unknown {
  try {
    return new pulumi.Config("multicloud").getObject<unknown>("placements");
  } catch (err) {
    throw new UserError(`multicloud:placements: not valid structured config: ${(err as Error).message}`);
  }
}
