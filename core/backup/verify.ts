/**
 * `multicloud backup verify --live`: is the backup complete? A pure comparison of two listings,
 * the source's current objects and the backup's current objects, modelled on `rclone check`.
 *
 *   for each source object s modified at or before `asOf` (the last transfer run):
 *     no object at destinationKey(s)              -> missing
 *     sizes differ                                -> different (size)
 *     both sides expose an MD5 and they differ    -> different (checksum)
 *     otherwise                                   -> matched (by checksum, or by size only)
 *   source objects modified after `asOf`          -> pending (the next run copies them; not a gap)
 *   destination objects with no source object     -> extra (the backup never deletes: an object
 *                                                    deleted at the source stays; not a gap)
 *
 * Complete means no missing and no different object. Keys map from source to destination by
 * swapping the source prefix for the destination prefix (the emitters copy `source.prefix` to the
 * same path in the destination, so today both prefixes are equal).
 *
 * Invariants (property-tested): identical listings give no gap and no extra; each deletion,
 * change or addition made to one side is reported exactly once, in its own category.
 */

/** One object (or one version of it) as a cloud's listing shows it. */
export interface ListedObject {
  key: string;
  size: number;
  /** Lower-case hex MD5 of the content, when the cloud exposes one that is the content's MD5. */
  md5?: string;
  /** Why `md5` is absent (`S3 multipart upload ETag`, `blob without Content-MD5`), for the report. */
  noMd5?: string;
  /** When this version's content was written. */
  lastModified: Date;
  versionId?: string;
  /** This is the current version (listings of current objects only: always true). */
  isLatest?: boolean;
  /** An S3 delete marker: the object did not exist from `lastModified` on. */
  deleteMarker?: boolean;
  /** When this version stopped being current (GCS `timeDeleted`), where the cloud says. */
  noncurrentSince?: Date;
}

export interface Gap {
  key: string;
  bytes: number;
}

export interface Difference {
  key: string;
  sourceBytes: number;
  destinationBytes: number;
  /** `size` or `checksum`. */
  by: "size" | "checksum";
  detail: string;
}

export interface Tally {
  objects: number;
  bytes: number;
}

export interface VerifyReport {
  /** ISO time of the transfer run the backup is compared as of, or null for "now". */
  asOf: string | null;
  source: Tally;
  destination: Tally;
  missing: Gap[];
  different: Difference[];
  extra: Gap[];
  /** Source objects modified after `asOf`: not compared. */
  pending: Gap[];
  matched: { byChecksum: number; bySizeOnly: number; sizeOnlyBecause: Record<string, number> };
  complete: boolean;
}

export interface VerifyInput {
  source: Iterable<ListedObject>;
  destination: Iterable<ListedObject>;
  sourcePrefix: string;
  destinationPrefix: string;
  asOf?: Date;
}

const tally = (objects: Iterable<{ bytes: number }>): Tally => {
  let n = 0;
  let bytes = 0;
  for (const o of objects) {
    n += 1;
    bytes += o.bytes;
  }
  return { objects: n, bytes };
};

/** The destination key of a source key (the source prefix replaced by the destination's). */
export function destinationKey(sourceKey: string, sourcePrefix: string, destinationPrefix: string): string {
  return destinationPrefix + sourceKey.slice(sourcePrefix.length);
}

/** Why a pair of objects was compared by size only ("source: S3 multipart upload ETag"). */
function sizeOnlyReason(s: ListedObject, d: ListedObject): string {
  if (s.md5 === undefined && d.md5 === undefined) return `source: ${s.noMd5 ?? "no MD5"}; destination: ${d.noMd5 ?? "no MD5"}`;
  return s.md5 === undefined ? `source: ${s.noMd5 ?? "no MD5"}` : `destination: ${d.noMd5 ?? "no MD5"}`;
}

const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** Compares two listings of current objects. Deterministic: every list is sorted by key. */
export function verifyListings(input: VerifyInput): VerifyReport {
  const destination = new Map<string, ListedObject>();
  for (const d of input.destination) if (d.key.startsWith(input.destinationPrefix) && !d.deleteMarker) destination.set(d.key, d);
  const sourceObjects = [...input.source].filter((s) => s.key.startsWith(input.sourcePrefix) && !s.deleteMarker);
  const asOf = input.asOf?.getTime();

  const missing: Gap[] = [];
  const different: Difference[] = [];
  const pending: Gap[] = [];
  const seen = new Set<string>();
  let byChecksum = 0;
  let bySizeOnly = 0;
  const sizeOnlyBecause: Record<string, number> = {};

  for (const s of sourceObjects) {
    const key = destinationKey(s.key, input.sourcePrefix, input.destinationPrefix);
    const d = destination.get(key);
    if (d) seen.add(key);
    if (asOf !== undefined && s.lastModified.getTime() > asOf) {
      pending.push({ key: s.key, bytes: s.size });
      continue;
    }
    if (!d) {
      missing.push({ key: s.key, bytes: s.size });
    } else if (d.size !== s.size) {
      different.push({ key: s.key, sourceBytes: s.size, destinationBytes: d.size, by: "size", detail: `${s.size} B at the source, ${d.size} B in the backup` });
    } else if (s.md5 !== undefined && d.md5 !== undefined) {
      if (s.md5 === d.md5) byChecksum += 1;
      else different.push({ key: s.key, sourceBytes: s.size, destinationBytes: d.size, by: "checksum", detail: `MD5 ${s.md5} at the source, ${d.md5} in the backup` });
    } else {
      bySizeOnly += 1;
      const why = sizeOnlyReason(s, d);
      sizeOnlyBecause[why] = (sizeOnlyBecause[why] ?? 0) + 1;
    }
  }
  const extra = [...destination.values()].filter((d) => !seen.has(d.key)).map((d) => ({ key: d.key, bytes: d.size }));

  const sorted = <T extends { key: string }>(xs: T[]): T[] => xs.sort(byKey);
  return {
    asOf: input.asOf ? input.asOf.toISOString() : null,
    source: tally(sourceObjects.map((s) => ({ bytes: s.size }))),
    destination: tally([...destination.values()].map((d) => ({ bytes: d.size }))),
    missing: sorted(missing),
    different: sorted(different),
    extra: sorted(extra),
    pending: sorted(pending),
    matched: { byChecksum, bySizeOnly, sizeOnlyBecause: Object.fromEntries(Object.entries(sizeOnlyBecause).sort(([a], [b]) => (a < b ? -1 : 1))) },
    complete: missing.length === 0 && different.length === 0,
  };
}

/** Bytes summed over gaps or differences (the source's bytes for a difference). */
export function bytesOf(items: ReadonlyArray<Gap | Difference>): number {
  return items.reduce((sum, i) => sum + ("bytes" in i ? i.bytes : i.sourceBytes), 0);
}
