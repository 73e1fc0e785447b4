/**
 * The one interface through which `multicloud backup verify --live` and `backup restore` reach a
 * cloud's object storage (`clouds/<cloud>/storage-client.ts`, loaded by `Cloud.loadStorageClient`),
 * and the copy loop of a restore, written once against it.
 *
 * Contract of a client (stateless; credentials from the SDK's default chain, never printed):
 *   - list() pages through the API (every page, in key order within a page) and yields current
 *     objects, or every version with `versions: true` where the store keeps versions;
 *   - `md5` is set only when it is the MD5 of the content (not an S3 multipart or SSE-KMS ETag,
 *     not a GCS composite object); otherwise `noMd5` says why;
 *   - transient faults (throttling, 5xx, a connection reset) are retried by the SDK itself;
 *   - write() stores the whole object or nothing, so an interrupted restore leaves no partial
 *     object to mistake for a restored one: up to the part size one request (S3 PutObject, a GCS
 *     multipart upload, a Blob upload); above it S3 multipart (completed, or aborted on failure so
 *     no parts are left billed), a GCS resumable session in chunks (the object exists only once
 *     the final chunk lands), or Blob blocks committed once at the end.
 */
import type { Readable } from "node:stream";
import { UserError } from "../../core/util/errors";
import type { PhysicalNames } from "../../core/backup/naming";
import type { StoreLocation } from "../../core/backup/restore";
import type { ListedObject } from "../../core/backup/verify";

export type { ListedObject, StoreLocation };

export interface ListOptions {
  /** Every version (S3 ListObjectVersions, GCS `versions: true`, Blob `includeVersions`). */
  versions?: boolean;
  /** Objects per page (default: each API's maximum); MULTICLOUD_BACKUP_PAGE_SIZE sets it for every command. */
  pageSize?: number;
}

export interface WriteMeta {
  size: number;
  /** Lower-case hex MD5, sent for the cloud to check on arrival where it can. */
  md5?: string;
}

/** A store named by a URL or a name, with the object-key prefix the URL carried. */
export interface ParsedStore {
  location: Omit<StoreLocation, "region">;
  prefix: string;
}

export interface StorageClient {
  readonly provider: string;
  /** Where a backup into this cloud keeps its objects: the names the backup emitter gives them. */
  backupStore(names: PhysicalNames, region: string): StoreLocation;
  /** `s3://bucket/prefix`, `gs://bucket/prefix`, `https://account.blob.core.windows.net/container/prefix`. */
  url(location: StoreLocation, prefix: string): string;
  /** The inverse of url(); undefined when `text` is not a URL of this cloud. */
  parseUrl(text: string): ParsedStore | undefined;
  /** A bare name given on the command line (`bucket`; Blob: `container` or `account/container`), next to `like`. */
  parseName(text: string, like: StoreLocation): StoreLocation;
  list(location: StoreLocation, prefix: string, options?: ListOptions): AsyncIterable<ListedObject>;
  read(location: StoreLocation, key: string, versionId?: string): Promise<Readable>;
  write(location: StoreLocation, key: string, body: Buffer | Readable, meta: WriteMeta): Promise<void>;
  /**
   * When the transfer service that fills a backup here last finished a run successfully: the run's
   * start (or copy window end), so every object modified before it was copied. `names`: the
   * backup's physical names, known with --stack-config. `verify` uses it when --as-of is not
   * given. Throws a UserError naming --as-of where it cannot be read (no client for the service,
   * no job found, no successful run, no permission). Absent: the cloud cannot say, and verify
   * compares as of now.
   */
  lastTransferRun?(location: StoreLocation, prefix: string, names?: PhysicalNames): Promise<{ startedAt: Date; run: string }>;
  /** The cloud's own CLI: download `location/prefix` into `dir`, and upload `dir` to it. */
  downloadCommand(location: StoreLocation, prefix: string, dir: string): string;
  uploadCommand(dir: string, location: StoreLocation, prefix: string): string;
}

/** Objects up to this size are read into memory, so the SDK can retry their upload; larger ones stream. */
export const BUFFER_LIMIT_BYTES = 16 * 2 ** 20;

/** MULTICLOUD_BACKUP_PAGE_SIZE, when set: a smaller page for slow links or tests. */
export function pageSizeFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const raw = env.MULTICLOUD_BACKUP_PAGE_SIZE;
  if (raw === undefined || raw === "") return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 5000) throw new UserError(`MULTICLOUD_BACKUP_PAGE_SIZE: expected a whole number from 1 to 5000, got ${JSON.stringify(raw)}`);
  return n;
}

/**
 * S3's part-size limits: every part but the last at least 5 MiB, at most 5 GiB, at most 10,000
 * parts (https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html). A single PUT stores
 * at most 5 GiB (https://docs.aws.amazon.com/AmazonS3/latest/userguide/upload-objects.html).
 */
export const MIN_PART_BYTES = 5 * 2 ** 20;
export const MAX_PART_BYTES = 5 * 2 ** 30;
export const MAX_PARTS = 10_000;
/** Default part size: objects above it go up in parts (S3 multipart, GCS resumable chunks). */
export const DEFAULT_PART_BYTES = 16 * 2 ** 20;

/**
 * MULTICLOUD_BACKUP_PART_SIZE (bytes), when set; else the default. Objects larger than this are
 * uploaded in parts of this size (a slow link wants smaller parts: less to resend after a fault).
 */
export function partSizeFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.MULTICLOUD_BACKUP_PART_SIZE;
  if (raw === undefined || raw === "") return DEFAULT_PART_BYTES;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < MIN_PART_BYTES || n > MAX_PART_BYTES) {
    throw new UserError(
      `MULTICLOUD_BACKUP_PART_SIZE: expected a whole number of bytes from ${MIN_PART_BYTES} (5 MiB, S3's minimum part size) to ${MAX_PART_BYTES} (5 GiB), got ${JSON.stringify(raw)}`,
    );
  }
  return n;
}

/** The part size for an object of `size` bytes: the configured one, raised so it fits in 10,000 parts. */
export function partSizeFor(size: number, configured: number): number {
  return Math.max(configured, Math.ceil(size / MAX_PARTS));
}

/** Reads a whole stream. */
export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}

export interface CopyItem {
  key: string;
  size: number;
  md5?: string;
  versionId?: string;
}

export interface CopyProgress {
  copied: number;
  bytes: number;
}

/**
 * Copies `items` from one store to another, one object at a time, in the order given. Stops at
 * the first failure (after the SDK's own retries) and throws it with how far it got; objects
 * copied so far are complete, so running the restore again skips them.
 */
export async function copyObjects(
  items: readonly CopyItem[],
  from: { client: StorageClient; location: StoreLocation },
  to: { client: StorageClient; location: StoreLocation },
  onCopied: (item: CopyItem, progress: CopyProgress) => void = () => {},
  bufferLimitBytes = BUFFER_LIMIT_BYTES,
): Promise<CopyProgress> {
  // A bad MULTICLOUD_BACKUP_PART_SIZE is refused before the first object, not as a failed copy.
  partSizeFromEnv();
  const progress: CopyProgress = { copied: 0, bytes: 0 };
  for (const item of items) {
    try {
      const stream = await from.client.read(from.location, item.key, item.versionId);
      const body = item.size <= bufferLimitBytes ? await readAll(stream) : stream;
      if (Buffer.isBuffer(body) && body.length !== item.size) throw new Error(`read ${body.length} B of ${item.size} B`);
      await to.client.write(to.location, item.key, body, { size: item.size, ...(item.md5 ? { md5: item.md5 } : {}) });
    } catch (err) {
      throw new CopyInterrupted(item.key, progress, err as Error);
    }
    progress.copied += 1;
    progress.bytes += item.size;
    onCopied(item, progress);
  }
  return progress;
}

/** A restore stopped part-way: what was copied stays, and the same command copies the rest. */
export class CopyInterrupted extends Error {
  override readonly name = "CopyInterrupted";
  constructor(
    readonly key: string,
    readonly progress: CopyProgress,
    override readonly cause: Error,
  ) {
    super(`copying ${key} failed after ${progress.copied} object(s) were restored: ${cause.message}`);
  }
}
