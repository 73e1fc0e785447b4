/**
 * What the policies need to know about any resource of a stack, whoever created it (a component's
 * child or a resource declared directly in the program): its cloud, its region, its tags, the
 * component it belongs to, and one message format naming the resource, the rule and the fix.
 *
 * Policies see resources as the Pulumi engine hands them over: a type token, a name, a URN and
 * plain props (inputs for resource policies, outputs for stack policies), plus the provider's
 * props and, in a stack policy, the parent and dependencies. Props from the engine are wrapped in
 * @pulumi/policy's unknown-checking proxy: reading a value that is unknown at preview throws its
 * `UnknownValueError` (see `whenKnown`).
 */
import * as policy from "@pulumi/policy";

/** The fields every policy reads: common to `ResourceValidationArgs` and `PolicyResource`. */
export interface StackResource {
  type: string;
  name: string;
  urn: string;
  props: Record<string, any>;
  provider?: { props: Record<string, any> };
  parent?: StackResource;
  dependencies?: StackResource[];
  propertyDependencies?: Record<string, StackResource[]>;
}

/** Component tokens (the same in the library and the plugin). */
export const WORKLOAD_TYPE = "multicloud:index:MultiCloudWorkload";
export const BACKUP_TYPE = "multicloud:index:CrossCloudBackup";

/** The cloud (as the package names it) whose provider manages a type, or undefined (a component, a random, ...). */
export function cloudOf(type: string): string | undefined {
  const pkg = type.split(":")[0];
  if (pkg === "aws") return "aws";
  if (pkg === "azure-native") return "azure";
  if (pkg === "gcp") return "gcp";
  return undefined;
}

/** Provider resources themselves (`pulumi:providers:aws`) are configuration, not cloud resources. */
export function isProvider(type: string): boolean {
  return type.startsWith("pulumi:providers:");
}

/** A flag the providers accept as boolean or as the strings "true"/"false" (EC2 launch templates take strings). */
export function isTrue(value: unknown): boolean {
  return value === true || value === "true";
}

/** Closest ancestor of the given component type (by the engine's parent links), if any. */
export function ownerOf(resource: StackResource, componentType: string): StackResource | undefined {
  for (let p = resource.parent; p; p = p.parent) if (p.type === componentType) return p;
  return undefined;
}

/**
 * `"web-aws-us-east-1" (aws:ec2/launchTemplate:LaunchTemplate): <problem>. Rule: <rule>. Fix: <fix>`.
 * Every violation reads the same way: which resource, what the rule is, and what to change.
 */
export function violation(resource: Pick<StackResource, "name" | "type">, problem: string, rule: string, fix: string): string {
  return `"${resource.name}" (${resource.type}): ${problem}. Rule: ${rule}. Fix: ${fix}`;
}

/**
 * Runs `read` unless it reads a value the engine does not know yet (at preview, an id computed on
 * create): then returns `fallback`. A stack policy uses it per resource, so that one unknown value
 * does not keep the policy from checking every other resource.
 */
export function whenKnown<T>(read: () => T, fallback: T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof (policy as unknown as { UnknownValueError: new (...a: unknown[]) => Error }).UnknownValueError) return fallback;
    throw err;
  }
}

/** Records from a list (`[{...}]`), a single record, or nothing. */
export function records(value: unknown): Record<string, any>[] {
  if (Array.isArray(value)) return value.filter((v): v is Record<string, any> => v !== null && typeof v === "object");
  if (value !== null && typeof value === "object") return [value as Record<string, any>];
  return [];
}

/** Resources that name `target` in one of `properties` (by the engine's property dependencies). */
export function dependsThrough(resource: StackResource, target: StackResource, properties: readonly string[]): boolean {
  return properties.some((p) => (resource.propertyDependencies?.[p] ?? []).some((d) => d.urn === target.urn));
}

/**
 * Whether an object has a field at all, without reading its value: an address id the engine does
 * not know yet (at preview) still says the field is set. (The unknown-checking proxy traps reads only.)
 */
export function has(value: unknown, field: string): boolean {
  return value !== null && typeof value === "object" && Object.prototype.hasOwnProperty.call(value, field);
}
