/** Builders for crafted catalogs: exact scenarios for optimizer and CLI tests. */
import type { Catalog, InstanceOffer } from "../../core/catalog/offer";
import { compareOffers } from "../../core/catalog/offer";

export function offer(partial: Partial<InstanceOffer> & Pick<InstanceOffer, "provider" | "region" | "instanceType">): InstanceOffer {
  return {
    vcpu: 4,
    memoryGiB: 16,
    gpus: 0,
    gpuType: null,
    arch: "x86_64",
    burstable: false,
    onDemandHourlyUsd: 0.2,
    spotHourlyUsd: null,
    spotEstimated: false,
    ...partial,
  };
}

export function catalogOf(offers: InstanceOffer[], asOf = "2026-07-01"): Catalog {
  const providers = [...new Set(offers.map((o) => o.provider))].sort();
  return {
    offers: [...offers].sort(compareOffers),
    provenance: Object.fromEntries(providers.map((p) => [p, { source: "file" as const, asOf }])),
  };
}

/** Catalog CSV text in the DESIGN.md format. */
export function catalogCsv(offers: InstanceOffer[]): string {
  const header = "provider,region,instanceType,vcpu,memoryGiB,gpus,gpuType,arch,onDemandHourlyUsd,spotHourlyUsd";
  const rows = offers.map((o) =>
    [o.provider, o.region, o.instanceType, o.vcpu, o.memoryGiB, o.gpus, o.gpuType ?? "", o.arch, o.onDemandHourlyUsd, o.spotHourlyUsd ?? ""].join(","),
  );
  return `${[header, ...rows].join("\n")}\n`;
}
