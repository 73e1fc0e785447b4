/**
 * Loopback fake of the Cloud Storage JSON API, as @google-cloud/storage calls it at `apiEndpoint`:
 * objects.list (prefix, pageToken, maxResults, versions), media download (`alt=media`, with
 * `generation`, sending `x-goog-hash` so the client validates what it read), and the multipart
 * upload (`uploadType=multipart`: a JSON metadata part and a media part; an `md5Hash` in the
 * metadata that differs from the content is refused, as GCS does), and the resumable upload: a POST
 * with `uploadType=resumable` answers with the session URI in `Location`; each PUT to it carries
 * `Content-Range: bytes FIRST-LAST/TOTAL` (TOTAL `*` until the last chunk) and is answered `308`
 * with `Range: bytes=0-N` (what the session holds) until the last byte, then 200 with the object;
 * `Content-Range: bytes *\/TOTAL` with no body asks for the status. A chunk starting past the
 * bytes held is refused; one overlapping them has the repeated bytes dropped (a client resending
 * after a lost response). The object appears only when the
 * session completes; md5Hash in the session's metadata, or `md5=` in X-Goog-Hash, is checked
 * then. Errors are the JSON API's
 * `{"error": {"code", "message", "errors": [{"reason"}]}}`; a throttle is 429 rateLimitExceeded.
 * A page holds at most `maxPageSize` items whatever maxResults asks.
 *
 * Protocol references: https://cloud.google.com/storage/docs/json_api/v1/objects/list,
 * objects/get (alt=media), https://cloud.google.com/storage/docs/uploading-objects (multipart),
 * https://cloud.google.com/storage/docs/performing-resumable-uploads (resumable),
 * https://cloud.google.com/storage/docs/json_api/v1/status-codes, and the object resource
 * (generation, md5Hash, crc32c, timeCreated, timeDeleted for noncurrent versions).
 */
import { CRC32C } from "@google-cloud/storage";
import { createHash } from "node:crypto";
import { pageToken } from "./http";
import { VersionedBucket, startBinaryServer, type BinaryRequest, type BinaryResponse, type BinaryServer, type StoredVersion } from "./s3-binary-http";

export interface FakeGcs extends BinaryServer {
  bucket(name: string, options?: { versioned?: boolean }): VersionedBucket;
  now: Date;
  /** Successful uploads per "bucket/object". */
  uploads: Map<string, number>;
  /** Resumable sessions opened and not completed, by upload id. */
  sessions: Map<string, { bucket: string; key: string; md5Hash?: string; held: Buffer }>;
}

function gcsError(code: number, reason: string, message: string): BinaryResponse {
  return { status: code, headers: { "content-type": "application/json" }, body: JSON.stringify({ error: { code, message, errors: [{ domain: "global", reason, message }] } }) };
}

const json = (value: unknown): BinaryResponse => ({ status: 200, headers: { "content-type": "application/json; charset=UTF-8" }, body: JSON.stringify(value) });
const crc32c = (body: Buffer): string => {
  const c = new CRC32C();
  c.update(body);
  return c.toString();
};

function resource(bucket: string, v: StoredVersion): Record<string, unknown> {
  return {
    kind: "storage#object",
    id: `${bucket}/${v.key}/${v.id}`,
    name: v.key,
    bucket,
    generation: v.id,
    metageneration: "1",
    contentType: "application/octet-stream",
    size: String(v.body.length),
    md5Hash: Buffer.from(v.md5, "hex").toString("base64"),
    crc32c: crc32c(v.body),
    storageClass: "STANDARD",
    timeCreated: v.written.toISOString(),
    updated: v.written.toISOString(),
    ...(v.noncurrentSince ? { timeDeleted: v.noncurrentSince.toISOString() } : {}),
  };
}

/** Splits a multipart/related body into its parts' bodies. */
function multipartParts(req: BinaryRequest): Buffer[] {
  const boundary = /boundary="?([^";]+)"?/.exec(String(req.headers["content-type"]))?.[1];
  if (!boundary) throw new Error("multipart upload without a boundary");
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Buffer[] = [];
  let at = req.body.indexOf(delimiter);
  while (at >= 0) {
    const next = req.body.indexOf(delimiter, at + delimiter.length);
    if (next < 0) break;
    const part = req.body.subarray(at + delimiter.length, next);
    const headerEnd = part.indexOf("\r\n\r\n");
    // Part body: after the blank line, without the CRLF before the next delimiter.
    parts.push(part.subarray(headerEnd + 4, part.length - 2));
    at = next;
  }
  return parts;
}

export async function startFakeGcs(options: { maxPageSize?: number } = {}): Promise<FakeGcs> {
  const maxPage = options.maxPageSize ?? 2;
  const buckets = new Map<string, VersionedBucket>();
  let sessionCounter = 0;
  const route = (req: BinaryRequest) => /^\/(?:(upload|download)\/)?storage\/v1\/b\/([^/]+)\/o(?:\/(.+))?$/.exec(req.url.pathname);

  const fake = (await startBinaryServer({
    operation: (req) => {
      const m = route(req);
      if (!m) return "unknown";
      if (m[1] === "upload") {
        if (req.url.searchParams.has("upload_id")) return "resumable-chunk";
        return req.url.searchParams.get("uploadType") === "resumable" ? "resumable-start" : "upload";
      }
      return m[3] ? (req.url.searchParams.get("alt") === "media" ? "download" : "get") : "list";
    },
    renderFault: (fault) => (fault === "throttle" ? gcsError(429, "rateLimitExceeded", "The rate of change requests to the bucket is too high.") : gcsError(503, "backendError", "Backend Error")),
    handle: (op, req) => {
      const m = route(req);
      if (!m) return gcsError(404, "notFound", `Not Found: ${req.url.pathname}`);
      const name = decodeURIComponent(m[2]!);
      const bucket = buckets.get(name);
      if (!bucket) return gcsError(404, "notFound", "The specified bucket does not exist.");
      const q = req.url.searchParams;
      switch (op) {
        case "list": {
          const prefix = q.get("prefix") ?? "";
          const all = q.get("versions") === "true" ? bucket.allVersions(prefix).filter((v) => !v.deleteMarker) : bucket.currentObjects(prefix);
          const start = pageToken.decode(q.get("pageToken"));
          const size = Math.min(maxPage, Number(q.get("maxResults") ?? 1000));
          const page = all.slice(start, start + size);
          const next = start + size < all.length ? pageToken.encode(start + size) : undefined;
          return json({ kind: "storage#objects", items: page.map((v) => resource(name, v)), ...(next ? { nextPageToken: next } : {}) });
        }
        case "get":
        case "download": {
          const key = decodeURIComponent(m[3]!);
          const generation = q.get("generation");
          const v = generation ? bucket.versions.find((x) => x.key === key && x.id === generation && !x.deleteMarker) : bucket.current(key);
          if (!v) return gcsError(404, "notFound", `No such object: ${name}/${key}`);
          if (op === "get") return json(resource(name, v));
          return {
            status: 200,
            headers: {
              "content-type": "application/octet-stream",
              "x-goog-generation": v.id,
              "x-goog-hash": `crc32c=${crc32c(v.body)},md5=${Buffer.from(v.md5, "hex").toString("base64")}`,
              "x-goog-stored-content-encoding": "identity",
              "x-goog-stored-content-length": String(v.body.length),
            },
            body: v.body,
          };
        }
        case "upload": {
          if (q.get("uploadType") !== "multipart") return gcsError(400, "invalid", `the fake supports uploadType=multipart only, got ${q.get("uploadType")}`);
          const [metaPart, media] = multipartParts(req);
          if (!metaPart || !media) return gcsError(400, "invalid", "multipart upload needs a metadata part and a media part");
          const metadata = JSON.parse(metaPart.toString("utf8") || "{}") as { name?: string; md5Hash?: string };
          const key = q.get("name") ?? metadata.name;
          if (!key) return gcsError(400, "required", "Required: object name");
          const md5 = (h: Buffer) => createHash("md5").update(h).digest("base64");
          if (metadata.md5Hash && metadata.md5Hash !== md5(media)) return gcsError(400, "invalid", "Provided MD5 hash does not match calculated MD5 hash.");
          const ifGenerationMatch = q.get("ifGenerationMatch");
          if (ifGenerationMatch !== null && (bucket.current(key)?.id ?? "0") !== ifGenerationMatch) return gcsError(412, "conditionNotMet", "At least one of the pre-conditions you specified did not hold.");
          const v = bucket.put(key, Buffer.from(media), fake.now);
          fake.uploads.set(`${name}/${key}`, (fake.uploads.get(`${name}/${key}`) ?? 0) + 1);
          return json(resource(name, v));
        }
        case "resumable-start": {
          const metadata = JSON.parse(req.body.toString("utf8") || "{}") as { name?: string; md5Hash?: string };
          const key = q.get("name") ?? metadata.name;
          if (!key) return gcsError(400, "required", "Required: object name");
          sessionCounter += 1;
          const uploadId = `session-${sessionCounter}`;
          fake.sessions.set(uploadId, { bucket: name, key, ...(metadata.md5Hash ? { md5Hash: metadata.md5Hash } : {}), held: Buffer.alloc(0) });
          const location = new URL(req.url.pathname, fake.url);
          location.search = new URLSearchParams({ uploadType: "resumable", name: key, upload_id: uploadId }).toString();
          return { status: 200, headers: { location: location.toString() }, body: "" };
        }
        case "resumable-chunk": {
          const session = fake.sessions.get(q.get("upload_id") ?? "");
          if (!session || session.bucket !== name) return gcsError(404, "notFound", "No such upload session (it completed, or expired after a week).");
          const range = /^bytes (?:(\d+)-(\d+)|\*)\/(\d+|\*)$/.exec(String(req.headers["content-range"] ?? ""));
          if (!range) return gcsError(400, "invalid", `Content-Range must be "bytes FIRST-LAST/TOTAL" or "bytes */TOTAL", got ${JSON.stringify(req.headers["content-range"])}`);
          if (range[1] !== undefined) {
            const first = Number(range[1]);
            const last = Number(range[2]);
            if (last - first + 1 !== req.body.length) return gcsError(400, "invalid", `Content-Range covers ${last - first + 1} bytes, the body has ${req.body.length}`);
            if (first > session.held.length) return gcsError(400, "invalid", `chunk starts at ${first}, the session holds ${session.held.length} bytes`);
            session.held = Buffer.concat([session.held, req.body.subarray(session.held.length - first)]);
          }
          const total = range[3] === "*" ? undefined : Number(range[3]);
          if (total === undefined || session.held.length < total) {
            return { status: 308, headers: session.held.length > 0 ? { range: `bytes=0-${session.held.length - 1}` } : {}, body: "" };
          }
          if (session.held.length !== total) return gcsError(400, "invalid", `the session holds ${session.held.length} bytes, more than the declared total ${total}`);
          const md5 = createHash("md5").update(session.held).digest("base64");
          const sentMd5 = /(?:^|,)md5=([^,]+)/.exec(String(req.headers["x-goog-hash"] ?? ""))?.[1];
          if ((session.md5Hash && session.md5Hash !== md5) || (sentMd5 && sentMd5 !== md5)) return gcsError(400, "invalid", "Provided MD5 hash does not match calculated MD5 hash.");
          fake.sessions.delete(q.get("upload_id")!);
          const v = bucket.put(session.key, session.held, fake.now);
          fake.uploads.set(`${name}/${session.key}`, (fake.uploads.get(`${name}/${session.key}`) ?? 0) + 1);
          return json(resource(name, v));
        }
      }
      return gcsError(400, "invalid", `the fake does not implement ${req.method} ${req.url.pathname}`);
    },
  })) as FakeGcs;
  fake.now = new Date("2026-11-01T00:00:00Z");
  fake.uploads = new Map();
  fake.sessions = new Map();
  // Generations are microsecond timestamps in GCS; any increasing number serves.
  fake.bucket = (name, opts = {}) => {
    const store = new VersionedBucket(opts.versioned ?? false, (n) => String(1_700_000_000_000_000 + n));
    buckets.set(name, store);
    return store;
  };
  return fake;
}
