import { CLOUDS } from "../../clouds/registry";
import { describe, expect, it } from "vitest";
import { validateBackupSpec } from "../../core/backup/spec";
import { loadStoragePrices } from "../../core/backup/prices";
import { UserError } from "../../core/util/errors";

const NOW = new Date("2026-08-01T00:00:00Z");
const validate = (input: unknown) => validateBackupSpec(input, { clouds: CLOUDS, prices: loadStoragePrices(), now: NOW });
const s3 = { provider: "aws", region: "us-east-1", bucket: "orders" };
const base = { source: s3, sizeGiB: 100, dailyChangeGiB: 1 };

function problems(input: unknown): string[] {
  try {
    validate(input);
  } catch (err) {
    if (err instanceof UserError) return [...err.problems];
    throw err;
  }
  throw new Error("expected the spec to be rejected");
}

describe("backup spec validation", () => {
  it("applies defaults, so two spellings of the same intent are equal", () => {
    const spec = validate(base);
    expect(spec).toMatchObject({ rpoHours: 24, retentionDays: 30, immutable: false, lockRetention: false, averageObjectMiB: 4, tags: {} });
    expect(validate({ ...base, rpoHours: 24, retentionDays: 30 })).toEqual(spec);
  });

  it("rejects a destination on the source's cloud, naming the field and the clouds to use instead", () => {
    expect(problems({ ...base, destination: { provider: "aws", region: "us-west-2" } })).toEqual([
      "destination.provider: must be on a different cloud from source.provider (aws): a backup on the same cloud shares its failure domain; choose azure or gcp",
    ]);
  });

  it("rejects retention below one day", () => {
    expect(problems({ ...base, retentionDays: 0 })).toEqual(["retentionDays: expected a number >= 1, got 0"]);
    expect(problems({ ...base, retentionDays: 0.5 })).toEqual(["retentionDays: expected an integer, got 0.5"]);
  });

  it("rejects a missing source", () => {
    expect(problems({ sizeGiB: 1, dailyChangeGiB: 1 })).toEqual(["source: is required (expected a mapping of fields)"]);
  });

  it("rejects unknown regions with the closest known name", () => {
    expect(problems({ ...base, source: { ...s3, region: "us-east1" } })).toEqual(['source.region: unknown aws region "us-east1" (did you mean "us-east-1"?)']);
    expect(problems({ ...base, destination: { provider: "gcp", region: "us-centrall" } })).toEqual(['destination.region: unknown gcp region "us-centrall" (did you mean "us-central1"?)']);
    expect(problems({ ...base, candidates: { regions: ["gcp/europe-west99", "azure/eastus"] } })).toEqual(['candidates.regions[0]: unknown gcp region "europe-west99" (did you mean "europe-west9"?)']);
  });

  it("rejects unknown fields and providers with suggestions", () => {
    expect(problems({ ...base, retentionDay: 3 })[0]).toMatch(/^retentionDay: unknown field \(did you mean "retentionDays"\?\)/);
    expect(problems({ ...base, source: { ...s3, provider: "awz" } })).toEqual(['source.provider: expected one of aws, azure, gcp, got "awz" (did you mean "aws"?)']);
  });

  it("names every field a source on each cloud needs", () => {
    expect(problems({ ...base, source: { provider: "gcp", region: "us-central1" } })).toEqual(["source.bucket: is required when source.provider is gcp: the GCS bucket to back up"]);
    expect(problems({ ...base, source: { provider: "azure", region: "eastus", storageAccount: "acct" } })).toEqual([
      "source.container: is required when source.provider is azure: the container to back up",
      "source.resourceGroupName: is required when source.provider is azure: the storage account's resource group, through which the read-only SAS is issued",
    ]);
  });

  it("lets an Azure source leave out the SAS expiry: the SAS is then renewed every rotation period", () => {
    const blob = { provider: "azure", region: "eastus", storageAccount: "acct", container: "data", resourceGroupName: "rg" };
    expect(validate({ ...base, source: blob }).source.sasExpiresOn).toBeUndefined();
  });

  it("rejects an expired SAS date", () => {
    const blob = { provider: "azure", region: "eastus", storageAccount: "acct", container: "data", resourceGroupName: "rg", sasExpiresOn: "2026-07-31" };
    expect(problems({ ...base, source: blob })).toEqual(["source.sasExpiresOn: 2026-07-31 is not in the future: a SAS that has expired cannot read the source; move the date forward"]);
  });

  it("checks the rules across fields", () => {
    expect(problems({ ...base, lockRetention: true })).toEqual(["lockRetention: locks an immutability policy, so it needs immutable: true"]);
    expect(problems({ ...base, encryption: { kmsKeyId: "arn:aws:kms:us-east-1:123456789012:key/1" } })).toEqual([
      "encryption.kmsKeyId: a key belongs to one cloud: pin destination (provider and region) to use a customer-managed key",
    ]);
    expect(problems({ ...base, destination: { provider: "azure", region: "eastus" }, encryption: { kmsKeyId: "key" } })[0]).toMatch(/^encryption.kmsKeyId: is not supported with a azure destination/);
    expect(problems({ ...base, destination: { provider: "gcp", region: "us-east1" }, candidates: { providers: ["gcp"] } })).toEqual([
      "candidates: cannot be combined with destination: pin a destination, or list candidates to choose from, not both",
    ]);
  });

  it("rejects known regions the price snapshot cannot cost", () => {
    expect(problems({ ...base, destination: { provider: "azure", region: "centralus" } })[0]).toMatch(
      /^destination.region: the storage price snapshot has no storage price for azure\/centralus; priced regions: .*eastus, eastus2/,
    );
    expect(problems({ ...base, source: { ...s3, region: "mx-central-1" } })).toEqual([
      "source.region: the storage price snapshot has no internet egress price for aws/mx-central-1, so a backup from it cannot be costed",
    ]);
  });

  it("reports every problem at once", () => {
    expect(problems({ source: { provider: "aws", region: "us-east-1" }, sizeGiB: -1, dailyChangeGiB: 1, retentionDays: 0 })).toEqual([
      "sizeGiB: expected a number >= 0, got -1",
      "retentionDays: expected a number >= 1, got 0",
    ]);
    expect(problems({ source: { provider: "aws", region: "nowhere" }, sizeGiB: 1, dailyChangeGiB: 1, lockRetention: true })).toEqual([
      "source.bucket: is required when source.provider is aws: the S3 bucket to back up",
      'source.region: unknown aws region "nowhere"',
      "lockRetention: locks an immutability policy, so it needs immutable: true",
    ]);
  });
});
