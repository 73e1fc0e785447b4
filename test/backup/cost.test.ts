import { describe, expect, it } from "vitest";
import { estimateCost } from "../../core/backup/cost";
import { planBackup } from "../../core/backup/plan";
import { validateBackupSpec, type BackupSpecInput } from "../../core/backup/spec";
import { loadStoragePrices, type StoragePrices } from "../../core/backup/prices";
import { NO_FEE, egress, prices, provider, storage } from "./helpers/prices";
import { CLOUDS } from "../../clouds/registry";

const NOW = new Date("2026-08-01T00:00:00Z");
const spec = (input: BackupSpecInput, p: StoragePrices) => validateBackupSpec(input, { clouds: CLOUDS, prices: p, now: NOW });
const plan = (input: BackupSpecInput, p: StoragePrices) => planBackup("test", spec(input, p), p, CLOUDS);

describe("monthly cost of one destination", () => {
  // One S3 source, one GCS destination, round numbers.
  const p = prices({
    aws: provider({
      egress: { "us-east-1": { worldwide: [[0, 0.1], [1000, 0.05]] } },
      operations: { hot: { writePer10kUsd: 0.05, readPer10kUsd: 0.004 }, cool: { writePer10kUsd: 0.1, readPer10kUsd: 0 }, cold: { writePer10kUsd: 0.2, readPer10kUsd: 0 }, archive: { writePer10kUsd: 0.5, readPer10kUsd: 0 } },
    }),
    gcp: provider({
      storage: { "us-east1": { hot: 0.02, cool: 0.01, cold: 0.004, archive: 0.001 } },
      operations: { hot: { writePer10kUsd: 0.05, readPer10kUsd: 0.004 }, cool: { writePer10kUsd: 0.1, readPer10kUsd: 0.01 }, cold: { writePer10kUsd: 0.2, readPer10kUsd: 0.1 }, archive: { writePer10kUsd: 0.5, readPer10kUsd: 0.5 } },
      transfer: { aws: { perGiBUsd: 0.01, perRunUsd: 1 } },
    }),
  });
  const input: BackupSpecInput = {
    source: { provider: "aws", region: "us-east-1", bucket: "b" },
    destination: { provider: "gcp", region: "us-east1" },
    sizeGiB: 10_000,
    dailyChangeGiB: 50,
    averageObjectMiB: 1024, // one object per GiB: request counts stay readable
    rpoHours: 73, // 10 runs a month
    archiveAfterDays: 180,
  };

  it("adds storage by tier over the lifecycle, noncurrent versions, tiered egress of a 730-hour month of change, requests and transfer fees", () => {
    const e = estimateCost(spec(input, p), { provider: "gcp", region: "us-east1" }, p, CLOUDS);
    // 50 GiB/day: 1500 hot (30 d), 3000 cool (60 d), 4500 cold (90 d), the remaining 1000 archived;
    // plus the versions rewritten objects leave behind: 50 GiB/day x 30 retention days = 1500 GiB, hot.
    expect(e.storageUsd).toBeCloseTo(30 + 30 + 18 + 1 + 30, 9);
    // A month is 730 h = 30.41667 days, as plans: 50 x 730 / 24 = 1520.8333 GiB changed a month;
    // egress 1000 GiB at 0.10 + 520.8333 GiB at 0.05.
    const monthGiB = (50 * 730) / 24;
    expect(monthGiB).toBeCloseTo(1520.833333, 5);
    expect(e.egressUsd).toBeCloseTo(100 + 26.041666667, 8);
    const ops = {
      writes: (monthGiB / 1e4) * 0.05, // one object per GiB
      reads: (monthGiB / 1e4) * 0.004,
      listings: ((10 * 10) / 1e4) * (0.05 + 0.05), // 730 / 73 = 10 runs x ceil(10,000 objects / 1,000) on each side
      transitions: (monthGiB / 1e4) * (0.1 + 0.2 + 0.5),
      fees: monthGiB * 0.01 + 10 * 1,
    };
    expect(Object.values(ops).reduce((a, b) => a + b, 0)).toBeCloseTo(0.0076042 + 0.00060833 + 0.001 + 0.12166667 + 25.20833333, 6);
    expect(e.operationsUsd).toBeCloseTo(Object.values(ops).reduce((a, b) => a + b, 0), 9);
    expect(e.monthlyUsd).toBeCloseTo(e.storageUsd + e.egressUsd + e.operationsUsd, 9);
    expect(e.items.map((i) => i.item)).toEqual([
      "STANDARD storage",
      "NEARLINE storage",
      "COLDLINE storage",
      "ARCHIVE storage",
      "noncurrent versions (30 days)",
      "internet egress from aws/us-east-1",
      "writes at the destination",
      "reads at the source",
      "listings of source and destination",
      "transitions to NEARLINE",
      "transitions to COLDLINE",
      "transitions to ARCHIVE",
      "Storage Transfer Service fees",
    ]);
  });

  it("keeps noncurrent versions for retentionDays: 10 more retention days cost 10 x dailyChangeGiB at the hot price", () => {
    const at = (retentionDays: number) => estimateCost(spec({ ...input, retentionDays }, p), { provider: "gcp", region: "us-east1" }, p, CLOUDS);
    expect(at(40).storageUsd - at(30).storageUsd).toBeCloseTo(10 * 50 * 0.02, 9);
    expect(at(40).items.find((i) => i.item === "noncurrent versions (40 days)")?.usd).toBeCloseTo(2000 * 0.02, 9);
    // Static data leaves no old versions.
    expect(estimateCost(spec({ ...input, dailyChangeGiB: 0 }, p), { provider: "gcp", region: "us-east1" }, p, CLOUDS).items.some((i) => i.item.startsWith("noncurrent"))).toBe(false);
  });

  it("prices the first full copy apart from the monthly cost", () => {
    const e = estimateCost(spec(input, p), { provider: "gcp", region: "us-east1" }, p, CLOUDS);
    expect(e.initialCopyUsd).toBeCloseTo(1000 * 0.1 + 9000 * 0.05 + 10_000 * 0.01 + (10_000 / 1e4) * (0.004 + 0.05), 9);
  });
});

describe("destination choice", () => {
  // A GCS source in Sydney. AWS Sydney stores cheaply but GCP charges more to send data into
  // Australia; Azure Singapore stores dearly but receives at the worldwide egress rate.
  const p = prices({
    gcp: provider({ egress: { "australia-southeast1": egress(0.12, { AU: 0.19 }) } }),
    aws: provider({ storage: { "ap-southeast-2": storage(0.01) }, transfer: { gcp: NO_FEE } }),
    azure: provider({ storage: { southeastasia: storage(0.03) }, transfer: { gcp: NO_FEE } }),
  });
  const source = { provider: "gcp" as const, region: "australia-southeast1", bucket: "b" };

  it("keeps a storage-heavy backup where storage is cheapest", () => {
    const chosen = plan({ source, sizeGiB: 50_000, dailyChangeGiB: 1 }, p);
    expect(`${chosen.destination.provider}/${chosen.destination.region}`).toBe("aws/ap-southeast-2");
  });

  it("sends an egress-heavy backup where the source's egress is cheapest, even though storage costs more", () => {
    const chosen = plan({ source, sizeGiB: 100, dailyChangeGiB: 500 }, p);
    expect(`${chosen.destination.provider}/${chosen.destination.region}`).toBe("azure/southeastasia");
    expect(chosen.runnersUp.map((r) => `${r.provider}/${r.region}`)).toEqual(["aws/ap-southeast-2"]);
    expect(chosen.runnersUp[0]!.egressUsd).toBeGreaterThan(chosen.destination.egressUsd);
    expect(chosen.runnersUp[0]!.storageUsd).toBeLessThan(chosen.destination.storageUsd);
  });

  it("lets per-GiB transfer fees flip the choice the same way", () => {
    const q = prices({
      aws: provider({ egress: { "us-east-1": egress(0.09) } }),
      gcp: provider({ storage: { "us-east1": storage(0.02) }, transfer: { aws: NO_FEE } }),
      azure: provider({ storage: { eastus: storage(0.01) }, transfer: { aws: { perGiBUsd: 0.05, perRunUsd: 0 } } }),
    });
    const s3 = { provider: "aws" as const, region: "us-east-1", bucket: "b" };
    expect(plan({ source: s3, sizeGiB: 100_000, dailyChangeGiB: 1 }, q).destination.provider).toBe("azure");
    expect(plan({ source: s3, sizeGiB: 100, dailyChangeGiB: 200 }, q).destination.provider).toBe("gcp");
  });

  it("breaks exact ties by provider, then region, whatever the order of the price file", () => {
    const tie = (order: string[]) =>
      prices(
        Object.fromEntries(
          order.map((name) => [
            name,
            name === "aws"
              ? provider({ egress: { "us-east-1": egress(0.09) } })
              : provider({ storage: name === "gcp" ? { "us-west1": storage(0.02), "us-east1": storage(0.02) } : { eastus: storage(0.02) }, transfer: { aws: NO_FEE } }),
          ]),
        ),
      );
    const s3 = { provider: "aws" as const, region: "us-east-1", bucket: "b" };
    for (const order of [["aws", "azure", "gcp"], ["gcp", "azure", "aws"]]) {
      const chosen = plan({ source: s3, sizeGiB: 100, dailyChangeGiB: 1 }, tie(order));
      expect(`${chosen.destination.provider}/${chosen.destination.region}`).toBe("azure/eastus");
      expect(chosen.runnersUp.map((r) => r.region)).toEqual(["us-east1", "us-west1"]);
    }
  });

  it("gives the same plan, byte for byte, for the same spec and prices", () => {
    const input = { source, sizeGiB: 1000, dailyChangeGiB: 10 };
    expect(JSON.stringify(plan(input, p))).toBe(JSON.stringify(plan(input, p)));
  });

  it("records why candidates were left out, and takes an Azure Blob source into AWS without an agent", () => {
    const q = prices({
      azure: provider({ egress: { eastus: egress(0.087) } }),
      gcp: provider({ storage: { "us-east1": storage(0.02) }, transfer: { azure: NO_FEE } }),
      aws: provider({ storage: { "us-east-1": storage(0.001) }, transfer: { azure: NO_FEE } }),
    });
    const blob = { provider: "azure" as const, region: "eastus", storageAccount: "acct", container: "data", resourceGroupName: "rg", sasExpiresOn: "2099-01-01" };
    const chosen = plan({ source: blob, sizeGiB: 100, dailyChangeGiB: 1 }, q);
    // AWS is cheapest, and DataSync's Enhanced mode reads Azure Blob without an agent.
    expect(chosen.destination.provider).toBe("aws");
    expect(chosen.destination.route).toMatch(/Enhanced mode, agentless/);
    // No provider-wide exclusion of AWS (a route blocker has no region).
    expect(chosen.excluded.filter((e) => e.provider === "aws" && e.region === undefined)).toEqual([]);
    expect(chosen.excluded).toContainEqual({ provider: "gcp", region: "us-west1", reason: "no storage price in the snapshot" });
    const withAgent = plan({ source: blob, sizeGiB: 100, dailyChangeGiB: 1, dataSyncAgentArn: "arn:aws:datasync:us-east-1:123456789012:agent/agent-0abc" }, q);
    expect(withAgent.destination.provider).toBe("aws");
  });

  it("leaves out a destination that cannot honour a setting (Azure and GCS cannot lock a retention)", () => {
    const q = prices({
      aws: provider({ egress: { "us-east-1": egress(0.09) } }),
      azure: provider({ storage: { eastus: storage(0.001) }, transfer: { aws: NO_FEE } }),
      gcp: provider({ storage: { "us-east1": storage(0.02) }, transfer: { aws: NO_FEE } }),
    });
    const s3 = { provider: "aws" as const, region: "us-east-1", bucket: "b" };
    expect(plan({ source: s3, sizeGiB: 100, dailyChangeGiB: 1, immutable: true }, q).destination.provider).toBe("azure");
    // A locked retention on GCS would be a bucket retention policy, which forbids versioning.
    expect(() => plan({ source: s3, sizeGiB: 100, dailyChangeGiB: 1, immutable: true, lockRetention: true }, q)).toThrow(
      /azure: cannot honour lockRetention[\s\S]*gcp: cannot honour lockRetention: a locked retention on GCS is a bucket retention policy, which forbids Object Versioning/,
    );
    const r = prices({
      gcp: provider({ egress: { "us-east1": egress(0.12) } }),
      aws: provider({ storage: { "us-east-1": storage(0.02) }, transfer: { gcp: NO_FEE } }),
      azure: provider({ storage: { eastus: storage(0.001) }, transfer: { gcp: NO_FEE } }),
    });
    const locked = plan({ source: { provider: "gcp", region: "us-east1", bucket: "b" }, sizeGiB: 100, dailyChangeGiB: 1, immutable: true, lockRetention: true }, r);
    expect(locked.destination.provider).toBe("aws");
    expect(locked.excluded).toContainEqual({ provider: "azure", reason: expect.stringContaining("cannot honour lockRetention") });
  });

  it("fails with every reason when no candidate is left", () => {
    const q = prices({ aws: provider({ egress: { "us-east-1": egress(0.09) } }), gcp: provider({}), azure: provider({}) });
    expect(() => plan({ source: { provider: "aws", region: "us-east-1", bucket: "b" }, sizeGiB: 1, dailyChangeGiB: 1 }, q)).toThrow(
      /no destination for aws\/us-east-1 in the north-america geography[\s\S]*gcp\/us-central1: no storage price[\s\S]*fix: list candidates.regions/,
    );
  });
});

describe("the plan against the shipped prices", () => {
  it("chooses among the other clouds' regions in the source's geography only", () => {
    const chosen = plan({ source: { provider: "aws", region: "eu-west-1", bucket: "b" }, sizeGiB: 1000, dailyChangeGiB: 10 }, loadStoragePrices());
    for (const c of [chosen.destination, ...chosen.runnersUp]) {
      expect(c.provider).not.toBe("aws");
      expect(CLOUDS.placeOf(c.provider, c.region)?.[0]).toBe("europe");
    }
  });
});
