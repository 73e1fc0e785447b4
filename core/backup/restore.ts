/**
 * `multicloud backup restore`: the plan of a restore, as a plain value (pure; the CLI lists both
 * sides through the clouds' SDKs, then hands the listings here).
 *
 *   1. which object each key restores: with `asOf`, the newest version written at or before it,
 *      unless that version is a delete marker or had stopped being current by then (the object
 *      did not exist at `asOf`); without it, the current version;
 *   2. what is already at the target: an object of the same size (and the same MD5 where both
 *      sides expose one) is not copied again, so a restore that was interrupted, run again,
 *      copies only what is not there yet (never an object twice). Where either side has no MD5
 *      (an S3 multipart or SSE-KMS ETag, which is what a large restored object gets, a GCS
 *      composite object, a blob committed from blocks without Content-MD5) the size decides
 *      alone; the plan counts those and says why. A partial object is never mistaken for a
 *      restored one: every write stores the whole object or nothing (kit/backup/storage.ts);
 *   3. what it costs: internet egress from the backup's region to the source's, reads at the
 *      backup and writes at the target, at the storage snapshot's list prices.
 *
 * Keys keep their path: an object `exports/a` in the backup is restored to `exports/a` in the
 * target (the emitters copy the source prefix to the same path). The target is never the
 * original source location unless the caller says so (`inPlace`).
 */
import { UserError } from "../util/errors";
import { egressTiers, providerPrices, tieredCost, type Place } from "./cost";
import type { StoragePrices } from "./prices";
import type { CloudSet } from "../clouds/cloud-set";
import type { ListedObject } from "./verify";

/** A bucket (S3, GCS) or a container in a storage account (Blob), on one cloud. */
export interface StoreLocation {
  provider: string;
  region: string;
  /** Bucket, or Blob container. */
  bucket: string;
  /** Storage account (Blob only). */
  account?: string;
}

export interface RestoreItem {
  key: string;
  size: number;
  md5?: string;
  /** The version to read (absent: the current object). */
  versionId?: string;
  lastModified: string;
}

export interface RestoreCost {
  egressUsd: number;
  requestsUsd: number;
  totalUsd: number;
  detail: string[];
}

export interface RestorePlan {
  from: StoreLocation & { prefix: string };
  to: StoreLocation;
  asOf: string | null;
  inPlace: boolean;
  /** Objects to copy, sorted by key. */
  copy: RestoreItem[];
  copyBytes: number;
  /** Objects already at the target with the same size and checksum; `sizeOnly` of them by size alone (no comparable MD5). */
  alreadyThere: { objects: number; bytes: number; sizeOnly: number };
  /** Keys deleted by `asOf` (a delete marker, or a version no longer current then). */
  deletedByAsOf: number;
  /** Keys with no version at or before `asOf` (written later, or older versions not kept). */
  newerOnly: string[];
  cost: RestoreCost;
  /** Commands with the clouds' own tools that do the same copy (current versions only). */
  nativeCommands: string[];
  notes: string[];
}

/** Two locations are the same place: same cloud, bucket or container, and account. */
export function sameStore(a: StoreLocation, b: StoreLocation): boolean {
  return a.provider === b.provider && a.bucket === b.bucket && (a.account ?? "") === (b.account ?? "");
}

/**
 * The version of each key to restore. `versions` is a listing with every version (or only the
 * current ones, for a store that keeps none); keys are grouped and each group decided alone.
 *
 * `deletedByAsOf`: keys whose newest version at `asOf` is a delete marker or had stopped being
 * current by then. `newerOnly`: keys with no version at or before `asOf`: first written after it,
 * or their older versions are not kept (expired after the retention, or a store without versions).
 */
export function versionsAsOf(versions: Iterable<ListedObject>, asOf: Date | undefined): { chosen: ListedObject[]; deletedByAsOf: number; newerOnly: string[] } {
  const byKey = new Map<string, ListedObject[]>();
  for (const v of versions) {
    const group = byKey.get(v.key);
    if (group) group.push(v);
    else byKey.set(v.key, [v]);
  }
  const chosen: ListedObject[] = [];
  let deletedByAsOf = 0;
  const newerOnly: string[] = [];
  for (const key of [...byKey.keys()].sort()) {
    const all = byKey.get(key)!;
    if (asOf === undefined) {
      const current = all.find((v) => v.isLatest !== false);
      // Deleted in the backup itself (a delete marker is current): nothing current to restore.
      if (current !== undefined && !current.deleteMarker) chosen.push(current);
      continue;
    }
    // Newest first; among equal times the current version wins (it was written last).
    const newestFirst = [...all].sort((a, b) => b.lastModified.getTime() - a.lastModified.getTime() || Number(b.isLatest ?? false) - Number(a.isLatest ?? false));
    const pick = newestFirst.find((v) => v.lastModified.getTime() <= asOf.getTime());
    if (pick === undefined) {
      newerOnly.push(key);
      continue;
    }
    // The newest version at asOf stopped being current by then only if the object was deleted
    // (a replacement would itself be a newer version at asOf).
    if (pick.deleteMarker || (pick.noncurrentSince !== undefined && pick.noncurrentSince.getTime() <= asOf.getTime())) {
      deletedByAsOf += 1;
      continue;
    }
    chosen.push(pick);
  }
  return { chosen, deletedByAsOf, newerOnly };
}

/** An object at the target is the restored one: same size, and same MD5 where both expose one. */
export function isAlreadyRestored(item: { size: number; md5?: string }, atTarget: ListedObject | undefined): boolean {
  if (!atTarget || atTarget.size !== item.size) return false;
  return item.md5 === undefined || atTarget.md5 === undefined || item.md5 === atTarget.md5;
}

/** GiB from bytes (the clouds bill a GB of 2^30 bytes). */
const gib = (bytes: number): number => bytes / 2 ** 30;

/** Egress from the backup's region to the target's, and one read plus one write per object. */
export function restoreCost(prices: StoragePrices, clouds: CloudSet, from: Place, to: Place, objects: number, bytes: number): RestoreCost {
  const tiers = egressTiers(prices, from, to, clouds);
  const egressUsd = tieredCost(gib(bytes), tiers);
  const reads = providerPrices(prices, from.provider).operations.hot.readPer10kUsd;
  const writes = providerPrices(prices, to.provider).operations.hot.writePer10kUsd;
  const requestsUsd = (objects / 10_000) * (reads + writes);
  const round = (n: number) => Math.round(n * 10_000) / 10_000;
  return {
    egressUsd: round(egressUsd),
    requestsUsd: round(requestsUsd),
    totalUsd: round(egressUsd + requestsUsd),
    detail: [
      `internet egress from ${from.provider}/${from.region}: ${bytes.toLocaleString("en-US")} B through tiers from $${tiers[0]?.[1]}/GiB`,
      `${objects} reads at ${from.provider} ($${reads}/10k) and ${objects} writes at ${to.provider} ($${writes}/10k)`,
    ],
  };
}

export interface RestoreInput {
  /** The backup, every version where it keeps versions. */
  backup: Iterable<ListedObject>;
  from: StoreLocation & { prefix: string };
  /** What is at the target now, current objects under the same prefix. */
  target: Iterable<ListedObject>;
  to: StoreLocation;
  /** The original source: refused as a target unless `inPlace`. */
  source: StoreLocation;
  /** Only keys under this prefix (a key prefix inside `from.prefix`). */
  prefix?: string;
  asOf?: Date;
  inPlace: boolean;
  prices: StoragePrices;
  clouds: CloudSet;
  nativeCommands: string[];
}

/** The restore plan. Throws a UserError naming the flag for a target it must not write to. */
export function planRestore(input: RestoreInput): RestorePlan {
  const { from, to, source } = input;
  if (to.provider !== source.provider) {
    throw new UserError(`--to: a restore goes back onto the source's cloud (${source.provider}); ${to.provider} is not it`);
  }
  if (sameStore(to, source) && !input.inPlace) {
    throw new UserError(
      `--to: ${to.account ? `${to.account}/` : ""}${to.bucket} is the original source location; a restore writes there only with --in-place (it replaces current objects). Restore into a new bucket or container instead, or add --in-place`,
    );
  }
  const prefix = input.prefix ?? from.prefix;
  if (!prefix.startsWith(from.prefix)) throw new UserError(`--prefix: "${prefix}" is outside the backup's prefix "${from.prefix}"; give a key prefix that starts with it, e.g. "${from.prefix}2026/"`);
  const inScope = [...input.backup].filter((o) => o.key.startsWith(prefix));
  const { chosen, deletedByAsOf, newerOnly } = versionsAsOf(inScope, input.asOf);
  const existing = new Map<string, ListedObject>();
  for (const t of input.target) if (!t.deleteMarker && t.isLatest !== false) existing.set(t.key, t);

  const copy: RestoreItem[] = [];
  let skipped = 0;
  let skippedBytes = 0;
  const sizeOnlyReasons = new Map<string, number>();
  for (const o of chosen) {
    const there = existing.get(o.key);
    if (isAlreadyRestored(o, there)) {
      skipped += 1;
      skippedBytes += o.size;
      if (o.md5 === undefined || there!.md5 === undefined) {
        const reason = there!.md5 === undefined ? `at the target: ${there!.noMd5 ?? "no MD5"}` : `in the backup: ${o.noMd5 ?? "no MD5"}`;
        sizeOnlyReasons.set(reason, (sizeOnlyReasons.get(reason) ?? 0) + 1);
      }
      continue;
    }
    copy.push({ key: o.key, size: o.size, ...(o.md5 ? { md5: o.md5 } : {}), ...(o.versionId && input.asOf ? { versionId: o.versionId } : {}), lastModified: o.lastModified.toISOString() });
  }
  const copyBytes = copy.reduce((s, i) => s + i.size, 0);
  const notes: string[] = [];
  const sizeOnly = [...sizeOnlyReasons.values()].reduce((a, b) => a + b, 0);
  if (sizeOnly > 0) {
    const why = [...sizeOnlyReasons.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([reason, n]) => `${n} ${reason}`);
    notes.push(`${sizeOnly} object(s) already at the target were matched by size alone, with no MD5 on both sides to compare (${why.join("; ")})`);
  }
  if (newerOnly.length > 0) {
    notes.push(`${newerOnly.length} key(s) have no version at or before --as-of: first written after it, or their older versions are not kept (expired after retentionDays, or a store without versions): they are not restored`);
  }
  if (input.asOf) notes.push("the native commands copy current versions only; to restore as of a time, use this command with --apply");
  notes.push("objects the lifecycle moved to an archive class may need a rehydration or retrieval first, and cost a retrieval fee the estimate leaves out");
  return {
    from,
    to,
    asOf: input.asOf ? input.asOf.toISOString() : null,
    inPlace: input.inPlace,
    copy,
    copyBytes,
    alreadyThere: { objects: skipped, bytes: skippedBytes, sizeOnly },
    deletedByAsOf,
    newerOnly,
    cost: restoreCost(input.prices, input.clouds, from, to, copy.length, copyBytes),
    nativeCommands: input.nativeCommands,
    notes,
  };
}
