/**
 * Policy configuration: each policy declares its parameters as a JSON schema with defaults (what
 * `pulumi preview --policy-pack-config FILE` is validated against), and reads them through
 * `configOf`, which applies the same defaults, so a policy behaves the same whether or not the
 * engine filled them in.
 */
import type { PolicyConfigSchema } from "@pulumi/policy";

/** The schema's defaults under what the engine handed over. */
export function configOf<T extends object>(schema: PolicyConfigSchema, given: Partial<T>): T {
  const defaults = Object.fromEntries(Object.entries(schema.properties).filter(([, p]) => p.default !== undefined).map(([k, p]) => [k, p.default]));
  return { ...defaults, ...given } as T;
}
