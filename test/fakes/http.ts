/**
 * A loopback HTTP(S) server for fakes of cloud APIs. Each API fake (./aws-*.ts, ./azure-*.ts,
 * ./gcp-*.ts) supplies a handler that speaks the API's wire protocol and a renderer for injected
 * faults in that protocol's own error format; this helper does the plumbing: listen on 127.0.0.1
 * only, record requests, and play queued faults (throttle, 5xx, hang, malformed body, reset) on the
 * next requests before the handler answers.
 */
import * as http from "node:http";
import * as https from "node:https";
import type { AddressInfo, Socket } from "node:net";

export type Fault = "throttle" | "server" | "hang" | "malformed" | "reset";

export interface FakeRequest {
  method: string;
  url: URL;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface FakeResponse {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

export interface FakeServer {
  /** Base URL, e.g. http://127.0.0.1:40123 */
  url: string;
  requests: FakeRequest[];
  /** Queues faults, one per coming request, before normal answers resume. */
  failNext(...faults: Fault[]): void;
  /** Makes every request fail with `fault` until cleared with `failAlways(undefined)`. */
  failAlways(fault: Fault | undefined): void;
  close(): Promise<void>;
}

export interface FakeOptions {
  handle: (req: FakeRequest, base: string) => FakeResponse | Promise<FakeResponse>;
  /** The API's own rendering of a throttle, server error or malformed body. */
  renderFault: (fault: "throttle" | "server" | "malformed") => FakeResponse;
  /** PEM key and certificate to serve HTTPS (Azure's bearer-token policy refuses plain http). */
  tls?: { key: string; cert: string };
}

export async function startFake(options: FakeOptions): Promise<FakeServer> {
  const requests: FakeRequest[] = [];
  const queued: Fault[] = [];
  let always: Fault | undefined;
  const sockets = new Set<Socket>();
  let base = "";

  const listener = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const request: FakeRequest = { method: req.method ?? "GET", url: new URL(req.url ?? "/", base), headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
      requests.push(request);
      const fault = queued.shift() ?? always;
      if (fault === "hang") return; // never answer; the client's timeout must fire
      if (fault === "reset") return void req.socket.destroy();
      Promise.resolve(fault ? options.renderFault(fault) : options.handle(request, base)).then(
        (r) => {
          res.writeHead(r.status, { "content-type": "application/json", ...r.headers });
          res.end(r.body);
        },
        (err: unknown) => {
          res.writeHead(500, { "content-type": "text/plain" });
          res.end(`fake failed: ${String(err)}`);
        },
      );
    });
  };

  const server = options.tls ? https.createServer({ key: options.tls.key, cert: options.tls.cert }, listener) : http.createServer(listener);
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  server.on("secureConnection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `${options.tls ? "https" : "http"}://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: base,
    requests,
    failNext: (...faults) => queued.push(...faults),
    failAlways: (fault) => {
      always = fault;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Opaque page tokens: the offset of the next item, as real APIs hand out opaque strings. */
export const pageToken = {
  encode: (offset: number): string => Buffer.from(`offset:${offset}`).toString("base64url"),
  decode: (token: string | null | undefined): number => {
    if (!token) return 0;
    const m = /^offset:(\d+)$/.exec(Buffer.from(token, "base64url").toString("utf8"));
    if (!m) throw new Error(`bad page token ${token}`);
    return Number(m[1]);
  },
};

/** One page of `items` from `offset`, with the next offset or undefined at the end. */
export function pageOf<T>(items: readonly T[], offset: number, size: number): { page: T[]; next: number | undefined } {
  const page = items.slice(offset, offset + size);
  const next = offset + size < items.length ? offset + size : undefined;
  return { page, next };
}
