import { describe, expect, it } from "vitest";
import { loadStoragePrices } from "../../core/backup/prices";
import { GEOGRAPHIES } from "../../core/backup/types";
import { CLOUDS } from "../../clouds/registry";

const BACKUP_CLOUDS = CLOUDS.adapters;
const placeOf = (provider: string, region: string) => CLOUDS.placeOf(provider, region);

describe("regions and geographies", () => {
  it("covers every cloud of the registry, in its order", () => {
    expect(BACKUP_CLOUDS.map((c) => c.name)).toEqual(CLOUDS.names);
  });

  it("places every region in a known geography and country", () => {
    for (const cloud of BACKUP_CLOUDS) {
      for (const [region, [geography, country]] of Object.entries(cloud.regions)) {
        expect(GEOGRAPHIES, `${cloud.name}/${region}`).toContain(geography);
        expect(country, `${cloud.name}/${region}`).toMatch(/^[A-Z]{2}$/);
      }
    }
  });

  it.each([
    ["aws", "eu-west-1", "europe", "IE"],
    ["azure", "westeurope", "europe", "NL"],
    ["gcp", "europe-west4", "europe", "NL"],
    ["aws", "ap-southeast-2", "asia-pacific", "AU"],
    ["gcp", "us-central1", "north-america", "US"],
    ["azure", "brazilsouth", "south-america", "BR"],
  ])("%s/%s is in %s (%s)", (provider, region, geography, country) => {
    expect(placeOf(provider, region)).toEqual([geography, country]);
  });

  it("gives every priced region a place, so candidates can be filtered by geography", () => {
    const prices = loadStoragePrices();
    for (const [provider, p] of Object.entries(prices.providers)) {
      for (const region of [...Object.keys(p.storage), ...Object.keys(p.egress)]) expect(placeOf(provider, region), `${provider}/${region}`).toBeDefined();
    }
  });

  it("has at least one priced destination on each other cloud in the main geographies", () => {
    const prices = loadStoragePrices();
    for (const geography of ["north-america", "europe", "asia-pacific"]) {
      for (const cloud of BACKUP_CLOUDS) {
        const priced = Object.keys(prices.providers[cloud.name]!.storage).filter((r) => placeOf(cloud.name, r)?.[0] === geography);
        expect(priced.length, `${cloud.name} in ${geography}`).toBeGreaterThan(0);
      }
    }
  });
});
