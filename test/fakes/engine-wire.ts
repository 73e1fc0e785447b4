/**
 * Property values as they travel between the Pulumi engine, language SDKs and providers: a
 * protobuf Struct whose special values are objects tagged with a signature key (the wire format of
 * sdk/go/common/resource/properties.go, mirrored by @pulumi/pulumi runtime/rpc.js). The fake
 * engine (./engine.ts) encodes Construct inputs with these, exactly as the engine forwards what
 * Pulumi YAML and Python programs send, and tests decode recorded registrations with them.
 */
import * as rpc from "@pulumi/pulumi/runtime/rpc";

const SIG = rpc.specialSigKey;

/** The unknown value of a preview (a computed output not known yet), as a plain property. */
export const UNKNOWN = rpc.unknownValue;

/** A secret (engines and SDKs that accept secrets; Construct always does). */
export function secret(value: unknown): Record<string, unknown> {
  return { [SIG]: rpc.specialSecretSig, value };
}

/** A reference to a resource: its URN, and for custom resources (providers too) its id ("" when unknown). */
export function resourceRef(urn: string, id?: string, packageVersion?: string): Record<string, unknown> {
  return { [SIG]: rpc.specialResourceSig, urn, ...(id !== undefined ? { id } : {}), ...(packageVersion ? { packageVersion } : {}) };
}

/**
 * An output value (the engine keeps them for Construct when the provider accepts outputs, as the
 * Node.js provider server does): a value (absent = unknown), its secretness and the URNs of the
 * resources it came from.
 */
export function outputValue(options: { value?: unknown; secret?: boolean; dependencies?: string[] }): Record<string, unknown> {
  return {
    [SIG]: rpc.specialOutputValueSig,
    ...("value" in options && options.value !== undefined ? { value: options.value } : {}),
    ...(options.secret ? { secret: true } : {}),
    ...(options.dependencies?.length ? { dependencies: options.dependencies } : {}),
  };
}

export function isSecret(value: unknown): boolean {
  return typeof value === "object" && value !== null && (value as Record<string, unknown>)[SIG] === rpc.specialSecretSig;
}

/** The plain value inside a recorded property: secrets and output values unwrapped, deeply. */
export function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value !== "object" || value === null) return value;
  const record = value as Record<string, unknown>;
  const sig = record[SIG];
  if (sig === rpc.specialSecretSig || sig === rpc.specialOutputValueSig) return plain(record.value);
  if (sig === rpc.specialResourceSig) return record.urn;
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, plain(v)]));
}

/** Every secret in a recorded property, by path (`a.b[0]`); a secret output value counts. */
export function secretPaths(value: unknown, path = ""): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => secretPaths(v, `${path}[${i}]`));
  if (typeof value !== "object" || value === null) return [];
  const record = value as Record<string, unknown>;
  if (record[SIG] === rpc.specialSecretSig || (record[SIG] === rpc.specialOutputValueSig && record.secret === true)) return [path];
  return Object.entries(record).flatMap(([k, v]) => secretPaths(v, path ? `${path}.${k}` : k));
}
