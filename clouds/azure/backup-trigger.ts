/**
 * The Data Factory schedule trigger of a backup into Azure, managed through ARM so that it runs.
 *
 * Why not `azure-native:datafactory:Trigger`: Data Factory creates every trigger stopped, and
 * starting one is a separate ARM action (`POST .../triggers/{name}/start`,
 * https://learn.microsoft.com/en-us/rest/api/datafactory/triggers/start) that the resource model
 * does not expose (pulumi/pulumi-azure-native#3540). Once started, a trigger cannot be updated
 * (the service answers `TriggerEnabledCannotUpdate: Cannot update enabled Trigger; the trigger
 * needs to be disabled first.`, https://github.com/MicrosoftDocs/azure-docs/issues/74039), nor
 * deleted (the same error, https://github.com/Azure-Player/azure.datafactory.tools/issues/350),
 * until it is stopped (https://learn.microsoft.com/en-us/rest/api/datafactory/triggers/stop), so a
 * change of `rpoHours` would break the next `pulumi up`. The endpoints, all api-version
 * 2018-06-01 (Azure/azure-rest-api-specs, specification/datafactory/.../stable/2018-06-01/datafactory.json):
 * PUT and DELETE `.../factories/{factory}/triggers/{trigger}` (Triggers_CreateOrUpdate, _Delete;
 * DELETE answers 200 or 204), POST `.../start` and `.../stop` (Triggers_Start, _Stop:
 * long-running, 200 or 202 with a Location to poll, as the generated SDK polls them). The classic azure provider's trigger resource
 * (`activated`) solves both by stopping before every update and starting after it
 * (terraform-provider-azurerm, data_factory_trigger_schedule_resource.go), but @pulumi/azure is a
 * heavy second Azure provider. This file does the same with what we have: a resource whose
 * create is PUT + start, whose update is stop + PUT + start, and whose delete is stop + DELETE,
 * with the deployer's Azure credentials (@azure/identity). Its read (refresh) is a GET
 * (https://learn.microsoft.com/en-us/rest/api/datafactory/triggers/get: 404 when gone, else the
 * trigger with its read-only `runtimeState`): a trigger stopped by hand shows as a change, and the
 * next `pulumi up` starts it again (stop, PUT, start).
 *
 * One implementation, two hosts. `triggerLifecycle` is the ARM logic, given an ARM caller;
 * `triggerOperations` is the resource's check, diff, create, read, update and delete over it, with
 * the deployer's credentials (`armCaller`). Both hosts below call exactly these:
 *
 * - In a Node.js program: a Pulumi dynamic resource (`ScheduleTrigger`). The engine serves every
 *   `pulumi-nodejs:dynamic` resource with the `pulumi-resource-pulumi-nodejs` plugin, started in
 *   the program's directory, which resolves `@pulumi/pulumi/cmd/dynamic-provider` (and this
 *   closure's `@azure/identity`) from the program's own node_modules.
 * - In the multicloud plugin (a YAML, Python or Go program): there is no node_modules in the
 *   program's directory and the dynamic provider cannot load ("Cannot find module
 *   '@pulumi/pulumi/cmd/dynamic-provider'", https://github.com/pulumi/pulumi/issues/5455, fix
 *   proposed in https://github.com/pulumi/pulumi/issues/16918). So, as pulumi-eks did
 *   (https://github.com/pulumi/pulumi-eks/issues/451), the trigger is a custom resource of this
 *   package, `multicloud:azure:DataFactoryTrigger` (`DataFactoryTrigger`), whose CRUD the plugin's
 *   provider serves (provider/resources.ts, from `triggerPackageResource`). `scheduleTrigger` picks
 *   the host (kit/package-resources.ts says which process this is).
 *
 * Credentials: the deployer's, read from the environment at each operation (never inputs, never
 * state, never logged: an error carries the ARM path and the service's answer, not the headers).
 * The trigger's name differs from the one the earlier azure-native resource used ("schedule"), so
 * that replacing that resource (create the new, then delete the old) never deletes the trigger
 * just created.
 */
import * as pulumi from "@pulumi/pulumi";
import { packageResourcesServed, type PackageResource } from "../../kit/package-resources";

export const ARM_ENDPOINT = "https://management.azure.com";
export const DATAFACTORY_API_VERSION = "2018-06-01";
/**
 * The package's own custom resource type for the trigger (served by the multicloud plugin). A type
 * token is `package:module:name` (https://www.pulumi.com/docs/reference/pkg/nodejs/pulumi/pulumi/functions/resourceType.html)
 * and the engine serves a custom resource with the default provider of the package its token
 * names: `multicloud`, this plugin.
 */
export const TRIGGER_TOKEN = "multicloud:azure:DataFactoryTrigger";
/** Where ARM is, when not at `armEndpoint` (a proxy, a private endpoint or a fake), as for the rest of the package. */
export const ARM_ENDPOINT_VARIABLE = "MULTICLOUD_ENDPOINT_AZURE_MANAGEMENT";

/** What the resource records: where the trigger lives and its full definition. */
export interface TriggerState {
  armEndpoint: string;
  subscriptionId: string;
  resourceGroupName: string;
  factoryName: string;
  triggerName: string;
  /** The trigger's `properties`, as the Triggers - Create Or Update body wants them. */
  properties: Record<string, unknown>;
}

/** The state after create: the inputs, and the runtime state the service reported. */
export type TriggerOutputs = TriggerState & { runtimeState?: string };

export interface ArmResponse {
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}

/** One authenticated ARM request (absolute URL). */
export type ArmCall = (method: string, url: string, body?: unknown) => Promise<ArmResponse>;

const triggerUrl = (s: TriggerState, action = ""): string =>
  `${s.armEndpoint}/subscriptions/${s.subscriptionId}/resourceGroups/${s.resourceGroupName}/providers/Microsoft.DataFactory/factories/${s.factoryName}/triggers/${s.triggerName}${action}?api-version=${DATAFACTORY_API_VERSION}`;

/** The fields whose change means another trigger (a new URL), not an update of this one. */
const IDENTITY: ReadonlyArray<keyof TriggerState> = ["armEndpoint", "subscriptionId", "resourceGroupName", "factoryName", "triggerName"];
/** A value a preview does not know yet (the wire's unknown, @pulumi/pulumi runtime/rpc `unknownValue`). */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

async function expectOk(call: ArmCall, method: string, url: string, body?: unknown, okMissing = false): Promise<void> {
  let response = await call(method, url, body);
  if (okMissing && response.status === 404) return;
  if (response.status >= 300) throw new Error(`${method} ${url.split("?")[0]} failed: HTTP ${response.status} ${await response.text()}`);
  // Start and stop may answer 202 Accepted with a URL to poll until the action is done: a Location
  // (202 while running, then 200/204), or an Azure-AsyncOperation (200 with a `status` that ends in
  // Succeeded, Failed or Canceled), https://learn.microsoft.com/en-us/azure/azure-resource-manager/management/async-operations.
  if (response.status !== 202) return;
  const location = response.headers.get("location");
  const asyncOperation = response.headers.get("azure-asyncoperation");
  const poll = location ?? asyncOperation;
  if (!poll) return;
  for (let polls = 0; ; polls++) {
    if (polls > 120) throw new Error(`${method} ${url.split("?")[0]}: still in progress after ${polls} polls`);
    const wait = Number(response.headers.get("retry-after") ?? "5");
    await new Promise((resolve) => setTimeout(resolve, Math.min(Number.isFinite(wait) ? wait : 5, 30) * 1000));
    response = await call("GET", poll);
    if (response.status >= 300) throw new Error(`${method} ${url.split("?")[0]} failed while polling: HTTP ${response.status} ${await response.text()}`);
    if (response.status === 202) continue;
    if (location) return;
    const text = await response.text();
    const status = String((JSON.parse(text || "{}") as { status?: unknown }).status ?? "");
    if (status === "Succeeded") return;
    if (status === "Failed" || status === "Canceled") throw new Error(`${method} ${url.split("?")[0]} ${status.toLowerCase()}: ${text}`);
  }
}

/** JSON with object keys sorted: the engine's Structs do not keep key order, a definition's meaning does not depend on it. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const record = value as Record<string, unknown>;
    return `{${Object.keys(record)
      .sort()
      .filter((k) => record[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical(record[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

const hasUnknown = (value: unknown): boolean =>
  value === UNKNOWN || (Array.isArray(value) ? value.some(hasUnknown) : typeof value === "object" && value !== null && Object.values(value).some(hasUnknown));

/** Create, update, read and delete of a started trigger, through `call`. */
export function triggerLifecycle(call: ArmCall) {
  const put = (s: TriggerState) => expectOk(call, "PUT", triggerUrl(s), { properties: s.properties });
  const start = (s: TriggerState) => expectOk(call, "POST", triggerUrl(s, "/start"));
  // Stopping a trigger that is gone is nothing to do.
  const stop = (s: TriggerState) => expectOk(call, "POST", triggerUrl(s, "/stop"), undefined, true);
  return {
    /** Identity fields that differ (or that a preview does not know yet): each means another trigger. */
    replaces(olds: TriggerState, news: TriggerState): string[] {
      return IDENTITY.filter((k) => olds[k] !== news[k]);
    },
    /** Whether `news` asks for anything `olds` is not: another trigger, another definition, or a start (a trigger found stopped). */
    changed(olds: TriggerOutputs, news: TriggerState): boolean {
      const stopped = olds.runtimeState !== undefined && olds.runtimeState !== "Started";
      return stopped || IDENTITY.some((k) => olds[k] !== news[k]) || canonical(olds.properties) !== canonical(news.properties) || hasUnknown(news.properties);
    },
    async create(s: TriggerState): Promise<void> {
      await put(s);
      await start(s);
    },
    async update(olds: TriggerState, news: TriggerState): Promise<void> {
      // A started trigger refuses updates (TriggerEnabledCannotUpdate): stop, update, start again.
      await stop(olds);
      await put(news);
      await start(news);
    },
    /** The trigger's runtime state (`Started`, `Stopped`, `Disabled`), or undefined when it is gone. */
    async runtimeState(s: TriggerState): Promise<string | undefined> {
      const response = await call("GET", triggerUrl(s));
      if (response.status === 404) return undefined;
      const text = await response.text();
      if (response.status >= 300) throw new Error(`GET ${triggerUrl(s).split("?")[0]} failed: HTTP ${response.status} ${text}`);
      return String((JSON.parse(text || "{}") as { properties?: { runtimeState?: unknown } }).properties?.runtimeState ?? "");
    },
    async delete(s: TriggerState): Promise<void> {
      await stop(s);
      await expectOk(call, "DELETE", triggerUrl(s), undefined, true);
    },
  };
}

/**
 * An ARM caller with the deployer's credentials: the service principal of ARM_CLIENT_ID /
 * ARM_CLIENT_SECRET / ARM_TENANT_ID when set (as the azure-native provider reads them), else
 * DefaultAzureCredential (AZURE_* variables, workload or managed identity, `az login`). The token
 * goes in the Authorization header only.
 */
export async function armCaller(): Promise<ArmCall> {
  // Loaded here, not at the top: the dynamic provider is serialized, and runs where it is loaded.
  const identity = require("@azure/identity") as typeof import("@azure/identity");
  const env = process.env;
  const credential =
    env.ARM_CLIENT_ID && env.ARM_CLIENT_SECRET && env.ARM_TENANT_ID
      ? new identity.ClientSecretCredential(env.ARM_TENANT_ID, env.ARM_CLIENT_ID, env.ARM_CLIENT_SECRET)
      : new identity.DefaultAzureCredential();
  return async (method, url, body) => {
    const token = await credential.getToken("https://management.azure.com/.default");
    return fetch(url, {
      method,
      headers: { authorization: `Bearer ${token.token}`, "content-type": "application/json" },
      body: body === undefined ? (method === "POST" ? "{}" : undefined) : JSON.stringify(body),
    });
  };
}

/** The state, with ARM where MULTICLOUD_ENDPOINT_AZURE_MANAGEMENT says (the state keeps its own `armEndpoint`). */
function reaching(s: TriggerState): TriggerState {
  const override = process.env[ARM_ENDPOINT_VARIABLE]?.trim();
  if (!override) return s;
  if (!/^https?:\/\/[^/\s]+/.test(override)) throw new Error(`${ARM_ENDPOINT_VARIABLE} is not an http(s) base URL: ${JSON.stringify(override.slice(0, 80))}; set it to ARM's base URL (e.g. https://management.azure.com) or unset it`);
  return { ...s, armEndpoint: override.replace(/\/+$/, "") };
}

const inputsOf = (s: TriggerOutputs): TriggerState => ({
  armEndpoint: s.armEndpoint,
  subscriptionId: s.subscriptionId,
  resourceGroupName: s.resourceGroupName,
  factoryName: s.factoryName,
  triggerName: s.triggerName,
  properties: s.properties,
});

/** The resource's ARM id: the path of the trigger, without the endpoint. */
const idOf = (s: TriggerState): string => triggerUrl(s).split("?")[0]!.slice(s.armEndpoint.length);

/**
 * The resource's operations, shared by the dynamic resource and the plugin's custom resource:
 * `caller` gives the ARM caller (the deployer's credentials, `armCaller`; a test's own caller).
 */
export function triggerOperations(caller: () => Promise<ArmCall> = armCaller) {
  const life = async () => triggerLifecycle(await caller());
  return {
    /** Every input field present and well-typed (an unknown value passes: a preview does not know it yet). */
    check(news: Record<string, unknown>): { inputs: Record<string, unknown>; failures: { property: string; reason: string }[] } {
      const failures: { property: string; reason: string }[] = [];
      for (const key of IDENTITY) {
        const value = news[key];
        if (typeof value !== "string" || value === "") failures.push({ property: key, reason: `${key} must be a non-empty string (got ${JSON.stringify(value) ?? "nothing"})` });
      }
      const properties = news.properties;
      if (properties !== UNKNOWN && (typeof properties !== "object" || properties === null || Array.isArray(properties))) {
        failures.push({ property: "properties", reason: "properties must be the trigger's definition, an object such as {type: \"ScheduleTrigger\", typeProperties: {...}}" });
      } else if (properties !== UNKNOWN && typeof (properties as Record<string, unknown>).type !== "string") {
        failures.push({ property: "properties.type", reason: "properties.type must name the trigger type, e.g. \"ScheduleTrigger\"" });
      }
      // Only the trigger's own fields are kept: nothing else reaches the state.
      const inputs = Object.fromEntries([...IDENTITY, "properties"].filter((k) => k in news).map((k) => [k, news[k]]));
      return { inputs, failures };
    },
    diff(olds: TriggerOutputs, news: TriggerState): { changes: boolean; replaces: string[]; deleteBeforeReplace: boolean } {
      const plain = triggerLifecycle(async () => {
        throw new Error("diff makes no calls");
      });
      // A different factory or name is another trigger: create it, then delete this one.
      return { changes: plain.changed(olds, news), replaces: plain.replaces(olds, news), deleteBeforeReplace: false };
    },
    async create(inputs: TriggerState): Promise<{ id: string; outs: TriggerOutputs }> {
      await (await life()).create(reaching(inputs));
      return { id: idOf(inputs), outs: { ...inputsOf(inputs), runtimeState: "Started" } };
    },
    /** Refresh: gone (no id), or the recorded definition with the runtime state Azure reports. */
    async read(id: string, props: TriggerOutputs): Promise<{ id?: string; props?: TriggerOutputs; inputs?: TriggerState }> {
      const runtimeState = await (await life()).runtimeState(reaching(props));
      if (runtimeState === undefined) return {};
      return { id, props: { ...inputsOf(props), runtimeState }, inputs: inputsOf(props) };
    },
    async update(olds: TriggerOutputs, news: TriggerState): Promise<{ outs: TriggerOutputs }> {
      await (await life()).update(reaching(inputsOf(olds)), reaching(news));
      return { outs: { ...inputsOf(news), runtimeState: "Started" } };
    },
    async delete(props: TriggerOutputs): Promise<void> {
      await (await life()).delete(reaching(inputsOf(props)));
    },
  };
}

const dynamicProvider: pulumi.dynamic.ResourceProvider = {
  diff: async (_id: string, olds: TriggerOutputs, news: TriggerState) => triggerOperations().diff(olds, news),
  create: (inputs: TriggerState) => triggerOperations().create(inputs),
  read: (id: string, props: TriggerOutputs) => triggerOperations().read(id, props),
  update: (_id: string, olds: TriggerOutputs, news: TriggerState) => triggerOperations().update(olds, news),
  delete: (_id: string, props: TriggerOutputs) => triggerOperations().delete(props),
};

export type ScheduleTriggerArgs = { [K in keyof TriggerState]: pulumi.Input<TriggerState[K]> };

/** In a Node.js program: a dynamic resource, started on create and stopped around every update. */
export class ScheduleTrigger extends pulumi.dynamic.Resource {
  constructor(name: string, args: ScheduleTriggerArgs, opts?: pulumi.CustomResourceOptions) {
    super(dynamicProvider, name, args, opts, "multicloud-backup", "DataFactoryStartedTrigger");
  }
}

/** In the multicloud plugin: the same resource as a custom resource of this package, served by the plugin. */
export class DataFactoryTrigger extends pulumi.CustomResource {
  declare readonly runtimeState: pulumi.Output<string>;
  constructor(name: string, args: ScheduleTriggerArgs, opts?: pulumi.CustomResourceOptions) {
    super(TRIGGER_TOKEN, name, { ...args, runtimeState: undefined }, opts);
  }
}

/** The started trigger, as the host of this process can serve it (kit/package-resources.ts). */
export function scheduleTrigger(name: string, args: ScheduleTriggerArgs, opts?: pulumi.CustomResourceOptions): pulumi.CustomResource {
  return packageResourcesServed() ? new DataFactoryTrigger(name, args, opts) : new ScheduleTrigger(name, args, opts);
}

const str = (description: string) => ({ type: "string", description });
const IDENTITY_NOTE = " Changing it replaces the trigger.";

/** The trigger as the plugin serves it: schema entry and CRUD (provider/resources.ts). */
export const triggerPackageResource: PackageResource = {
  token: TRIGGER_TOKEN,
  schema: (() => {
    const inputProperties = {
      armEndpoint: { ...str(`Azure Resource Manager's base URL (${ARM_ENDPOINT}).${IDENTITY_NOTE}`), willReplaceOnChanges: true },
      subscriptionId: { ...str(`The subscription of the data factory.${IDENTITY_NOTE}`), willReplaceOnChanges: true },
      resourceGroupName: { ...str(`The resource group of the data factory.${IDENTITY_NOTE}`), willReplaceOnChanges: true },
      factoryName: { ...str(`The data factory.${IDENTITY_NOTE}`), willReplaceOnChanges: true },
      triggerName: { ...str(`The trigger's name in the factory.${IDENTITY_NOTE}`), willReplaceOnChanges: true },
      properties: { type: "object", additionalProperties: { $ref: "pulumi.json#/Any" }, description: "The trigger's definition (`properties` of Triggers - Create Or Update). A change stops the trigger, updates it and starts it again." },
    };
    const required = Object.keys(inputProperties);
    return {
      description:
        "A Data Factory trigger that is started once created, stopped and started again around every update, and stopped before it is deleted (CrossCloudBackup into Azure Blob creates it; served by the multicloud plugin).",
      inputProperties,
      requiredInputs: required,
      properties: { ...inputProperties, runtimeState: str("The trigger's runtime state as Azure last reported it (Started after every create and update).") },
      required,
    };
  })(),
  operations: {
    check: async (_urn, _olds, news) => triggerOperations().check(news as Record<string, unknown>),
    diff: async (_id, _urn, olds, news) => triggerOperations().diff(olds as TriggerOutputs, news as TriggerState),
    create: (_urn, inputs) => triggerOperations().create(inputs as TriggerState),
    read: (id, _urn, props) => triggerOperations().read(id, props as TriggerOutputs),
    update: (_id, _urn, olds, news) => triggerOperations().update(olds as TriggerOutputs, news as TriggerState),
    delete: (_id, _urn, props) => triggerOperations().delete(props as TriggerOutputs),
  },
};
