/**
 * The verify comparison (core/backup/verify.ts), directly: a table of known cases, and properties
 * over random listings (identical listings report nothing; each mutation is found exactly once,
 * in its own category). Plus the report's renderings and the --as-of and --stack-config parsing.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { physicalNames } from "../../core/backup/naming";
import { verifyListings, type ListedObject } from "../../core/backup/verify";
import { formatBytes, renderVerifyReport } from "../../core/backup/verify-format";
import { namesFromStackConfig, parseAsOf } from "../../core/backup/verify-locations";

const T = new Date("2026-11-20T00:00:00Z");
const obj = (key: string, size: number, md5?: string, lastModified = T): ListedObject => ({ key, size, lastModified, ...(md5 ? { md5 } : { noMd5: "S3 multipart upload ETag" }) });
const md5a = "0".repeat(32);
const md5b = "f".repeat(32);

describe("verifyListings", () => {
  it("matches by MD5 where both sides have one, by size otherwise, and says why", () => {
    const r = verifyListings({ source: [obj("p/a", 3, md5a), obj("p/b", 4)], destination: [obj("p/a", 3, md5a), obj("p/b", 4, md5b)], sourcePrefix: "p/", destinationPrefix: "p/" });
    expect(r.complete).toBe(true);
    expect(r.matched).toEqual({ byChecksum: 1, bySizeOnly: 1, sizeOnlyBecause: { "source: S3 multipart upload ETag": 1 } });
  });

  it("reports a size difference before a checksum one, and a checksum difference only when both sides have an MD5", () => {
    const r = verifyListings({
      source: [obj("a", 3, md5a), obj("b", 3, md5a), obj("c", 3)],
      destination: [obj("a", 4, md5a), obj("b", 3, md5b), obj("c", 3, md5b)],
      sourcePrefix: "",
      destinationPrefix: "",
    });
    expect(r.different.map((d) => [d.key, d.by])).toEqual([["a", "size"], ["b", "checksum"]]);
    expect(r.matched.bySizeOnly).toBe(1);
  });

  it("ignores objects outside the prefixes, maps the source prefix onto the destination's, and counts bytes", () => {
    const r = verifyListings({
      source: [obj("exports/a", 10), obj("other/x", 99)],
      destination: [obj("copy/exports/a", 10), obj("unrelated", 5)],
      sourcePrefix: "exports/",
      destinationPrefix: "copy/exports/",
    });
    expect(r.complete).toBe(true);
    expect(r.source).toEqual({ objects: 1, bytes: 10 });
    expect(r.extra).toEqual([]);
  });

  it("treats source objects changed after --as-of as pending, even when the backup lacks them", () => {
    const late = new Date("2026-11-21T00:00:00Z");
    const r = verifyListings({ source: [obj("a", 1, undefined, late), obj("b", 2)], destination: [obj("b", 2)], sourcePrefix: "", destinationPrefix: "", asOf: T });
    expect(r.pending).toEqual([{ key: "a", bytes: 1 }]);
    expect(r.missing).toEqual([]);
    expect(r.complete).toBe(true);
    expect(r.asOf).toBe(T.toISOString());
  });

  it("keeps extras out of the gaps: the backup never deletes what the source deleted", () => {
    const r = verifyListings({ source: [], destination: [obj("gone", 7)], sourcePrefix: "", destinationPrefix: "" });
    expect(r.extra).toEqual([{ key: "gone", bytes: 7 }]);
    expect(r.complete).toBe(true);
  });
});

const listingArb = fc
  .uniqueArray(
    fc.record({
      name: fc.stringMatching(/^[a-z0-9]{1,8}(\/[a-z0-9]{1,6})?$/),
      size: fc.nat({ max: 10_000 }),
      md5: fc.option(fc.stringMatching(/^[0-9a-f]{32}$/), { nil: undefined }),
      minutes: fc.nat({ max: 10_000 }),
    }),
    { selector: (o) => o.name, minLength: 1, maxLength: 30 },
  )
  .map((xs) => xs.map((x) => obj(`exports/${x.name}`, x.size, x.md5, new Date(T.getTime() + x.minutes * 60_000))));

const PROPERTY = { numRuns: 200, seed: 20261128 };

describe("verifyListings properties", () => {
  it("reports nothing for identical listings, whatever their prefixes", () => {
    fc.assert(
      fc.property(listingArb, (listing) => {
        const moved = listing.map((o) => ({ ...o, key: `backup/${o.key}` }));
        const r = verifyListings({ source: listing, destination: moved, sourcePrefix: "exports/", destinationPrefix: "backup/exports/" });
        expect([r.missing, r.different, r.extra, r.pending]).toEqual([[], [], [], []]);
        expect(r.matched.byChecksum + r.matched.bySizeOnly).toBe(listing.length);
        expect(r.complete).toBe(true);
      }),
      PROPERTY,
    );
  });

  it("finds each deletion, change and addition exactly once, in its own category", () => {
    const scenario = listingArb.chain((listing) =>
      fc.record({
        listing: fc.constant(listing),
        // Per source object: keep, delete from the backup, change its size, or change its bytes.
        fate: fc.array(fc.constantFrom("keep", "delete", "resize", "rewrite"), { minLength: listing.length, maxLength: listing.length }),
        extras: fc.uniqueArray(fc.stringMatching(/^[A-Z]{1,6}$/), { maxLength: 5 }),
      }),
    );
    fc.assert(
      fc.property(scenario, ({ listing, fate, extras }) => {
        const destination: ListedObject[] = [];
        const expected = { delete: [] as string[], resize: [] as string[], rewrite: [] as string[] };
        listing.forEach((o, i) => {
          const f = fate[i]!;
          // A rewrite is only visible where both sides carry an MD5: give the source one.
          const source = f === "rewrite" && o.md5 === undefined ? Object.assign(o, { md5: md5a }) : o;
          if (f === "delete") expected.delete.push(o.key);
          else if (f === "resize") {
            expected.resize.push(o.key);
            destination.push({ ...source, size: source.size + 1 });
          } else if (f === "rewrite") {
            expected.rewrite.push(o.key);
            destination.push({ ...source, md5: source.md5 === md5b ? md5a : md5b });
          } else destination.push({ ...source });
        });
        for (const e of extras) destination.push(obj(`exports/${e}`, 1));
        const r = verifyListings({ source: listing, destination, sourcePrefix: "exports/", destinationPrefix: "exports/" });
        const sorted = (xs: string[]) => [...xs].sort();
        expect(r.missing.map((g) => g.key)).toEqual(sorted(expected.delete));
        expect(r.different.filter((d) => d.by === "size").map((d) => d.key)).toEqual(sorted(expected.resize));
        expect(r.different.filter((d) => d.by === "checksum").map((d) => d.key)).toEqual(sorted(expected.rewrite));
        expect(r.extra.map((g) => g.key)).toEqual(sorted(extras.map((e) => `exports/${e}`)));
        const reported = [...r.missing, ...r.different, ...r.extra].map((x) => x.key);
        expect(new Set(reported).size).toBe(reported.length);
        expect(r.complete).toBe(expected.delete.length + expected.resize.length + expected.rewrite.length === 0);
      }),
      PROPERTY,
    );
  });
});

describe("verify report rendering", () => {
  const report = verifyListings({ source: [obj("a", 2048, md5a), obj("b", 5)], destination: [obj("a", 2048, md5b)], sourcePrefix: "", destinationPrefix: "" });
  const header = { source: "s3://src/", destination: "gs://dst/" };

  it("says what is missing and different, with sizes, in every format", () => {
    const table = renderVerifyReport(report, header, "table");
    expect(table).toContain("missing:     1 object(s), 5 B");
    expect(table).toContain(`different in the backup:\n  a MD5 ${md5a} at the source, ${md5b} in the backup`);
    expect(table).toContain("result:      GAPS");
    expect(renderVerifyReport(report, header, "markdown")).toContain("### Backup verify: gaps found");
    expect(JSON.parse(renderVerifyReport(report, header, "json"))).toMatchObject({ source: { url: "s3://src/", objects: 2 }, destination: { url: "gs://dst/", objects: 1 }, missing: [{ key: "b", bytes: 5 }] });
  });

  it("formats bytes in binary units with the exact count", () => {
    expect(formatBytes(5)).toBe("5 B");
    expect(formatBytes(1_572_864)).toBe("1.5 MiB (1,572,864 B)");
  });
});

describe("--as-of and --stack-config", () => {
  it("reads an ISO time with a zone, or a date as midnight UTC, and names the flag otherwise", () => {
    expect(parseAsOf("2026-11-28T06:00:00+01:00")?.toISOString()).toBe("2026-11-28T05:00:00.000Z");
    expect(parseAsOf("2026-11-28")?.toISOString()).toBe("2026-11-28T00:00:00.000Z");
    expect(parseAsOf(undefined)).toBeUndefined();
    expect(() => parseAsOf("2026-11-28T06:00:00")).toThrow("--as-of: expected an ISO 8601 time with a zone");
    expect(() => parseAsOf("2026-02-30")).toThrow("--as-of");
  });

  it("derives the backup's names from Pulumi.yaml's project and the stack in the file name", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mc-stack-"));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: shop\nruntime: nodejs\n");
    fs.writeFileSync(path.join(dir, "Pulumi.prod.yaml"), "config: {}\n");
    expect(namesFromStackConfig(path.join(dir, "Pulumi.prod.yaml"), "orders-backup").dns(63)).toBe(physicalNames("shop", "prod", "orders-backup").dns(63));
    expect(() => namesFromStackConfig(path.join(dir, "stack.yaml"), "x")).toThrow("--stack-config: expected a file named Pulumi.<stack>.yaml");
    fs.rmSync(path.join(dir, "Pulumi.yaml"));
    expect(() => namesFromStackConfig(path.join(dir, "Pulumi.prod.yaml"), "x")).toThrow("no Pulumi.yaml beside");
  });
});
