/**
 * A fake Pulumi engine for the plugin, over the real gRPC protocol (the protos bundled with
 * @pulumi/pulumi): it starts the plugin as the engine does (`node <PulumiPlugin.yaml main>
 * <engine address>`, reading the port it prints), configures it, and sends Construct requests the
 * way the engine forwards a Pulumi YAML or Python program's component (project, stack, config,
 * dryRun, the monitor's address, inputs as a Struct with the wire's special values, their
 * dependencies, the providers map). It serves the two services the plugin's SDK calls back:
 *
 * - ResourceMonitor: SupportsFeature (what the engine supports), RegisterResource (recorded, and
 *   answered as the engine does: a URN built from the parent chain; in a preview no id and the
 *   inputs as state; in an update an id and the state a cloud provider computes on create),
 *   RegisterResourceOutputs (recorded), Invoke (`pulumi:pulumi:getResource` for references to the
 *   program's resources, and the cloud lookups the components make, answered as the providers
 *   do; any other token is an error naming it, so an unexpected lookup shows).
 * - Engine: Log (recorded), Get/SetRootResource.
 *
 * What is faked is only what lies beyond the plugin's edge: the engine and the cloud providers.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as resrpc from "@pulumi/pulumi/proto/resource_grpc_pb";
import * as resproto from "@pulumi/pulumi/proto/resource_pb";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import * as engrpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as engproto from "@pulumi/pulumi/proto/engine_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { parse } from "yaml";

const ROOT = path.resolve(__dirname, "../..");

/** Monitor features the engine reports as supported (pulumi 3.x engines support all of these). */
const FEATURES = new Set(["secrets", "resourceReferences", "outputValues", "deletedWith", "aliasSpecs", "transforms", "invokeTransforms", "parameterization", "resourceHooks"]);

export interface Registration {
  type: string;
  name: string;
  urn: string;
  parent: string;
  custom: boolean;
  remote: boolean;
  /** Provider reference (`urn::id`) the resource was registered with ("" for the default). */
  provider: string;
  /** Inputs as sent, with the wire's special values (secrets, output values, references). */
  object: Record<string, unknown>;
  /** Per input property, the URNs it depends on. */
  propertyDependencies: Record<string, string[]>;
  dependencies: string[];
}

export interface LogEntry {
  severity: string;
  message: string;
  urn: string;
}

/** A resource of the program (outside the component) that inputs may reference. */
export interface ProgramResource {
  type: string;
  name: string;
  id: string;
  state?: Record<string, unknown>;
}

export interface ConstructInput {
  type: string;
  name: string;
  /** Inputs with the wire's special values (./engine-wire.ts). */
  inputs: Record<string, unknown>;
  /** Per input property, the URNs of the resources it depends on (what the SDKs record). */
  inputDependencies?: Record<string, string[]>;
  /** Package name -> provider reference (`urn::id`), from the program's `providers` option. */
  providers?: Record<string, string>;
  dryRun?: boolean;
  config?: Record<string, string>;
  configSecretKeys?: string[];
}

export interface ConstructOutcome {
  urn: string;
  state: Record<string, unknown>;
  stateDependencies: Record<string, string[]>;
}

const SEVERITY: Record<number, string> = {
  [engproto.LogSeverity.DEBUG]: "debug",
  [engproto.LogSeverity.INFO]: "info",
  [engproto.LogSeverity.WARNING]: "warning",
  [engproto.LogSeverity.ERROR]: "error",
};

export class FakeEngine {
  readonly project = "proj";
  readonly stack = "dev";
  readonly registrations: Registration[] = [];
  readonly outputs = new Map<string, Record<string, unknown>>();
  readonly invokes: { token: string; args: Record<string, unknown>; provider: string }[] = [];
  readonly logs: LogEntry[] = [];
  private readonly program = new Map<string, ProgramResource>();
  private dryRun = false;
  private plugin?: ChildProcess;
  /** The loopback port the plugin announced on stdout. */
  pluginPort = 0;
  private client?: provrpc.ResourceProviderClient;
  private stderr = "";

  private constructor(
    private readonly server: grpc.Server,
    readonly address: string,
  ) {}

  /** Starts the monitor and engine services on a loopback port, then the plugin. */
  static async start(options: { env?: Record<string, string> } = {}): Promise<FakeEngine> {
    const server = new grpc.Server();
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
    );
    const engine = new FakeEngine(server, `127.0.0.1:${port}`);
    server.addService(resrpc.ResourceMonitorService, engine.monitorService() as unknown as grpc.UntypedServiceImplementation);
    server.addService(engrpc.EngineService, engine.engineService() as unknown as grpc.UntypedServiceImplementation);
    await engine.startPlugin(options.env ?? {});
    return engine;
  }

  get stackUrn(): string {
    return `urn:pulumi:${this.stack}::${this.project}::pulumi:pulumi:Stack::${this.project}-${this.stack}`;
  }

  /** Adds a resource of the program; returns its URN (for references and dependencies). */
  addProgramResource(resource: ProgramResource): string {
    const urn = `urn:pulumi:${this.stack}::${this.project}::${resource.type}::${resource.name}`;
    this.program.set(urn, resource);
    return urn;
  }

  /** Forgets what earlier Construct calls registered, logged and invoked. */
  reset(): void {
    this.registrations.length = 0;
    this.outputs.clear();
    this.invokes.length = 0;
    this.logs.length = 0;
  }

  /** Registrations of one type, sorted by name. */
  ofType(type: string): Registration[] {
    return this.registrations.filter((r) => r.type === type).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** GetSchema, as the engine asks it before generating an SDK or checking a program. */
  async getSchema(): Promise<string> {
    const req = new provproto.GetSchemaRequest();
    req.setVersion(0);
    const res = await new Promise<provproto.GetSchemaResponse>((resolve, reject) => this.client!.getSchema(req, (err, r) => (err ? reject(err) : resolve(r!))));
    return res.getSchema();
  }

  /** Sends Construct; resolves with the component's URN and state, rejects with the plugin's gRPC error. */
  async construct(input: ConstructInput): Promise<ConstructOutcome> {
    this.dryRun = input.dryRun ?? false;
    const req = new provproto.ConstructRequest();
    req.setProject(this.project);
    req.setStack(this.stack);
    req.setOrganization("organization");
    for (const [k, v] of Object.entries(input.config ?? {})) req.getConfigMap().set(k, v);
    req.setConfigsecretkeysList(input.configSecretKeys ?? []);
    req.setDryrun(this.dryRun);
    req.setParallel(16);
    req.setMonitorendpoint(this.address);
    req.setType(input.type);
    req.setName(input.name);
    req.setParent(this.stackUrn);
    req.setInputs(Struct.fromJavaScript(input.inputs as never));
    for (const [key, urns] of Object.entries(input.inputDependencies ?? {})) {
      const deps = new provproto.ConstructRequest.PropertyDependencies();
      deps.setUrnsList(urns);
      req.getInputdependenciesMap().set(key, deps);
    }
    for (const [pkg, ref] of Object.entries(input.providers ?? {})) req.getProvidersMap().set(pkg, ref);
    req.setAcceptsOutputValues(true);
    const res = await new Promise<provproto.ConstructResponse>((resolve, reject) =>
      this.client!.construct(req, (err, r) => (err ? reject(err) : resolve(r!))),
    );
    const stateDependencies: Record<string, string[]> = {};
    res.getStatedependenciesMap().forEach((deps, key) => (stateDependencies[key] = deps.getUrnsList()));
    return { urn: res.getUrn(), state: (res.getState()?.toJavaScript() ?? {}) as Record<string, unknown>, stateDependencies };
  }

  async stop(): Promise<void> {
    this.client?.close();
    if (this.plugin?.exitCode === null) {
      const exited = new Promise((resolve) => this.plugin!.once("exit", resolve));
      this.plugin.kill();
      await exited;
    }
    await new Promise<void>((resolve) => this.server.tryShutdown(() => resolve()));
  }

  /** The plugin as the engine starts it: the manifest's entry, with the engine's address as argument. */
  private async startPlugin(env: Record<string, string>): Promise<void> {
    const manifest = parse(fs.readFileSync(path.join(ROOT, "PulumiPlugin.yaml"), "utf8")) as { runtime: string; main: string };
    if (manifest.runtime !== "nodejs") throw new Error(`PulumiPlugin.yaml: runtime ${manifest.runtime}, expected nodejs`);
    const entry = path.join(ROOT, manifest.main);
    if (!fs.existsSync(entry)) throw new Error(`${manifest.main} does not exist: run \`npm run build\` first`);
    const plugin = spawn(process.execPath, [entry, this.address], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } });
    this.plugin = plugin;
    plugin.stderr!.on("data", (chunk: Buffer) => (this.stderr += chunk.toString()));
    const port = await new Promise<number>((resolve, reject) => {
      let out = "";
      const onData = (chunk: Buffer) => {
        out += chunk.toString();
        const line = out.split("\n")[0]!;
        if (out.includes("\n")) {
          plugin.stdout!.off("data", onData);
          resolve(Number(line.trim()));
        }
      };
      plugin.stdout!.on("data", onData);
      plugin.once("exit", (code) => reject(new Error(`plugin exited with ${code}: ${this.stderr}`)));
    });
    if (!Number.isInteger(port) || port <= 0) throw new Error(`plugin printed no port: ${this.stderr}`);
    this.pluginPort = port;
    this.client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    // The engine configures every provider before using it, and checks it accepts secrets, resources and outputs.
    const configure = new provproto.ConfigureRequest();
    configure.setAcceptsecrets(true);
    configure.setAcceptresources(true);
    const configured = await new Promise<provproto.ConfigureResponse>((resolve, reject) =>
      this.client!.configure(configure, (err, r) => (err ? reject(err) : resolve(r!))),
    );
    if (!configured.getAcceptsecrets() || !configured.getAcceptresources() || !configured.getAcceptoutputs()) {
      throw new Error("the plugin does not accept secrets, resources and output values: the engine could not construct its components");
    }
  }

  /** stderr of the plugin so far (its crash output, if any). */
  get pluginStderr(): string {
    return this.stderr;
  }

  private urnFor(type: string, name: string, parent: string): string {
    const parentType = parent && parent !== this.stackUrn ? parent.split("::")[2] : undefined;
    return `urn:pulumi:${this.stack}::${this.project}::${parentType ? `${parentType}$` : ""}${type}::${name}`;
  }

  private monitorService() {
    type Unary<Req, Res> = (call: grpc.ServerUnaryCall<Req, Res>, callback: grpc.sendUnaryData<Res>) => void;
    const supportsFeature: Unary<resproto.SupportsFeatureRequest, resproto.SupportsFeatureResponse> = (call, callback) => {
      const res = new resproto.SupportsFeatureResponse();
      res.setHassupport(FEATURES.has(call.request.getId()));
      callback(null, res);
    };
    const registerResource: Unary<resproto.RegisterResourceRequest, resproto.RegisterResourceResponse> = (call, callback) => {
      const req = call.request;
      const object = (req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>;
      const urn = this.urnFor(req.getType(), req.getName(), req.getParent());
      const propertyDependencies: Record<string, string[]> = {};
      req.getPropertydependenciesMap().forEach((deps, key) => (propertyDependencies[key] = deps.getUrnsList()));
      this.registrations.push({
        type: req.getType(),
        name: req.getName(),
        urn,
        parent: req.getParent(),
        custom: req.getCustom(),
        remote: req.getRemote(),
        provider: req.getProvider(),
        object,
        propertyDependencies,
        dependencies: req.getDependenciesList(),
      });
      const res = new resproto.RegisterResourceResponse();
      res.setUrn(urn);
      if (req.getCustom()) {
        // A preview plans the create: no id, the inputs as state (the rest unknown).
        res.setId(this.dryRun ? "" : `${req.getName()}-id`);
        res.setObject(Struct.fromJavaScript((this.dryRun ? object : { ...object, ...computedOnCreate(req.getType(), req.getName(), object) }) as never));
      } else {
        res.setObject(Struct.fromJavaScript({}));
      }
      callback(null, res);
    };
    const registerResourceOutputs: Unary<resproto.RegisterResourceOutputsRequest, Empty> = (call, callback) => {
      this.outputs.set(call.request.getUrn(), (call.request.getOutputs()?.toJavaScript() ?? {}) as Record<string, unknown>);
      callback(null, new Empty());
    };
    const invoke: Unary<resproto.ResourceInvokeRequest, provproto.InvokeResponse> = (call, callback) => {
      const token = call.request.getTok();
      const args = (call.request.getArgs()?.toJavaScript() ?? {}) as Record<string, unknown>;
      this.invokes.push({ token, args, provider: call.request.getProvider() });
      const answer = this.answerInvoke(token, args);
      if (answer === undefined) {
        callback({ code: grpc.status.UNKNOWN, details: `the fake engine has no answer for invoke ${token}` }, null);
        return;
      }
      const res = new provproto.InvokeResponse();
      res.setReturn(Struct.fromJavaScript(answer as never));
      callback(null, res);
    };
    const empty: Unary<unknown, Empty> = (_call, callback) => callback(null, new Empty());
    return { supportsFeature, registerResource, registerResourceOutputs, invoke, signalAndWaitForShutdown: empty };
  }

  private engineService() {
    return {
      log: (call: grpc.ServerUnaryCall<engproto.LogRequest, Empty>, callback: grpc.sendUnaryData<Empty>) => {
        this.logs.push({ severity: SEVERITY[call.request.getSeverity()] ?? "info", message: call.request.getMessage(), urn: call.request.getUrn() });
        callback(null, new Empty());
      },
      getRootResource: (_call: unknown, callback: grpc.sendUnaryData<engproto.GetRootResourceResponse>) => {
        const res = new engproto.GetRootResourceResponse();
        res.setUrn(this.stackUrn);
        callback(null, res);
      },
      setRootResource: (_call: unknown, callback: grpc.sendUnaryData<engproto.SetRootResourceResponse>) => callback(null, new engproto.SetRootResourceResponse()),
    };
  }

  /** What the engine and the cloud providers answer; undefined for a lookup nobody here makes. */
  private answerInvoke(token: string, args: Record<string, unknown>): Record<string, unknown> | undefined {
    switch (token) {
      case "pulumi:pulumi:getResource": {
        // The engine answers with the referenced resource's state.
        const urn = args.urn as string;
        const resource = this.program.get(urn);
        return resource ? { urn, id: resource.id, state: resource.state ?? {} } : undefined;
      }
      case "aws:ec2/getAmi:getAmi": {
        const filters = args.filters as { name: string; values: string[] }[];
        const arch = filters.find((f) => f.name === "architecture")?.values[0] ?? "x86_64";
        return { id: `ami-ubuntu-${arch}`, architecture: arch, rootDeviceName: "/dev/sda1" };
      }
      case "aws:index/getAvailabilityZones:getAvailabilityZones":
        return { id: "zones", names: ["a", "b", "c"].map((z) => `us-east-1${z}`), zoneIds: [] };
      case "aws:lb/getHostedZoneId:getHostedZoneId":
        // The AWS provider answers from its table of ELB endpoints, without an AWS call (traffic.dns alias records).
        return { id: `ZNLB-${String(args.region)}`, region: args.region, loadBalancerType: args.loadBalancerType };
      case "aws:ec2/getVpc:getVpc":
        return { id: args.id, cidrBlock: "172.31.0.0/16", cidrBlockAssociations: [] };
      case "azure-native:storage:listStorageAccountServiceSAS":
        return { serviceSasToken: "sv=2024-11-04&sr=c&sp=rl&sig=FAKESIGNATURE" };
      case "azure-native:authorization:getClientConfig":
        return { clientId: "client", objectId: "object", subscriptionId: "subscription", tenantId: "tenant" };
      case "aws:index/getCallerIdentity:getCallerIdentity":
        return { accountId: "123456789012", arn: "arn:aws:iam::123456789012:user/ci", id: "123456789012", userId: "AIDA" };
      case "gcp:storage/getTransferProjectServiceAccount:getTransferProjectServiceAccount":
        return { email: "project-1@storage-transfer-service.iam.gserviceaccount.com", id: "p", subjectId: "1" };
      case "gcp:storage/getProjectServiceAccount:getProjectServiceAccount":
        return { emailAddress: "service-1@gs-project-accounts.iam.gserviceaccount.com", id: "p", member: "serviceAccount:service-1@gs-project-accounts.iam.gserviceaccount.com" };
      default:
        return undefined;
    }
  }
}

/** Outputs a cloud provider computes on create (names, links, ARNs), so that children's outputs resolve. */
function computedOnCreate(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { name: inputs.name ?? `${name}-1a2b3c` };
  if (type.startsWith("gcp:")) out.selfLink = `https://www.googleapis.com/compute/v1/projects/p/${name}`;
  if (type === "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager") {
    out.instanceGroup = `https://www.googleapis.com/compute/v1/projects/p/regions/${String(inputs.region)}/instanceGroups/${name}`;
  }
  if (type === "aws:ec2/launchTemplate:LaunchTemplate") out.latestVersion = 1;
  if (type === "aws:ec2/eip:Eip") out.allocationId = `${name}-id`;
  // Load balancers' ARNs and DNS name, and the addresses Azure and GCP assign (documentation ranges): what traffic.dns records take.
  if (type === "aws:lb/loadBalancer:LoadBalancer" || type === "aws:lb/targetGroup:TargetGroup") {
    const kind = type.endsWith("TargetGroup") ? "targetgroup" : "net";
    out.arn = `arn:aws:elasticloadbalancing:us-east-1:123456789012:${kind === "net" ? "loadbalancer/net" : kind}/${String(inputs.name ?? name)}/0123456789abcdef`;
    out.arnSuffix = `${kind}/${String(inputs.name ?? name)}/0123456789abcdef`;
    if (kind === "net") out.dnsName = `${String(inputs.name ?? name)}-0123456789abcdef.elb.amazonaws.com`;
  }
  if (type === "azure-native:network:PublicIPAddress") out.ipAddress = "198.51.100.7";
  if (type === "gcp:compute/forwardingRule:ForwardingRule") out.ipAddress = inputs.ipAddress ?? "203.0.113.9";
  if (type === "azure-native:network:VirtualNetwork") {
    out.subnets = ((inputs.subnets ?? []) as { name: string }[]).map((s) => ({ ...s, id: `/subscriptions/s/virtualNetworks/${name}/subnets/${s.name}` }));
  }
  return out;
}
