/**
 * The restore plan (core/backup/restore.ts), directly: choosing versions as of a time (S3 delete
 * markers, GCS noncurrent generations, stores without versions), what is already at the target,
 * the cost at crafted prices, the refusals, and properties: a plan run to completion leaves nothing
 * to copy, and a partly restored target gets exactly the rest (never an object twice).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { planRestore, versionsAsOf, type RestoreInput, type StoreLocation } from "../../core/backup/restore";
import { renderRestorePlan } from "../../core/backup/restore-format";
import type { ListedObject } from "../../core/backup/verify";
import { CLOUDS } from "../../clouds/registry";
import { describeCloudError } from "../../provider/cli/backup";
import { FREE_OPS, egress, prices, provider, storage } from "./helpers/prices";

const at = (day: number) => new Date(Date.UTC(2026, 10, day));
const v = (key: string, day: number, extra: Partial<ListedObject> = {}): ListedObject => ({ key, size: 10, lastModified: at(day), ...extra });

describe("versionsAsOf", () => {
  it("picks the newest version written at or before the time (S3: a delete marker means the object was gone)", () => {
    const versions = [
      v("a", 1, { versionId: "a1", isLatest: false, md5: "1".repeat(32) }),
      v("a", 20, { versionId: "a2", isLatest: true }),
      v("b", 1, { versionId: "b1", isLatest: false }),
      v("b", 5, { versionId: "bm", isLatest: true, deleteMarker: true, size: 0 }),
      v("c", 15, { versionId: "c1", isLatest: true }),
    ];
    const r = versionsAsOf(versions, at(10));
    expect(r.chosen.map((o) => o.versionId)).toEqual(["a1"]);
    expect(r.deletedByAsOf).toBe(1);
    expect(r.newerOnly).toEqual(["c"]);
    expect(versionsAsOf(versions, undefined).chosen.map((o) => o.versionId)).toEqual(["a2", "c1"]);
  });

  it("treats a GCS generation noncurrent by the time, with no newer one, as deleted", () => {
    const versions = [v("x", 1, { versionId: "1", isLatest: false, noncurrentSince: at(5) }), v("y", 1, { versionId: "2", isLatest: false, noncurrentSince: at(12) }), v("y", 12, { versionId: "3", isLatest: true })];
    const r = versionsAsOf(versions, at(10));
    expect(r.chosen.map((o) => [o.key, o.versionId])).toEqual([["y", "2"]]);
    expect(r.deletedByAsOf).toBe(1);
  });

  it("names keys without any version that old (written later, or older versions not kept)", () => {
    const r = versionsAsOf([v("k", 20), v("old", 1)], at(10));
    expect(r.chosen.map((o) => o.key)).toEqual(["old"]);
    expect(r.newerOnly).toEqual(["k"]);
  });
});

const SOURCE: StoreLocation = { provider: "aws", region: "us-east-1", bucket: "orders" };
const FROM = { provider: "gcp", region: "us-central1", bucket: "backup", prefix: "exports/" };
const TO: StoreLocation = { ...SOURCE, bucket: "orders-restored" };
const PRICES = prices({
  gcp: provider({ storage: { "us-central1": storage(0.02) }, egress: { "us-central1": egress(0.12) }, operations: { ...FREE_OPS, hot: { writePer10kUsd: 0.05, readPer10kUsd: 0.004 } } }),
  aws: provider({ storage: { "us-east-1": storage(0.023) }, egress: { "us-east-1": egress(0.09) }, operations: { ...FREE_OPS, hot: { writePer10kUsd: 0.05, readPer10kUsd: 0.004 } } }),
  azure: provider({ storage: { eastus: storage(0.018) }, egress: { eastus: egress(0.087) } }),
});

function input(partial: Partial<RestoreInput>): RestoreInput {
  return { backup: [], from: FROM, target: [], to: TO, source: SOURCE, inPlace: false, prices: PRICES, clouds: CLOUDS, nativeCommands: ["gcloud ...", "aws ..."], ...partial };
}

describe("planRestore", () => {
  it("costs egress from the backup's region and a read plus a write per object", () => {
    const gib = 2 ** 30;
    const backup = Array.from({ length: 10_000 }, (_, i) => v(`exports/${String(i).padStart(5, "0")}`, 1, { size: i === 0 ? 2 * gib : 0 }));
    const plan = planRestore(input({ backup }));
    expect(plan.copy.length).toBe(10_000);
    expect(plan.copyBytes).toBe(2 * gib);
    // 2 GiB x $0.12 + 10k x ($0.004 + $0.05)/10k
    expect(plan.cost).toMatchObject({ egressUsd: 0.24, requestsUsd: 0.054, totalUsd: 0.294 });
  });

  it("skips what the target already holds with the same size and MD5, and copies what differs", () => {
    const md5 = "a".repeat(32);
    const backup = [v("exports/same", 1, { md5 }), v("exports/other-bytes", 1, { md5 }), v("exports/other-size", 1), v("exports/new", 1)];
    const target = [v("exports/same", 3, { md5 }), v("exports/other-bytes", 3, { md5: "b".repeat(32) }), v("exports/other-size", 3, { size: 11 })];
    const plan = planRestore(input({ backup, target }));
    expect(plan.copy.map((i) => i.key)).toEqual(["exports/new", "exports/other-bytes", "exports/other-size"]);
    expect(plan.alreadyThere).toEqual({ objects: 1, bytes: 10, sizeOnly: 0 });
  });

  it("matches by size alone where the target has no MD5 (an S3 multipart ETag), and says so", () => {
    // A multipart upload's ETag is not the MD5 of the object
    // (https://docs.aws.amazon.com/AmazonS3/latest/API/API_Object.html, "ETag"): only the size is comparable.
    const md5 = "a".repeat(32);
    const backup = [v("exports/big", 1, { md5 }), v("exports/grown", 1, { md5 })];
    const target = [v("exports/big", 3, { noMd5: "S3 multipart upload ETag" }), v("exports/grown", 3, { size: 11, noMd5: "S3 multipart upload ETag" })];
    const plan = planRestore(input({ backup, target }));
    expect(plan.copy.map((i) => i.key)).toEqual(["exports/grown"]);
    expect(plan.alreadyThere).toEqual({ objects: 1, bytes: 10, sizeOnly: 1 });
    expect(plan.notes).toContain("1 object(s) already at the target were matched by size alone, with no MD5 on both sides to compare (1 at the target: S3 multipart upload ETag)");
  });

  it("reads the chosen version only when restoring as of a time", () => {
    const backup = [v("exports/a", 1, { versionId: "a1", isLatest: false }), v("exports/a", 20, { versionId: "a2", isLatest: true })];
    expect(planRestore(input({ backup, asOf: at(10) })).copy).toEqual([{ key: "exports/a", size: 10, versionId: "a1", lastModified: at(1).toISOString() }]);
    expect(planRestore(input({ backup })).copy[0]).not.toHaveProperty("versionId");
  });

  it("refuses the original source location without --in-place, another cloud, and a prefix outside the backup's", () => {
    expect(() => planRestore(input({ to: SOURCE }))).toThrow("--to: orders is the original source location; a restore writes there only with --in-place");
    expect(planRestore(input({ to: SOURCE, inPlace: true })).inPlace).toBe(true);
    expect(() => planRestore(input({ to: { provider: "gcp", region: "us-central1", bucket: "x" } }))).toThrow("--to: a restore goes back onto the source's cloud (aws)");
    expect(() => planRestore(input({ prefix: "logs/" }))).toThrow('--prefix: "logs/" is outside the backup\'s prefix "exports/"');
    const azure = { provider: "azure", region: "eastus", account: "acct", bucket: "files" };
    expect(() => planRestore(input({ source: azure, to: { ...azure }, from: { ...FROM, prefix: "" } }))).toThrow("--to: acct/files is the original source location");
    expect(planRestore(input({ source: azure, to: { ...azure, account: "other" }, from: { ...FROM, prefix: "" } })).copy).toEqual([]);
  });

  it("renders the plan with the native commands and, in JSON, both URLs", () => {
    const plan = planRestore(input({ backup: [v("exports/a", 1)] }));
    const header = { from: "gs://backup/exports/", to: "s3://orders-restored/exports/" };
    expect(renderRestorePlan(plan, header, "table", false)).toContain("native commands (current versions only):\n  gcloud ...\n  aws ...");
    expect(JSON.parse(renderRestorePlan(plan, header, "json", false))).toMatchObject({ from: { url: header.from, bucket: "backup" }, to: { url: header.to, bucket: "orders-restored" } });
  });
});

describe("errors from the clouds", () => {
  it("are one line with the error's name, and never carry a credential", () => {
    const err = Object.assign(new Error("GET https://acct.blob.core.windows.net/c?sv=2022&sig=abc%2Fdef&se=2027 failed: ECONNRESET\nstack"), { name: "RestError", code: "ECONNRESET" });
    expect(describeCloudError(err)).toBe("RestError ECONNRESET: GET https://acct.blob.core.windows.net/c?sv=2022&sig=REDACTED&se=2027 failed: ECONNRESET");
    expect(describeCloudError(new Error("bad AccountKey=Eby8vd==;BlobEndpoint=x"))).toBe("bad AccountKey=REDACTED;BlobEndpoint=x");
  });
});

describe("planRestore properties", () => {
  const objectsArb = fc.uniqueArray(
    fc.record({ name: fc.stringMatching(/^[a-z0-9]{1,8}$/), size: fc.nat({ max: 5000 }), md5: fc.option(fc.stringMatching(/^[0-9a-f]{32}$/), { nil: undefined }) }),
    { selector: (o) => o.name, maxLength: 25 },
  );

  it("leaves nothing to copy once a plan has run, and copies exactly the rest of a partly restored target", () => {
    fc.assert(
      fc.property(objectsArb, fc.array(fc.boolean(), { maxLength: 25 }), (objects, restored) => {
        const backup = objects.map((o) => v(`exports/${o.name}`, 1, { size: o.size, ...(o.md5 ? { md5: o.md5 } : {}) }));
        const partial = backup.filter((_, i) => restored[i] === true).map((o) => ({ ...o, lastModified: at(25) }));
        const plan = planRestore(input({ backup, target: partial }));
        const expected = backup.filter((_, i) => restored[i] !== true).map((o) => o.key).sort();
        expect(plan.copy.map((i) => i.key)).toEqual(expected);
        expect(plan.alreadyThere.objects + plan.copy.length).toBe(backup.length);
        // Apply it: the target now holds every copied object; a second plan copies nothing.
        const after = [...partial, ...plan.copy.map((i) => v(i.key, 26, { size: i.size, ...(i.md5 ? { md5: i.md5 } : {}) }))];
        expect(planRestore(input({ backup, target: after })).copy).toEqual([]);
      }),
      { numRuns: 200, seed: 20261128 },
    );
  });
});
