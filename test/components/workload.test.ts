/**
 * MultiCloudWorkload under Pulumi's mocks, on a plan that spans all three clouds (exact prices
 * from a catalog file): the emitted graph per region, group sizes and lifecycle mixes equal to the
 * plan, autoscalers, tags, security defaults, user data, parenting, providers, outputs and the
 * messages a user sees during `pulumi up`.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { MultiCloudWorkload } from "../../components";
import { planHash, specHash, type Plan } from "../../core";
import { setupPulumi, valueOf, type Harness, type Recorded } from "./harness";
import { webArgs } from "./scenario";

const COMPONENT = "multicloud:index:MultiCloudWorkload";
const T = {
  awsProvider: "pulumi:providers:aws",
  vpc: "aws:ec2/vpc:Vpc",
  subnet: "aws:ec2/subnet:Subnet",
  sg: "aws:ec2/securityGroup:SecurityGroup",
  lt: "aws:ec2/launchTemplate:LaunchTemplate",
  asg: "aws:autoscaling/group:Group",
  policy: "aws:autoscaling/policy:Policy",
  azureProvider: "pulumi:providers:azure-native",
  rg: "azure-native:resources:ResourceGroup",
  identity: "azure-native:managedidentity:UserAssignedIdentity",
  nsg: "azure-native:network:NetworkSecurityGroup",
  vnet: "azure-native:network:VirtualNetwork",
  vmss: "azure-native:compute:VirtualMachineScaleSet",
  autoscale: "azure-native:monitor:AutoscaleSetting",
  gcpProvider: "pulumi:providers:gcp",
  network: "gcp:compute/network:Network",
  subnetwork: "gcp:compute/subnetwork:Subnetwork",
  router: "gcp:compute/router:Router",
  routerNat: "gcp:compute/routerNat:RouterNat",
  firewall: "gcp:compute/firewall:Firewall",
  template: "gcp:compute/instanceTemplate:InstanceTemplate",
  mig: "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager",
  autoscaler: "gcp:compute/regionAutoscaler:RegionAutoscaler",
} as const;

let h: Harness;
let workload: MultiCloudWorkload;
let plan: Plan;

beforeAll(async () => {
  h = await setupPulumi({ stack: "dev" });
  workload = new MultiCloudWorkload("web", webArgs());
  await workload.ready();
  await h.settle();
  plan = (await valueOf(workload.plan)) as unknown as Plan;
});

/** Planned instances per (provider, region, type, lifecycle), read from the plan output. */
function planned(provider: string, region: string, lifecycle: "on-demand" | "spot"): number {
  return plan.allocations.filter((a) => a.provider === provider && a.region === region && a.lifecycle === lifecycle).reduce((n, a) => n + a.count, 0);
}

function one(type: string, name: string): Recorded {
  const found = h.resources.filter((r) => r.type === type && r.name === name);
  expect(found, `${type} ${name}`).toHaveLength(1);
  return found[0]!;
}

function decode(base64: string): string {
  return Buffer.from(base64, "base64").toString("utf8");
}

describe("a plan across AWS, Azure and GCP", () => {
  it("places on every cloud, with spot next to on-demand (the scenario's premise)", () => {
    expect(new Set(plan.allocations.map((a) => `${a.provider}/${a.region}`))).toEqual(new Set(["aws/us-east-1", "aws/us-west-2", "azure/eastus", "gcp/us-central1"]));
    expect(planned("aws", "us-east-1", "spot")).toBeGreaterThan(0);
    expect(planned("aws", "us-east-1", "on-demand")).toBeGreaterThan(0);
    expect(planned("azure", "eastus", "spot")).toBeGreaterThan(0);
    expect(planned("gcp", "us-central1", "spot")).toBeGreaterThan(0);
    expect(planned("gcp", "us-central1", "on-demand")).toBeGreaterThan(0);
  });

  it("emits exactly these resources, named by workload, cloud, region and group", () => {
    const emitted = h.resources.map((r) => `${r.type} ${r.name}`).sort();
    expect(emitted).toEqual(
      [
        `${COMPONENT} web`,
        ...["us-east-1", "us-west-2"].flatMap((r) => [
          `${T.awsProvider} web-aws-${r}`,
          `${T.vpc} web-aws-${r}`,
          `${T.subnet} web-aws-${r}-subnet-0`,
          `${T.subnet} web-aws-${r}-subnet-1`,
          `${T.subnet} web-aws-${r}-public`,
          `aws:ec2/internetGateway:InternetGateway web-aws-${r}`,
          `aws:ec2/eip:Eip web-aws-${r}-nat`,
          `aws:ec2/natGateway:NatGateway web-aws-${r}-nat`,
          `aws:ec2/routeTable:RouteTable web-aws-${r}-public`,
          `aws:ec2/routeTable:RouteTable web-aws-${r}-private`,
          ...["public", "subnet-0", "subnet-1"].map((p) => `aws:ec2/routeTableAssociation:RouteTableAssociation web-aws-${r}-${p}`),
          `${T.sg} web-aws-${r}`,
          `${T.lt} web-aws-${r}-x86-64`,
          `${T.asg} web-aws-${r}-m7i-xlarge`,
          `${T.policy} web-aws-${r}-m7i-xlarge`,
        ]),
        `${T.azureProvider} web-azure-eastus`,
        `${T.rg} web-azure-eastus`,
        `${T.identity} web-azure-eastus`,
        `${T.nsg} web-azure-eastus`,
        `${T.vnet} web-azure-eastus`,
        `azure-native:network:PublicIPAddress web-azure-eastus-nat`,
        `azure-native:network:NatGateway web-azure-eastus-nat`,
        `${T.vmss} web-azure-eastus-standard-d4s-v5`,
        `${T.autoscale} web-azure-eastus-standard-d4s-v5`,
        `${T.gcpProvider} web-gcp-us-central1`,
        `${T.network} web-gcp-us-central1`,
        `${T.subnetwork} web-gcp-us-central1`,
        `${T.router} web-gcp-us-central1`,
        `${T.routerNat} web-gcp-us-central1`,
        `${T.firewall} web-gcp-us-central1`,
        ...["on-demand", "spot"].flatMap((l) => [
          `${T.template} web-gcp-us-central1-n2-standard-4-${l}`,
          `${T.mig} web-gcp-us-central1-n2-standard-4-${l}`,
          `${T.autoscaler} web-gcp-us-central1-n2-standard-4-${l}`,
        ]),
      ].sort(),
    );
  });

  it("creates one provider per region, for that region, and registers every resource with its region's provider", () => {
    expect(one(T.awsProvider, "web-aws-us-east-1").inputs.region).toBe("us-east-1");
    expect(one(T.awsProvider, "web-aws-us-west-2").inputs.region).toBe("us-west-2");
    expect(one(T.azureProvider, "web-azure-eastus").inputs.location).toBe("eastus");
    expect(one(T.gcpProvider, "web-gcp-us-central1").inputs.region).toBe("us-central1");
    for (const r of h.resources.filter((r) => r.type !== COMPONENT && !r.type.startsWith("pulumi:providers:"))) {
      const [, cloud, ...rest] = r.name.split("-");
      const region = ["us-east-1", "us-west-2", "eastus", "us-central1"].find((reg) => rest.join("-").startsWith(reg))!;
      expect(r.provider, `${r.type} ${r.name}`).toMatch(new RegExp(`::web-${cloud}-${region}::`));
    }
  });

  it("parents every child to the component", () => {
    const children = h.urns().filter((urn) => !urn.endsWith(`::${COMPONENT}::web`));
    expect(children).toHaveLength(h.resources.length - 1);
    for (const urn of children) expect(urn, urn).toMatch(new RegExp(`::${COMPONENT}\\$[^$]+::[^:]+$`));
  });

  it("sizes AWS groups as planned: on-demand base, the plan's on-demand share above it, max = ceil(count x maxScaleOut)", () => {
    for (const region of ["us-east-1", "us-west-2"]) {
      const od = planned("aws", region, "on-demand");
      const spot = planned("aws", region, "spot");
      const asg = one(T.asg, `web-aws-${region}-m7i-xlarge`).inputs;
      expect(asg.minSize).toBe(od + spot);
      expect(asg.maxSize).toBe(Math.ceil((od + spot) * 1.5));
      expect(asg.capacityRebalance).toBe(spot > 0);
      expect(asg.mixedInstancesPolicy.instancesDistribution).toMatchObject({
        onDemandBaseCapacity: od,
        // The plan's on-demand share, rounded up (clouds/aws/workload-emitter.ts onDemandPercentAboveBase).
        onDemandPercentageAboveBaseCapacity: Math.ceil((100 * od) / (od + spot)),
      });
      expect(asg.mixedInstancesPolicy.launchTemplate.overrides).toEqual([{ instanceType: "m7i.xlarge" }]);
      expect(asg.mixedInstancesPolicy.launchTemplate.launchTemplateSpecification).toEqual({ launchTemplateId: `web-aws-${region}-x86-64_id`, version: "1" });
      expect(asg.vpcZoneIdentifiers).toEqual([`web-aws-${region}-subnet-0_id`, `web-aws-${region}-subnet-1_id`]);
    }
  });

  it("sizes the Azure scale set as planned, Flexible, with a spot priority mix over the on-demand base", () => {
    const od = planned("azure", "eastus", "on-demand");
    const spot = planned("azure", "eastus", "spot");
    const vmss = one(T.vmss, "web-azure-eastus-standard-d4s-v5").inputs;
    expect(vmss.orchestrationMode).toBe("Flexible");
    expect(vmss.sku).toMatchObject({ name: "Standard_D4s_v5", capacity: od + spot });
    expect(vmss.virtualMachineProfile).toMatchObject({ priority: "Spot", evictionPolicy: "Delete", billingProfile: { maxPrice: -1 } });
    // Above the base, the plan's on-demand share (rounded up), so scale-out keeps the plan's mix.
    expect(vmss.priorityMixPolicy).toEqual({ baseRegularPriorityCount: od, regularPriorityPercentageAboveBase: Math.ceil((100 * od) / (od + spot)) });
    expect(vmss.identity).toEqual({ type: "UserAssigned", userAssignedIdentities: ["web-azure-eastus_id"] });
    const profile = one(T.autoscale, "web-azure-eastus-standard-d4s-v5").inputs.profiles[0];
    expect(profile.capacity).toEqual({ minimum: String(od + spot), maximum: String(Math.ceil((od + spot) * 1.5)), default: String(od + spot) });
  });

  it("splits GCP into an on-demand and a spot group, each sized as planned", () => {
    for (const lifecycle of ["on-demand", "spot"] as const) {
      const count = planned("gcp", "us-central1", lifecycle);
      const name = `web-gcp-us-central1-n2-standard-4-${lifecycle}`;
      const template = one(T.template, name).inputs;
      expect(template.machineType).toBe("n2-standard-4");
      expect(template.scheduling.provisioningModel).toBe(lifecycle === "spot" ? "SPOT" : "STANDARD");
      expect(template.scheduling.preemptible).toBe(lifecycle === "spot");
      const mig = one(T.mig, name).inputs;
      expect(mig.region).toBe("us-central1");
      expect(mig.versions).toEqual([{ name: "primary", instanceTemplate: `https://www.googleapis.com/compute/v1/projects/p/${name}?uniqueId=7` }]);
      expect(mig.targetSize).toBeUndefined();
      const autoscaler = one(T.autoscaler, name).inputs;
      expect(autoscaler.target).toBe(`${name}_id`);
      expect(autoscaler.autoscalingPolicy).toMatchObject({ minReplicas: count, maxReplicas: Math.ceil(count * 1.5), cpuUtilization: { target: 0.55 } });
    }
  });

  it("realises every planned instance: group sizes sum to the plan's instance count per cloud and lifecycle", () => {
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    const awsOd = sum(h.ofType(T.asg).map((r) => r.inputs.mixedInstancesPolicy.instancesDistribution.onDemandBaseCapacity));
    const awsAll = sum(h.ofType(T.asg).map((r) => r.inputs.minSize));
    expect(awsOd).toBe(planned("aws", "us-east-1", "on-demand") + planned("aws", "us-west-2", "on-demand"));
    expect(awsAll - awsOd).toBe(planned("aws", "us-east-1", "spot") + planned("aws", "us-west-2", "spot"));
    const total = sum(plan.allocations.map((a) => a.count));
    const emitted = awsAll + sum(h.ofType(T.vmss).map((r) => r.inputs.sku.capacity)) + sum(h.ofType(T.autoscaler).map((r) => r.inputs.autoscalingPolicy.minReplicas));
    expect(emitted).toBe(total);
  });

  it("targets the scaling CPU utilisation on every cloud", () => {
    for (const policy of h.ofType(T.policy)) {
      expect(policy.inputs).toMatchObject({
        policyType: "TargetTrackingScaling",
        targetTrackingConfiguration: { predefinedMetricSpecification: { predefinedMetricType: "ASGAverageCPUUtilization" }, targetValue: 55 },
      });
      expect(policy.inputs.autoscalingGroupName).toBe(`${policy.name}-1a2b3c`);
    }
    const rules = one(T.autoscale, "web-azure-eastus-standard-d4s-v5").inputs.profiles[0].rules;
    expect(rules.map((r: any) => [r.metricTrigger.metricName, r.metricTrigger.operator, r.metricTrigger.threshold, r.scaleAction.direction])).toEqual([
      ["Percentage CPU", "GreaterThan", 55, "Increase"],
      ["Percentage CPU", "LessThan", 27, "Decrease"],
    ]);
    expect(h.ofType(T.autoscaler).map((r) => r.inputs.autoscalingPolicy.cpuUtilization.target)).toEqual([0.55, 0.55]);
  });

  it("tags every cloud with the user's tags, the workload and the plan hash (GCP labels normalised)", () => {
    const hash = planHash(plan).slice("sha256:".length, "sha256:".length + 16);
    const tags = { CostCenter: "cc-42", team: "Web Platform", "multicloud-workload": "web", "multicloud-plan": hash };
    for (const type of [T.vpc, T.subnet, T.sg, T.lt, T.rg, T.identity, T.nsg, T.vnet, T.vmss, T.autoscale]) {
      for (const r of h.ofType(type)) expect(r.inputs.tags, `${type} ${r.name}`).toEqual(tags);
    }
    for (const asg of h.ofType(T.asg)) {
      expect(asg.inputs.tags).toEqual(Object.entries(tags).map(([key, value]) => ({ key, value, propagateAtLaunch: true })).sort((a, b) => (a.key < b.key ? -1 : 1)));
    }
    for (const t of h.ofType(T.template)) {
      expect(t.inputs.labels).toEqual({ costcenter: "cc-42", team: "web_platform", "multicloud-workload": "web", "multicloud-plan": hash });
    }
  });

  it("opens only the declared ports, only to the declared CIDRs, and nothing to 0.0.0.0/0", () => {
    const cidrs = ["10.0.0.0/8", "192.168.0.0/16"];
    for (const sg of h.ofType(T.sg)) {
      expect(sg.inputs.ingress).toEqual([
        { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: cidrs },
        { protocol: "tcp", fromPort: 8443, toPort: 8443, cidrBlocks: cidrs },
      ]);
    }
    const rules = one(T.nsg, "web-azure-eastus").inputs.securityRules;
    expect(rules.map((r: any) => [r.direction, r.access, r.protocol, r.destinationPortRange, r.sourceAddressPrefixes])).toEqual([
      ["Inbound", "Allow", "Tcp", "443", cidrs],
      ["Inbound", "Allow", "Tcp", "8443", cidrs],
    ]);
    const firewall = one(T.firewall, "web-gcp-us-central1").inputs;
    expect(firewall).toMatchObject({ direction: "INGRESS", allows: [{ protocol: "tcp", ports: ["443", "8443"] }], sourceRanges: cidrs, targetTags: ["multicloud-web"] });
    for (const t of h.ofType(T.template)) expect(t.inputs.tags).toEqual(["multicloud-web"]);
    expect(JSON.stringify([h.ofType(T.sg).map((r) => r.inputs.ingress), rules, firewall])).not.toContain("0.0.0.0/0");
  });

  it("requires IMDSv2, encrypts root volumes and gives no instance a public IP", () => {
    for (const lt of h.ofType(T.lt)) {
      expect(lt.inputs.metadataOptions).toEqual({ httpTokens: "required", httpEndpoint: "enabled", httpPutResponseHopLimit: 1 });
      expect(lt.inputs.blockDeviceMappings).toEqual([{ deviceName: "/dev/sda1", ebs: { encrypted: "true", volumeType: "gp3", volumeSize: 30, deleteOnTermination: "true" } }]);
      expect(lt.inputs.networkInterfaces[0].associatePublicIpAddress).toBe("false");
      expect(lt.inputs.networkInterfaces[0].securityGroups).toEqual([lt.name.replace(/-x86-64$/, "_id")]);
      expect(lt.inputs.iamInstanceProfile).toBeUndefined();
    }
    for (const subnet of h.ofType(T.subnet)) expect(subnet.inputs.mapPublicIpOnLaunch).toBe(false);
    const profile = one(T.vmss, "web-azure-eastus-standard-d4s-v5").inputs.virtualMachineProfile;
    const ipConfig = profile.networkProfile.networkInterfaceConfigurations[0].ipConfigurations[0];
    expect(ipConfig.publicIPAddressConfiguration).toBeUndefined();
    expect(ipConfig.subnet.id).toBe("/subscriptions/s/virtualNetworks/web-azure-eastus/subnets/workload");
    expect(profile.osProfile.linuxConfiguration.disablePasswordAuthentication).toBe(true);
    for (const t of h.ofType(T.template)) {
      expect(t.inputs.networkInterfaces[0].accessConfigs ?? []).toEqual([]);
      expect(t.inputs.shieldedInstanceConfig).toEqual({ enableSecureBoot: true, enableVtpm: true, enableIntegrityMonitoring: true });
      expect(t.inputs.metadata["enable-oslogin"]).toBe("TRUE");
      expect(t.inputs.serviceAccount).toBeUndefined();
    }
  });

  it("delivers the one user-data script the native way on each cloud", () => {
    const script = "#cloud-config\npackages: [nginx]\n";
    for (const lt of h.ofType(T.lt)) expect(decode(lt.inputs.userData)).toBe(script);
    expect(decode(one(T.vmss, "web-azure-eastus-standard-d4s-v5").inputs.virtualMachineProfile.osProfile.customData)).toBe(script);
    for (const t of h.ofType(T.template)) expect(t.inputs.metadata["user-data"]).toBe(script);
  });

  it("boots the latest Ubuntu LTS for the architecture, looked up in each region", () => {
    const lookups = h.invokes.filter((i) => i.token === "aws:ec2/getAmi:getAmi");
    expect(lookups.map((i) => i.provider?.split("::")[3]).sort()).toEqual(["web-aws-us-east-1", "web-aws-us-west-2"]);
    for (const i of lookups) {
      expect(i.inputs).toMatchObject({ owners: ["099720109477"], mostRecent: true });
      expect(i.inputs.filters).toContainEqual({ name: "name", values: ["ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-*"] });
    }
    expect(one(T.lt, "web-aws-us-east-1-x86-64").inputs.imageId).toBe("ami-x86_64-us-east-1");
    expect(one(T.vmss, "web-azure-eastus-standard-d4s-v5").inputs.virtualMachineProfile.storageProfile.imageReference).toEqual({
      publisher: "Canonical", offer: "ubuntu-24_04-lts", sku: "server", version: "latest",
    });
    for (const t of h.ofType(T.template)) expect(t.inputs.disks[0].sourceImage).toBe("projects/ubuntu-os-cloud/global/images/family/ubuntu-2404-lts-amd64");
  });

  it("creates a private network where none is given, and says so", () => {
    expect(one(T.vpc, "web-aws-us-east-1").inputs.cidrBlock).toMatch(/^10\.\d+\.0\.0\/16$/);
    expect(one(T.subnetwork, "web-gcp-us-central1").inputs).toMatchObject({ privateIpGoogleAccess: true, region: "us-central1" });
    const notices = h.logs.filter((l) => l.severity === "info" && l.message.includes("no network given"));
    expect(notices.map((l) => l.message.split(":")[1]!.trim())).toEqual(["no network given for aws/us-east-1", "no network given for aws/us-west-2", "no network given for azure/eastus", "no network given for gcp/us-central1"]);
  });

  it("outputs the plan, its monthly cost, where it came from, and every group's identifier", async () => {
    expect(plan).toMatchObject({ workload: "web", specHash: expect.stringMatching(/^sha256:/), prices: { aws: { source: "file" } } });
    expect(await valueOf(workload.monthlyCostUsd)).toBe(plan.totals.monthlyUsd);
    expect(await valueOf(workload.placementSource)).toBe("computed");
    // The normalised spec, hashing to the plan's specHash: what drift --stack-export reads back.
    const spec = (await valueOf(workload.spec)) as Parameters<typeof specHash>[0];
    expect(spec).toMatchObject({ name: "web", scaling: { targetCpuUtilization: expect.any(Number) } });
    expect(specHash(spec)).toBe(plan.specHash);
    const groups = (await valueOf(workload.groups))!;
    expect(groups.map((g) => [g.cloud, g.region, g.lifecycle, g.onDemand, g.spot, g.id])).toEqual([
      ["aws", "us-east-1", "mixed", planned("aws", "us-east-1", "on-demand"), planned("aws", "us-east-1", "spot"), "web-aws-us-east-1-m7i-xlarge-1a2b3c"],
      ["aws", "us-west-2", "on-demand", planned("aws", "us-west-2", "on-demand"), 0, "web-aws-us-west-2-m7i-xlarge-1a2b3c"],
      ["azure", "eastus", "mixed", planned("azure", "eastus", "on-demand"), planned("azure", "eastus", "spot"), "web-azure-eastus-standard-d4s-v5_id"],
      ["gcp", "us-central1", "on-demand", planned("gcp", "us-central1", "on-demand"), 0, "https://www.googleapis.com/compute/v1/projects/p/web-gcp-us-central1-n2-standard-4-on-demand"],
      ["gcp", "us-central1", "spot", 0, planned("gcp", "us-central1", "spot"), "https://www.googleapis.com/compute/v1/projects/p/web-gcp-us-central1-n2-standard-4-spot"],
    ]);
  });

  it("logs the plan table on the component, and warns that the placement is not pinned, naming the command that pins it", () => {
    const urn = `urn:pulumi:dev::project::${COMPONENT}::web`;
    const table = h.logs.find((l) => l.severity === "info" && l.message.startsWith("web: computed placement"));
    expect(table?.urn).toBe(urn);
    expect(table?.message).toContain("m7i.xlarge");
    expect(table?.message).toContain("Standard_D4s_v5");
    const warnings = h.logs.filter((l) => l.severity === "warning");
    expect(warnings.map((w) => w.urn)).toEqual([urn]);
    expect(warnings[0]!.message).toContain("multicloud plan SPEC --stack-config Pulumi.dev.yaml --write");
  });
});
