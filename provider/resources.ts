/**
 * The plugin's components and the provider that serves them.
 *
 * - `COMPONENTS`: one typed map from resource token to constructor (awsx `resources.ts` style): a
 *   new component is one line here (and a schema regeneration, provider/schema-gen.ts).
 * - `MulticloudProvider`: `getSchema` serves provider/schema.json, generated at build time from the
 *   components' args interfaces, so the plugin starts without type-checking the package;
 *   `construct` builds the component for a token, waits until it has registered its children (or
 *   failed, with its message) and returns its outputs as listed in the schema. Provider resources
 *   passed as args (explicit providers per region) arrive as references: `create` registers the
 *   clouds' provider packages before the server starts, so that they deserialize as Provider
 *   objects.
 */
import * as pulumi from "@pulumi/pulumi";
import type * as provider from "@pulumi/pulumi/provider";
import { BACKUP_TOKEN, CrossCloudBackup, MultiCloudWorkload, WORKLOAD_TOKEN } from "../components";
import { CLOUDS } from "../clouds/registry";
import type { CloudRegistry } from "../kit/cloud";
import { didYouMean } from "../core/util/errors";
import schema from "./schema.json";

/** A component the plugin can construct; `ready()` settles once its children are registered. */
export interface PluginComponent extends pulumi.ComponentResource {
  ready(): Promise<void>;
}

export type ComponentConstructor = new (name: string, args: any, opts?: pulumi.ComponentResourceOptions) => PluginComponent;

export const COMPONENTS: Readonly<Record<string, ComponentConstructor>> = {
  [WORKLOAD_TOKEN]: MultiCloudWorkload,
  [BACKUP_TOKEN]: CrossCloudBackup,
};

interface SchemaResource {
  properties?: Record<string, unknown>;
}

export class MulticloudProvider implements provider.Provider {
  readonly version: string = schema.version;
  private readonly resources = schema.resources as Record<string, SchemaResource>;

  /**
   * The provider, with every cloud's provider package registered (which loads every cloud's
   * workload emitter, and so its Pulumi SDK: the plugin serves them all).
   */
  static async create(clouds: CloudRegistry = CLOUDS): Promise<MulticloudProvider> {
    const emitters = await Promise.all(clouds.adapters.map((c) => c.loadWorkloadEmitter()));
    // Registering a package again (same version) is a no-op in the SDK.
    for (const { providerPackage } of emitters) pulumi.runtime.registerResourcePackage(providerPackage.name, providerPackage);
    return new MulticloudProvider();
  }

  async getSchema(): Promise<string> {
    return JSON.stringify(schema);
  }

  async construct(name: string, type: string, inputs: pulumi.Inputs, options: pulumi.ComponentResourceOptions): Promise<provider.ConstructResult> {
    const Component = COMPONENTS[type];
    const definition = this.resources[type];
    if (!Component || !definition) {
      const known = Object.keys(COMPONENTS);
      throw new Error(`unknown resource type ${type}${didYouMean(type, known)}: this plugin provides ${known.join(", ")}`);
    }
    const component = new Component(name, inputs, options);
    await component.ready();
    const outputs = Object.keys(definition.properties ?? {});
    return { urn: component.urn, state: Object.fromEntries(outputs.map((key) => [key, (component as unknown as Record<string, unknown>)[key]])) };
  }
}
