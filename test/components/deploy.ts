/** Deploys one MultiCloudWorkload under the harness's mocks and waits for every child and log. */
import { MultiCloudWorkload, type MultiCloudWorkloadArgs } from "../../components";
import type { Plan } from "../../core";
import { valueOf, type Harness } from "./harness";

export async function deployWorkload(h: Harness, args: MultiCloudWorkloadArgs, name = "web"): Promise<{ workload: MultiCloudWorkload; plan: Plan }> {
  const workload = new MultiCloudWorkload(name, args);
  await workload.ready();
  await h.settle();
  return { workload, plan: (await valueOf(workload.plan)) as unknown as Plan };
}
