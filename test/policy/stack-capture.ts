/**
 * The stack a program registered under Pulumi's mocks, as the engine hands it to policies: every
 * resource with its stored state (a component's registered outputs), its parent, its provider's
 * inputs and the property dependencies the SDK sent with its registration. Read from the mock
 * resource monitor's own RegisterResource requests, so parent links and dependencies are the ones
 * the SDK computed, not reconstructed.
 */
import * as pulumi from "@pulumi/pulumi";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import type { TestResource } from "./harness";

interface Registration {
  type: string;
  name: string;
  parent: string;
  provider: string;
  propertyDependencies: Record<string, string[]>;
}

interface MockMonitor {
  registerResource(req: any, cb: any): Promise<void>;
  newUrn(parent: string, type: string, name: string): string;
  resources: Map<string, { urn: string; state: any }>;
}

/** Secrets as their values (a policy sees plain values), everything else as stored. */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (record[specialSigKey] === specialSecretSig) return plain(record.value);
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

/** Starts recording registrations on the current mock monitor; `stack()` returns the resources so far. */
export function captureStack(): { stack(): TestResource[] } {
  const monitor = pulumi.runtime.getMonitor() as unknown as MockMonitor;
  const registrations = new Map<string, Registration>();
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, cb) => {
    const deps: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((v: { getUrnsList(): string[] }, k: string) => {
      deps[k] = v.getUrnsList();
    });
    const urn = monitor.newUrn(req.getParent(), req.getType(), req.getName());
    registrations.set(urn, { type: req.getType(), name: req.getName(), parent: req.getParent(), provider: req.getProvider(), propertyDependencies: deps });
    return register(req, cb);
  };
  return {
    stack() {
      const byUrn = new Map<string, TestResource>();
      for (const [urn, r] of registrations) {
        const stored = monitor.resources.get(urn)?.state;
        const state = stored && typeof stored.toJavaScript === "function" ? stored.toJavaScript() : stored;
        byUrn.set(urn, { type: r.type, name: r.name, props: (plain(state) ?? {}) as Record<string, unknown> });
      }
      for (const [urn, r] of registrations) {
        const resource = byUrn.get(urn)!;
        const parent = byUrn.get(r.parent);
        if (parent) resource.parent = parent;
        // A provider reference is `urn::id`.
        const provider = byUrn.get(r.provider.split("::").slice(0, -1).join("::"));
        if (provider) resource.provider = provider.props;
        const deps = Object.entries(r.propertyDependencies).map(([k, urns]) => [k, urns.map((u) => byUrn.get(u)).filter((d): d is TestResource => d !== undefined)] as const);
        if (deps.length > 0) resource.propertyDependencies = Object.fromEntries(deps);
      }
      return [...byUrn.values()];
    },
  };
}
