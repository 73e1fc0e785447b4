/**
 * CrossCloudBackup constructed over gRPC by the fake engine (test/fakes/engine.ts), as a Pulumi
 * YAML or Python program reaches it: an Azure Blob container backed up to Cloud Storage, with the
 * source section naming a storage account that another resource of the program created. The SAS
 * the transfer reads with is signed by the account (an invoke, answered by the fake engine as
 * azure-native does) and must reach the transfer job as a secret. Needs `npm run build`.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FakeEngine } from "../fakes/engine";
import { isSecret, outputValue, plain, secret } from "../fakes/engine-wire";

const BACKUP = "multicloud:index:CrossCloudBackup";

let engine: FakeEngine;
let accountUrn: string;

beforeAll(async () => {
  engine = await FakeEngine.start({ env: { MULTICLOUD_OFFLINE: "1" } });
  accountUrn = engine.addProgramResource({ type: "azure-native:storage:StorageAccount", name: "data", id: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/acmedata" });
}, 60_000);

afterAll(async () => {
  await engine?.stop();
});

beforeEach(() => engine.reset());

function args(source: Record<string, unknown>): Record<string, unknown> {
  return {
    source,
    destination: { provider: "gcp", region: "us-east1" },
    sizeGiB: 512,
    dailyChangeGiB: 5,
    retentionDays: 30,
    notification: { email: "backups@example.com" },
    tags: { team: "data" },
  };
}

const SOURCE = { provider: "azure", region: "eastus", container: "exports", resourceGroupName: "rg", sasExpiresOn: "2099-12-31" };

describe("CrossCloudBackup constructed over gRPC", () => {
  it("backs up a Blob container named by another resource, and hands the transfer its SAS as a secret", async () => {
    const source = { ...SOURCE, storageAccount: outputValue({ value: "acmedata", dependencies: [accountUrn] }) };
    const result = await engine.construct({ type: BACKUP, name: "orders", inputs: args(source), inputDependencies: { source: [accountUrn] } });

    expect(result.urn).toBe(`urn:pulumi:dev::proj::${BACKUP}::orders`);
    expect(result.state.monthlyCostUsd).toBeGreaterThan(0);
    expect((result.state.destination as Record<string, unknown>).provider).toBe("gcp");
    // The account name is an input the resources take (not a plain arg): the transfer job that reads it depends on the account.
    const [transfer] = engine.ofType("gcp:storage/transferJob:TransferJob");
    expect(transfer!.propertyDependencies.transferSpec).toContain(accountUrn);

    const [job] = engine.ofType("gcp:storage/transferJob:TransferJob");
    expect(job).toBeDefined();
    const spec = job!.object.transferSpec as Record<string, unknown>;
    // The engine's wire keeps a secret as a secret: the SAS never appears in clear in the job's inputs.
    const sourceSpec = (isSecret(spec) ? (spec as { value: Record<string, unknown> }).value : spec).azureBlobStorageDataSource as Record<string, unknown>;
    expect(isSecret(spec) || isSecret(sourceSpec) || isSecret(sourceSpec.azureCredentials)).toBe(true);
    expect(plain(job!.object)).toMatchObject({
      transferSpec: { azureBlobStorageDataSource: { storageAccount: "acmedata", container: "exports", azureCredentials: { sasToken: "sv=2024-11-04&sr=c&sp=rl&sig=FAKESIGNATURE" } } },
    });
    // The SAS was signed for the account the program named.
    const sas = engine.invokes.find((i) => i.token === "azure-native:storage:listStorageAccountServiceSAS");
    expect(plain(sas?.args)).toMatchObject({ accountName: "acmedata", resourceGroupName: "rg" });
  }, 120_000);

  it("previews with the storage account not created yet: the same children, the account unknown where they take it", async () => {
    const known = { ...SOURCE, storageAccount: outputValue({ value: "acmedata", dependencies: [accountUrn] }) };
    await engine.construct({ type: BACKUP, name: "orders", inputs: args(known), inputDependencies: { source: [accountUrn] } });
    const deployed = engine.registrations.map((r) => r.name).sort();

    engine.reset();
    const unknown = { ...SOURCE, storageAccount: outputValue({ dependencies: [accountUrn] }) };
    await engine.construct({ type: BACKUP, name: "orders", dryRun: true, inputs: args(unknown), inputDependencies: { source: [accountUrn] } });
    expect(engine.registrations.map((r) => r.name).sort()).toEqual(deployed);
    const [job] = engine.ofType("gcp:storage/transferJob:TransferJob");
    expect(job!.propertyDependencies.transferSpec).toContain(accountUrn);
  }, 120_000);

  it("accepts the source section wrapped as one secret (a plain-encoded secret inside it)", async () => {
    const source = { ...SOURCE, storageAccount: secret("acmedata") };
    const result = await engine.construct({ type: BACKUP, name: "orders", inputs: args(source) });
    expect((result.state.destination as Record<string, unknown>).provider).toBe("gcp");
    expect(engine.ofType("gcp:storage/transferJob:TransferJob")).toHaveLength(1);
  }, 120_000);

  it("fails bad args with a Construct error naming the field, and registers nothing", async () => {
    const failure = await engine.construct({ type: BACKUP, name: "orders", inputs: { ...args({ ...SOURCE, storageAccount: "acmedata" }), rpoHours: 500 } }).then(
      () => "no failure",
      (err: Error) => err.message,
    );
    expect(failure).toMatch(/CrossCloudBackup "orders".*rpoHours/);
    expect(engine.registrations).toEqual([]);
  }, 120_000);
});
