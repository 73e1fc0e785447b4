/**
 * `multicloud backup restore` end to end: the CLI, the clouds' real SDK clients and loopback fakes
 * of S3 and the GCS JSON API (versioned, paged two or three entries at a time) and Azurite. A
 * restore goes from the backup back onto the source's cloud: GCS -> S3, S3 -> GCS, S3 -> Blob.
 * PUTs are counted at the fakes, so "never copies an object twice" is what the server saw.
 */
import { BlobServiceClient } from "@azure/storage-blob";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { CLOUDS } from "../../clouds/registry";
import { copyObjects } from "../../kit/backup/storage";
import type { FakeGcs } from "../fakes/gcs";
import type { FakeS3 } from "../fakes/s3";
import { AZURITE_ACCOUNT, type Azurite } from "../fakes/azurite";
import { startLiveStores, type LiveStores } from "./helpers/live-stores";
import { cli } from "../helpers/cli";


const T0 = new Date("2026-11-01T00:00:00Z");
const T1 = new Date("2026-11-05T00:00:00Z");
const AS_OF = "2026-11-10T00:00:00Z";
const T2 = new Date("2026-11-15T00:00:00Z");

let stores: LiveStores;
let s3: FakeS3;
let gcs: FakeGcs;
let azurite: Azurite;
const spec = (name: string, body: string): string => stores.spec(name, body);
const body = (text: string) => Buffer.from(text);

beforeAll(async () => {
  stores = await startLiveStores("mc-restore-");
  ({ s3, gcs, azurite } = stores);
});

afterAll(async () => {
  await stores?.stop();
});

describe("backup restore from a GCS backup onto S3", () => {
  const BACKUP = "gs://orders-backup-copy/exports/";
  let specFile: string;

  beforeAll(() => {
    specFile = spec("orders-backup", "source:\n  provider: aws\n  region: us-east-1\n  bucket: acme-orders\n  prefix: exports/\ndestination:\n  provider: gcp\n  region: us-central1\n");
    s3.bucket("acme-orders");
    const backup = gcs.bucket("orders-backup-copy", { versioned: true });
    backup.put("exports/a.csv", body("a as of Nov 1\n"), T0);
    backup.put("exports/a.csv", body("a rewritten on Nov 15, longer\n"), T2); // after as-of: v1 is restored
    backup.put("exports/b.csv", body("b first written Nov 15\n"), T2); // did not exist at as-of
    backup.put("exports/c.csv", body("c deleted Nov 5\n"), T0);
    backup.delete("exports/c.csv", T1, false); // deleted before as-of: not restored
    for (const k of ["d", "e", "f", "g"]) backup.put(`exports/${k}.csv`, body(`${k} unchanged\n`), T0);
  });

  it("prints the plan: what, from where to where, the egress cost and the native commands; copies nothing without --apply", async () => {
    s3.bucket("orders-restored");
    const { code, stdout, stderr } = await cli("backup", "restore", specFile, "--destination", BACKUP, "--to", "orders-restored", "--as-of", AS_OF);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toContain("restore gs://orders-backup-copy/exports/ -> s3://orders-restored/exports/");
    expect(stdout).toContain("as of:          2026-11-10T00:00:00.000Z");
    expect(stdout).toContain("to copy:        5 object(s), 62 B");
    expect(stdout).toContain("not at as-of:   1 key(s) deleted by then, 1 with no version that old (not restored)");
    expect(stdout).toMatch(/cost: +\$[\d.]+ \(egress \$[\d.]+, requests \$[\d.]+\)/);
    expect(stdout).toContain("internet egress from gcp/us-central1: 62 B through tiers from $");
    expect(stdout).toContain("gcloud storage cp --recursive 'gs://orders-backup-copy/exports/*' './restore'");
    expect(stdout).toContain("aws s3 cp --recursive --region us-east-1 './restore' 's3://orders-restored/exports/'");
    expect(stdout).toContain("plan only: add --apply to copy");
    expect(s3.requests.filter((r) => r.op === "put")).toEqual([]);
  });

  it("with --apply brings back each object as it was at --as-of, reading that version", async () => {
    const target = s3.bucket("orders-restored");
    const { code, stderr } = await cli("backup", "restore", specFile, "--destination", BACKUP, "--to", "orders-restored", "--as-of", AS_OF, "--apply");
    expect(code).toBe(0);
    expect(stderr).toContain("restored 5 object(s), 62 B into s3://orders-restored/exports/");
    const restored = Object.fromEntries(target.currentObjects("").map((v) => [v.key, v.body.toString()]));
    expect(restored).toEqual({
      "exports/a.csv": "a as of Nov 1\n",
      "exports/d.csv": "d unchanged\n",
      "exports/e.csv": "e unchanged\n",
      "exports/f.csv": "f unchanged\n",
      "exports/g.csv": "g unchanged\n",
    });
    // The old generation of a.csv was read by its generation number.
    expect(gcs.requests.some((r) => r.op === "download" && r.url.pathname.endsWith("a.csv") && r.url.searchParams.get("generation") !== null)).toBe(true);
  });

  it("an interrupted restore, run again, copies only what is not there yet: no object is PUT twice", async () => {
    const target = s3.bucket("orders-restored-2");
    s3.puts.clear();
    // The network to S3 drops from the third PUT on, past the SDK's retries.
    const drop = { match: (op: string) => op === "put" && [...s3.puts.values()].reduce((a, b) => a + b, 0) >= 2, fault: "reset" as const, times: Infinity };
    s3.faults.push(drop);
    const first = await cli("backup", "restore", specFile, "--destination", BACKUP, "--to", "orders-restored-2", "--apply");
    expect(first.code).toBe(1);
    expect(first.stderr).toMatch(/error: restore interrupted at exports\/\w\.csv after 2 of 6 object\(s\): .*Run the same command again: it copies only what is not restored yet/);
    expect(target.currentObjects("").length).toBe(2);
    s3.faults.splice(s3.faults.indexOf(drop), 1);

    const again = await cli("backup", "restore", specFile, "--destination", BACKUP, "--to", "orders-restored-2", "--apply");
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("to copy:        4 object(s)");
    expect(again.stdout).toContain("already there:  2 object(s)");
    expect(target.currentObjects("").map((v) => v.key)).toEqual(["exports/a.csv", "exports/b.csv", "exports/d.csv", "exports/e.csv", "exports/f.csv", "exports/g.csv"]);
    // Every object was stored exactly once across both runs.
    expect([...s3.puts.entries()].sort()).toEqual(target.currentObjects("").map((v) => [`orders-restored-2/${v.key}`, 1]));

    const third = await cli("backup", "restore", specFile, "--destination", BACKUP, "--to", "orders-restored-2", "--apply");
    expect(third.stdout).toContain("to copy:        0 object(s)");
    expect(third.stdout).toContain("nothing to copy");
    expect([...s3.puts.values()].every((n) => n === 1)).toBe(true);
  });

  it("never writes into the original source location unless --in-place", async () => {
    const refused = await cli("backup", "restore", specFile, "--destination", BACKUP, "--to", "acme-orders", "--apply");
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("error: --to: acme-orders is the original source location; a restore writes there only with --in-place");
    expect(s3.requests.filter((r) => r.op === "put" && r.url.pathname.startsWith("/acme-orders/"))).toEqual([]);
    const planned = await cli("backup", "restore", specFile, "--destination", BACKUP, "--to", "acme-orders", "--in-place");
    expect(planned.code).toBe(0);
    expect(planned.stdout).toContain("(IN PLACE: replaces current objects of the source)");
  });

  it("refuses a --prefix outside the backup's prefix and a target bucket that does not exist", async () => {
    const outside = await cli("backup", "restore", specFile, "--destination", BACKUP, "--to", "orders-restored", "--prefix", "other/");
    expect(outside.stderr).toContain('error: --prefix: "other/" is outside the backup\'s prefix "exports/"');
    const missing = await cli("backup", "restore", specFile, "--destination", BACKUP, "--to", "no-such-target");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error: listing the restore target s3:\/\/no-such-target\/exports\/ failed: NoSuchBucket/);
  });
});

describe("backup restore from a versioned S3 backup onto GCS", () => {
  it("chooses versions from ListObjectVersions as of the time, delete markers included, and restores under --prefix only", async () => {
    const specFile = spec("media-backup", "source:\n  provider: gcp\n  region: us-central1\n  bucket: acme-media\ndestination:\n  provider: aws\n  region: us-east-1\n");
    const backup = s3.bucket("media-backup-copy", { versioned: true });
    backup.put("img/1.png", body("one v1"), T0);
    backup.put("img/1.png", body("one v2!"), T2);
    backup.put("img/2.png", body("two"), T0);
    backup.delete("img/2.png", T1, true); // a delete marker before as-of
    backup.put("img/3.png", body("three"), T0);
    backup.put("img/4.png", body("four"), T0);
    backup.put("doc/readme.txt", body("not under --prefix"), T0);
    const target = gcs.bucket("media-restored");

    const { code, stdout, stderr } = await cli("backup", "restore", specFile, "--destination", "s3://media-backup-copy/", "--to", "media-restored", "--prefix", "img/", "--as-of", AS_OF, "--apply");
    expect(stderr).toContain("restored 3 object(s)");
    expect(code).toBe(0);
    expect(stdout).toContain("not at as-of:   1 key(s) deleted by then, 0 with no version that old (not restored)");
    expect(Object.fromEntries(target.currentObjects("").map((v) => [v.key, v.body.toString()]))).toEqual({ "img/1.png": "one v1", "img/3.png": "three", "img/4.png": "four" });
    expect([...gcs.uploads.entries()].filter(([k]) => k.startsWith("media-restored/")).every(([, n]) => n === 1)).toBe(true);
    // Versions were listed page by page, with key and version markers.
    expect(s3.requests.filter((r) => r.op === "list-versions" && r.url.searchParams.get("key-marker")).length).toBeGreaterThan(0);
  });
});

describe("copying objects too large to hold in memory", () => {
  it("streams them between every pair of clients, and the receiving cloud gets the exact bytes", async () => {
    const big = Buffer.alloc(300 * 1024, 7);
    big.write("first bytes");
    s3.bucket("stream-s3").put("dump.bin", big, T0);
    const back = s3.bucket("stream-s3-back");
    const gcsBucket = gcs.bucket("stream-gcs");
    const container = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient("stream-blob");
    await container.create();
    const [aws, gcp, azure] = await Promise.all(["aws", "gcp", "azure"].map((p) => CLOUDS.get(p).loadStorageClient!()));
    const s3Side = (bucket: string) => ({ client: aws!, location: { provider: "aws", region: "us-east-1", bucket } });
    const gcsSide = { client: gcp!, location: { provider: "gcp", region: "us-central1", bucket: "stream-gcs" } };
    const blobSide = { client: azure!, location: { provider: "azure", region: "eastus", account: AZURITE_ACCOUNT, bucket: "stream-blob" } };
    const item = { key: "dump.bin", size: big.length, md5: createHash("md5").update(big).digest("hex") };
    // A buffer limit below the object's size takes the streaming path (as objects over 16 MiB do).
    const limit = 64 * 1024;
    await copyObjects([item], s3Side("stream-s3"), gcsSide, undefined, limit);
    expect(gcsBucket.current("dump.bin")?.body.equals(big)).toBe(true);
    await copyObjects([item], gcsSide, blobSide, undefined, limit);
    expect((await container.getBlobClient("dump.bin").downloadToBuffer()).equals(big)).toBe(true);
    await copyObjects([item], blobSide, s3Side("stream-s3-back"), undefined, limit);
    expect(back.current("dump.bin")?.body.equals(big)).toBe(true);
  });
});

describe("backup restore from an S3 backup into a Blob container (Azurite)", () => {
  it("copies into a new container of the source's account, and a second run copies nothing", async () => {
    const specFile = spec("files-backup", `source:\n  provider: azure\n  region: eastus\n  storageAccount: ${AZURITE_ACCOUNT}\n  container: files\n  resourceGroupName: rg-files\ndestination:\n  provider: aws\n  region: us-east-1\n`);
    const backup = s3.bucket("files-backup-copy", { versioned: true });
    for (const k of ["x", "y", "z"]) backup.put(`${k}.bin`, Buffer.from([0, 1, 2, 255, k.charCodeAt(0)]), T0);
    const container = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient("files-restored");
    await container.create();

    const first = await cli("backup", "restore", specFile, "--destination", "s3://files-backup-copy/", "--to", "files-restored", "--apply");
    expect(first.stderr).toContain("restored 3 object(s), 15 B into https://devstoreaccount1.blob.core.windows.net/files-restored/");
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("azcopy copy './restore/*' 'https://devstoreaccount1.blob.core.windows.net/files-restored/' --recursive");
    const blob = await container.getBlobClient("y.bin").downloadToBuffer();
    expect([...blob]).toEqual([0, 1, 2, 255, "y".charCodeAt(0)]);

    const second = await cli("backup", "restore", specFile, "--destination", "s3://files-backup-copy/", "--to", `${AZURITE_ACCOUNT}/files-restored`, "--apply");
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("already there:  3 object(s), 15 B");
  });
});

describe("objects above the part size go to S3 as a multipart upload", () => {
  // A single PUT stores at most 5 GiB (https://docs.aws.amazon.com/AmazonS3/latest/userguide/upload-objects.html);
  // parts are at least 5 MiB but the last (https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html),
  // so the test sets the part size to that floor and restores an object of two parts and a bit.
  const MIB = 2 ** 20;
  const big = Buffer.alloc(10 * MIB + 123, 0);
  for (let i = 0; i < big.length; i += 4096) big.writeUInt32BE(i, i); // no two parts alike
  let specFile: string;

  beforeAll(() => {
    specFile = spec("dumps-backup", "source:\n  provider: aws\n  region: us-east-1\n  bucket: acme-dumps\n  prefix: dumps/\ndestination:\n  provider: gcp\n  region: us-central1\n");
    s3.bucket("acme-dumps");
    const backup = gcs.bucket("dumps-backup-copy");
    backup.put("dumps/big.bin", big, T0);
    backup.put("dumps/small.txt", body("small\n"), T0);
    process.env.MULTICLOUD_BACKUP_PART_SIZE = String(5 * MIB);
  });
  afterAll(() => {
    delete process.env.MULTICLOUD_BACKUP_PART_SIZE;
  });

  const restore = (to: string) => cli("backup", "restore", specFile, "--destination", "gs://dumps-backup-copy/dumps/", "--to", to, "--apply");
  const opsOn = (bucket: string, op: string) => s3.requests.filter((r) => r.op === op && r.url.pathname.startsWith(`/${bucket}/`));

  it("uploads the object in three parts and completes it once; the small one is a single PUT", async () => {
    const target = s3.bucket("dumps-restored");
    const { code, stderr } = await restore("dumps-restored");
    expect(stderr).toContain("restored 2 object(s)");
    expect(code).toBe(0);
    expect(opsOn("dumps-restored", "create-multipart").length).toBe(1);
    expect(opsOn("dumps-restored", "upload-part").map((r) => r.url.searchParams.get("partNumber"))).toEqual(["1", "2", "3"]);
    expect(opsOn("dumps-restored", "complete-multipart").length).toBe(1);
    expect(opsOn("dumps-restored", "put").map((r) => r.url.pathname)).toEqual(["/dumps-restored/dumps/small.txt"]);
    expect(target.current("dumps/big.bin")?.body.equals(big)).toBe(true);
    expect(s3.openUploads.size).toBe(0);
  });

  it("an interrupted multipart upload is aborted (no parts left stored) and the rerun completes it once", async () => {
    const target = s3.bucket("dumps-restored-2");
    // Part 2 never arrives, past the SDK's retries.
    const drop = { match: (op: string, req: { url: URL }) => op === "upload-part" && req.url.pathname.startsWith("/dumps-restored-2/") && req.url.searchParams.get("partNumber") === "2", fault: "reset" as const, times: Infinity };
    s3.faults.push(drop);
    const first = await restore("dumps-restored-2");
    s3.faults.splice(s3.faults.indexOf(drop), 1);
    expect(first.code).toBe(1);
    expect(first.stderr).toContain("error: restore interrupted at dumps/big.bin after 0 of 2 object(s)");
    expect(opsOn("dumps-restored-2", "abort-multipart").length).toBe(1);
    expect(s3.openUploads.size).toBe(0);
    expect(target.current("dumps/big.bin")).toBeUndefined();

    const again = await restore("dumps-restored-2");
    expect(again.code).toBe(0);
    expect(target.current("dumps/big.bin")?.body.equals(big)).toBe(true);
    expect(s3.puts.get("dumps-restored-2/dumps/big.bin")).toBe(1);
    expect(opsOn("dumps-restored-2", "complete-multipart").length).toBe(1);

    // The multipart ETag is not an MD5 (it ends in -3), so the third run recognises the object by
    // its size alone (isAlreadyRestored) and writes nothing.
    const third = await cli("backup", "restore", specFile, "--destination", "gs://dumps-backup-copy/dumps/", "--to", "dumps-restored-2");
    expect(third.stdout).toContain("to copy:        0 object(s)");
    expect(third.stdout).toContain(`already there:  2 object(s), 10 MiB (${(big.length + 6).toLocaleString("en-US")} B)`);
    expect(third.stdout).toContain("note: 1 object(s) already at the target were matched by size alone, with no MD5 on both sides to compare (1 at the target: S3 multipart upload ETag)");
    expect(opsOn("dumps-restored-2", "create-multipart").length).toBe(2);
  });

  it("refuses a part size below S3's 5 MiB minimum, naming the variable", async () => {
    process.env.MULTICLOUD_BACKUP_PART_SIZE = "1048576";
    try {
      s3.bucket("dumps-restored-3");
      const { code, stderr } = await restore("dumps-restored-3");
      expect(code).toBe(1);
      expect(stderr).toContain("error: MULTICLOUD_BACKUP_PART_SIZE: expected a whole number of bytes from 5242880 (5 MiB, S3's minimum part size)");
      expect(opsOn("dumps-restored-3", "put")).toEqual([]);
    } finally {
      process.env.MULTICLOUD_BACKUP_PART_SIZE = String(5 * MIB);
    }
  });
});

describe("objects above the part size go to Cloud Storage as a resumable upload", () => {
  // https://cloud.google.com/storage/docs/performing-resumable-uploads: a POST opens the session,
  // each chunk is a PUT with Content-Range answered 308 with the bytes held, the last one 200.
  const MIB = 2 ** 20;
  const big = Buffer.alloc(10 * MIB + 77, 0);
  for (let i = 0; i < big.length; i += 4096) big.writeUInt32BE(i ^ 0x5a5a5a5a, i);
  let specFile: string;

  beforeAll(() => {
    specFile = spec("logs-backup", "source:\n  provider: gcp\n  region: us-central1\n  bucket: acme-logs\ndestination:\n  provider: aws\n  region: us-east-1\n");
    s3.bucket("logs-backup-copy").put("logs/big.log", big, T0);
    process.env.MULTICLOUD_BACKUP_PART_SIZE = String(5 * MIB);
  });
  afterAll(() => {
    delete process.env.MULTICLOUD_BACKUP_PART_SIZE;
  });

  const restore = (to: string) => cli("backup", "restore", specFile, "--destination", "s3://logs-backup-copy/", "--to", to, "--apply");
  const chunksTo = (bucket: string) => gcs.requests.filter((r) => r.op === "resumable-chunk" && r.url.pathname.includes(`/b/${bucket}/`));

  it("opens one session, sends three chunks, and the object appears whole, once", async () => {
    const target = gcs.bucket("logs-restored");
    const { code, stderr } = await restore("logs-restored");
    expect(stderr).toContain("restored 1 object(s)");
    expect(code).toBe(0);
    expect(gcs.requests.filter((r) => r.op === "resumable-start" && r.url.pathname.includes("/b/logs-restored/")).length).toBe(1);
    expect(chunksTo("logs-restored").length).toBe(3);
    expect(gcs.requests.filter((r) => r.op === "upload" && r.url.pathname.includes("/b/logs-restored/"))).toEqual([]);
    expect(target.current("logs/big.log")?.body.equals(big)).toBe(true);
    expect(gcs.uploads.get("logs-restored/logs/big.log")).toBe(1);
    expect(gcs.sessions.size).toBe(0);
    // A resumable upload keeps the content's MD5, so a rerun compares size and MD5.
    const again = await cli("backup", "restore", specFile, "--destination", "s3://logs-backup-copy/", "--to", "logs-restored");
    expect(again.stdout).toContain("to copy:        0 object(s)");
    expect(again.stdout).not.toContain("matched by size alone");
  });

  it("after a lost chunk asks the session what it holds (308 Range) and resumes from there, not from byte 0", async () => {
    const target = gcs.bucket("logs-restored-2");
    // The second chunk is lost (a 503 after the fake was sent it, before it kept it).
    const lose = { match: (op: string, req: { url: URL }) => op === "resumable-chunk" && req.url.pathname.includes("/b/logs-restored-2/") && chunksTo("logs-restored-2").length === 1, fault: "server" as const, times: 1 };
    gcs.faults.push(lose);
    const { code, stderr } = await restore("logs-restored-2");
    expect(stderr).toContain("restored 1 object(s)");
    expect(code).toBe(0);
    expect(lose.times).toBe(0);
    expect(target.current("logs/big.log")?.body.equals(big)).toBe(true);
    // One session only; after the fault the client asks for the status (bytes */*), the fake
    // answers 308 Range: bytes=0-5242879, and the next chunk starts there, not at byte 0.
    expect(gcs.requests.filter((r) => r.op === "resumable-start" && r.url.pathname.includes("/b/logs-restored-2/")).length).toBe(1);
    expect(chunksTo("logs-restored-2").map((r) => `${r.headers["content-range"]}${r.fault ? " (lost)" : ""}`)).toEqual([
      "bytes 0-5242879/*",
      "bytes 5242880-10485759/* (lost)",
      "bytes */*",
      "bytes 5242880-10485759/*",
      `bytes 10485760-${big.length - 1}/${big.length}`,
    ]);
    expect(gcs.uploads.get("logs-restored-2/logs/big.log")).toBe(1);
  });
});

describe("streaming objects above the part size", () => {
  it("GCS -> S3 in parts and S3 -> GCS in chunks, straight from the read stream", async () => {
    const MIB = 2 ** 20;
    const big = Buffer.alloc(5 * MIB + 4096, 3);
    big.write("head");
    const source = gcs.bucket("stream-big-gcs");
    source.put("x.bin", big, T0);
    source.put("y.bin", big, T0);
    const s3Back = s3.bucket("stream-big-s3");
    const gcsBack = gcs.bucket("stream-big-gcs-back");
    const [aws, gcp] = await Promise.all(["aws", "gcp"].map((p) => CLOUDS.get(p).loadStorageClient!()));
    const item = { key: "x.bin", size: big.length, md5: createHash("md5").update(big).digest("hex") };
    process.env.MULTICLOUD_BACKUP_PART_SIZE = String(5 * MIB);
    try {
      const gcsSide = (bucket: string) => ({ client: gcp!, location: { provider: "gcp", region: "us-central1", bucket } });
      const s3Side = { client: aws!, location: { provider: "aws", region: "us-east-1", bucket: "stream-big-s3" } };
      await copyObjects([item], gcsSide("stream-big-gcs"), s3Side, undefined, MIB);
      expect(s3.requests.filter((r) => r.op === "upload-part" && r.url.pathname === "/stream-big-s3/x.bin").length).toBe(2);
      expect(s3Back.current("x.bin")?.body.equals(big)).toBe(true);
      await copyObjects([item], s3Side, gcsSide("stream-big-gcs-back"), undefined, MIB);
      expect(gcs.requests.filter((r) => r.op === "resumable-chunk" && r.url.pathname.includes("/b/stream-big-gcs-back/")).length).toBe(2);
      expect(gcsBack.current("x.bin")?.body.equals(big)).toBe(true);
      // Bytes that do not match the MD5 the backup listed are refused when the session completes:
      // no object appears (GCS checks md5Hash sent in the object's metadata).
      const wrong = { ...item, key: "y.bin", md5: "0".repeat(32) };
      await expect(copyObjects([wrong], { client: gcp!, location: { provider: "gcp", region: "us-central1", bucket: "stream-big-gcs" } }, gcsSide("stream-big-gcs-back"), undefined, MIB)).rejects.toThrow(
        /copying y\.bin failed after 0 object\(s\) were restored: .*Provided MD5 hash does not match/,
      );
      expect(gcsBack.current("y.bin")).toBeUndefined();
    } finally {
      delete process.env.MULTICLOUD_BACKUP_PART_SIZE;
    }
  });
});
