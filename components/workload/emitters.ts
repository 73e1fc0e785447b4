/**
 * Registry of workload emitters, one line per cloud: the only place the component's code meets
 * the clouds. Every cloud in clouds/registry.ts must have one (test/components/emitters.test.ts).
 */
import { awsWorkloadEmitter } from "../../clouds/aws/workload-emitter";
import { azureWorkloadEmitter } from "../../clouds/azure/workload-emitter";
import { gcpWorkloadEmitter } from "../../clouds/gcp/workload-emitter";
import type { WorkloadEmitter } from "./emitter";

export const WORKLOAD_EMITTERS: readonly WorkloadEmitter[] = [awsWorkloadEmitter, azureWorkloadEmitter, gcpWorkloadEmitter];
