/**
 * The plugin's components and the provider that serves them.
 *
 * - `COMPONENTS`: one typed map from resource token to constructor (awsx `resources.ts` style): a
 *   new component is one line here (and a schema regeneration, provider/schema-gen.ts).
 * - `MulticloudProvider`: `getSchema` serves provider/schema.json, generated at build time from the
 *   components' args interfaces, so the plugin starts without type-checking the package;
 *   `construct` builds the component for a token, waits until it has registered its children (or
 *   failed, with its message) and returns its outputs as listed in the schema. The inputs are first
 *   settled into the shape of the args interfaces (./engine-args.ts: sections the SDK wrapped in
 *   one Output are unwrapped, their dependencies and secretness carried to the fields that accept
 *   outputs). Provider resources passed as args (explicit providers per region) arrive as
 *   references: `create` registers the clouds' provider packages before the server starts, so that
 *   they deserialize as Provider objects.
 * - The package's own custom resources (kit/package-resources.ts: `multicloud:azure:DataFactoryTrigger`,
 *   the started Data Factory trigger of a backup into Blob): a component constructed here registers
 *   them instead of dynamic resources, which the engine cannot load for a YAML, Python or Go
 *   program (pulumi/pulumi#5455); the engine then calls this provider's check, diff, create, read,
 *   update and delete for them, which run the cloud's own operations (the emitters list them).
 */
import * as pulumi from "@pulumi/pulumi";
import type * as provider from "@pulumi/pulumi/provider";
import { BACKUP_TOKEN, CrossCloudBackup, MultiCloudWorkload, WORKLOAD_TOKEN } from "../components";
import { CLOUDS } from "../clouds/registry";
import type { CloudRegistry } from "../kit/cloud";
import type { PackageResource } from "../kit/package-resources";
import { didYouMean } from "../core/util/errors";
import { problemsError } from "../core/spec/load";
import { settleInputs, type SchemaProperty, type SchemaTypes } from "./engine-args";
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
  inputProperties?: Record<string, SchemaProperty>;
  properties?: Record<string, unknown>;
}

/** The package's custom resources by token, from every cloud's backup emitter (loads them). */
export async function packageResources(clouds: CloudRegistry = CLOUDS): Promise<ReadonlyMap<string, PackageResource>> {
  const emitters = await Promise.all(clouds.adapters.map((c) => c.loadBackupEmitter()));
  return new Map(emitters.flatMap((e) => e.packageResources ?? []).map((r) => [r.token, r]));
}

/** The resource type in a URN (`urn:pulumi:<stack>::<project>::<parent types$>type::<name>`). */
const typeOfUrn = (urn: string): string => urn.split("::")[2]?.split("$").pop() ?? "";

export class MulticloudProvider implements provider.Provider {
  readonly version: string = schema.version;
  private readonly resources = schema.resources as Record<string, SchemaResource>;
  private served?: Promise<ReadonlyMap<string, PackageResource>>;

  constructor(private readonly clouds: CloudRegistry = CLOUDS) {}

  /**
   * The provider, with every cloud's provider package registered (which loads every cloud's
   * workload emitter, and so its Pulumi SDK: the plugin serves them all).
   */
  static async create(clouds: CloudRegistry = CLOUDS): Promise<MulticloudProvider> {
    const emitters = await Promise.all(clouds.adapters.map((c) => c.loadWorkloadEmitter()));
    // Registering a package again (same version) is a no-op in the SDK.
    for (const { providerPackage } of emitters) pulumi.runtime.registerResourcePackage(providerPackage.name, providerPackage);
    return new MulticloudProvider(clouds);
  }

  /** The operations of the custom resource a URN names (loaded on first use: most runs only construct). */
  private async operationsOf(urn: string) {
    this.served ??= packageResources(this.clouds);
    const served = await this.served;
    const type = typeOfUrn(urn);
    const resource = served.get(type);
    if (!resource) {
      const known = [...served.keys()];
      throw new Error(`unknown resource type ${type}${didYouMean(type, known)}: this plugin serves the custom resources ${known.join(", ")}`);
    }
    return resource.operations;
  }

  async check(urn: string, olds: any, news: any): Promise<provider.CheckResult> {
    return (await this.operationsOf(urn)).check(urn, olds, news);
  }

  async diff(id: string, urn: string, olds: any, news: any): Promise<provider.DiffResult> {
    return (await this.operationsOf(urn)).diff(id, urn, olds, news);
  }

  async create(urn: string, inputs: any): Promise<provider.CreateResult> {
    return (await this.operationsOf(urn)).create(urn, inputs);
  }

  async read(id: string, urn: string, props?: any): Promise<provider.ReadResult> {
    return (await this.operationsOf(urn)).read(id, urn, props);
  }

  async update(id: string, urn: string, olds: any, news: any): Promise<provider.UpdateResult> {
    return (await this.operationsOf(urn)).update(id, urn, olds, news);
  }

  async delete(id: string, urn: string, props: any): Promise<void> {
    return (await this.operationsOf(urn)).delete(id, urn, props);
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
    // Inputs as the engine sends them, back into the shape of the args interfaces (./engine-args.ts).
    const { args, problems, plainDependencies } = await settleInputs(inputs, definition.inputProperties ?? {}, schema.types as unknown as SchemaTypes);
    if (problems.length > 0) throw problemsError(`${type.split(":")[2]} "${name}" args`, problems);
    // Values used as plain values still came from resources: the component depends on those.
    const given = Array.isArray(options.dependsOn) ? options.dependsOn : options.dependsOn === undefined ? [] : [options.dependsOn as pulumi.Input<pulumi.Resource>];
    const dependsOn = [...given, ...plainDependencies];
    const component = new Component(name, args, { ...options, ...(dependsOn.length > 0 ? { dependsOn } : {}) });
    await component.ready();
    const outputs = Object.keys(definition.properties ?? {});
    return { urn: component.urn, state: Object.fromEntries(outputs.map((key) => [key, (component as unknown as Record<string, unknown>)[key]])) };
  }
}
