/**
 * A crafted three-cloud scenario for the component tests: exact prices (a catalog CSV) under which
 * the optimal plan uses every cloud, both AWS regions, spot next to on-demand on AWS and Azure, and
 * a spot group beside an on-demand group on GCP.
 */
import type { MultiCloudWorkloadArgs } from "../../components";
import type { InstanceOffer } from "../../core/catalog/offer";
import { offer } from "../helpers/catalog";
import { catalogFile } from "./harness";

export const OFFERS: InstanceOffer[] = [
  offer({ provider: "aws", region: "us-east-1", instanceType: "m7i.xlarge", vcpu: 4, memoryGiB: 16, onDemandHourlyUsd: 0.18, spotHourlyUsd: 0.054 }),
  offer({ provider: "aws", region: "us-west-2", instanceType: "m7i.xlarge", vcpu: 4, memoryGiB: 16, onDemandHourlyUsd: 0.17 }),
  offer({ provider: "azure", region: "eastus", instanceType: "Standard_D4s_v5", vcpu: 4, memoryGiB: 16, onDemandHourlyUsd: 0.192, spotHourlyUsd: 0.052 }),
  offer({ provider: "gcp", region: "us-central1", instanceType: "n2-standard-4", vcpu: 4, memoryGiB: 16, onDemandHourlyUsd: 0.194, spotHourlyUsd: 0.05 }),
];

export const SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeKeyForTestsOnly test@example";

export function webArgs(overrides: Partial<MultiCloudWorkloadArgs> = {}, offers: InstanceOffer[] = OFFERS): MultiCloudWorkloadArgs {
  return {
    demand: { replicas: 24, cpu: 2, memoryGiB: 8 },
    instance: { minVcpu: 2, maxVcpu: 16 },
    providers: {
      aws: { regions: ["us-east-1", "us-west-2"] },
      azure: { regions: ["eastus"] },
      gcp: { regions: ["us-central1"] },
    },
    constraints: {
      minProviders: 3,
      maxProviderShare: 0.4,
      maxSpotShare: 0.25,
      quotas: { "aws/us-east-1": { vcpu: 16 }, "aws/us-west-2": { vcpu: 8 }, "gcp/us-central1": { vcpu: 12 }, "azure/eastus": { vcpu: 24 } },
    },
    scaling: { targetCpuUtilization: 55, maxScaleOut: 1.5 },
    catalog: catalogFile(offers),
    tags: { team: "Web Platform", CostCenter: "cc-42" },
    ports: [{ port: 443, protocol: "tcp" }, { port: 8443 }],
    ingressCidrs: ["10.0.0.0/8", "192.168.0.0/16"],
    userData: "#cloud-config\npackages: [nginx]\n",
    azure: { sshPublicKey: SSH_KEY },
    ...overrides,
  };
}
