/**
 * Corporate proxies for the live calls: `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY` (and their
 * lower-case forms), honoured only when one of the proxy variables is set, so that without them
 * nothing changes (no extra package is even loaded).
 *
 * One rule decides for every client we wire, the one undici's EnvHttpProxyAgent applies: an https
 * target goes through `https_proxy` / `HTTPS_PROXY`, else `http_proxy` / `HTTP_PROXY`; an http
 * target through `http_proxy` / `HTTP_PROXY` only; `NO_PROXY` is a list (commas or spaces) of host
 * names, each also covering its subdomains (`example.com`, `.example.com` and `*.example.com`
 * alike), optionally with `:port`, or `*` for everything. (Azure's pipeline applies its own, close
 * rule: HTTPS_PROXY, else HTTP_PROXY, for every target; NO_PROXY names match exactly, `.example.com`
 * also covers subdomains; read once per process.)
 *
 * Which clients need us: Node's global fetch (Azure Retail Prices, ./http.ts) reads no proxy
 * variable, so `proxiedFetch` uses undici's own fetch with an EnvHttpProxyAgent passed per call
 * (never the global dispatcher: the component runs inside the user's Pulumi program, whose own
 * fetches are not ours to reroute). The AWS SDK reads none either: `proxyAgents` gives its
 * NodeHttpHandler http(s) agents that tunnel through the proxy (https-proxy-agent) or connect
 * directly, per request. Google's REST transport (google-gax `fallback`) passes its own keep-alive
 * agent to gaxios, which then skips its own proxy support, so the GCP clients use the same agents
 * (clouds/gcp). Azure's SDK pipeline (@azure/core-rest-pipeline) reads the variables itself.
 */
import * as http from "node:http";
import * as https from "node:https";
import { LiveSourceError } from "./errors";

type Env = NodeJS.ProcessEnv;

const HTTPS_NAMES = ["https_proxy", "HTTPS_PROXY"] as const;
const HTTP_NAMES = ["http_proxy", "HTTP_PROXY"] as const;

/** The first of `names` set to a non-empty value, with its name. */
function firstSet(env: Env, names: readonly string[]): { name: string; value: string } | undefined {
  for (const name of names) {
    const value = env[name]?.trim();
    if (value) return { name, value };
  }
  return undefined;
}

/** True when any proxy variable is set: only then does anything in this module change a request. */
export function proxyConfigured(env: Env = process.env): boolean {
  return firstSet(env, [...HTTPS_NAMES, ...HTTP_NAMES]) !== undefined;
}

/** The proxy variable's value as a URL; one that is not an http(s) URL fails the provider naming the variable. */
function proxyUrl(found: { name: string; value: string }): string {
  let url: URL | undefined;
  try {
    url = new URL(found.value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) {
    const shown = found.value.length > 80 ? `${found.value.slice(0, 80)}... (${found.value.length} characters)` : found.value;
    throw new LiveSourceError("rejected", `${found.name} is not an http(s) proxy URL (e.g. http://proxy.example.com:3128): ${JSON.stringify(shown)}`);
  }
  return found.value;
}

/** True when NO_PROXY (or no_proxy) covers the host and port of `target`. */
export function bypassesProxy(target: URL, env: Env = process.env): boolean {
  const list = (env.no_proxy ?? env.NO_PROXY ?? "").trim();
  if (list === "") return false;
  if (list === "*") return true;
  const host = target.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  const port = Number(target.port) || (target.protocol === "https:" ? 443 : 80);
  for (const entry of list.split(/[,\s]+/)) {
    if (!entry) continue;
    const m = /^(.+):(\d+)$/.exec(entry);
    const name = (m ? m[1]! : entry).replace(/^\*?\./, "").replace(/^\[|\]$/g, "").toLowerCase();
    if (m && Number(m[2]) !== port) continue;
    if (host === name || host.endsWith(`.${name}`)) return true;
  }
  return false;
}

/** The proxy a request to `target` goes through, or undefined for a direct connection. */
export function proxyFor(target: URL | string, env: Env = process.env): string | undefined {
  const url = typeof target === "string" ? new URL(target) : target;
  const found = firstSet(env, url.protocol === "https:" ? [...HTTPS_NAMES, ...HTTP_NAMES] : HTTP_NAMES);
  if (!found) return undefined;
  const proxy = proxyUrl(found);
  return bypassesProxy(url, env) ? undefined : proxy;
}

const PROXY_VARIABLES = [...HTTPS_NAMES, ...HTTP_NAMES, "no_proxy", "NO_PROXY"] as const;
const stateOf = (env: Env): string => JSON.stringify(PROXY_VARIABLES.map((n) => env[n] ?? null));

let dispatcher: { state: string; agent: import("undici").Dispatcher } | undefined;

/**
 * `fetch`, through the proxy the environment names for `url` when one is set (undici's fetch
 * with an EnvHttpProxyAgent for this call), else Node's global fetch unchanged.
 */
export async function proxiedFetch(url: string, init: RequestInit): Promise<Response> {
  if (!proxyConfigured()) return fetch(url, init);
  proxyFor(url); // a malformed variable fails here, naming it
  const undici = require("undici") as typeof import("undici");
  const state = stateOf(process.env);
  if (dispatcher?.state !== state) {
    const httpsProxy = firstSet(process.env, [...HTTPS_NAMES, ...HTTP_NAMES]);
    const httpProxy = firstSet(process.env, HTTP_NAMES);
    // The values this module resolved, so that undici applies exactly the rule above.
    dispatcher = {
      state,
      agent: new undici.EnvHttpProxyAgent({
        ...(httpsProxy ? { httpsProxy: httpsProxy.value } : {}),
        ...(httpProxy ? { httpProxy: httpProxy.value } : {}),
        noProxy: process.env.no_proxy ?? process.env.NO_PROXY ?? "",
      }),
    };
  }
  return (await undici.fetch(url, { ...(init as import("undici").RequestInit), dispatcher: dispatcher.agent })) as unknown as Response;
}

/** Node http(s) agents for SDKs that take them (the AWS SDK's NodeHttpHandler, gaxios). */
export interface ProxyAgents {
  httpAgent: http.Agent;
  httpsAgent: https.Agent;
}

type HttpsProxyAgentClass = new (proxy: string, options?: http.AgentOptions) => http.Agent;

/**
 * Loaded when a proxy is set, not at import (a plan without a proxy never loads it). Version 7:
 * CommonJS, so require() works on every Node 20 (version 9 is an ES module, which require() loads
 * only from Node 20.19).
 */
function loadHttpsProxyAgent(): HttpsProxyAgentClass {
  return (require("https-proxy-agent") as typeof import("https-proxy-agent")).HttpsProxyAgent as unknown as HttpsProxyAgentClass;
}

/** `addRequest` is how Node's ClientRequest hands a request to its agent (what agent-base delegates with, too). */
type AddRequest = (req: http.ClientRequest, options: Record<string, unknown>) => void;

/**
 * Agents that send each request through the proxy `proxyFor` names for its host (a CONNECT
 * tunnel, TLS inside it for https), or straight to the host when NO_PROXY covers it. Undefined
 * when no proxy variable is set: the SDK keeps its own agents.
 */
export function proxyAgents(env: Env = process.env): ProxyAgents | undefined {
  if (!proxyConfigured(env)) return undefined;
  // A malformed variable fails the provider here, naming it, before any request.
  for (const names of [HTTPS_NAMES, HTTP_NAMES]) {
    const found = firstSet(env, names);
    if (found) proxyUrl(found);
  }
  const state = stateOf(env);
  if (env === process.env && agents?.state === state) return agents.agents;
  const made = makeProxyAgents(env);
  if (env === process.env) agents = { state, agents: made };
  return made;
}

/** The agents for the current variables, reused (with their kept-alive connections) until a variable changes. */
let agents: { state: string; agents: ProxyAgents } | undefined;

function makeProxyAgents(env: Env): ProxyAgents {
  const HttpsProxyAgent = loadHttpsProxyAgent();
  const tunnels = new Map<string, http.Agent>();
  const tunnel = (proxy: string): http.Agent => {
    const known = tunnels.get(proxy);
    if (known) return known;
    const agent = new HttpsProxyAgent(proxy, { keepAlive: true });
    tunnels.set(proxy, agent);
    return agent;
  };
  const route = <A extends http.Agent>(direct: A, secure: boolean): A => {
    const addRequest: AddRequest = (req, options) => {
      const host = String(options.hostname ?? options.host ?? "localhost");
      const target = new URL(`${secure ? "https" : "http"}://${host.includes(":") ? `[${host}]` : host}${options.port ? `:${String(options.port)}` : ""}`);
      let proxy: string | undefined;
      try {
        proxy = proxyFor(target, env);
      } catch (err) {
        req.destroy(err as Error);
        return;
      }
      const agent = proxy ? tunnel(proxy) : direct;
      (agent as unknown as { addRequest: AddRequest }).addRequest(req, { ...options, secureEndpoint: secure });
    };
    // The routing agent keeps `direct`'s protocol and default port (Node checks them); only the socket source changes.
    return Object.assign(Object.create(direct) as A, { addRequest });
  };
  return {
    httpAgent: route(new http.Agent({ keepAlive: true }), false),
    httpsAgent: route(new https.Agent({ keepAlive: true }), true),
  };
}
