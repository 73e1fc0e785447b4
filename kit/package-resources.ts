/**
 * Custom resources of the multicloud package itself (`multicloud:<module>:<Type>`), served by the
 * multicloud plugin next to its components.
 *
 * Why: a component sometimes needs a resource no cloud provider models (the started Data Factory
 * trigger, clouds/azure/backup-trigger.ts). Inside a Node.js program that is a Pulumi dynamic
 * resource, which the engine serves with `pulumi-resource-pulumi-nodejs` started in the program's
 * directory. A YAML, Python or Go program has no node_modules there, so the dynamic provider cannot
 * load (https://github.com/pulumi/pulumi/issues/5455). pulumi-eks met the same problem and serves
 * such resources as custom resources of its own plugin (https://github.com/pulumi/pulumi-eks/issues/451);
 * so does this package.
 *
 * The signal: the plugin entry (provider/index.ts), and only it, calls `servePackageResources()`
 * before it serves anything: it is the one process where the engine reaches this package's
 * provider for `multicloud:*` custom resources. Emitters ask `packageResourcesServed()` to choose
 * the custom resource (plugin) or the dynamic resource (Node.js program). A process-wide fact, so
 * a process-wide flag: nothing else in the process constructs components for another host.
 */
import type * as provider from "@pulumi/pulumi/provider";

let served = false;

/** Called once by the plugin entry: this process serves the package's custom resources. */
export function servePackageResources(): void {
  served = true;
}

/** Whether this process is the multicloud plugin (custom resources) rather than a Node.js program (dynamic resources). */
export function packageResourcesServed(): boolean {
  return served;
}

/** A property in the package schema (https://www.pulumi.com/docs/iac/guides/building-extending/packages/schema/#property). */
export interface SchemaPropertySpec {
  type?: string;
  /** `pulumi.json#/Any` for any value. */
  $ref?: string;
  description?: string;
  additionalProperties?: SchemaPropertySpec;
  willReplaceOnChanges?: boolean;
}

/** A custom resource's entry in the package schema's `resources`. */
export interface PackageResourceSchema {
  description: string;
  inputProperties: Record<string, SchemaPropertySpec>;
  requiredInputs: string[];
  properties: Record<string, SchemaPropertySpec>;
  required: string[];
}

/** The CRUD of one custom resource type, as the plugin's provider serves it to the engine. */
export type PackageResourceOperations = Required<Pick<provider.Provider, "check" | "diff" | "create" | "read" | "update" | "delete">>;

export interface PackageResource {
  /** `multicloud:<module>:<Type>`. */
  token: string;
  schema: PackageResourceSchema;
  operations: PackageResourceOperations;
}
