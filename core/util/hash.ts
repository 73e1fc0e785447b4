/** Canonical JSON and content hashes: the identity of specs and plans, stable across key order. */
import { createHash } from "node:crypto";

/** JSON with object keys sorted at every level; arrays keep their order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/** `sha256:<hex>` of a versioned canonical form (bump the version when the form changes meaning). */
export function contentHash(kind: string, version: number, value: unknown): string {
  return `sha256:${createHash("sha256").update(`${kind}/v${version}\n${canonicalJson(value)}`).digest("hex")}`;
}
