/**
 * Data residency (DESIGN.md "Compliance and audit", `compliance.residency`): the geographies a
 * workload may be placed in. Each cloud's adapter places its regions in a country once
 * (`regions`: geography, ISO 3166-1 country); this maps a country to a residency geography, the
 * same for every cloud, so a rule means the same on AWS, Azure and GCP.
 *
 * - `eu` is the European Economic Area: the EU member states plus Iceland, Liechtenstein and Norway,
 *   where the GDPR applies alike. `uk` and `ch` are their own.
 * - `us`, `ca`, `jp`, `au`, `in` are those countries; `apac` the other Asia-Pacific countries;
 *   `sa` South America; `me` the Middle East; `af` Africa.
 * - A country none of these covers (Mexico, today) is in no geography: with residency set, its
 *   regions are never allowed (fail closed), and naming one is an error.
 */
import type { RegionPlace } from "../backup/types";
import type { CloudSet } from "../clouds/cloud-set";

export const RESIDENCY_GEOGRAPHIES = ["us", "ca", "eu", "uk", "ch", "apac", "jp", "au", "in", "sa", "me", "af"] as const;
export type ResidencyGeography = (typeof RESIDENCY_GEOGRAPHIES)[number];

/** EU member states and the rest of the EEA (IS, LI, NO). */
const EEA = new Set(["AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO"]);
const COUNTRY: Readonly<Record<string, ResidencyGeography>> = { US: "us", CA: "ca", GB: "uk", CH: "ch", JP: "jp", AU: "au", IN: "in" };
const BY_CONTINENT: Readonly<Record<string, ResidencyGeography>> = { "asia-pacific": "apac", "south-america": "sa", "middle-east": "me", africa: "af" };

/** The residency geography of a region's place, or undefined when none covers its country. */
export function residencyOf(place: RegionPlace): ResidencyGeography | undefined {
  const [continent, country] = place;
  if (EEA.has(country)) return "eu";
  return COUNTRY[country] ?? BY_CONTINENT[continent];
}

/**
 * Whether a provider's region may host the workload under `residency` (absent: every region). A
 * region the cloud's table does not place is not allowed: nobody can say where it is.
 */
export function residencyFilter(residency: readonly string[] | undefined, clouds: CloudSet): ((provider: string, region: string) => boolean) | undefined {
  if (!residency) return undefined;
  const allowed = new Set(residency);
  return (provider, region) => {
    const place = clouds.placeOf(provider, region);
    const geography = place ? residencyOf(place) : undefined;
    return geography !== undefined && allowed.has(geography);
  };
}

/** "eu" or "outside every residency geography", for messages about a region. */
export function describeResidency(clouds: CloudSet, provider: string, region: string): string {
  const place = clouds.placeOf(provider, region);
  if (!place) return "not placed in any country by the cloud's region table";
  return `in ${place[1]}, ${residencyOf(place) ?? "outside every residency geography"}`;
}
