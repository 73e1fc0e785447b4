/**
 * Cross-checks between a cloud's resource args and where the workload may be (or is) placed:
 * explicit providers must cover every region, region keys must name allowed regions, and networks
 * must exist where the component may not create them. Pure; run before any resource is registered
 * (against the spec's regions before planning, against the planned regions after).
 */
import type { SpecProblem } from "../../core/spec/issues";
import { didYouMean } from "../../core/util/errors";
import type { CommonSettings, PreparedCloud } from "../../kit/workload/emitter";
import type { WorkloadSpec } from "../../core/spec/schema";

/** Region keys of providers and networks that the spec does not allow (typos, mostly). */
export function regionKeyProblems(cloud: string, prepared: PreparedCloud, allowed: readonly string[] | undefined): SpecProblem[] {
  if (!allowed) return [];
  const problems: SpecProblem[] = [];
  const check = (arg: string, keys: readonly string[]) => {
    for (const region of keys) {
      if (!allowed.includes(region)) {
        problems.push({
          path: [...arg.split("."), region],
          message: `region not in providers.${cloud}.regions (${allowed.join(", ")})${didYouMean(region, allowed)}`,
        });
      }
    }
  };
  check(`${cloud}.providers`, Object.keys(prepared.providers ?? {}));
  check(prepared.networkArg, prepared.networkRegions);
  return problems;
}

/** With explicit providers, every region the workload may use needs one. */
export function providerCoverageProblems(cloud: string, prepared: PreparedCloud, regions: readonly string[]): SpecProblem[] {
  if (!prepared.providers) return [];
  return regions
    .filter((region) => !prepared.providers![region])
    .map((region) => ({
      path: [cloud, "providers"],
      message: `has no provider for region ${region}, where the workload may be placed: add ${cloud}.providers["${region}"], or remove ${cloud}.providers to let the component create one provider per region`,
    }));
}

export interface NetworkRules {
  createNetworks: boolean;
  assignPublicIp: boolean;
}

/** Regions placed without a network given, when the component may not (or should not) create one. */
export function networkProblems(cloud: string, prepared: PreparedCloud, plannedRegions: readonly string[], rules: NetworkRules): SpecProblem[] {
  const missing = plannedRegions.filter((r) => !prepared.networkRegions.includes(r));
  if (missing.length === 0) return [];
  if (!rules.createNetworks) {
    return missing.map((region) => ({
      path: [...prepared.networkArg.split("."), region],
      message: `is required: the plan places instances in ${cloud}/${region} and createNetworks is false. Give the network there, or set createNetworks to true`,
    }));
  }
  if (rules.assignPublicIp) {
    return missing.map((region) => ({
      path: ["assignPublicIp"],
      message: `conflicts with the private network the component would create in ${cloud}/${region} (instances there reach the internet through NAT, never through a public IP of their own): give ${prepared.networkArg}["${region}"] with internet access, or leave assignPublicIp false`,
    }));
  }
  return [];
}

/**
 * `traffic` against the resource settings: an internet-facing load balancer admits only the
 * declared client ranges, so it needs some (0.0.0.0/0 only when listed).
 */
export function trafficSettingsProblems(spec: WorkloadSpec, common: CommonSettings): SpecProblem[] {
  if (!spec.traffic?.public || common.ingressCidrs.length > 0) return [];
  return [{ path: ["ingressCidrs"], message: "is required when traffic.public is true: list the client CIDR blocks the internet-facing load balancers admit (0.0.0.0/0 only if the whole internet may connect)" }];
}
