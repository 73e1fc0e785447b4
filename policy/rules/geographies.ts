/**
 * Allowed geographies: no resource of the stack in a region outside the configured residency
 * geographies (the same geographies as `compliance.residency`, from the same region tables:
 * each cloud's adapter places its regions once, core/spec/residency.ts maps countries).
 *
 * A resource's region: AWS, its `region` (provider v7) else its provider's; Azure, its
 * `location`; GCP, its `region`, its `zone`'s region, or its `location` (buckets). Global
 * resources are not checked: AWS IAM, Route 53 and CloudFront, Azure `global` locations, and GCP
 * resources without a region, zone or location (networks, firewalls, global templates).
 * A location no region table places (a GCS multi-region other than EU and US, a mistyped region)
 * fails closed, like residency: nobody can say where it is.
 */
import type { PolicyConfigSchema, ResourceValidationPolicy } from "@pulumi/policy";
import { CLOUDS } from "../../clouds/registry";
import { RESIDENCY_GEOGRAPHIES, residencyOf } from "../../core/spec/residency";
import { configOf } from "../config";
import { cloudOf, isProvider, violation, type StackResource } from "../resources";

/** AWS services whose resources are global: they have no region of their own. */
const AWS_GLOBAL = /^aws:(iam|route53|cloudfront|organizations|globalaccelerator|shield|budgets)\//;

/**
 * GCS multi-regions inside one geography: EU (data centers in EU member states) and US.
 * https://cloud.google.com/storage/docs/locations#location-mr
 */
const GCS_MULTI_REGIONS: Readonly<Record<string, string>> = { eu: "eu", us: "us" };

export const geographiesSchema: PolicyConfigSchema = {
  properties: {
    geographies: {
      type: "array",
      items: { type: "string", enum: [...RESIDENCY_GEOGRAPHIES] },
      default: [],
      description: "Residency geographies resources may be in (us, ca, eu, uk, ch, apac, jp, au, in, sa, me, af); empty: no rule.",
    },
  },
};

/** The region (or location) a resource lives in, or undefined for global resources. */
export function regionOf(resource: StackResource): string | undefined {
  const cloud = cloudOf(resource.type);
  const p = resource.props;
  if (cloud === "aws") return AWS_GLOBAL.test(resource.type) ? undefined : (p.region ?? resource.provider?.props.region);
  if (cloud === "azure") {
    const location = typeof p.location === "string" ? p.location.toLowerCase().replace(/\s+/g, "") : undefined;
    return location === "global" ? undefined : location;
  }
  if (cloud === "gcp") {
    if (typeof p.region === "string") return p.region;
    if (typeof p.zone === "string") return p.zone.replace(/-[a-z]$/, "");
    return typeof p.location === "string" ? p.location.toLowerCase() : undefined;
  }
  return undefined;
}

/** The residency geography of a cloud's region, or undefined when no table places it. */
export function geographyOf(cloud: string, region: string): string | undefined {
  if (cloud === "gcp" && GCS_MULTI_REGIONS[region]) return GCS_MULTI_REGIONS[region];
  const place = CLOUDS.has(cloud) ? CLOUDS.placeOf(cloud, region) : undefined;
  return place ? residencyOf(place) : undefined;
}

export function geographyProblem(resource: StackResource, allowed: readonly string[]): string | undefined {
  const cloud = cloudOf(resource.type);
  if (allowed.length === 0 || !cloud || isProvider(resource.type)) return undefined;
  const region = regionOf(resource);
  if (region === undefined) return undefined;
  const geography = geographyOf(cloud, region);
  if (geography !== undefined && allowed.includes(geography)) return undefined;
  return violation(
    resource,
    `is in ${cloud}/${region}, ${geography ? `in geography ${geography}` : "which no region table places in a geography"}`,
    `resources stay in the allowed geographies (${allowed.join(", ")})`,
    `move it to a region of ${allowed.join(" or ")} (MultiCloudWorkload and CrossCloudBackup: set compliance.residency to the same geographies, and the placement follows)`,
  );
}

export const allowedGeographies: ResourceValidationPolicy = {
  name: "multicloud-allowed-geographies",
  description: "Every regional resource is in a region of the configured residency geographies.",
  enforcementLevel: "mandatory",
  configSchema: geographiesSchema,
  validateResource: (args, reportViolation) => {
    const { geographies } = configOf<{ geographies: string[] }>(geographiesSchema, args.getConfig());
    const problem = geographyProblem(args, geographies);
    if (problem) reportViolation(problem);
  },
};
