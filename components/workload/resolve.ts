/**
 * Everything the component decides before it registers a child resource, in order:
 * validate every arg (spec, common settings, each cloud's section) and report all problems at once;
 * take the pinned plan from the placement record when its spec hash matches, or compute one with
 * today's inputs, as `multicloud plan` does (`planLive`: the catalog file, else cached prices, else
 * the embedded snapshot; live price and metrics APIs only with MULTICLOUD_LIVE=1); check the plan
 * against the resource args (providers, networks); group the plan per cloud and region.
 * Registers nothing, so a bad arg or an infeasible spec fails with no children.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { Arch, Catalog } from "../../core/catalog/offer";
import { offerKey } from "../../core/catalog/offer";
import { resolveCatalog } from "../../core/catalog/resolve";
import { problemsError, validateSpec } from "../../core/spec/load";
import type { WorkloadSpec } from "../../core/spec/schema";
import { formatPath, type SpecProblem } from "../../core/spec/issues";
import { planLive } from "../../core/prices/plan-live";
import type { Plan, PlanAllocation } from "../../core/plan/plan";
import { choosePinnedPlan, readPlacementRecord } from "../../core/placement/record";
import { UserError } from "../../core/util/errors";
import type { CloudRegistry } from "../../kit/cloud";
import type { PlacementSource } from "./args";
import type { CommonSettings, PreparedCloud, WorkloadEmitter } from "../../kit/workload/emitter";
import { groupPlan, type RegionGroups } from "../../core/plan/groups";
import { parseArgs } from "./settings";
import { settleProviders } from "./providers";
import { networkProblems, providerCoverageProblems, regionKeyProblems, trafficSettingsProblems } from "./checks";

export interface ResolvedCloud {
  emitter: WorkloadEmitter;
  prepared: PreparedCloud;
  regions: RegionGroups[];
}

export interface ResolvedWorkload {
  spec: WorkloadSpec;
  plan: Plan;
  source: PlacementSource;
  /** Why the pinned placement was not used, when the record had one for an older spec. */
  staleReason?: string;
  /** Fallbacks taken while computing the plan (stale cache, snapshot, metrics unavailable). */
  inputWarnings: string[];
  common: CommonSettings;
  /** `traffic.dns.zoneId` given as an Output (the spec holds FROM_OUTPUT there). */
  dnsZoneId?: pulumi.Input<string>;
  /** Clouds the plan places instances on, in cloud order. */
  clouds: ResolvedCloud[];
}

export interface ResolveContext {
  /** The clouds to plan across and emit to (clouds/registry.ts). */
  clouds: CloudRegistry;
  /** Raw `multicloud:placements` stack config (undefined when unset). */
  placements: unknown;
  /** Stack config file named in messages, e.g. Pulumi.dev.yaml. */
  stackConfig: string;
  /** Call live price and metrics APIs (the CLI's --live / MULTICLOUD_LIVE=1). */
  live?: boolean;
  /** No network at all (MULTICLOUD_OFFLINE=1). */
  offline?: boolean;
}

export async function resolveWorkload(args: unknown, resourceName: string, context: ResolveContext): Promise<ResolvedWorkload> {
  const { clouds: registry } = context;
  // Explicit providers given as Outputs are awaited first: the children take resource objects.
  const providers = await settleProviders(args, registry.names);
  fail(resourceName, providers.problems.map(line));
  const parsed = parseArgs(providers.args, resourceName, registry.names);
  const problems: string[] = parsed.problems.map(line);

  // Specs are checked against the snapshot (plus the catalog file), as the CLI checks them.
  const catalog = await collect(problems, async () => resolveCatalog(registry, { catalogFile: parsed.catalogFile }), "catalog: ");
  const spec = catalog && (await collect(problems, async () => validateSpec(parsed.specInput, catalog, registry)));
  // Emitters load Pulumi SDKs: only those of clouds the spec uses or the args configure.
  const needed = registry.adapters.filter((c) => parsed.sections[c.name] !== undefined || spec?.providers[c.name] !== undefined);
  const emitters = await Promise.all(needed.map((c) => c.loadWorkloadEmitter()));
  const prepared = new Map<WorkloadEmitter, PreparedCloud>();
  if (spec && parsed.common) {
    problems.push(...trafficSettingsProblems(spec, parsed.common).map(line));
    for (const emitter of emitters) {
      const result = emitter.prepare(parsed.sections[emitter.cloud], { spec, common: parsed.common });
      problems.push(...result.problems.map(line));
      if (result.prepared) {
        prepared.set(emitter, result.prepared);
        const allowed = spec.providers[emitter.cloud]?.regions;
        problems.push(...regionKeyProblems(emitter.cloud, result.prepared, allowed).map(line));
        if (allowed) problems.push(...providerCoverageProblems(emitter.cloud, result.prepared, allowed).map(line));
      }
    }
  }
  fail(resourceName, problems);
  // From here on every arg is valid.
  const common = parsed.common!;
  const valid = spec!;

  const choice = choosePinnedPlan(readPlacementRecord(context.placements, registry), valid, registry, context.stackConfig);
  const computed =
    choice.kind === "pinned"
      ? undefined
      : await planLive(valid, { clouds: registry, catalogFile: parsed.catalogFile, live: context.live ?? false, offline: context.offline ?? false });
  const plan = computed?.plan ?? (choice as { plan: Plan }).plan;

  const groups = groupPlan(plan, {
    groupingOf: (cloud) => emitterFor(emitters, cloud).grouping,
    archOf: archResolver(valid, computed?.catalog ?? catalog!),
    maxScaleOut: valid.scaling.maxScaleOut,
  });
  const clouds: ResolvedCloud[] = groups.map((g) => {
    const emitter = emitterFor(emitters, g.cloud);
    return { emitter, prepared: prepared.get(emitter)!, regions: g.regions };
  });
  for (const c of clouds) {
    const planned = c.regions.map((r) => r.region);
    if (valid.traffic && !c.emitter.servesTraffic) {
      problems.push(
        `traffic: the plan places instances on ${c.emitter.cloud}, whose resources do not include load balancers yet: ` +
          `remove traffic, or leave ${c.emitter.cloud} out of providers, or wire your own load balancer to the \`groups\` output`,
      );
    }
    problems.push(...providerCoverageProblems(c.emitter.cloud, c.prepared, planned).map(line));
    problems.push(...networkProblems(c.emitter.cloud, c.prepared, planned, common).map(line));
  }
  fail(resourceName, problems);

  return {
    spec: valid,
    plan,
    source: choice.kind === "pinned" ? "pinned" : "computed",
    staleReason: choice.kind === "stale" ? choice.reason : undefined,
    inputWarnings: computed?.warnings ?? [],
    common,
    ...(parsed.dnsZoneId !== undefined ? { dnsZoneId: parsed.dnsZoneId } : {}),
    clouds,
  };
}

/**
 * The architecture of each planned instance type: the spec's when it names one; otherwise the
 * catalog's (with arch "any", a plan may mix architectures, and images differ per architecture).
 */
function archResolver(spec: WorkloadSpec, catalog: Catalog): (a: PlanAllocation) => Arch {
  if (spec.instance.arch !== "any") {
    const arch = spec.instance.arch as Arch;
    return () => arch;
  }
  const arches = new Map(catalog.offers.map((o) => [offerKey(o), o.arch]));
  return (a) => {
    const arch = arches.get(offerKey(a));
    if (!arch) {
      throw new UserError(`instance.arch is "any" and ${offerKey(a)} is not in the price catalog, so its architecture is unknown: set instance.arch to x86_64 or arm64`);
    }
    return arch;
  };
}

function emitterFor(emitters: readonly WorkloadEmitter[], cloud: string): WorkloadEmitter {
  const emitter = emitters.find((e) => e.cloud === cloud);
  // A plan only names clouds of the spec, and the spec only clouds of the registry.
  if (!emitter) throw new UserError(`the plan places instances on ${cloud}, which has no resource emitter`);
  return emitter;
}

/** Runs one validation step, turning a UserError into collected problem lines. */
async function collect<T>(problems: string[], step: () => Promise<T>, prefix = ""): Promise<T | undefined> {
  try {
    return await step();
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    problems.push(...err.problems.map((p) => `${prefix}${p}`));
    return undefined;
  }
}

function line(p: SpecProblem): string {
  return `${formatPath(p.path)}: ${p.message}`;
}

function fail(resourceName: string, problems: readonly string[]): void {
  if (problems.length === 0) return;
  // `tags` is checked as a resource setting and as part of the spec: a bad tag is said once.
  throw problemsError(`MultiCloudWorkload "${resourceName}" args`, [...new Set(problems)]);
}
