/**
 * Loopback fake of the S3 REST API, path-style (what @aws-sdk/client-s3 sends with `endpoint` and
 * `forcePathStyle`): ListObjectsV2 with continuation tokens, ListObjectVersions with key and
 * version-id markers, GetObject and HeadObject (with versionId), PutObject (checking Content-MD5,
 * as S3 does), GetBucketEncryption, and multipart uploads: CreateMultipartUpload, UploadPart,
 * CompleteMultipartUpload (parts in ascending order with their ETags, every part but the last at
 * least 5 MiB, else EntityTooSmall / InvalidPart / InvalidPartOrder) and AbortMultipartUpload. A
 * completed object's ETag is S3's: the MD5 of the parts' binary MD5s, then `-` and the part count. Errors are S3's XML `<Error><Code>`; a throttle is
 * `503 SlowDown`, which the SDK retries. Pages hold at most `maxPageSize` entries whatever
 * MaxKeys asks (S3 may return fewer than asked), so paging always happens.
 *
 * Protocol references: https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html,
 * API_ListObjectVersions.html, API_GetObject.html, API_PutObject.html, ErrorResponses.html.
 * ETags: the MD5 of the content for single-part objects in SSE-S3 buckets; for an SSE-KMS bucket
 * an opaque value (API_Object.html, "ETag").
 */
import { createHash } from "node:crypto";
import { VersionedBucket, startBinaryServer, type BinaryRequest, type BinaryResponse, type BinaryServer, type StoredVersion } from "./s3-binary-http";

export interface FakeS3 extends BinaryServer {
  /** Creates a bucket: versioned or not; `kms` makes its ETags opaque (SSE-KMS). */
  bucket(name: string, options?: { versioned?: boolean; kms?: boolean }): VersionedBucket;
  /** The clock PUTs are stamped with (tests move it). */
  now: Date;
  /** Objects stored per "bucket/key": successful PutObject and CompleteMultipartUpload calls. */
  puts: Map<string, number>;
  /** Multipart uploads begun and neither completed nor aborted (their parts are stored, and billed). */
  openUploads: Map<string, { bucket: string; key: string; parts: Map<number, Buffer> }>;
}

/** S3's minimum size of every part but the last (https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html). */
export const S3_MIN_PART_BYTES = 5 * 2 ** 20;

const NS = "http://s3.amazonaws.com/doc/2006-03-01/";
const xmlEscape = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const tag = (name: string, value: string | number | boolean | undefined): string => (value === undefined ? "" : `<${name}>${xmlEscape(String(value))}</${name}>`);
const xml = (body: string): BinaryResponse => ({ status: 200, headers: { "content-type": "application/xml" }, body: `<?xml version="1.0" encoding="UTF-8"?>\n${body}` });

export function s3Error(status: number, code: string, message: string): BinaryResponse {
  return { status, headers: { "content-type": "application/xml" }, body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${xmlEscape(message)}</Message><RequestId>FAKE</RequestId></Error>` };
}

function parsePath(url: URL): { bucket: string; key: string } {
  const [, bucket = "", ...rest] = url.pathname.split("/");
  return { bucket: decodeURIComponent(bucket), key: rest.map(decodeURIComponent).join("/") };
}

export async function startFakeS3(options: { maxPageSize?: number } = {}): Promise<FakeS3> {
  const maxPage = options.maxPageSize ?? 2;
  const buckets = new Map<string, { store: VersionedBucket; kms: boolean }>();
  const tokens = new Map<string, number>();
  const singleEtag = (bucket: { kms: boolean }, v: StoredVersion) => `"${bucket.kms ? createHash("sha1").update(`kms:${v.id}`).digest("hex").slice(0, 32) : v.md5}"`;

  const multipartEtags = new WeakMap<StoredVersion, string>();
  const etag = (bucket: { kms: boolean }, v: StoredVersion) => multipartEtags.get(v) ?? singleEtag(bucket, v);
  let uploadCounter = 0;

  const operation = (req: BinaryRequest): string => {
    const { key } = parsePath(req.url);
    const q = req.url.searchParams;
    if (req.method === "POST" && key && q.has("uploads")) return "create-multipart";
    if (req.method === "PUT" && key && q.has("uploadId")) return "upload-part";
    if (req.method === "POST" && key && q.has("uploadId")) return "complete-multipart";
    if (req.method === "DELETE" && key && q.has("uploadId")) return "abort-multipart";
    if (req.method === "PUT" && key) return "put";
    if (req.method === "HEAD") return "head";
    if (key) return "get";
    if (req.url.searchParams.has("versions")) return "list-versions";
    if (req.url.searchParams.has("encryption")) return "get-encryption";
    return "list";
  };

  const fake = (await startBinaryServer({
    operation,
    renderFault: (fault) => (fault === "throttle" ? s3Error(503, "SlowDown", "Please reduce your request rate.") : s3Error(500, "InternalError", "We encountered an internal error. Please try again.")),
    handle: (op, req) => {
      if (!String(req.headers.authorization ?? "").startsWith("AWS4-HMAC-SHA256 ")) return s3Error(403, "AccessDenied", "Access Denied (no SigV4 signature)");
      const { bucket: name, key } = parsePath(req.url);
      const bucket = buckets.get(name);
      if (!bucket) return s3Error(404, "NoSuchBucket", "The specified bucket does not exist");
      const q = req.url.searchParams;
      const prefix = q.get("prefix") ?? "";
      const pageSize = Math.min(maxPage, Number(q.get("max-keys") ?? 1000));
      switch (op) {
        case "get-encryption":
          return xml(`<ServerSideEncryptionConfiguration xmlns="${NS}"><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>${bucket.kms ? "aws:kms" : "AES256"}</SSEAlgorithm></ApplyServerSideEncryptionByDefault><BucketKeyEnabled>${bucket.kms}</BucketKeyEnabled></Rule></ServerSideEncryptionConfiguration>`);
        case "list": {
          const all = bucket.store.currentObjects(prefix);
          const token = q.get("continuation-token");
          const start = token ? tokens.get(token) : 0;
          if (start === undefined) return s3Error(400, "InvalidArgument", "The continuation token provided is incorrect");
          const page = all.slice(start, start + pageSize);
          const truncated = start + pageSize < all.length;
          let next: string | undefined;
          if (truncated) {
            next = createHash("sha1").update(`${name}/${prefix}/${start + pageSize}/${tokens.size}`).digest("base64");
            tokens.set(next, start + pageSize);
          }
          const contents = page.map((v) => `<Contents>${tag("Key", v.key)}${tag("LastModified", v.written.toISOString())}${tag("ETag", etag(bucket, v))}${tag("Size", v.body.length)}<StorageClass>STANDARD</StorageClass></Contents>`).join("");
          return xml(
            `<ListBucketResult xmlns="${NS}">${tag("Name", name)}${tag("Prefix", prefix)}${tag("KeyCount", page.length)}${tag("MaxKeys", pageSize)}${tag("IsTruncated", truncated)}${tag("ContinuationToken", token ?? undefined)}${tag("NextContinuationToken", next)}${contents}</ListBucketResult>`,
          );
        }
        case "list-versions": {
          const all = bucket.store.allVersions(prefix);
          const keyMarker = q.get("key-marker");
          const idMarker = q.get("version-id-marker");
          let start = 0;
          if (keyMarker !== null) {
            // After the marker version, or after every version of the marker key when no version marker.
            const at = idMarker ? all.findIndex((v) => v.key === keyMarker && v.id === idMarker) : -1;
            start = at >= 0 ? at + 1 : all.findIndex((v) => v.key > keyMarker);
            if (start < 0) start = all.length;
          }
          const page = all.slice(start, start + pageSize);
          const truncated = start + pageSize < all.length;
          const last = page.at(-1);
          const latestOf = (v: StoredVersion) => all.filter((x) => x.key === v.key)[0] === v;
          const entries = page
            .map((v) =>
              v.deleteMarker
                ? `<DeleteMarker>${tag("Key", v.key)}${tag("VersionId", v.id)}${tag("IsLatest", latestOf(v))}${tag("LastModified", v.written.toISOString())}</DeleteMarker>`
                : `<Version>${tag("Key", v.key)}${tag("VersionId", v.id)}${tag("IsLatest", latestOf(v))}${tag("LastModified", v.written.toISOString())}${tag("ETag", etag(bucket, v))}${tag("Size", v.body.length)}<StorageClass>STANDARD</StorageClass></Version>`,
            )
            .join("");
          return xml(
            `<ListVersionsResult xmlns="${NS}">${tag("Name", name)}${tag("Prefix", prefix)}${tag("KeyMarker", keyMarker ?? "")}${tag("VersionIdMarker", idMarker ?? "")}${truncated ? tag("NextKeyMarker", last!.key) + tag("NextVersionIdMarker", last!.id) : ""}${tag("MaxKeys", pageSize)}${tag("IsTruncated", truncated)}${entries}</ListVersionsResult>`,
          );
        }
        case "get":
        case "head": {
          const id = q.get("versionId");
          const v = id ? bucket.store.versions.find((x) => x.key === key && x.id === id && !x.deleteMarker) : bucket.store.current(key);
          if (!v) return id ? s3Error(404, "NoSuchVersion", "The specified version does not exist.") : s3Error(404, "NoSuchKey", "The specified key does not exist.");
          return {
            status: 200,
            headers: { "content-type": "application/octet-stream", etag: etag(bucket, v), "last-modified": v.written.toUTCString(), "x-amz-version-id": v.id },
            body: v.body,
          };
        }
        case "put": {
          const md5 = req.headers["content-md5"];
          if (md5 !== undefined && md5 !== createHash("md5").update(req.body).digest("base64")) return s3Error(400, "BadDigest", "The Content-MD5 you specified did not match what we received.");
          const v = bucket.store.put(key, req.body, fake.now);
          fake.puts.set(`${name}/${key}`, (fake.puts.get(`${name}/${key}`) ?? 0) + 1);
          return { status: 200, headers: { etag: etag(bucket, v), ...(bucket.store.versioned ? { "x-amz-version-id": v.id } : {}) } };
        }
        case "create-multipart": {
          uploadCounter += 1;
          const uploadId = createHash("sha1").update(`${name}/${key}/${uploadCounter}`).digest("hex");
          fake.openUploads.set(uploadId, { bucket: name, key, parts: new Map() });
          return xml(`<InitiateMultipartUploadResult xmlns="${NS}">${tag("Bucket", name)}${tag("Key", key)}${tag("UploadId", uploadId)}</InitiateMultipartUploadResult>`);
        }
        case "upload-part": {
          const upload = fake.openUploads.get(q.get("uploadId") ?? "");
          if (!upload || upload.bucket !== name || upload.key !== key) return s3Error(404, "NoSuchUpload", "The specified multipart upload does not exist.");
          const partNumber = Number(q.get("partNumber"));
          if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > 10_000) return s3Error(400, "InvalidArgument", "Part number must be an integer between 1 and 10000, inclusive");
          const md5 = req.headers["content-md5"];
          if (md5 !== undefined && md5 !== createHash("md5").update(req.body).digest("base64")) return s3Error(400, "BadDigest", "The Content-MD5 you specified did not match what we received.");
          upload.parts.set(partNumber, req.body);
          return { status: 200, headers: { etag: `"${createHash("md5").update(req.body).digest("hex")}"` } };
        }
        case "complete-multipart": {
          const uploadId = q.get("uploadId") ?? "";
          const upload = fake.openUploads.get(uploadId);
          if (!upload || upload.bucket !== name || upload.key !== key) return s3Error(404, "NoSuchUpload", "The specified multipart upload does not exist.");
          const listed = [...req.body.toString("utf8").matchAll(/<Part>([\s\S]*?)<\/Part>/g)].map((m) => ({
            number: Number(/<PartNumber>(\d+)<\/PartNumber>/.exec(m[1]!)?.[1]),
            etag: (/<ETag>([^<]*)<\/ETag>/.exec(m[1]!)?.[1] ?? "").replace(/&quot;/g, '"'),
          }));
          if (listed.length === 0) return s3Error(400, "MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema");
          for (let i = 1; i < listed.length; i++) if (listed[i]!.number <= listed[i - 1]!.number) return s3Error(400, "InvalidPartOrder", "The list of parts was not in ascending order.");
          const bodies: Buffer[] = [];
          for (const [i, p] of listed.entries()) {
            const stored = upload.parts.get(p.number);
            if (!stored || `"${createHash("md5").update(stored).digest("hex")}"` !== p.etag) return s3Error(400, "InvalidPart", "One or more of the specified parts could not be found.");
            if (i < listed.length - 1 && stored.length < S3_MIN_PART_BYTES) return s3Error(400, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed object size.");
            bodies.push(stored);
          }
          const v = bucket.store.put(key, Buffer.concat(bodies), fake.now);
          const md5s = Buffer.concat(bodies.map((b) => createHash("md5").update(b).digest()));
          if (!bucket.kms) multipartEtags.set(v, `"${createHash("md5").update(md5s).digest("hex")}-${bodies.length}"`);
          fake.openUploads.delete(uploadId);
          fake.puts.set(`${name}/${key}`, (fake.puts.get(`${name}/${key}`) ?? 0) + 1);
          return xml(`<CompleteMultipartUploadResult xmlns="${NS}">${tag("Location", `${fake.url}/${name}/${key}`)}${tag("Bucket", name)}${tag("Key", key)}${tag("ETag", etag(bucket, v))}</CompleteMultipartUploadResult>`);
        }
        case "abort-multipart": {
          const uploadId = q.get("uploadId") ?? "";
          if (!fake.openUploads.has(uploadId)) return s3Error(404, "NoSuchUpload", "The specified multipart upload does not exist.");
          fake.openUploads.delete(uploadId);
          return { status: 204 };
        }
      }
      return s3Error(400, "NotImplemented", `the fake does not implement ${req.method} ${req.url.pathname}${req.url.search}`);
    },
  })) as FakeS3;
  fake.now = new Date("2026-11-01T00:00:00Z");
  fake.puts = new Map();
  fake.openUploads = new Map();
  fake.bucket = (name, opts = {}) => {
    const store = new VersionedBucket(opts.versioned ?? false, (n) => (opts.versioned ? `v${String(n).padStart(6, "0")}` : "null"));
    buckets.set(name, { store, kms: opts.kms ?? false });
    return store;
  };
  return fake;
}
