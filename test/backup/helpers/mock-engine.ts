/**
 * A faithful fake of the Pulumi engine at the system edge, on Pulumi's own mocks
 * (`pulumi.runtime.setMocks`): it records every registered resource with its raw inputs (secret
 * markers kept, as the engine would store them), answers the invokes a backup makes with
 * plausible provider results (any other invoke throws, so gaps show), computes the outputs the
 * providers would (ARNs, names, keys), and, as the engine does, marks a resource's
 * `additionalSecretOutputs` secret. Nothing here knows the component under test.
 */
import * as pulumi from "@pulumi/pulumi";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { skipUnreadPromiseStacks } from "../../../provider/promise-stacks";

// As the plugin does: the SDK's per-promise stacks are read only by PULUMI_DEBUG_PROMISE_LEAKS.
skipUnreadPromiseStacks();

export interface Recorded {
  type: string;
  name: string;
  /** Inputs as sent to the engine; secret values are `{ [specialSigKey]: specialSecretSig, value }`. */
  inputs: Record<string, any>;
  /** Resource options the engine acts on that are not inputs (only those set). */
  options?: { replacementTrigger?: unknown; dependsOn?: string[] };
}

export const ACCOUNT_ID = "123456789012";
export const STS_SUBJECT = "109876543210987654321";
export const STS_EMAIL = "project-1234@storage-transfer-service.iam.gserviceaccount.com";
export const MOCK_SECRETS = { awsSecret: "mock-aws-secret-key", hmacSecret: "mock-hmac-secret", sas: "sv=2022-11-02&sr=c&sp=rl&sig=mock-sas" };

const INVOKES: Record<string, (inputs: any) => Record<string, unknown>> = {
  "gcp:storage/getTransferProjectServiceAccount:getTransferProjectServiceAccount": () => ({
    email: STS_EMAIL,
    subjectId: STS_SUBJECT,
    member: `serviceAccount:${STS_EMAIL}`,
    id: "proj",
    project: "proj",
  }),
  "gcp:storage/getProjectServiceAccount:getProjectServiceAccount": () => ({ emailAddress: "service-1234@gs-project-accounts.iam.gserviceaccount.com", id: "proj", project: "proj", member: "" }),
  "aws:index/getCallerIdentity:getCallerIdentity": () => ({ accountId: ACCOUNT_ID, arn: `arn:aws:iam::${ACCOUNT_ID}:user/deployer`, userId: "AIDAMOCK", id: ACCOUNT_ID }),
  "azure-native:storage:listStorageAccountServiceSAS": () => ({ serviceSasToken: MOCK_SECRETS.sas }),
  "azure-native:authorization:getClientConfig": () => ({ subscriptionId: "00000000-0000-0000-0000-000000000001", tenantId: "tenant", clientId: "client", objectId: "object" }),
};

const unwrap = (v: any): any => (v && v[specialSigKey] === specialSecretSig ? v.value : v);

/** Outputs a provider computes, by resource type. */
function computed(type: string, name: string, inputs: Record<string, any>): { id: string; outputs: Record<string, unknown> } {
  const region = unwrap(inputs.region) ?? "us-east-1";
  const azureId = (kind: string, n: string) => `/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/${kind}/${n}`;
  switch (type) {
    case "aws:s3/bucket:Bucket":
      return { id: inputs.bucket, outputs: { arn: `arn:aws:s3:::${inputs.bucket}` } };
    case "aws:iam/role:Role":
      return { id: inputs.name, outputs: { arn: `arn:aws:iam::${ACCOUNT_ID}:role/${inputs.name}` } };
    case "aws:iam/user:User":
      return { id: inputs.name, outputs: { arn: `arn:aws:iam::${ACCOUNT_ID}:user/${inputs.name}` } };
    case "aws:iam/accessKey:AccessKey":
      return { id: "AKIAMOCKREADER", outputs: { secret: MOCK_SECRETS.awsSecret } };
    case "aws:datasync/task:Task":
      return { id: `task-${name}`, outputs: { arn: `arn:aws:datasync:${region}:${ACCOUNT_ID}:task/task-${name}` } };
    case "aws:sns/topic:Topic":
      return { id: name, outputs: { arn: `arn:aws:sns:${region}:${ACCOUNT_ID}:${inputs.name}` } };
    case "aws:cloudwatch/eventRule:EventRule":
      return { id: inputs.name, outputs: { arn: `arn:aws:events:${region}:${ACCOUNT_ID}:rule/${inputs.name}` } };
    case "gcp:serviceaccount/account:Account": {
      const email = `${inputs.accountId}@proj.iam.gserviceaccount.com`;
      return { id: email, outputs: { email, member: `serviceAccount:${email}` } };
    }
    case "gcp:storage/hmacKey:HmacKey":
      return { id: "hmac", outputs: { accessId: "GOOGMOCKACCESSID", secret: MOCK_SECRETS.hmacSecret } };
    case "gcp:storage/transferJob:TransferJob":
      return { id: name, outputs: { name: `transferJobs/${name}-0001` } };
    case "gcp:monitoring/notificationChannel:NotificationChannel":
      return { id: name, outputs: { name: `projects/proj/notificationChannels/${name}` } };
    case "azure-native:resources:ResourceGroup":
      return { id: `/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/${inputs.resourceGroupName}`, outputs: { name: inputs.resourceGroupName } };
    case "azure-native:storage:StorageAccount":
      return {
        id: azureId("Microsoft.Storage/storageAccounts", inputs.accountName),
        outputs: { name: inputs.accountName, primaryEndpoints: { blob: `https://${inputs.accountName}.blob.core.windows.net/` } },
      };
    case "azure-native:storage:BlobContainer":
      return { id: azureId("Microsoft.Storage/storageAccounts/acct/blobServices/default/containers", inputs.containerName), outputs: { name: inputs.containerName } };
    case "azure-native:datafactory:Factory":
      return { id: azureId("Microsoft.DataFactory/factories", inputs.factoryName), outputs: { name: inputs.factoryName, identity: { type: "SystemAssigned", principalId: "11111111-2222-3333-4444-555555555555" } } };
    case "azure-native:datafactory:Pipeline":
      return { id: azureId("Microsoft.DataFactory/factories/f/pipelines", inputs.pipelineName), outputs: { name: inputs.pipelineName } };
    case "azure-native:datafactory:Trigger":
      return { id: azureId("Microsoft.DataFactory/factories/f/triggers", inputs.triggerName), outputs: { name: inputs.triggerName } };
    case "azure-native:monitor:ActionGroup":
      return { id: azureId("Microsoft.Insights/actionGroups", inputs.actionGroupName), outputs: {} };
    case "aws:cloudformation/stack:Stack": {
      // CloudFormation answers with the template's outputs; here each is the ARN of the DataSync location it names.
      const declared = Object.keys(JSON.parse(unwrap(inputs.templateBody) ?? "{}").Outputs ?? {});
      const outputs = Object.fromEntries(declared.map((k) => [k, `arn:aws:datasync:${region}:${ACCOUNT_ID}:location/loc-${name}`]));
      return { id: `arn:aws:cloudformation:${region}:${ACCOUNT_ID}:stack/${inputs.name}/mock`, outputs: { outputs } };
    }
    default:
      if (type.startsWith("aws:datasync/")) return { id: `loc-${name}`, outputs: { arn: `arn:aws:datasync:${region}:${ACCOUNT_ID}:location/loc-${name}` } };
      return { id: `${name}-id`, outputs: {} };
  }
}

export class MockEngine implements pulumi.runtime.Mocks {
  readonly resources: Recorded[] = [];
  readonly invokes: Array<{ token: string; inputs: any }> = [];
  /** The monitor's own record of state, as the engine would store it (secret markers included). */
  monitorState: (name: string) => Record<string, any> | undefined = () => undefined;
  /** Set by the monitor just before it asks for a resource (the call is synchronous). */
  pendingSecretOutputs: string[] = [];
  pendingReplacementTrigger: unknown = undefined;
  /** Logical names of the resources the next registration depends on (from the request's URNs). */
  pendingDependsOn: string[] = [];

  newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, any> } {
    const trigger = this.pendingReplacementTrigger;
    const options = { ...(trigger === undefined ? {} : { replacementTrigger: trigger }), ...(this.pendingDependsOn.length ? { dependsOn: this.pendingDependsOn } : {}) };
    this.resources.push({ type: args.type, name: args.name, inputs: args.inputs, ...(Object.keys(options).length ? { options } : {}) });
    const { id, outputs } = computed(args.type, args.name, args.inputs);
    const state: Record<string, any> = { ...args.inputs, ...outputs };
    for (const key of this.pendingSecretOutputs) {
      if (key in state && !(state[key]?.[specialSigKey] === specialSecretSig)) state[key] = { [specialSigKey]: specialSecretSig, value: state[key] };
    }
    return { id, state };
  }

  call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    const answer = INVOKES[args.token];
    if (!answer) throw new Error(`unexpected invoke ${args.token}`);
    this.invokes.push({ token: args.token, inputs: args.inputs });
    return answer(args.inputs);
  }

  byName(name: string): Recorded {
    const found = this.resources.find((r) => r.name === name);
    if (!found) throw new Error(`no resource named ${name}; registered: ${this.resources.map((r) => r.name).join(", ")}`);
    return found;
  }

  types(): string[] {
    return this.resources.map((r) => r.type);
  }

  /** Stored state of a resource by logical name. */
  stateOf(name: string): Record<string, any> {
    const state = this.monitorState(name);
    if (!state) throw new Error(`no state for ${name}`);
    return state;
  }
}

/** Installs a fresh engine; every resource registered afterwards is recorded in it. */
export async function installEngine(options: { preview?: boolean } = {}): Promise<MockEngine> {
  const engine = new MockEngine();
  // No engine address left by an earlier test in this process: log messages go to the console, as
  // under mocks in a fresh process (test/backup/notification.test.ts reads them there).
  pulumi.runtime.resetOptions("proj", "stack", -1, "", "", options.preview ?? false, "");
  await pulumi.runtime.setMocks(engine, "proj", "stack", options.preview ?? false);
  const monitor = pulumi.runtime.getMonitor() as unknown as {
    registerResource(req: any, cb: any): Promise<void>;
    resources: Map<string, { urn: string; state: any }>;
  };
  engine.monitorState = (name) => [...monitor.resources.values()].find((r) => r.urn.endsWith(`::${name}`))?.state;
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, cb) => {
    engine.pendingSecretOutputs = req.getAdditionalsecretoutputsList();
    engine.pendingReplacementTrigger = req.getReplacementTrigger?.()?.toJavaScript();
    engine.pendingDependsOn = ((req.getDependenciesList?.() ?? []) as string[]).map((urn) => urn.split("::").pop()!).sort();
    return register(req, cb);
  };
  return engine;
}

/** The value of an Output (resolved under mocks). */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((v) => resolve(v)));
}

export function isSecretInput(value: unknown): boolean {
  return (value as any)?.[specialSigKey] === specialSecretSig;
}

/**
 * True when the value at `path` is held as a secret: itself, or inside a secret parent (the SDK
 * lifts the secretness of a nested Output to the top-level property it is sent in).
 */
export function isSecretAt(root: Record<string, any>, ...path: Array<string | number>): boolean {
  let current: any = root;
  for (const key of path) {
    if (isSecretInput(current)) return true;
    current = current?.[key];
  }
  return isSecretInput(current);
}

/** Reads a nested input by path, through secret markers. */
export function inputAt(resource: Recorded, ...path: Array<string | number>): any {
  let current: any = resource.inputs;
  for (const key of path) current = unwrap(current)?.[key];
  return current;
}

export { unwrap };
