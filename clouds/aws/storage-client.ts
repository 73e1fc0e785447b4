/**
 * S3 behind kit/backup/storage.ts, through @aws-sdk/client-s3 (credentials from the SDK's default
 * chain). Endpoint: AWS_ENDPOINT_URL_S3 (an S3-compatible or private endpoint, or a test's loopback
 * fake) sets `endpoint` and path-style addressing.
 *
 * Checksums: an ETag is the MD5 of the content only for a single-part upload stored in plain text
 * or with SSE-S3; a multipart ETag has a `-N` suffix, and SSE-KMS or SSE-C ETags are not MD5s
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_Object.html, "ETag"). So an ETag counts as
 * an MD5 only without the suffix and in a bucket whose default encryption is not KMS (read once
 * per bucket with GetBucketEncryption; when it cannot be read, no ETag counts). An object written
 * with its own SSE-KMS key into an SSE-S3 bucket would still show a KMS ETag: verify then reports it
 * as different by checksum, which a HeadObject on it explains.
 *
 * Writes: one PutObject up to the part size, a multipart upload above it (write() below).
 */
import {
  GetBucketEncryptionCommand,
  GetObjectCommand,
  ListObjectVersionsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { createHash } from "node:crypto";
import type { Readable } from "node:stream";
import { UserError } from "../../core/util/errors";
import type { PhysicalNames } from "../../core/backup/naming";
import { partSizeFor, partSizeFromEnv, type ListOptions, type ListedObject, type ParsedStore, type StorageClient, type StoreLocation, type WriteMeta } from "../../kit/backup/storage";

const clients = new Map<string, S3Client>();

function s3(region: string, env: NodeJS.ProcessEnv = process.env): S3Client {
  const endpoint = env.AWS_ENDPOINT_URL_S3;
  const memoKey = `${region}|${endpoint ?? ""}`;
  let client = clients.get(memoKey);
  if (!client) {
    const config: S3ClientConfig = { region, maxAttempts: 4, followRegionRedirects: true };
    if (endpoint) {
      Object.assign(config, { endpoint, forcePathStyle: true, requestChecksumCalculation: "WHEN_REQUIRED", responseChecksumValidation: "WHEN_REQUIRED" });
    }
    client = new S3Client(config);
    clients.set(memoKey, client);
  }
  return client;
}

/**
 * Undefined when ETags of this bucket's single-part objects are MD5s; else why they are not. Read
 * once per listing (one request), not cached: a bucket's default encryption can change.
 */
async function etagProblem(location: StoreLocation): Promise<string | undefined> {
  try {
    const out = await s3(location.region).send(new GetBucketEncryptionCommand({ Bucket: location.bucket }));
    const algorithms = (out.ServerSideEncryptionConfiguration?.Rules ?? []).map((r) => r.ApplyServerSideEncryptionByDefault?.SSEAlgorithm ?? "");
    return algorithms.some((a) => a.startsWith("aws:kms")) ? "S3 ETag under SSE-KMS (not an MD5)" : undefined;
  } catch (err) {
    const name = (err as Error).name;
    return name === "ServerSideEncryptionConfigurationNotFoundError" ? undefined : `S3 bucket encryption unreadable (${name}), ETag not trusted as MD5`;
  }
}

function md5Of(etag: string | undefined, problem: string | undefined): { md5?: string; noMd5?: string } {
  const bare = (etag ?? "").replace(/^"|"$/g, "").toLowerCase();
  if (problem) return { noMd5: problem };
  if (!/^[0-9a-f]{32}$/.test(bare)) return { noMd5: bare.includes("-") ? "S3 multipart upload ETag" : "S3 ETag not an MD5" };
  return { md5: bare };
}

/** An unversioned bucket lists its objects with version id "null": no version to ask for. */
const versionOf = (id: string | undefined): string | undefined => (id === undefined || id === "null" ? undefined : id);

async function* list(location: StoreLocation, prefix: string, options: ListOptions = {}): AsyncIterable<ListedObject> {
  const client = s3(location.region);
  const problem = await etagProblem(location);
  const MaxKeys = options.pageSize;
  if (!options.versions) {
    let ContinuationToken: string | undefined;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket: location.bucket, Prefix: prefix || undefined, ContinuationToken, MaxKeys }));
      for (const o of page.Contents ?? []) {
        yield { key: o.Key!, size: o.Size ?? 0, lastModified: o.LastModified!, isLatest: true, ...md5Of(o.ETag, problem) };
      }
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken);
    return;
  }
  let KeyMarker: string | undefined;
  let VersionIdMarker: string | undefined;
  do {
    const page = await client.send(new ListObjectVersionsCommand({ Bucket: location.bucket, Prefix: prefix || undefined, KeyMarker, VersionIdMarker, MaxKeys }));
    for (const v of page.Versions ?? []) {
      yield { key: v.Key!, size: v.Size ?? 0, lastModified: v.LastModified!, versionId: versionOf(v.VersionId), isLatest: v.IsLatest ?? false, ...md5Of(v.ETag, problem) };
    }
    for (const m of page.DeleteMarkers ?? []) {
      yield { key: m.Key!, size: 0, lastModified: m.LastModified!, versionId: versionOf(m.VersionId), isLatest: m.IsLatest ?? false, deleteMarker: true };
    }
    [KeyMarker, VersionIdMarker] = page.IsTruncated ? [page.NextKeyMarker, page.NextVersionIdMarker] : [undefined, undefined];
  } while (KeyMarker);
}

async function read(location: StoreLocation, key: string, versionId?: string): Promise<Readable> {
  const out = await s3(location.region).send(new GetObjectCommand({ Bucket: location.bucket, Key: key, VersionId: versionId }));
  return out.Body as Readable;
}

/**
 * Up to the part size, one PutObject with Content-MD5 (S3 checks it on arrival and refuses other
 * bytes). Above it, a multipart upload through @aws-sdk/lib-storage's Upload: a single PUT stores at
 * most 5 GiB (https://docs.aws.amazon.com/AmazonS3/latest/userguide/upload-objects.html). The
 * object appears only at CompleteMultipartUpload; on a failure Upload sends AbortMultipartUpload,
 * so no parts stay stored (and billed) and a rerun starts the object again. Parts carry no
 * Content-MD5 (Upload would send the whole object's to every part); against AWS the SDK adds a
 * CRC32 checksum to each part, which S3 checks. The stored object's ETag then ends in `-N` and is
 * not an MD5, so a rerun recognises it by size alone (core/backup/restore.ts, isAlreadyRestored).
 */
async function write(location: StoreLocation, key: string, body: Buffer | Readable, meta: WriteMeta, configuredPartSize = partSizeFromEnv()): Promise<void> {
  const client = s3(location.region);
  const partSize = partSizeFor(meta.size, configuredPartSize);
  if (meta.size <= partSize) {
    const contentMd5 = Buffer.isBuffer(body) ? createHash("md5").update(body).digest("base64") : meta.md5 ? Buffer.from(meta.md5, "hex").toString("base64") : undefined;
    await client.send(new PutObjectCommand({ Bucket: location.bucket, Key: key, Body: body, ContentLength: meta.size, ContentMD5: contentMd5 }));
    return;
  }
  // One part at a time: memory stays at one part, and the first failed part stops the upload.
  const upload = new Upload({ client, params: { Bucket: location.bucket, Key: key, Body: body, ContentLength: meta.size }, partSize, queueSize: 1, leavePartsOnError: false });
  await upload.done();
}

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

export const awsStorageClient: StorageClient = {
  provider: "aws",
  // The backup emitter's bucket name (clouds/aws/backup-emitter.ts: `names.dns(63)`).
  backupStore: (names: PhysicalNames, region: string) => ({ provider: "aws", region, bucket: names.dns(63) }),
  url: (location, prefix) => `s3://${location.bucket}/${prefix}`,
  parseUrl(text): ParsedStore | undefined {
    const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(text);
    return m ? { location: { provider: "aws", bucket: m[1]! }, prefix: m[2] ?? "" } : undefined;
  },
  parseName(text, like) {
    const parsed = this.parseUrl(text.startsWith("s3://") ? text : `s3://${text}`);
    if (!parsed || parsed.prefix !== "") throw new UserError(`--to: not an S3 bucket name: ${JSON.stringify(text)} (3-63 lower-case letters, digits, '.' and '-')`);
    return { ...parsed.location, region: like.region };
  },
  list,
  read,
  write: (location, key, body, meta) => write(location, key, body, meta),
  // DataSync fills an S3 backup; no DataSync client is installed, so its runs cannot be read here.
  lastTransferRun: async () => {
    throw new UserError(
      "--as-of: required for a backup on S3: the time of the last successful DataSync run cannot be read in this build (no DataSync client). Find it with `aws datasync list-task-executions --task-arn TASK_ARN` (the newest SUCCESS), then `aws datasync describe-task-execution --task-execution-arn ARN` (its StartTime), and pass it as --as-of",
    );
  },
  downloadCommand: (location, prefix, dir) => `aws s3 cp --recursive --region ${location.region} ${quote(`s3://${location.bucket}/${prefix}`)} ${quote(dir)}`,
  uploadCommand: (dir, location, prefix) => `aws s3 cp --recursive --region ${location.region} ${quote(dir)} ${quote(`s3://${location.bucket}/${prefix}`)}`,
};
