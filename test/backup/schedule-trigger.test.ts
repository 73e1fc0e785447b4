/**
 * The started Data Factory trigger (clouds/azure/backup-trigger.ts) against a loopback fake of the
 * ARM Triggers API (https://learn.microsoft.com/en-us/rest/api/datafactory/triggers): PUT creates
 * or updates a trigger, which the service creates Stopped; POST /start and /stop change its
 * runtime state (here: 202 Accepted with a Location to poll, as the generated SDK polls
 * Triggers_Start/_Stop, or with an Azure-AsyncOperation whose `status` ends the operation,
 * https://learn.microsoft.com/en-us/azure/azure-resource-manager/management/async-operations);
 * a PUT on a Started trigger is refused with TriggerEnabledCannotUpdate
 * (https://github.com/MicrosoftDocs/azure-docs/issues/74039), which is the rule the lifecycle must
 * respect so that a change of rpoHours does not break the next `pulumi up`. The fake:
 * ../fakes/azure-arm-triggers.ts. The same operations serve the dynamic resource (Node.js
 * programs) and the plugin's custom resource (test/components/plugin.trigger.grpc.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { triggerLifecycle, triggerOperations, triggerPackageResource, type ArmCall, type TriggerState } from "../../clouds/azure/backup-trigger";
import { FakeArmTriggers } from "../fakes/azure-arm-triggers";

const arm = new FakeArmTriggers();
const call: ArmCall = (method, url, body) =>
  fetch(url, { method, headers: { "content-type": "application/json" }, body: body === undefined ? (method === "POST" ? "{}" : undefined) : JSON.stringify(body) });

const state = (interval: number, overrides: Partial<TriggerState> = {}): TriggerState => ({
  armEndpoint: arm.endpoint,
  subscriptionId: "sub-1",
  resourceGroupName: "rg",
  factoryName: "adf",
  triggerName: "backup-schedule",
  properties: { type: "ScheduleTrigger", typeProperties: { recurrence: { frequency: "Hour", interval, startTime: "2024-01-01T00:00:00Z", timeZone: "UTC" } } },
  ...overrides,
});
const stored = (s: TriggerState) => arm.triggers.get(`/subscriptions/${s.subscriptionId}/resourceGroups/${s.resourceGroupName}/providers/Microsoft.DataFactory/factories/${s.factoryName}/triggers/${s.triggerName}`);

beforeAll(() => arm.start());
afterAll(() => arm.stop());

describe("the backup's Data Factory trigger", () => {
  const life = triggerLifecycle(call);

  it("is started once created (Data Factory creates triggers stopped)", async () => {
    arm.log.length = 0;
    await life.create(state(24));
    expect(stored(state(24))?.runtimeState).toBe("Started");
    expect(arm.log).toEqual(["PUT backup-schedule", "POST backup-schedule/start"]);
  });

  it("the fake refuses to update a started trigger, as the service does", async () => {
    await expect(call("PUT", `${arm.endpoint}/subscriptions/sub-1/resourceGroups/rg/providers/Microsoft.DataFactory/factories/adf/triggers/backup-schedule?api-version=2018-06-01`, { properties: {} }).then((r) => r.text())).resolves.toContain(
      "TriggerEnabledCannotUpdate",
    );
  });

  it("takes a new rpoHours: stopped, updated, started again", async () => {
    arm.log.length = 0;
    await life.update(state(24), state(6));
    expect(arm.log).toEqual(["POST backup-schedule/stop", "PUT backup-schedule", "POST backup-schedule/start"]);
    expect(stored(state(6))).toMatchObject({ runtimeState: "Started", properties: { typeProperties: { recurrence: { interval: 6 } } } });
  });

  it("is stopped, then deleted; deleting one already gone succeeds", async () => {
    await life.delete(state(6));
    expect(stored(state(6))).toBeUndefined();
    arm.log.length = 0;
    await life.delete(state(6));
    expect(arm.log).toEqual(["POST backup-schedule/stop", "DELETE backup-schedule"]);
  });

  it("recreates and starts a trigger deleted outside Pulumi on the next update", async () => {
    await life.update(state(6, { triggerName: "gone" }), state(6, { triggerName: "gone" }));
    expect(stored(state(6, { triggerName: "gone" }))?.runtimeState).toBe("Started");
  });

  it("reports the service's error with the call that failed, and starts nothing", async () => {
    const bad = state(6, { triggerName: "bad", properties: { type: "NoSuchTrigger" } });
    await expect(life.create(bad)).rejects.toThrow(/PUT \S*\/triggers\/bad failed: HTTP 400 .*invalid reference or type/);
    expect(stored(bad)).toBeUndefined();
  });

  it("waits for an Azure-AsyncOperation to report Succeeded, and fails on Failed", async () => {
    arm.pollStyle = "async-operation";
    try {
      arm.log.length = 0;
      await life.create(state(6, { triggerName: "async" }));
      expect(arm.log.filter((l) => l.startsWith("GET"))).toHaveLength(2);
      expect(stored(state(6, { triggerName: "async" }))?.runtimeState).toBe("Started");
      arm.asyncOutcome = "Failed";
      await expect(life.update(state(6, { triggerName: "async" }), state(12, { triggerName: "async" }))).rejects.toThrow(/POST \S*\/triggers\/async\/stop failed: .*"Failed"/);
    } finally {
      arm.pollStyle = "location";
      arm.asyncOutcome = "Succeeded";
    }
  });

  it("diffs: another factory or name is a replacement, a new schedule an update", () => {
    expect(life.replaces(state(6), state(6, { factoryName: "other" }))).toEqual(["factoryName"]);
    expect(life.replaces(state(6), state(12))).toEqual([]);
    expect(life.changed(state(6), state(12))).toBe(true);
    expect(life.changed(state(6), state(6))).toBe(false);
  });
});

describe("the trigger's resource operations (shared by the dynamic resource and the plugin)", () => {
  const ops = triggerOperations(async () => call);

  it("records the runtime state, and a refresh finds a trigger stopped by hand: the next update starts it again", async () => {
    const s = state(6, { triggerName: "refresh" });
    const { id, outs } = await ops.create(s);
    expect(id).toBe("/subscriptions/sub-1/resourceGroups/rg/providers/Microsoft.DataFactory/factories/adf/triggers/refresh");
    expect(outs).toEqual({ ...s, runtimeState: "Started" });
    await call("POST", `${arm.endpoint}${id}/stop?api-version=2018-06-01`);
    const read = await ops.read(id, outs);
    expect(read).toEqual({ id, props: { ...s, runtimeState: "Stopped" }, inputs: s });
    expect(ops.diff(read.props!, s)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    expect(ops.diff(outs, s).changes).toBe(false);
    await ops.update(read.props!, s);
    expect(stored(s)?.runtimeState).toBe("Started");
  });

  it("a refresh of a trigger deleted outside Pulumi reports it gone (no id)", async () => {
    const s = state(6, { triggerName: "never-created" });
    await expect(ops.read("x", { ...s, runtimeState: "Started" })).resolves.toEqual({});
  });

  it("diffs definitions by meaning, not key order, and treats a value a preview does not know as a change", () => {
    const s = state(6);
    const reordered = { ...s, properties: Object.fromEntries(Object.entries(s.properties).reverse()) };
    expect(ops.diff({ ...s, runtimeState: "Started" }, reordered).changes).toBe(false);
    const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
    expect(ops.diff(s, { ...s, factoryName: unknown })).toMatchObject({ changes: true, replaces: ["factoryName"] });
    expect(ops.diff(s, { ...s, properties: { ...s.properties, description: unknown } })).toMatchObject({ changes: true, replaces: [] });
  });

  it("checks inputs, naming the field, and keeps nothing but the trigger's fields", () => {
    const { inputs, failures } = ops.check({ ...state(6), factoryName: "", properties: { typeProperties: {} }, clientSecret: "s3cr3t" });
    expect(failures.map((f) => f.property)).toEqual(["factoryName", "properties.type"]);
    expect(failures[0]!.reason).toMatch(/factoryName must be a non-empty string/);
    expect(Object.keys(inputs).sort()).toEqual(["armEndpoint", "factoryName", "properties", "resourceGroupName", "subscriptionId", "triggerName"]);
    expect(ops.check({ ...state(6) }).failures).toEqual([]);
    // The schema the plugin serves lists exactly these inputs, and marks the identity fields as replacing.
    const schema = triggerPackageResource.schema;
    expect(Object.keys(schema.inputProperties).sort()).toEqual(Object.keys(inputs).sort());
    expect(Object.keys(schema.inputProperties).filter((k) => schema.inputProperties[k]!.willReplaceOnChanges)).toEqual(ops.diff(state(6), state(6, { armEndpoint: "a", subscriptionId: "b", resourceGroupName: "c", factoryName: "d", triggerName: "e" })).replaces);
  });

  it("reaches ARM where MULTICLOUD_ENDPOINT_AZURE_MANAGEMENT says, and keeps the recorded endpoint in state", async () => {
    const recorded = state(6, { armEndpoint: "https://management.azure.com", triggerName: "elsewhere" });
    vi.stubEnv("MULTICLOUD_ENDPOINT_AZURE_MANAGEMENT", `${arm.endpoint}/`);
    try {
      const { outs } = await ops.create(recorded);
      expect(outs.armEndpoint).toBe("https://management.azure.com");
      expect(stored({ ...recorded, armEndpoint: arm.endpoint })?.runtimeState).toBe("Started");
      vi.stubEnv("MULTICLOUD_ENDPOINT_AZURE_MANAGEMENT", "management.internal:443");
      await expect(ops.delete(outs)).rejects.toThrow(/MULTICLOUD_ENDPOINT_AZURE_MANAGEMENT is not an http\(s\) base URL/);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe("the serialized trigger provider", () => {
  it("loads on its own, as Pulumi's dynamic provider host loads it, and diffs without calling Azure", async () => {
    const { deploy } = await import("./helpers/deploy");
    const { engine } = await deploy("events", {
      source: { provider: "gcp", region: "europe-west1", bucket: "acme-events" },
      destination: { provider: "azure", region: "westeurope" },
      sizeGiB: 10,
      dailyChangeGiB: 1,
    });
    const serialized = engine.byName("events-schedule").inputs.__provider;
    expect(typeof serialized).toBe("string");
    // The host: provider = requireFromString(props.__provider).handler() (@pulumi/pulumi cmd/dynamic-provider).
    const requireFromString = (await import("require-from-string" as string)).default as (code: string) => { handler(): any };
    const provider = requireFromString(serialized).handler();
    const olds = state(6);
    await expect(provider.diff("id", olds, state(12))).resolves.toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    await expect(provider.diff("id", olds, state(6, { factoryName: "other" }))).resolves.toMatchObject({ replaces: ["factoryName"] });
  });
});
