/**
 * `multicloud backup verify SPEC --live` end to end: the CLI, the clouds' real SDK clients
 * (@aws-sdk/client-s3, @google-cloud/storage, @azure/storage-blob), and loopback fakes of S3 and
 * the GCS JSON API (test/fakes/s3.ts, gcs.ts) and Azurite for Blob, with two or three objects per
 * page so every listing pages, and with throttling and connection resets mid-list that the SDKs'
 * retries must absorb.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { BlobServiceClient } from "@azure/storage-blob";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { physicalNames } from "../../core/backup/naming";
import type { FakeGcs } from "../fakes/gcs";
import type { FakeS3 } from "../fakes/s3";
import { AZURITE_ACCOUNT, type Azurite } from "../fakes/azurite";
import { startLiveStores, type LiveStores } from "./helpers/live-stores";
import { startFakeStorageTransfer, type FakeStorageTransfer } from "../fakes/storage-transfer";
import { startFakeDataFactory, type FakeDataFactory } from "../fakes/data-factory";
import { FakeManagedIdentity } from "../fakes/azure-arm-triggers";
import { CLOUDS } from "../../clouds/registry";
import { cli } from "../helpers/cli";


const T0 = new Date("2026-11-20T00:00:00Z");
const LAST_RUN = "2026-11-20T06:00:00Z";
const AFTER_RUN = new Date("2026-11-20T07:00:00Z");

let stores: LiveStores;
let dir: string;
let s3: FakeS3;
let gcs: FakeGcs;
let azurite: Azurite;
let sts: FakeStorageTransfer;
let adf: FakeDataFactory;
const identity = new FakeManagedIdentity("fake-arm-token", "fake-identity-header-secret");
const spec = (name: string, body: string): string => stores.spec(name, body);

/** A project with a stack config, as `pulumi stack init prod` leaves it. */
function project(): string {
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: shop\nruntime: nodejs\n");
  fs.writeFileSync(path.join(dir, "Pulumi.prod.yaml"), "config: {}\n");
  return path.join(dir, "Pulumi.prod.yaml");
}

beforeAll(async () => {
  stores = await startLiveStores("mc-verify-");
  ({ dir, s3, gcs, azurite } = stores);
  [sts, adf] = await Promise.all([startFakeStorageTransfer(), startFakeDataFactory()]);
  await identity.start();
  // The last-run lookups: Storage Transfer Service and Data Factory (stores.stop() restores the environment).
  Object.assign(process.env, {
    MULTICLOUD_ENDPOINT_GCP_STORAGETRANSFER: sts.url,
    GOOGLE_CLOUD_PROJECT: "shop-prod",
    MULTICLOUD_ENDPOINT_AZURE_MANAGEMENT: adf.url,
    AZURE_SUBSCRIPTION_ID: "00000000-0000-0000-0000-0000000000aa",
    // The ARM token comes through @azure/identity's real chain, from a fake App Service managed identity.
    IDENTITY_ENDPOINT: identity.endpoint,
    IDENTITY_HEADER: identity.header,
  });
});

afterAll(async () => {
  await Promise.all([stores?.stop(), sts?.close(), adf?.close(), identity.stop()]);
});

describe("backup verify --live, S3 source backed up into GCS", () => {
  const files = ["a.csv", "b.csv", "c.csv", "d.csv", "e.csv"].map((f) => `exports/${f}`);
  const content = (key: string) => Buffer.from(`rows of ${key}\n`);
  let specFile: string;
  let backupBucket: string;

  beforeAll(() => {
    specFile = spec("orders-backup", "source:\n  provider: aws\n  region: us-east-1\n  bucket: acme-orders\n  prefix: exports/\ndestination:\n  provider: gcp\n  region: us-central1\n");
    // The component names the bucket from project, stack and backup name (core/backup/naming.ts).
    backupBucket = physicalNames("shop", "prod", "orders-backup").dns(63);
    const source = s3.bucket("acme-orders");
    const backup = gcs.bucket(backupBucket, { versioned: true });
    for (const key of files) {
      source.put(key, content(key), T0);
      backup.put(key, content(key), T0);
    }
    source.put("other/outside-the-prefix.csv", Buffer.from("not backed up"), T0);
    // The Storage Transfer job filling the bucket (its name is the service's), with runs: the last
    // successful one started at LAST_RUN; a later one failed. Another project's job is not looked at.
    const job = "transferJobs/7301642915238475614";
    sts.jobs.push({ name: "transferJobs/1", projectId: "shop-prod", status: "ENABLED", sinkBucket: "another-bucket" }, { name: job, projectId: "shop-prod", status: "ENABLED", sinkBucket: backupBucket, sinkPath: "exports/" });
    sts.jobs.push({ name: "transferJobs/2", projectId: "other-project", status: "ENABLED", sinkBucket: backupBucket, sinkPath: "exports/" });
    sts.runs.push(
      { job, status: "SUCCESS", startTime: "2026-11-19T06:00:00Z", endTime: "2026-11-19T06:04:00Z" },
      { job, status: "SUCCESS", startTime: LAST_RUN, endTime: "2026-11-20T06:05:00Z" },
      { job, status: "FAILED", startTime: "2026-11-20T12:00:00Z", endTime: "2026-11-20T12:01:00Z" },
      { job: "transferJobs/2", status: "SUCCESS", startTime: "2026-11-21T06:00:00Z" },
    );
  });

  it("exits 0 on a complete backup, paging through both sides, with throttling and resets absorbed by the SDKs' retries", async () => {
    s3.faults.push({ match: (op) => op === "list", fault: "throttle", times: 1 }, { match: (op, req) => op === "list" && req.url.searchParams.has("continuation-token"), fault: "reset", times: 1 });
    gcs.faults.push({ match: (op) => op === "list", fault: "throttle", times: 1 }, { match: (op, req) => op === "list" && req.url.searchParams.has("pageToken"), fault: "reset", times: 1 });
    const { code, stdout, stderr } = await cli("backup", "verify", specFile, "--live", "--stack-config", project());
    // No --as-of: the start of the last successful Storage Transfer run, read from the service.
    expect(stderr).toBe("as of 2026-11-20T06:00:00.000Z: the start of the last successful transfer run, transferOperations/transferJobs-7301642915238475614-1\n");
    expect(code).toBe(0);
    expect(stdout).toContain(`backup:      gs://${backupBucket}/exports/  5 object(s)`);
    expect(stdout).toContain("missing:     0 object(s)");
    // Single-part ETags of an SSE-S3 bucket are MD5s, and GCS has md5Hash: every object compared by checksum.
    expect(stdout).toContain("matched:     5 by size and MD5, 0 by size only");
    expect(stdout).toContain("result:      complete");
    // Each fault happened, and listing still reached the last page on both sides.
    const s3Lists = s3.requests.filter((r) => r.op === "list");
    expect(s3Lists.map((r) => r.fault ?? "ok")).toEqual(["throttle", "ok", "reset", "ok", "ok"]);
    const gcsLists = gcs.requests.filter((r) => r.op === "list");
    expect(gcsLists.map((r) => r.fault ?? "ok")).toEqual(["throttle", "ok", "reset", "ok", "ok"]);
  });

  it("exits 2 and finds a deleted, a changed and an extra object; changes after the last run are pending, not gaps", async () => {
    const backup = gcs.bucket(backupBucket, { versioned: true });
    for (const key of files) backup.put(key, content(key), T0);
    backup.delete("exports/b.csv", AFTER_RUN, false);
    backup.put("exports/c.csv", Buffer.from("ROWS OF exports/c.csv\n"), AFTER_RUN); // same size, other bytes
    backup.put("exports/z.csv", Buffer.from("deleted at the source, kept"), T0);
    const source = s3.bucket("acme-orders");
    for (const key of files) source.put(key, content(key), T0);
    source.put("exports/e.csv", Buffer.from("rewritten after the last transfer run\n"), AFTER_RUN);

    const { code, stdout, stderr } = await cli("backup", "verify", specFile, "--live", "--stack-config", project(), "--as-of", LAST_RUN, "--format", "json");
    expect(stderr).toBe("");
    expect(code).toBe(2);
    const report = JSON.parse(stdout);
    expect(report.asOf).toBe("2026-11-20T06:00:00.000Z");
    expect(report.missing).toEqual([{ key: "exports/b.csv", bytes: content("exports/b.csv").length }]);
    expect(report.different.map((d: { key: string; by: string }) => [d.key, d.by])).toEqual([["exports/c.csv", "checksum"]]);
    expect(report.extra).toEqual([{ key: "exports/z.csv", bytes: 27 }]);
    expect(report.pending.map((p: { key: string }) => p.key)).toEqual(["exports/e.csv"]);
    expect(report.complete).toBe(false);

    // Without --as-of the time is the last successful run's start (the failed run after it is not
    // one): the same report, e.csv pending.
    const found = await cli("backup", "verify", specFile, "--live", "--stack-config", project(), "--format", "json");
    expect(found.code).toBe(2);
    expect(JSON.parse(found.stdout)).toEqual(report);
    const filters = sts.requests.map((r) => JSON.parse(r.url.searchParams.get("filter")!));
    expect(filters.at(-1)).toEqual({ projectId: "shop-prod", jobNames: ["transferJobs/7301642915238475614"], transferStatuses: ["SUCCESS"] });

    const table = await cli("backup", "verify", specFile, "--live", "--stack-config", project(), "--as-of", LAST_RUN);
    expect(table.code).toBe(2);
    expect(table.stdout).toContain("missing from the backup:\n  exports/b.csv");
    expect(table.stdout).toContain("different in the backup:\n  exports/c.csv MD5");
  });

  it("compares by size only when the source's ETags are not MD5s (SSE-KMS), and says why", async () => {
    const source = s3.bucket("acme-orders", { kms: true });
    const backup = gcs.bucket(backupBucket, { versioned: true });
    for (const key of files) {
      source.put(key, content(key), T0);
      backup.put(key, content(key), T0);
    }
    const { code, stdout } = await cli("backup", "verify", specFile, "--live", "--destination", `gs://${backupBucket}/exports/`);
    expect(code).toBe(0);
    expect(stdout).toContain("matched:     0 by size and MD5, 5 by size only: 5 (source: S3 ETag under SSE-KMS (not an MD5))");
  });

  it("exits 1 with the bucket and the cloud's error when a side cannot be listed", async () => {
    const { code, stdout, stderr } = await cli("backup", "verify", specFile, "--live", "--destination", "gs://no-such-backup-bucket/exports/", "--as-of", LAST_RUN);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/^error: listing the backup gs:\/\/no-such-backup-bucket\/exports\/ failed: .*bucket does not exist/);
    expect(stderr).not.toContain("loopback-secret");
  });

  it("exits 1 naming the flag when --live, the location or --as-of is wrong", async () => {
    expect((await cli("backup", "verify", specFile)).stderr).toContain("error: backup verify needs --live");
    expect((await cli("backup", "verify", specFile, "--live")).stderr).toContain("give --destination URL");
    const bad = await cli("backup", "verify", specFile, "--live", "--stack-config", project(), "--as-of", "yesterday");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('error: --as-of: expected an ISO 8601 time with a zone, e.g. 2026-11-28T06:00:00Z, or a date, got "yesterday"');
  });

  it("without --as-of, exits 1 naming the flag and the gcloud command when no transfer job fills the bucket or none has succeeded", async () => {
    gcs.bucket("unfilled-backup");
    const none = await cli("backup", "verify", specFile, "--live", "--destination", "gs://unfilled-backup/exports/");
    expect(none.code).toBe(1);
    expect(none.stderr).toBe(
      "error: --as-of: not given, and no Storage Transfer job in project shop-prod writes into gs://unfilled-backup/; give --as-of TIME, the start of the last successful run: gcloud transfer operations list --job-names=JOB --operation-statuses=success\n",
    );
    gcs.bucket("never-ran-backup");
    sts.jobs.push({ name: "transferJobs/99", projectId: "shop-prod", status: "ENABLED", sinkBucket: "never-ran-backup", sinkPath: "exports/" });
    sts.runs.push({ job: "transferJobs/99", status: "FAILED", startTime: "2026-11-20T00:00:00Z" });
    const failedOnly = await cli("backup", "verify", specFile, "--live", "--destination", "gs://never-ran-backup/exports/");
    expect(failedOnly.code).toBe(1);
    expect(failedOnly.stderr).toContain("error: --as-of: not given, and transferJobs/99 has no successful run yet");
    sts.failAlways("server");
    try {
      const down = await cli("backup", "verify", specFile, "--live", "--destination", `gs://${backupBucket}/exports/`);
      expect(down.code).toBe(1);
      expect(down.stderr).toContain("error: --as-of: not given, and reading the Storage Transfer runs of project shop-prod failed (503 UNAVAILABLE: The service is currently unavailable.)");
    } finally {
      sts.failAlways(undefined);
    }
  });
});

describe("backup verify --live, backup on S3 (DataSync)", () => {
  it("requires --as-of, naming the aws commands that find it: no DataSync client is installed", async () => {
    const specFile = spec("ledger-backup", "source:\n  provider: gcp\n  region: us-central1\n  bucket: acme-ledger\ndestination:\n  provider: aws\n  region: us-east-1\n");
    const source = gcs.bucket("acme-ledger");
    const backup = s3.bucket("ledger-backup-copy");
    source.put("l/1.csv", Buffer.from("one"), T0);
    backup.put("l/1.csv", Buffer.from("one"), T0);
    const without = await cli("backup", "verify", specFile, "--live", "--destination", "s3://ledger-backup-copy/");
    expect(without.code).toBe(1);
    expect(without.stderr).toContain("error: --as-of: required for a backup on S3");
    expect(without.stderr).toContain("aws datasync list-task-executions --task-arn TASK_ARN");
    const given = await cli("backup", "verify", specFile, "--live", "--destination", "s3://ledger-backup-copy/", "--as-of", LAST_RUN);
    expect(given.stderr).toBe("");
    expect(given.code).toBe(0);
  });
});

describe("backup verify --live, GCS source backed up into Blob (Azurite)", () => {
  it("lists the container page by page and exits 0 when complete, 2 when a blob is missing", async () => {
    const specFile = spec("media-backup", "source:\n  provider: gcp\n  region: us-central1\n  bucket: acme-media\ndestination:\n  provider: azure\n  region: eastus\n");
    const keys = ["img/1.png", "img/2.png", "img/3.png", "img/4.png", "img/5.png"];
    const source = gcs.bucket("acme-media");
    for (const key of keys) source.put(key, Buffer.from(`png ${key}`), T0);
    const container = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient("backup");
    await container.create();
    for (const key of keys) await container.getBlockBlobClient(key).uploadData(Buffer.from(`png ${key}`));
    const url = `https://${AZURITE_ACCOUNT}.blob.core.windows.net/backup/`;

    // A --destination URL names the account only, not the Data Factory: the time is required.
    const unnamed = await cli("backup", "verify", specFile, "--live", "--destination", url);
    expect(unnamed.code).toBe(1);
    expect(unnamed.stderr).toContain("error: --as-of: not given, and the Data Factory filling a Blob backup is found only with --stack-config");
    expect(unnamed.stderr).toContain("az datafactory pipeline-run query-by-factory");

    const complete = await cli("backup", "verify", specFile, "--live", "--destination", url, "--as-of", LAST_RUN);
    expect(complete.stderr).toBe("");
    expect(complete.code).toBe(0);
    expect(complete.stdout).toContain("backup:      https://devstoreaccount1.blob.core.windows.net/backup/  5 object(s)");

    await container.getBlockBlobClient("img/4.png").delete();
    const gap = await cli("backup", "verify", specFile, "--live", "--destination", url, "--as-of", LAST_RUN, "--format", "json");
    expect(gap.code).toBe(2);
    expect(JSON.parse(gap.stdout).missing).toEqual([{ key: "img/4.png", bytes: 13 }]);
  });
});

describe("the last successful Data Factory run of a Blob backup (Pipeline Runs - Query By Factory)", () => {
  // https://learn.microsoft.com/en-us/rest/api/datafactory/pipeline-runs/query-by-factory
  const names = physicalNames("shop", "prod", "files-backup");
  const key = () => `00000000-0000-0000-0000-0000000000aa/${names.dns(90, "rg")}/${names.dns(63, "adf")}`;
  const lastRun = async () => (await CLOUDS.get("azure").loadStorageClient!()).lastTransferRun!({ provider: "azure", region: "eastus", account: names.compact(24), bucket: "backup" }, "", names);

  it("takes the newest succeeded run's copy window end, from the factory the component names", async () => {
    adf.factories.set(key(), [
      { runId: "run-1", pipelineName: "backup-copy", status: "Succeeded", runStart: "2026-11-19T06:00:12Z", runEnd: "2026-11-19T06:09:00Z", parameters: { windowEnd: "2026-11-19T06:00:00Z" } },
      { runId: "run-2", pipelineName: "backup-copy", status: "Succeeded", runStart: "2026-11-20T06:00:09Z", runEnd: "2026-11-20T06:07:00Z", parameters: { windowEnd: "2026-11-20T06:00:00Z" } },
      { runId: "run-3", pipelineName: "backup-copy", status: "Failed", runStart: "2026-11-21T06:00:10Z", parameters: { windowEnd: "2026-11-21T06:00:00Z" } },
      { runId: "other", pipelineName: "another-pipeline", status: "Succeeded", runStart: "2026-11-22T00:00:00Z" },
    ]);
    expect(await lastRun()).toEqual({ startedAt: new Date("2026-11-20T06:00:00Z"), run: `pipeline run run-2 of ${names.dns(63, "adf")}/backup-copy` });
    // Signed with the deployer's ARM token, from the credential chain (never skipped for a loopback endpoint).
    expect(identity.requests.at(-1)).toEqual({ resource: "https://management.azure.com", apiVersion: "2019-08-01" });
    const body = JSON.parse(adf.requests.at(-1)!.body);
    expect(body.filters).toEqual([
      { operand: "PipelineName", operator: "Equals", values: ["backup-copy"] },
      { operand: "Status", operator: "Equals", values: ["Succeeded"] },
    ]);
    // A run started by hand has no windowEnd parameter: its window ends at its start.
    adf.factories.get(key())!.push({ runId: "manual", pipelineName: "backup-copy", status: "Succeeded", runStart: "2026-11-20T09:30:00Z" });
    expect((await lastRun()).startedAt).toEqual(new Date("2026-11-20T09:30:00Z"));
  });

  it("names --as-of when there is no successful run, no factory, or no subscription", async () => {
    adf.factories.set(key(), [{ runId: "run-9", pipelineName: "backup-copy", status: "Failed", runStart: "2026-11-20T06:00:00Z" }]);
    await expect(lastRun()).rejects.toThrow(`--as-of: not given, and pipeline backup-copy of Data Factory ${names.dns(63, "adf")} has no successful run in the 45 days it keeps`);
    adf.factories.delete(key());
    await expect(lastRun()).rejects.toThrow(/--as-of: not given, and reading the pipeline runs of Data Factory .* failed \(404 ResourceNotFound: The Resource 'Microsoft.DataFactory\/factories\/.*' under resource group '.*' was not found.\); give --as-of TIME/);
    const saved = process.env.AZURE_SUBSCRIPTION_ID;
    delete process.env.AZURE_SUBSCRIPTION_ID;
    try {
      await expect(lastRun()).rejects.toThrow("--as-of: not given, and AZURE_SUBSCRIPTION_ID is not set");
    } finally {
      process.env.AZURE_SUBSCRIPTION_ID = saved;
    }
  });
});
