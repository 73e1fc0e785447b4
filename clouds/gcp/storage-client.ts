/**
 * Cloud Storage behind kit/backup/storage.ts, through @google-cloud/storage (its JSON API;
 * credentials from Application Default Credentials). Endpoint: MULTICLOUD_ENDPOINT_GCP_STORAGE
 * sets `apiEndpoint` (a Private Service Connect endpoint, or a test's loopback fake); requests to
 * it are authenticated unless it is a loopback address (an emulator).
 *
 * Checksums: `md5Hash` is the MD5 of the content for every object except composite ones, which
 * carry only a CRC32C (https://cloud.google.com/storage/docs/hashes-etags). Versions: a listing
 * with `versions: true` returns every generation; a noncurrent one has `timeDeleted`, the time it
 * was replaced or deleted (https://cloud.google.com/storage/docs/json_api/v1/objects#resource).
 */
import { IdempotencyStrategy, Storage, type File } from "@google-cloud/storage";
import type { Readable } from "node:stream";
import type { PhysicalNames } from "../../core/backup/naming";
import { UserError } from "../../core/util/errors";
import { lastStorageTransferRun } from "./transfer-runs";
import { partSizeFromEnv, type ListOptions, type ListedObject, type ParsedStore, type StorageClient, type StoreLocation, type WriteMeta } from "../../kit/backup/storage";

let memo: { endpoint: string | undefined; storage: Storage } | undefined;

function isLoopback(endpoint: string): boolean {
  const host = new URL(endpoint).hostname;
  return host === "127.0.0.1" || host === "localhost" || host === "[::1]";
}

function storage(env: NodeJS.ProcessEnv = process.env): Storage {
  const endpoint = env.MULTICLOUD_ENDPOINT_GCP_STORAGE || undefined;
  if (!memo || memo.endpoint !== endpoint) {
    memo = {
      endpoint,
      storage: new Storage({
        ...(endpoint ? { apiEndpoint: endpoint, useAuthWithCustomEndpoint: !isLoopback(endpoint) } : {}),
        // Throttling (429), 5xx and connection resets are retried with exponential backoff.
        // Uploads too: the client's default (RetryConditional) retries an upload only with an
        // ifGenerationMatch precondition, and file.save() then turns autoRetry off for the whole
        // Storage object. A restore writes the same bytes to the same key, so a repeated upload is
        // harmless (at worst one extra noncurrent generation when a response was lost), and a
        // resumable session's chunks resume at the offset the session reports.
        retryOptions: { autoRetry: true, maxRetries: 4, retryDelayMultiplier: 2, maxRetryDelay: 16, totalTimeout: 600, idempotencyStrategy: IdempotencyStrategy.RetryAlways },
      }),
    };
  }
  return memo.storage;
}

const hex = (base64: string | undefined): string | undefined => (base64 ? Buffer.from(base64, "base64").toString("hex") : undefined);

function toListed(file: File): ListedObject {
  const m = file.metadata;
  const md5 = hex(m.md5Hash);
  const deleted = m.timeDeleted ? new Date(m.timeDeleted) : undefined;
  return {
    key: file.name,
    size: Number(m.size ?? 0),
    ...(md5 ? { md5 } : { noMd5: m.componentCount !== undefined ? "GCS composite object (CRC32C only)" : "GCS object without md5Hash" }),
    // A generation's content never changes: its creation time is when this content was written.
    lastModified: new Date(String(m.timeCreated ?? m.updated)),
    versionId: m.generation !== undefined ? String(m.generation) : undefined,
    isLatest: deleted === undefined,
    ...(deleted ? { noncurrentSince: deleted } : {}),
  };
}

async function* list(location: StoreLocation, prefix: string, options: ListOptions = {}): AsyncIterable<ListedObject> {
  const bucket = storage().bucket(location.bucket);
  let pageToken: string | undefined;
  do {
    const [files, next] = await bucket.getFiles({ prefix: prefix || undefined, versions: options.versions ?? false, autoPaginate: false, maxResults: options.pageSize, pageToken });
    for (const file of files) yield toListed(file);
    pageToken = (next as { pageToken?: string } | null)?.pageToken;
  } while (pageToken);
}

async function read(location: StoreLocation, key: string, versionId?: string): Promise<Readable> {
  const file = storage().bucket(location.bucket).file(key, versionId ? { generation: Number(versionId) } : {});
  return file.createReadStream();
}

/** A resumable upload's chunks are multiples of 256 KiB (https://cloud.google.com/storage/docs/performing-resumable-uploads#chunked-upload). */
const CHUNK_QUANTUM = 256 * 2 ** 10;

/**
 * Up to the part size, one multipart request; above it a resumable session
 * (https://cloud.google.com/storage/docs/performing-resumable-uploads): a POST opens it, each
 * chunk is a PUT with Content-Range, Cloud Storage answers 308 with the bytes it holds, and the
 * client resends from there after a fault instead of starting over. Either way the object exists
 * only once the last byte lands: whole or not at all. With md5Hash in the metadata Cloud Storage
 * refuses content whose MD5 differs, so the object keeps an MD5 a rerun can compare.
 */
async function write(location: StoreLocation, key: string, body: Buffer | Readable, meta: WriteMeta, partSize = partSizeFromEnv()): Promise<void> {
  const file = storage().bucket(location.bucket).file(key);
  const metadata = meta.md5 ? { md5Hash: Buffer.from(meta.md5, "hex").toString("base64") } : {};
  const chunkSize = Math.max(CHUNK_QUANTUM, Math.floor(partSize / CHUNK_QUANTUM) * CHUNK_QUANTUM);
  const options = meta.size > chunkSize ? { resumable: true, chunkSize, metadata } : { resumable: false, metadata };
  if (Buffer.isBuffer(body)) {
    await file.save(body, options);
    return;
  }
  await new Promise<void>((resolve, reject) => {
    body.pipe(file.createWriteStream(options)).on("finish", resolve).on("error", reject);
    body.on("error", reject);
  });
}

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

export const gcpStorageClient: StorageClient = {
  provider: "gcp",
  // The backup emitter's bucket name (clouds/gcp/backup-emitter.ts: `names.dns(63)`).
  backupStore: (names: PhysicalNames, region: string) => ({ provider: "gcp", region, bucket: names.dns(63) }),
  url: (location, prefix) => `gs://${location.bucket}/${prefix}`,
  parseUrl(text): ParsedStore | undefined {
    const m = /^gs:\/\/([a-z0-9][a-z0-9._-]{1,220}[a-z0-9])(?:\/(.*))?$/.exec(text);
    return m ? { location: { provider: "gcp", bucket: m[1]! }, prefix: m[2] ?? "" } : undefined;
  },
  parseName(text, like) {
    const parsed = this.parseUrl(text.startsWith("gs://") ? text : `gs://${text}`);
    if (!parsed || parsed.prefix !== "") throw new UserError(`--to: not a Cloud Storage bucket name: ${JSON.stringify(text)} (lower-case letters, digits, '.', '_' and '-')`);
    return { ...parsed.location, region: like.region };
  },
  list,
  read,
  write: (location, key, body, meta) => write(location, key, body, meta),
  lastTransferRun: (location, prefix) => lastStorageTransferRun(location, prefix),
  downloadCommand: (location, prefix, dir) => `gcloud storage cp --recursive ${quote(`gs://${location.bucket}/${prefix}*`)} ${quote(dir)}`,
  uploadCommand: (dir, location, prefix) => `gcloud storage cp --recursive ${quote(`${dir}/*`)} ${quote(`gs://${location.bucket}/${prefix}`)}`,
};
