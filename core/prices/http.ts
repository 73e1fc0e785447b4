/**
 * A JSON GET over fetch with the failure kinds of ./errors.ts, for the public REST APIs that have
 * no SDK (Azure Retail Prices). Statuses map to kinds, Retry-After is passed on, and a body that is
 * not JSON is "malformed". Credentials never go through here.
 */
import { LiveSourceError, kindOfStatus, retryAfterSeconds } from "./errors";
import { proxiedFetch } from "./proxy";

export async function getJson(url: string, signal: AbortSignal): Promise<unknown> {
  // Through HTTPS_PROXY when set: Node's global fetch reads no proxy variable (./proxy.ts).
  const response = await proxiedFetch(url, { signal, headers: { accept: "application/json" } });
  const text = await response.text();
  if (!response.ok) {
    throw new LiveSourceError(kindOfStatus(response.status), `HTTP ${response.status}${text ? `: ${text.slice(0, 120)}` : ""}`, retryAfterSeconds(response.headers.get("retry-after")));
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new LiveSourceError("malformed", `response is not JSON: ${JSON.stringify(text.slice(0, 60))}`);
  }
}
