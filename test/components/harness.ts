/**
 * Test harness for the components under Pulumi's own mocks (`pulumi.runtime.setMocks`), plus a
 * loopback fake of the Pulumi engine's gRPC Log service, so tests see what a user sees in
 * `pulumi preview` (messages, severities, and the resource each is attached to).
 *
 * The mocks record every registered resource with its inputs and answer only the invokes a
 * workload makes (aws getAmi, aws getAvailabilityZones), the way the AWS provider would: any other
 * invoke throws, so an unexpected lookup shows. In preview mode, like the engine, new resources get
 * no id and no computed outputs (they are unknown).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as pulumi from "@pulumi/pulumi";
import * as engrpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as engproto from "@pulumi/pulumi/proto/engine_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import type { InstanceOffer } from "../../core/catalog/offer";
import { catalogCsv } from "../helpers/catalog";
import { skipUnreadPromiseStacks } from "../../provider/promise-stacks";

// As the plugin does: the SDK's per-promise stacks are read only by PULUMI_DEBUG_PROMISE_LEAKS.
skipUnreadPromiseStacks();

export interface Recorded {
  type: string;
  name: string;
  inputs: Record<string, any>;
  /** Provider reference (`urn::id`) the resource was registered with. */
  provider?: string;
}

export interface LogEntry {
  severity: "debug" | "info" | "warning" | "error";
  message: string;
  urn: string;
}

export interface Harness {
  resources: Recorded[];
  invokes: { token: string; inputs: Record<string, any>; provider?: string }[];
  logs: LogEntry[];
  /** Resources of a type, sorted by name. */
  ofType(type: string): Recorded[];
  /** URN of every registered resource (from the mock resource monitor). */
  urns(): string[];
  /** Waits until every registration, invoke and log message sent so far reached the engine. */
  settle(): Promise<void>;
}

// The SDK's own "wait for outstanding RPCs" (what `pulumi up` does before exiting); not in its typings.
const runtimeSettings = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> };

const SEVERITY: Record<number, LogEntry["severity"]> = {
  [engproto.LogSeverity.DEBUG]: "debug",
  [engproto.LogSeverity.INFO]: "info",
  [engproto.LogSeverity.WARNING]: "warning",
  [engproto.LogSeverity.ERROR]: "error",
};

let engine: { address: string; logs: LogEntry[] } | undefined;

/** Starts (once per test file) a loopback gRPC server speaking the engine's Log RPC. */
async function fakeEngine(): Promise<{ address: string; logs: LogEntry[] }> {
  if (engine) return engine;
  const logs: LogEntry[] = [];
  const server = new grpc.Server();
  server.addService(engrpc.EngineService, {
    log: (call: grpc.ServerUnaryCall<engproto.LogRequest, Empty>, callback: grpc.sendUnaryData<Empty>) => {
      const req = call.request;
      logs.push({ severity: SEVERITY[req.getSeverity()] ?? "info", message: req.getMessage(), urn: req.getUrn() });
      callback(null, new Empty());
    },
  } as unknown as grpc.UntypedServiceImplementation);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  engine = { address: `127.0.0.1:${port}`, logs };
  return engine;
}

export interface HarnessOptions {
  preview?: boolean;
  stack?: string;
  /** Stack config, e.g. { "multicloud:placements": {...} } (objects are passed as JSON, like structured config). */
  config?: Record<string, unknown>;
}

export async function setupPulumi(options: HarnessOptions = {}): Promise<Harness> {
  const preview = options.preview ?? false;
  const stack = options.stack ?? "dev";
  const { address, logs } = await fakeEngine();
  logs.length = 0;
  const resources: Recorded[] = [];
  const invokes: Harness["invokes"] = [];
  const providerInputs = new Map<string, Record<string, any>>();

  pulumi.runtime.resetOptions("project", stack, -1, address, "", preview, "");
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        resources.push({ type: args.type, name: args.name, inputs: args.inputs, provider: args.provider || undefined });
        const id = `${args.name}_id`;
        if (args.type.startsWith("pulumi:providers:")) providerInputs.set(args.name, args.inputs);
        if (preview) return { id: undefined, state: args.inputs };
        return { id, state: { ...args.inputs, ...computed(args.type, args.name, args.inputs) } };
      },
      call(args) {
        invokes.push({ token: args.token, inputs: args.inputs, provider: args.provider });
        // A provider reference is `urn::id`; the URN's last part is the provider's name.
        const region = providerInputs.get(args.provider?.split("::")[3] ?? "")?.region ?? "no-region";
        if (args.token === "aws:ec2/getAmi:getAmi") {
          // As EC2 answers: Canonical's Ubuntu images boot from /dev/sda1; a given image (looked up by
          // id) is answered as an Amazon Linux one, booting from /dev/xvda.
          const filters = args.inputs.filters as { name: string; values: string[] }[];
          const byId = filters.find((f) => f.name === "image-id")?.values[0];
          if (byId) return { id: byId, architecture: "x86_64", rootDeviceName: "/dev/xvda" };
          const arch = filters.find((f) => f.name === "architecture")?.values[0];
          return { id: `ami-${arch}-${region}`, architecture: arch, rootDeviceName: "/dev/sda1" };
        }
        if (args.token === "aws:index/getAvailabilityZones:getAvailabilityZones") {
          return { id: region, names: ["a", "b", "c"].map((z) => `${region}${z}`), zoneIds: [] };
        }
        if (args.token === "aws:ec2/getVpc:getVpc") {
          // A given VPC (looked up for its ranges when a load balancer's health checks must be admitted).
          return { id: args.inputs.id, cidrBlock: "172.31.0.0/16", cidrBlockAssociations: [{ associationId: "a", cidrBlock: "172.31.0.0/16", state: "associated" }] };
        }
        if (args.token === "aws:lb/getHostedZoneId:getHostedZoneId") {
          // The provider answers from its table of ELB endpoints, without an AWS call (traffic.dns alias records).
          return { id: `ZNLB-${args.inputs.region ?? region}`, region: args.inputs.region ?? region, loadBalancerType: args.inputs.loadBalancerType };
        }
        throw new Error(`unexpected invoke ${args.token}`);
      },
    },
    "project",
    stack,
    preview,
  );
  pulumi.runtime.setAllConfig(
    Object.fromEntries(Object.entries(options.config ?? {}).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)])),
  );

  return {
    resources,
    invokes,
    logs,
    ofType: (type) => resources.filter((r) => r.type === type).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    urns: () => {
      const monitor = pulumi.runtime.getMonitor() as unknown as { getRegisteredResources(): Map<string, unknown> };
      return [...monitor.getRegisteredResources().keys()];
    },
    settle: async () => {
      await runtimeSettings.waitForRPCs();
      // Log messages are delivered in order: once this one is delivered, all earlier ones are.
      await pulumi.log.debug("settled");
    },
  };
}

/** Outputs a provider computes on create (names, links), so that outputs of children resolve. */
function computed(type: string, name: string, inputs: Record<string, any>): Record<string, unknown> {
  const out: Record<string, unknown> = { name: inputs.name ?? `${name}-1a2b3c` };
  if (type.startsWith("gcp:")) {
    out.selfLink = `https://www.googleapis.com/compute/v1/projects/p/${name}`;
    out.selfLinkUnique = `https://www.googleapis.com/compute/v1/projects/p/${name}?uniqueId=7`;
  }
  // A regional MIG's instance group (what backend services take), distinct from the manager's selfLink.
  if (type === "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager") {
    out.instanceGroup = `https://www.googleapis.com/compute/v1/projects/p/regions/${inputs.region}/instanceGroups/${name}`;
  }
  // A forwarding rule's address: internal from the subnetwork, external from Google's pool.
  if (type === "gcp:compute/forwardingRule:ForwardingRule") out.ipAddress = inputs.ipAddress ?? (inputs.loadBalancingScheme === "INTERNAL" ? "10.59.0.9" : "203.0.113.9");
  // A new launch template is at version 1 (AWS numbers versions from 1); groups reference it.
  if (type === "aws:ec2/launchTemplate:LaunchTemplate") out.latestVersion = 1;
  // A VPC Elastic IP's allocation id is its id (eipalloc-...); NAT gateways take it.
  if (type === "aws:ec2/eip:Eip") out.allocationId = `${name}_id`;
  // Load balancers and target groups: their ARNs (listeners and groups take them) and DNS name.
  if (type === "aws:lb/loadBalancer:LoadBalancer" || type === "aws:lb/targetGroup:TargetGroup") {
    out.arn = `arn:aws:elasticloadbalancing:r:123456789012:${type.endsWith("TargetGroup") ? "targetgroup" : "loadbalancer/net"}/${inputs.name ?? name}/0123456789abcdef`;
    if (type.endsWith("LoadBalancer")) out.dnsName = `${inputs.name ?? name}-0123456789abcdef.elb.amazonaws.com`;
    // The CloudWatch dimension values: the ARN's last part (net/<name>/<id>, targetgroup/<name>/<id>).
    out.arnSuffix = `${type.endsWith("TargetGroup") ? "targetgroup" : "net"}/${inputs.name ?? name}/0123456789abcdef`;
  }
  if (type === "azure-native:network:VirtualNetwork") {
    out.subnets = (inputs.subnets as { name: string }[]).map((s) => ({ ...s, id: `/subscriptions/s/virtualNetworks/${name}/subnets/${s.name}` }));
  }
  return out;
}

/** The value of an Output (rejects when the Output does); `undefined` when it is unknown. */
export async function valueOf<T>(output: pulumi.Output<T>): Promise<T | undefined> {
  const value = await (output as unknown as { promise(withUnknowns?: boolean): Promise<T> }).promise(true);
  return pulumi.isUnknown(value) ? undefined : value;
}

export async function isKnown(output: pulumi.Output<unknown>): Promise<boolean> {
  return (output as unknown as { isKnown: Promise<boolean> }).isKnown;
}

/** Writes a catalog CSV (DESIGN.md format) to a temporary file; returns its path. */
export function catalogFile(offers: InstanceOffer[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "multicloud-catalog-"));
  const file = path.join(dir, "catalog.csv");
  fs.writeFileSync(file, catalogCsv(offers));
  return file;
}
