/**
 * Checks a schema-valid spec against the rules the schema cannot express: cross-field rules and
 * names that must exist in the price catalog (regions, quota keys). Returns problems; never throws.
 */
import picomatch from "picomatch";
import type { WorkloadSpec } from "./schema";
import { quoted, type SpecProblem } from "./issues";
import type { Catalog } from "../catalog/offer";
import type { CloudSet } from "../clouds/cloud-set";
import { didYouMean } from "../util/errors";
import { regionsByProvider } from "../catalog/query";
import { trafficProblems } from "./traffic";
import { describeResidency, residencyFilter } from "./residency";
import { requiredTagProblems } from "./required-tags";

export function checkSpecAgainstCatalog(spec: WorkloadSpec, catalog: Catalog, clouds: CloudSet): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const { instance, demand, constraints } = spec;
  const providerNames = Object.keys(spec.providers);
  const known = regionsByProvider(catalog);

  if (providerNames.length === 0) {
    problems.push({ path: ["providers"], message: `expected at least one provider (${clouds.listed()})` });
  }
  if (instance.minVcpu !== undefined && instance.maxVcpu !== undefined && instance.minVcpu > instance.maxVcpu) {
    problems.push({ path: ["instance", "minVcpu"], message: `must not exceed instance.maxVcpu (${instance.maxVcpu}), got ${instance.minVcpu}` });
  }
  if (instance.gpuType !== null && demand.gpus === 0) {
    problems.push({ path: ["instance", "gpuType"], message: "is only meaningful when demand.gpus > 0: set demand.gpus or remove gpuType" });
  }
  if (constraints.minProviders !== undefined && constraints.minProviders > providerNames.length) {
    problems.push({
      path: ["constraints", "minProviders"],
      message: `asks for ${constraints.minProviders} providers but only ${providerNames.length} ${providerNames.length === 1 ? "is" : "are"} listed under providers (${providerNames.join(", ")})`,
    });
  }
  for (const list of ["allow", "deny"] as const) {
    instance.families[list].forEach((glob, i) => {
      try {
        picomatch.makeRe(glob);
      } catch {
        problems.push({ path: ["instance", "families", list, i], message: `not a valid glob pattern: ${quoted(glob)}` });
      }
    });
  }

  for (const provider of providerNames) {
    const regions = spec.providers[provider]!.regions;
    const available = known.get(provider);
    if (!available) {
      problems.push({ path: ["providers", provider], message: `the price catalog has no offers for ${provider}` });
      continue;
    }
    regions?.forEach((region, i) => {
      if (!available.has(region)) {
        problems.push({
          path: ["providers", provider, "regions", i],
          message: `unknown ${provider} region ${quoted(region)}${otherCloudsRegion(region, provider, known, clouds) ?? didYouMean(region, [...available])}`,
        });
      }
    });
    if (regions && new Set(regions).size !== regions.length) {
      problems.push({ path: ["providers", provider, "regions"], message: "lists a region more than once" });
    }
  }

  if (spec.traffic) problems.push(...trafficProblems(spec.traffic));

  // A region named explicitly must be one the residency rules allow: never silently dropped.
  const allowed = residencyFilter(spec.compliance?.residency, clouds);
  if (allowed) {
    const rules = spec.compliance!.residency!.join(", ");
    for (const provider of providerNames) {
      spec.providers[provider]!.regions?.forEach((region, i) => {
        if (clouds.has(provider) && !allowed(provider, region)) {
          problems.push({ path: ["providers", provider, "regions", i], message: `${provider}/${region} is ${describeResidency(clouds, provider, region)}, outside compliance.residency (${rules}): remove it, or allow its geography` });
        }
      });
    }
  }

  problems.push(...requiredTagProblems({ requiredTags: spec.compliance?.requiredTags, tags: spec.tags, providers: providerNames }, clouds));

  for (const key of Object.keys(constraints.quotas)) {
    const [provider = "", region = ""] = key.split("/");
    const path = ["constraints", "quotas", key];
    const settings = spec.providers[provider];
    if (!settings) {
      problems.push({ path, message: `names provider ${quoted(provider)}, which is not under providers (${providerNames.join(", ")})` });
      continue;
    }
    const allowed = settings.regions ?? [...(known.get(provider) ?? [])];
    if (!allowed.includes(region)) {
      problems.push({ path, message: `names region ${quoted(region)}, which is not a region this spec allows for ${provider}${didYouMean(region, allowed)}` });
    }
  }
  return problems;
}

/**
 * ` (that is an Azure region: list it under providers.azure)` when `region` is another cloud's
 * region (in the catalog or the cloud's region table), else undefined.
 */
function otherCloudsRegion(region: string, provider: string, known: ReadonlyMap<string, ReadonlySet<string>>, clouds: CloudSet): string | undefined {
  const owners = clouds.adapters.filter((c) => c.name !== provider && (known.get(c.name)?.has(region) || clouds.placeOf(c.name, region) !== undefined));
  if (owners.length === 0) return undefined;
  const names = owners.map((c) => c.displayName);
  const under = owners.map((c) => `providers.${c.name}`);
  return ` (that is ${article(names[0]!)} ${names.join(" or ")} region: list it under ${under.join(" or ")})`;
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? "an" : "a";
}
