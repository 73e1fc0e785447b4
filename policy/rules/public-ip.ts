/**
 * No public IPs, except the internet-facing load balancers of a MultiCloudWorkload whose
 * `traffic.public` is true.
 *
 * Public addresses on instances are violations wherever they come from: AWS launch templates'
 * network interfaces and instances (`associatePublicIpAddress`), Elastic IPs attached to an
 * instance or a network interface, Azure scale sets' `publicIPAddressConfiguration` and network
 * interfaces with a `publicIPAddress`, GCP instance templates' and instances' `accessConfigs`.
 * Egress-only addresses (a NAT gateway's) are not addresses of a resource anyone can reach, and
 * are not checked.
 *
 * Internet-facing load balancers: an AWS load balancer with `internal` not true (AWS's default is
 * internet-facing), an Azure load balancer with a frontend on a public IP address, a GCP
 * forwarding rule whose scheme is EXTERNAL or EXTERNAL_MANAGED (the default is EXTERNAL). One is
 * allowed when it belongs to a MultiCloudWorkload, that is when the engine's parent links lead
 * from it to a `multicloud:index:MultiCloudWorkload` whose `spec` output (the normalised spec it
 * deployed) has `traffic.public: true`: the component made it because the spec asks for it. The
 * component's outputs reach stack policies only, hence a stack policy.
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html (Scheme: default internet-facing)
 * https://cloud.google.com/compute/docs/reference/rest/v1/forwardingRules (loadBalancingScheme: default EXTERNAL)
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { has, isTrue, ownerOf, records, violation, whenKnown, WORKLOAD_TYPE, type StackResource } from "../resources";

const NO_PUBLIC_IP = "no resource has a public IP address except the load balancer of a MultiCloudWorkload whose traffic is public";

/** Why an instance-side resource has a public address, or undefined. */
function instanceAddress(r: StackResource): string | undefined {
  const p = r.props;
  switch (r.type) {
    case "aws:ec2/launchTemplate:LaunchTemplate":
      return records(p.networkInterfaces).some((n) => isTrue(n.associatePublicIpAddress)) ? "networkInterfaces[].associatePublicIpAddress is true" : undefined;
    case "aws:ec2/instance:Instance":
      return isTrue(p.associatePublicIpAddress) ? "associatePublicIpAddress is true" : undefined;
    case "aws:ec2/eip:Eip":
      return has(p, "instance") || has(p, "networkInterface") ? "is an Elastic IP attached to an instance or network interface" : undefined;
    case "azure-native:compute:VirtualMachineScaleSet": {
      const nics = records(records(p.virtualMachineProfile)[0]?.networkProfile?.networkInterfaceConfigurations);
      return nics.some((n) => records(n.ipConfigurations).some((ip) => has(ip, "publicIPAddressConfiguration")))
        ? "its instances' ipConfigurations have a publicIPAddressConfiguration"
        : undefined;
    }
    case "azure-native:network:NetworkInterface":
      return records(p.ipConfigurations).some((ip) => has(ip, "publicIPAddress")) ? "an ipConfiguration has a publicIPAddress" : undefined;
    case "gcp:compute/instanceTemplate:InstanceTemplate":
    case "gcp:compute/instance:Instance":
      return records(p.networkInterfaces).some((n) => records(n.accessConfigs).length > 0) ? "networkInterfaces[].accessConfigs gives it an external IP address" : undefined;
    default:
      return undefined;
  }
}

/** How a load balancer faces the internet, or undefined when it is internal (or not a load balancer). */
function publicLoadBalancer(r: StackResource): string | undefined {
  const p = r.props;
  switch (r.type) {
    case "aws:lb/loadBalancer:LoadBalancer":
    case "aws:alb/loadBalancer:LoadBalancer":
    case "aws:elb/loadBalancer:LoadBalancer":
      return isTrue(p.internal) ? undefined : "is internet-facing (internal is not true)";
    case "azure-native:network:LoadBalancer":
      return records(p.frontendIPConfigurations).some((f) => has(f, "publicIPAddress")) ? "has a frontend on a public IP address" : undefined;
    case "gcp:compute/forwardingRule:ForwardingRule":
    case "gcp:compute/globalForwardingRule:GlobalForwardingRule": {
      const scheme = (p.loadBalancingScheme as string | undefined) ?? "EXTERNAL";
      return scheme.startsWith("EXTERNAL") ? `is external (loadBalancingScheme ${scheme})` : undefined;
    }
    default:
      return undefined;
  }
}

/** Whether the MultiCloudWorkload a resource belongs to deployed a spec with public traffic. */
function ownedByPublicWorkload(r: StackResource): StackResource | undefined {
  const workload = ownerOf(r, WORKLOAD_TYPE);
  if (!workload) return undefined;
  return whenKnown(() => workload.props.spec?.traffic?.public === true, false) ? workload : undefined;
}

export function publicIpProblems(resources: readonly StackResource[]): { urn: string; message: string }[] {
  const out: { urn: string; message: string }[] = [];
  for (const r of resources) {
    const address = whenKnown(() => instanceAddress(r), undefined);
    if (address) {
      const fix = ownerOf(r, WORKLOAD_TYPE)
        ? "leave assignPublicIp false on the MultiCloudWorkload and reach it through traffic (a load balancer)"
        : "remove the public address and reach the instances through a load balancer, a NAT gateway (egress) or a bastion";
      out.push({ urn: r.urn, message: violation(r, address, NO_PUBLIC_IP, fix) });
      continue;
    }
    const facing = whenKnown(() => publicLoadBalancer(r), undefined);
    if (facing && !ownedByPublicWorkload(r)) {
      const fix = ownerOf(r, WORKLOAD_TYPE)
        ? "its workload's spec does not have traffic.public: true; redeploy it, or make the traffic public on purpose"
        : "make it internal, or serve the traffic through a MultiCloudWorkload with traffic.public: true";
      out.push({ urn: r.urn, message: violation(r, facing, NO_PUBLIC_IP, fix) });
    }
  }
  return out;
}

export const noPublicIp: StackValidationPolicy = {
  name: "multicloud-no-public-ip",
  description: "No public IP addresses, except the internet-facing load balancer of a MultiCloudWorkload whose traffic is public.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    for (const p of publicIpProblems(args.resources)) reportViolation(p.message, p.urn);
  },
};
