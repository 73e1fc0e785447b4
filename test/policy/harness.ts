/**
 * Runs the pack's policies the way the engine does (the @pulumi/policy analyzer server, server.js):
 * props deserialized to plain JSON and wrapped in the SDK's own unknown-checking proxy, resource
 * policies given one resource's inputs with its provider, stack policies given every resource with
 * parent and dependency links resolved to resource objects, `getConfig` returning the policy's
 * config from the pack config file (as given, defaults left to the policy), and every
 * `reportViolation` call collected.
 */
import type { PolicyResource, ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";

// The SDK's own proxy and unknown sentinels (not in its typings): what the analyzer wraps props in.
const proxy = require("@pulumi/policy/proxy") as { unknownCheckingProxy<T>(v: T): T; unknownStringValue: string; unknownObjectValue: string };

/** A value the engine does not know at preview (an id computed on create). */
export const UNKNOWN = proxy.unknownStringValue;

export interface TestResource {
  type: string;
  name: string;
  props: Record<string, unknown>;
  /** Parent resource (a component, for its children). */
  parent?: TestResource;
  /** The provider's props (its region, default tags). */
  provider?: Record<string, unknown>;
  /** Per property, the resources its value came from (`bucket: bucket.id`). */
  propertyDependencies?: Record<string, TestResource[]>;
}

export function resource(type: string, name: string, props: Record<string, unknown>, more: Omit<TestResource, "type" | "name" | "props"> = {}): TestResource {
  return { type, name, props, ...more };
}

/** `urn:pulumi:dev::project::<parent types>$<type>::<name>`, as the engine builds it. */
export function urnOf(r: TestResource): string {
  const chain: string[] = [];
  for (let p = r.parent; p; p = p.parent) chain.unshift(p.type);
  return `urn:pulumi:dev::project::${[...chain, r.type].join("$")}::${r.name}`;
}

const OPTIONS = { protect: false, ignoreChanges: [], aliases: [], additionalSecretOutputs: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 } };

/** Plain JSON as the engine deserializes it (no undefined fields), behind the unknown-checking proxy. */
function engineProps(props: Record<string, unknown>): Record<string, any> {
  return proxy.unknownCheckingProxy(JSON.parse(JSON.stringify(props)) as Record<string, any>);
}

function providerOf(r: TestResource) {
  if (!r.provider) return undefined;
  const pkg = r.type.split(":")[0]!;
  return { type: `pulumi:providers:${pkg}`, props: engineProps(r.provider), urn: `urn:pulumi:dev::project::pulumi:providers:${pkg}::default`, name: "default" };
}

const notApplicable = (reason?: string): never => {
  throw new Error(`not applicable: ${reason}`);
};

/** Runs a resource policy on one resource; returns the violation messages. */
export async function runResourcePolicy(policy: ResourceValidationPolicy, r: TestResource, config: object = {}): Promise<string[]> {
  const messages: string[] = [];
  const props = engineProps(r.props);
  const provider = providerOf(r);
  const args: ResourceValidationArgs = {
    type: r.type,
    props,
    urn: urnOf(r),
    name: r.name,
    opts: OPTIONS,
    ...(provider ? { provider } : {}),
    stackTags: new Map(),
    isType: () => false,
    asType: () => undefined,
    getConfig: <T extends object>() => config as T,
    notApplicable,
  };
  const validations = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource!];
  for (const validate of validations) await validate(args, (message) => messages.push(message));
  return messages;
}

/** Runs a stack policy over resources (their props as the stack's outputs); returns `{ urn, message }` per violation. */
export async function runStackPolicy(policy: StackValidationPolicy, resources: TestResource[], config: object = {}): Promise<{ urn: string | undefined; message: string }[]> {
  const all = new Set<TestResource>();
  const collect = (r: TestResource | undefined): void => {
    if (!r || all.has(r)) return;
    all.add(r);
    collect(r.parent);
    Object.values(r.propertyDependencies ?? {}).flat().forEach(collect);
  };
  resources.forEach(collect);
  const converted = new Map<TestResource, PolicyResource>();
  for (const r of all) {
    const provider = providerOf(r);
    converted.set(r, {
      type: r.type,
      props: engineProps(r.props),
      urn: urnOf(r),
      name: r.name,
      opts: OPTIONS,
      ...(provider ? { provider } : {}),
      dependencies: [],
      propertyDependencies: {},
      isType: () => false,
      asType: () => undefined,
    });
  }
  for (const [r, p] of converted) {
    if (r.parent) p.parent = converted.get(r.parent);
    for (const [key, deps] of Object.entries(r.propertyDependencies ?? {})) p.propertyDependencies[key] = deps.map((d) => converted.get(d)!);
    p.dependencies = [...new Set(Object.values(p.propertyDependencies).flat())];
  }
  const violations: { urn: string | undefined; message: string }[] = [];
  const args: StackValidationArgs = { resources: [...converted.values()], stackTags: new Map(), getConfig: <T extends object>() => config as T, notApplicable };
  await policy.validateStack(args, (message, urn) => violations.push({ urn, message }));
  return violations;
}
