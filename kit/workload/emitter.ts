/**
 * The one interface each cloud implements to realise a plan (`clouds/<cloud>/workload-emitter.ts`),
 * listed in ./emitters.ts. The component talks to clouds only through it, so it never names one.
 *
 * Two steps, so that bad args fail before anything is registered:
 * 1. `prepare` validates the cloud's own args section (`args.<cloud>`) and its cross-field rules,
 *    returning problems (field paths from the args root) or a prepared cloud. It registers nothing.
 * 2. `emit` (on the prepared cloud) registers the cloud's resources for the groups it is given,
 *    every one parented to the component and using the region's provider. Emitters only emit:
 *    which groups exist, their sizes, names, tags and address ranges are decided by the pure
 *    modules beside this file and handed in.
 *
 * Clouds build their emitter with ./define-emitter.ts, which holds what all of them do alike.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { WorkloadSpec } from "../../core/spec/schema";
import type { SpecProblem } from "../../core/spec/issues";
import type { Grouping, WorkloadGroup } from "../../core/plan/groups";
import type { Traffic } from "../../core/spec/traffic";
import type { TagInputs } from "./tags";

export interface Port {
  port: number;
  protocol: "tcp" | "udp";
}

/** The cloud-independent resource settings, validated and defaulted (./settings.ts). */
export interface CommonSettings {
  /** Plain keys; a value may be an Output (another resource's, or a secret). */
  tags: TagInputs;
  ports: Port[];
  ingressCidrs: string[];
  userData?: pulumi.Input<string>;
  assignPublicIp: boolean;
  createNetworks: boolean;
  rootVolumeGiB: number;
}

export interface PrepareContext {
  spec: WorkloadSpec;
  common: CommonSettings;
}

export interface PrepareResult {
  problems: SpecProblem[];
  /** Present when there are no problems. */
  prepared?: PreparedCloud;
}

export interface WorkloadEmitter {
  /** Cloud name, as in specs and plans. */
  readonly cloud: string;
  /** Whether one group may hold both lifecycles. */
  readonly grouping: Grouping;
  /**
   * Whether the emitter realises `traffic` (a regional load balancer, its health check and
   * autohealing). A spec with `traffic` on a cloud whose emitter does not is refused at preview,
   * never silently deployed without its load balancers.
   */
  readonly servesTraffic: boolean;
  /** Validates `args.<cloud>` (undefined when absent). Registers nothing. */
  prepare(section: unknown, context: PrepareContext): PrepareResult;
  /**
   * The cloud's provider package (`aws`, `azure-native`, `gcp`) as the SDK registers it, so that a
   * provider reference sent by the engine to the plugin (`construct`) becomes a Provider again.
   * The SDKs register it only from their root module, which the emitters do not load.
   */
  readonly providerPackage: { name: string } & pulumi.runtime.ResourcePackage;
}

export interface PreparedCloud {
  /** Explicit providers by region; undefined when the component creates one per region. */
  readonly providers?: Readonly<Record<string, pulumi.ProviderResource>>;
  /** Regions for which args give an existing network. */
  readonly networkRegions: readonly string[];
  /** The arg that gives networks, for messages (e.g. `aws.networks`). */
  readonly networkArg: string;
  /** A default provider for a region, parented to the component. */
  defaultProvider(name: string, region: string, parent: pulumi.Resource): pulumi.ProviderResource;
  emit(input: CloudEmitInput): CloudEmitResult;
}

export interface CloudEmitInput {
  /** The workload (spec) name: prefix of every child resource name. */
  workload: string;
  parent: pulumi.Resource;
  /** Common settings with `tags` already merged with the workload and plan tags. */
  common: CommonSettings;
  targetCpuUtilization: number;
  /** The load balancer and health check of every region, defaults applied; absent: none. */
  traffic?: Traffic;
  regions: RegionEmitInput[];
}

/** What a prepared cloud registered: its groups, and one endpoint per region when `traffic` is set. */
export interface CloudEmitResult {
  groups: EmittedGroup[];
  endpoints: EmittedEndpoint[];
}

/** A regional load balancer's address (output `endpoints`). */
export interface EmittedEndpoint {
  region: string;
  address: pulumi.Output<string>;
  port: number;
}

export interface RegionEmitInput {
  region: string;
  provider: pulumi.ProviderResource;
  groups: WorkloadGroup[];
}

/** What the component reports per group (output `groups`). */
export interface EmittedGroup {
  group: WorkloadGroup;
  /** Resource type token of the group resource. */
  kind: string;
  id: pulumi.Output<string>;
}
