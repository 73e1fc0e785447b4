/**
 * A loopback forward proxy, as a corporate HTTPS_PROXY would be: `CONNECT host:port` opens a TCP
 * tunnel (what every client uses for https targets, TLS running end to end inside it), and an
 * absolute-URI request (`GET http://host:port/path`) is forwarded (what some clients use for http
 * targets). It reaches loopback targets only and refuses anything else with 403, so a test sees
 * any client that tries to leave the machine. It counts what it carried, by target.
 *
 * And a TLS front for the plain-http API fakes (./http.ts): the real endpoints are https, and a
 * proxy only tunnels what it cannot read, so the proxy tests point the endpoint variables at an
 * https front (the loopback certificate of ./tls) that passes each request to the fake unchanged.
 */
import * as http from "node:http";
import * as https from "node:https";
import * as net from "node:net";
import type { AddressInfo, Socket } from "node:net";
import { LOOPBACK_TLS } from "./azure-arm";

export interface FakeProxy {
  /** e.g. http://127.0.0.1:40123 */
  url: string;
  /** `host:port` of every CONNECT tunnel opened, in order. */
  tunnels: string[];
  /** Absolute URIs of every plain-http request forwarded. */
  forwarded: string[];
  /** Targets refused (not loopback). */
  refused: string[];
  close(): Promise<void>;
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

/** Tracks open sockets so that close() ends kept-alive connections too. */
function tracked(server: net.Server): Set<Socket> {
  const sockets = new Set<Socket>();
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  return sockets;
}

function closer(server: net.Server, sockets: Set<Socket>): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
}

export async function startProxyFake(): Promise<FakeProxy> {
  const tunnels: string[] = [];
  const forwarded: string[] = [];
  const refused: string[] = [];
  const server = http.createServer((req, res) => {
    // Plain-http forwarding: the request line carries the absolute URI.
    let target: URL;
    try {
      target = new URL(req.url ?? "");
    } catch {
      res.writeHead(400).end("proxy: expected an absolute URI");
      return;
    }
    if (target.protocol !== "http:" || !LOOPBACK.has(target.hostname)) {
      refused.push(target.host);
      res.writeHead(403).end("proxy: loopback targets only");
      return;
    }
    forwarded.push(target.href);
    const upstream = http.request(target, { method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  });
  const sockets = tracked(server);
  server.on("connect", (req: http.IncomingMessage, client: Socket, head: Buffer) => {
    const authority = req.url ?? "";
    const m = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(authority);
    if (!m || !LOOPBACK.has(m[1]!)) {
      refused.push(authority);
      client.end("HTTP/1.1 403 Forbidden\r\n\r\n");
      return;
    }
    tunnels.push(authority);
    const upstream = net.connect(Number(m[2]), m[1]!.replace(/^\[|\]$/g, ""), () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on("close", () => sockets.delete(upstream));
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, tunnels, forwarded, refused, close: closer(server, sockets) };
}

export interface TlsFront {
  /** e.g. https://127.0.0.1:40124 */
  url: string;
  /** `host:port` of the front, as a CONNECT request names it. */
  authority: string;
  close(): Promise<void>;
}

/** An https server with the loopback certificate passing every request on to the plain-http fake at `target`. */
export async function startTlsFront(target: string): Promise<TlsFront> {
  const server = https.createServer({ key: LOOPBACK_TLS.key, cert: LOOPBACK_TLS.cert }, (req, res) => {
    const upstream = http.request(new URL(req.url ?? "/", target), { method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  });
  const sockets = tracked(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const authority = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url: `https://${authority}`, authority, close: closer(server, sockets) };
}
