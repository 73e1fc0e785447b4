/**
 * Builds a `WorkloadEmitter` from what differs per cloud: its args schema, its own rules, its
 * provider and its resources per region. What every cloud does the same way lives here once:
 * parsing `args.<cloud>` (problems with paths from the args root), running the cloud's tag rules
 * only when the cloud is a provider of the spec, and turning the parsed settings into a prepared
 * cloud that emits region by region.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { describeIssues, type SpecProblem } from "../../core/spec/issues";
import type { WorkloadSpec } from "../../core/spec/schema";
import type { CloudEmitResult, CommonSettings, EmittedEndpoint, EmittedGroup, PrepareContext, WorkloadEmitter } from "./emitter";
import type { Traffic } from "../../core/spec/traffic";
import type { Grouping, WorkloadGroup } from "../../core/plan/groups";
import { regionName } from "./names";
import type { TagInputs } from "./tags";

interface CloudSettings {
  providers?: Record<string, pulumi.ProviderResource>;
}

/** What an emitter gets for one region. */
export interface RegionContext {
  workload: string;
  region: string;
  /** `${workload}-${cloud}-${region}`: the name of the region's resources. */
  name: string;
  groups: WorkloadGroup[];
  common: CommonSettings;
  tags: TagInputs;
  targetCpuUtilization: number;
  /** The region's load balancer and health check (defaults applied); absent: none. */
  traffic?: Traffic;
  parent: pulumi.Resource;
  provider: pulumi.ProviderResource;
  /** Options for every resource of the region: parented to the component, the region's provider. */
  opts: pulumi.CustomResourceOptions;
}

export interface RegionResult {
  groups: EmittedGroup[];
  endpoint?: Omit<EmittedEndpoint, "region">;
}

export interface EmitterDefinition<S extends CloudSettings> {
  cloud: string;
  grouping: Grouping;
  /** Schema of `args.<cloud>` (absent = {}). */
  settings: z.ZodType<S>;
  /** The settings field holding existing networks, keyed by region (`networks`, `subnetIds`). */
  networkKey: keyof S & string;
  /** The cloud's rules on the common tags. */
  /** The cloud's rules on the common tags (keys always; values when plain strings). */
  tagProblems(tags: Readonly<Record<string, unknown>>): SpecProblem[];
  /** The cloud's other cross-field rules (paths from the args root). */
  check(s: S, context: PrepareContext): SpecProblem[];
  defaultProvider(s: S, name: string, region: string, parent: pulumi.Resource): pulumi.ProviderResource;
  /** The region's resources: its groups, and with `traffic` the load balancer's endpoint. */
  emitRegion(s: S, region: RegionContext): EmittedGroup[] | RegionResult;
  providerPackage: WorkloadEmitter["providerPackage"];
  /** True once `emitRegion` creates the region's load balancer for `traffic` (and returns its endpoint). */
  servesTraffic?: boolean;
}

export function defineWorkloadEmitter<S extends CloudSettings>(d: EmitterDefinition<S>): WorkloadEmitter {
  return {
    cloud: d.cloud,
    grouping: d.grouping,
    servesTraffic: d.servesTraffic ?? false,
    providerPackage: d.providerPackage,
    prepare(section, context) {
      const raw = section ?? {};
      const parsed = d.settings.safeParse(raw);
      if (!parsed.success) {
        return { problems: describeIssues(d.settings, raw, parsed.error.issues).map((p) => ({ ...p, path: [d.cloud, ...p.path] })) };
      }
      const s = parsed.data;
      const problems = [...(context.spec.providers[d.cloud] ? d.tagProblems(context.common.tags) : []), ...d.check(s, context)];
      if (problems.length > 0) return { problems };
      return {
        problems,
        prepared: {
          providers: s.providers,
          networkRegions: Object.keys((s[d.networkKey] ?? {}) as object),
          networkArg: `${d.cloud}.${d.networkKey}`,
          defaultProvider: (name, region, parent) => d.defaultProvider(s, name, region, parent),
          emit: (input) => {
            const out: CloudEmitResult = { groups: [], endpoints: [] };
            for (const r of input.regions) {
              const result = d.emitRegion(s, {
                workload: input.workload,
                region: r.region,
                name: regionName(input.workload, d.cloud, r.region),
                groups: r.groups,
                common: input.common,
                tags: input.common.tags,
                targetCpuUtilization: input.targetCpuUtilization,
                ...(input.traffic ? { traffic: input.traffic } : {}),
                parent: input.parent,
                provider: r.provider,
                opts: { parent: input.parent, provider: r.provider },
              });
              const { groups, endpoint } = Array.isArray(result) ? { groups: result, endpoint: undefined } : result;
              out.groups.push(...groups);
              if (endpoint) out.endpoints.push({ region: r.region, ...endpoint });
            }
            return out;
          },
        },
      };
    },
  };
}

/** An image given once cannot serve a plan that may mix architectures. */
export function singleImageProblems(given: boolean, spec: WorkloadSpec, arg: string): SpecProblem[] {
  return given && spec.instance.arch === "any"
    ? [{ path: arg.split("."), message: `one image cannot serve both architectures: set instance.arch to x86_64 or arm64, or remove ${arg}` }]
    : [];
}

/** The provider package of an SDK: its Provider class, rebuilt from a URN. */
export function providerPackage(name: string, version: string, Provider: new (name: string, args: undefined, opts: { urn: string }) => pulumi.ProviderResource): WorkloadEmitter["providerPackage"] {
  return {
    name,
    version,
    constructProvider: (resourceName, type, urn) => {
      if (type !== `pulumi:providers:${name}`) throw new Error(`unknown provider type ${type}`);
      return new Provider(resourceName, undefined, { urn });
    },
  };
}
