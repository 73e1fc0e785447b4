/**
 * Shared plumbing of the Google REST fakes (the client libraries' `fallback: true` transport):
 * errors in the google.rpc.Status JSON shape with the HTTP status the REST gateway uses, and the
 * authentication check (an API key header, or a bearer token).
 */
import type { FakeResponse, FakeRequest } from "./http";

const STATUS_NAME: Readonly<Record<number, string>> = { 400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED", 404: "NOT_FOUND", 429: "RESOURCE_EXHAUSTED", 500: "INTERNAL", 503: "UNAVAILABLE" };

export function googleError(code: number, message: string): FakeResponse {
  return { status: code, body: JSON.stringify({ error: { code, message, status: STATUS_NAME[code] ?? "UNKNOWN" } }) };
}

export function googleFault(fault: "throttle" | "server" | "malformed"): FakeResponse {
  if (fault === "throttle") return googleError(429, "Quota exceeded for quota metric 'Read requests'.");
  if (fault === "server") return googleError(503, "The service is currently unavailable.");
  return { status: 200, body: '{"skus": [{"name": ' };
}

/** The key or token a request authenticated with, or undefined. */
export function googleAuth(req: FakeRequest): string | undefined {
  const key = req.headers["x-goog-api-key"];
  if (typeof key === "string" && key) return `key:${key}`;
  const bearer = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ""))?.[1];
  return bearer ? `token:${bearer}` : undefined;
}
