/**
 * Plumbing shared by the object-storage fakes (./s3.ts, ./gcs.ts): a loopback HTTP server whose
 * bodies are bytes (objects are binary; ./http.ts carries text), fault rules matched per request
 * (a throttle or a reset on the second LIST, every PUT failing from the fourth on), and a
 * versioned in-memory bucket model with an injected clock. The wire protocols are in the fakes.
 */
import { createHash } from "node:crypto";
import * as http from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface BinaryRequest {
  method: string;
  url: URL;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface BinaryResponse {
  status: number;
  headers?: Record<string, string>;
  body?: Buffer | string;
}

/** `throttle` and `server` are rendered in the API's own error format; `reset` drops the connection. */
export type StoreFault = "throttle" | "server" | "reset";

export interface FaultRule {
  /** Which requests it applies to (`op` is the fake's name for the operation: list, get, put ...). */
  match: (op: string, req: BinaryRequest) => boolean;
  fault: StoreFault;
  /** How many matching requests it fails (Infinity: until removed). */
  times: number;
}

export interface BinaryServer {
  url: string;
  requests: Array<{ op: string; method: string; url: URL; headers: http.IncomingHttpHeaders; at: number; fault?: StoreFault }>;
  faults: FaultRule[];
  close(): Promise<void>;
}

export interface BinaryOptions {
  /** Names the operation of a request, for fault rules and counts. */
  operation: (req: BinaryRequest) => string;
  handle: (op: string, req: BinaryRequest) => BinaryResponse;
  renderFault: (fault: "throttle" | "server") => BinaryResponse;
}

export async function startBinaryServer(options: BinaryOptions): Promise<BinaryServer> {
  const sockets = new Set<Socket>();
  const state: BinaryServer = { url: "", requests: [], faults: [], close: async () => {} };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const request: BinaryRequest = { method: req.method ?? "GET", url: new URL(req.url ?? "/", state.url), headers: req.headers, body: Buffer.concat(chunks) };
      const op = options.operation(request);
      const rule = state.faults.find((r) => r.times > 0 && r.match(op, request));
      state.requests.push({ op, method: request.method, url: request.url, headers: request.headers, at: Date.now(), ...(rule ? { fault: rule.fault } : {}) });
      let response: BinaryResponse;
      if (rule) {
        rule.times -= 1;
        if (rule.fault === "reset") return void req.socket.destroy();
        response = options.renderFault(rule.fault);
      } else {
        try {
          response = options.handle(op, request);
        } catch (err) {
          response = { status: 500, body: `fake failed: ${String(err)}` };
        }
      }
      const body = response.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(response.body) ? response.body : Buffer.from(response.body);
      res.writeHead(response.status, { "content-length": String(body.length), ...response.headers });
      res.end(request.method === "HEAD" ? undefined : body);
    });
  });
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return state;
}

/** One stored version of an object (or a delete marker). */
export interface StoredVersion {
  key: string;
  /** S3 version id, or GCS generation. */
  id: string;
  body: Buffer;
  md5: string;
  written: Date;
  /** When it stopped being current (replaced or deleted). */
  noncurrentSince?: Date;
  deleteMarker?: boolean;
}

/** A bucket: every version ever written, in order; the current one of a key is its last. */
export class VersionedBucket {
  readonly versions: StoredVersion[] = [];
  private counter = 0;

  constructor(
    readonly versioned: boolean,
    private readonly newId: (n: number) => string,
  ) {}

  current(key: string): StoredVersion | undefined {
    const last = this.versions.filter((v) => v.key === key).at(-1);
    return last && !last.deleteMarker && !last.noncurrentSince ? last : undefined;
  }

  put(key: string, body: Buffer, at: Date): StoredVersion {
    const previous = this.versions.filter((v) => v.key === key && !v.noncurrentSince);
    if (this.versioned) previous.forEach((v) => (v.noncurrentSince = at));
    else this.versions.splice(0, this.versions.length, ...this.versions.filter((v) => v.key !== key));
    this.counter += 1;
    const version: StoredVersion = { key, id: this.newId(this.counter), body, md5: createHash("md5").update(body).digest("hex"), written: at };
    this.versions.push(version);
    return version;
  }

  /** Deletes the current object: a versioned bucket keeps it as noncurrent (S3 adds a delete marker). */
  delete(key: string, at: Date, marker: boolean): void {
    if (!this.versioned) {
      this.versions.splice(0, this.versions.length, ...this.versions.filter((v) => v.key !== key));
      return;
    }
    this.versions.filter((v) => v.key === key && !v.noncurrentSince).forEach((v) => (v.noncurrentSince = at));
    if (marker) {
      this.counter += 1;
      this.versions.push({ key, id: this.newId(this.counter), body: Buffer.alloc(0), md5: "", written: at, deleteMarker: true });
    }
  }

  /** Current objects, sorted by key. */
  currentObjects(prefix: string): StoredVersion[] {
    const keys = [...new Set(this.versions.map((v) => v.key))].filter((k) => k.startsWith(prefix)).sort();
    return keys.map((k) => this.current(k)).filter((v): v is StoredVersion => v !== undefined);
  }

  /** Every version, sorted by key, newest first within a key. */
  allVersions(prefix: string): StoredVersion[] {
    return this.versions
      .filter((v) => v.key.startsWith(prefix))
      .map((v, i) => ({ v, i }))
      .sort((a, b) => (a.v.key < b.v.key ? -1 : a.v.key > b.v.key ? 1 : b.i - a.i))
      .map(({ v }) => v);
  }
}
