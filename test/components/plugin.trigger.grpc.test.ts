/**
 * The started Data Factory trigger of a backup into Azure Blob, as a YAML, Python or Go program
 * reaches it: CrossCloudBackup constructed over gRPC by the fake engine (test/fakes/engine.ts)
 * registers the trigger as the package's own custom resource, `multicloud:azure:DataFactoryTrigger`,
 * not as a dynamic resource (whose provider the engine cannot load from such a program's directory,
 * https://github.com/pulumi/pulumi/issues/5455). The engine then calls the plugin's own Check,
 * Diff, Create, Read, Update and Delete for it; here the test sends them as the engine does
 * (provider_pb requests with the URN and the registered properties), and the plugin drives a
 * loopback fake of the ARM Triggers API (test/fakes/azure-arm-triggers.ts) with a token that
 * @azure/identity, unmodified, got from a fake App Service managed identity endpoint: create is
 * PUT + start, update stop + PUT + start, delete stop + DELETE. The token never reaches state or
 * logs. Needs `npm run build`.
 */
import * as grpc from "@grpc/grpc-js";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeEngine, type Registration } from "../fakes/engine";
import { FakeArmTriggers, FakeManagedIdentity } from "../fakes/azure-arm-triggers";

const BACKUP = "multicloud:index:CrossCloudBackup";
const TRIGGER = "multicloud:azure:DataFactoryTrigger";
const TOKEN = "eyJ0eXAiOiJKV1QifQ.fake-arm-access-token.c2lnbmF0dXJl";
const IDENTITY_HEADER = "fake-identity-header-secret";

const arm = new FakeArmTriggers();
const identity = new FakeManagedIdentity(TOKEN, IDENTITY_HEADER);
let engine: FakeEngine;
let plugin: provrpc.ResourceProviderClient;

type Props = Record<string, unknown>;
const struct = (value: Props) => Struct.fromJavaScript(value as never);
const unary = <Req, Res>(method: (req: Req, cb: (err: grpc.ServiceError | null, res?: Res) => void) => unknown, req: Req): Promise<Res> =>
  new Promise((resolve, reject) => method.call(plugin, req, (err, res) => (err ? reject(err) : resolve(res!))));

/** The engine's calls for a custom resource, as resource_pb/provider_pb carry them. */
const rpc = {
  check: (urn: string, olds: Props, news: Props) => {
    const req = new provproto.CheckRequest();
    req.setUrn(urn);
    req.setOlds(struct(olds));
    req.setNews(struct(news));
    return unary<provproto.CheckRequest, provproto.CheckResponse>(plugin.check, req).then((r) => ({
      inputs: r.getInputs()!.toJavaScript() as Props,
      failures: r.getFailuresList().map((f) => f.getProperty()),
    }));
  },
  diff: (id: string, urn: string, olds: Props, news: Props) => {
    const req = new provproto.DiffRequest();
    req.setId(id);
    req.setUrn(urn);
    req.setOlds(struct(olds));
    req.setNews(struct(news));
    return unary<provproto.DiffRequest, provproto.DiffResponse>(plugin.diff, req).then((r) => ({ changes: r.getChanges(), replaces: r.getReplacesList() }));
  },
  create: (urn: string, properties: Props) => {
    const req = new provproto.CreateRequest();
    req.setUrn(urn);
    req.setProperties(struct(properties));
    return unary<provproto.CreateRequest, provproto.CreateResponse>(plugin.create, req).then((r) => ({ id: r.getId(), properties: r.getProperties()!.toJavaScript() as Props }));
  },
  read: (id: string, urn: string, properties: Props) => {
    const req = new provproto.ReadRequest();
    req.setId(id);
    req.setUrn(urn);
    req.setProperties(struct(properties));
    return unary<provproto.ReadRequest, provproto.ReadResponse>(plugin.read, req).then((r) => ({ id: r.getId(), properties: (r.getProperties()?.toJavaScript() ?? {}) as Props }));
  },
  update: (id: string, urn: string, olds: Props, news: Props) => {
    const req = new provproto.UpdateRequest();
    req.setId(id);
    req.setUrn(urn);
    req.setOlds(struct(olds));
    req.setNews(struct(news));
    return unary<provproto.UpdateRequest, provproto.UpdateResponse>(plugin.update, req).then((r) => r.getProperties()!.toJavaScript() as Props);
  },
  delete: (id: string, urn: string, properties: Props) => {
    const req = new provproto.DeleteRequest();
    req.setId(id);
    req.setUrn(urn);
    req.setProperties(struct(properties));
    return unary<provproto.DeleteRequest, unknown>(plugin.delete, req);
  },
};

beforeAll(async () => {
  await arm.start();
  await identity.start();
  arm.requiredToken = TOKEN;
  engine = await FakeEngine.start({
    env: {
      MULTICLOUD_OFFLINE: "1",
      // ARM is the fake; the credential is the deployer's environment: here an App Service managed identity.
      MULTICLOUD_ENDPOINT_AZURE_MANAGEMENT: arm.endpoint,
      IDENTITY_ENDPOINT: identity.endpoint,
      IDENTITY_HEADER,
      ARM_CLIENT_ID: "",
      ARM_CLIENT_SECRET: "",
      ARM_TENANT_ID: "",
      AZURE_CLIENT_ID: "",
      AZURE_CLIENT_SECRET: "",
      AZURE_TENANT_ID: "",
      AZURE_FEDERATED_TOKEN_FILE: "",
    },
  });
  plugin = new provrpc.ResourceProviderClient(`127.0.0.1:${engine.pluginPort}`, grpc.credentials.createInsecure());
}, 60_000);

afterAll(async () => {
  plugin?.close();
  await engine?.stop();
  await arm.stop();
  await identity.stop();
});

/** Constructs an S3 -> Azure Blob backup as a YAML program would, and returns the trigger it registered. */
async function constructTrigger(rpoHours: number): Promise<Registration> {
  engine.reset();
  await engine.construct({
    type: BACKUP,
    name: "orders",
    inputs: {
      source: { provider: "aws", region: "us-east-1", bucket: "acme-orders" },
      destination: { provider: "azure", region: "westeurope" },
      sizeGiB: 512,
      dailyChangeGiB: 5,
      rpoHours,
      retentionDays: 30,
    },
  });
  const triggers = engine.registrations.filter((r) => r.name === "orders-schedule");
  expect(triggers).toHaveLength(1);
  return triggers[0]!;
}

const interval = (props: Props) => ((props.properties as Props).typeProperties as { recurrence: { frequency: string; interval: number } }).recurrence;

describe("the backup's trigger, served by the plugin", () => {
  it("is registered as the package's custom resource, then created, updated, refreshed and deleted through the plugin's own gRPC methods", async () => {
    // Construct: the trigger is a custom resource of this package, with no serialized provider.
    const first = await constructTrigger(24);
    expect(first).toMatchObject({ type: TRIGGER, custom: true, urn: `urn:pulumi:dev::proj::${BACKUP}$${TRIGGER}::orders-schedule` });
    expect(engine.registrations.filter((r) => r.type.startsWith("pulumi-nodejs:"))).toEqual([]);
    expect(first.object).not.toHaveProperty("__provider");
    expect(first.object).toMatchObject({ armEndpoint: "https://management.azure.com", subscriptionId: "subscription", triggerName: "backup-schedule" });
    const urn = first.urn;

    // Create, as the engine does it: Check the registered inputs, then Create with what Check returned.
    const checked = await rpc.check(urn, {}, first.object);
    expect(checked.failures).toEqual([]);
    arm.log.length = 0;
    const created = await rpc.create(urn, checked.inputs);
    expect(arm.log).toEqual(["PUT backup-schedule", "POST backup-schedule/start"]);
    expect(created.id).toMatch(/^\/subscriptions\/subscription\/resourceGroups\/[^/]+\/providers\/Microsoft\.DataFactory\/factories\/[^/]+\/triggers\/backup-schedule$/);
    expect(arm.at(created.id)?.runtimeState).toBe("Started");
    expect(created.properties).toMatchObject({ ...checked.inputs, runtimeState: "Started" });
    // The deployer's identity signed every ARM call (and the state keeps ARM's real address).
    expect(new Set(arm.authorizations)).toEqual(new Set([`Bearer ${TOKEN}`]));
    expect(identity.requests[0]).toEqual({ resource: "https://management.azure.com", apiVersion: "2019-08-01" });
    expect(created.properties.armEndpoint).toBe("https://management.azure.com");

    // A new rpoHours: the same trigger, updated in place (no replacement): stop, PUT, start.
    const second = await constructTrigger(6);
    expect(second.urn).toBe(urn);
    expect(interval(second.object)).not.toEqual(interval(first.object));
    const rechecked = await rpc.check(urn, checked.inputs, second.object);
    expect(await rpc.diff(created.id, urn, created.properties, rechecked.inputs)).toEqual({ changes: provproto.DiffResponse.DiffChanges.DIFF_SOME, replaces: [] });
    expect((await rpc.diff(created.id, urn, created.properties, checked.inputs)).changes).toBe(provproto.DiffResponse.DiffChanges.DIFF_NONE);
    expect((await rpc.diff(created.id, urn, created.properties, { ...rechecked.inputs, factoryName: "another-factory" })).replaces).toEqual(["factoryName"]);
    arm.log.length = 0;
    const updated = await rpc.update(created.id, urn, created.properties, rechecked.inputs);
    expect(arm.log).toEqual(["POST backup-schedule/stop", "PUT backup-schedule", "POST backup-schedule/start"]);
    expect(arm.at(created.id)).toMatchObject({ runtimeState: "Started", properties: { typeProperties: { recurrence: interval(second.object) } } });
    expect(updated).toMatchObject({ ...rechecked.inputs, runtimeState: "Started" });

    // Refresh reads the runtime state Azure reports.
    expect(await rpc.read(created.id, urn, updated)).toMatchObject({ id: created.id, properties: { runtimeState: "Started" } });

    // Delete: stop, then DELETE; a refresh then finds it gone.
    arm.log.length = 0;
    await rpc.delete(created.id, urn, updated);
    expect(arm.log).toEqual(["POST backup-schedule/stop", "DELETE backup-schedule"]);
    expect(arm.at(created.id)).toBeUndefined();
    expect((await rpc.read(created.id, urn, updated)).id).toBe("");

    // The access token stayed in the Authorization header: not in state, not in logs.
    const everything = JSON.stringify([created, updated, engine.registrations, engine.logs]) + engine.pluginStderr;
    expect(everything).not.toContain(TOKEN);
    expect(everything).not.toContain(IDENTITY_HEADER);
  }, 180_000);

  it("rejects inputs that are not a trigger in Check, naming the field", async () => {
    const urn = `urn:pulumi:dev::proj::${BACKUP}$${TRIGGER}::orders-schedule`;
    const { failures } = await rpc.check(urn, {}, { armEndpoint: "https://management.azure.com", subscriptionId: "s", resourceGroupName: "rg", factoryName: "", triggerName: "t", properties: {} });
    expect(failures).toEqual(["factoryName", "properties.type"]);
  }, 60_000);

  it("fails an ARM refusal with the call and the service's answer", async () => {
    const urn = `urn:pulumi:dev::proj::${BACKUP}$${TRIGGER}::orders-schedule`;
    const bad = { armEndpoint: "https://management.azure.com", subscriptionId: "s", resourceGroupName: "rg", factoryName: "adf", triggerName: "bad", properties: { type: "NoSuchTrigger" } };
    await expect(rpc.create(urn, bad)).rejects.toThrow(/PUT \S*\/subscriptions\/s\/resourceGroups\/rg\/providers\/Microsoft\.DataFactory\/factories\/adf\/triggers\/bad failed: HTTP 400 .*invalid reference or type/);
  }, 60_000);

  it("answers a type it does not serve with the types it does", async () => {
    await expect(rpc.create("urn:pulumi:dev::proj::multicloud:azure:DataFactoryTriger::x", {})).rejects.toThrow(/unknown resource type multicloud:azure:DataFactoryTriger.*did you mean.*DataFactoryTrigger/i);
  }, 60_000);
});
