/**
 * The workload spec (DESIGN.md "Workload spec"): the `MultiCloudWorkload` args and the CLI's spec
 * file share this shape. Validated with zod; unknown fields are errors everywhere, so a typo like
 * `constrains:` can never be silently ignored.
 *
 * `parseWorkloadSpec` returns a normalised spec: every default applied, so that two spellings of
 * the same intent (an absent `gpus` and `gpus: 0`) hash the same.
 */
import { z } from "zod";
import { perCloudSet, type CloudSet } from "../clouds/cloud-set";
import { fromMetricsSchema } from "../metrics/spec";
import { trafficSchema } from "./traffic";
import { RESIDENCY_GEOGRAPHIES } from "./residency";

const share = (what: string) =>
  z.number({ error: `expected a number between 0 and 1 (${what})` }).min(0).max(1);

const positiveInt = z.number().int().min(1);

/** Most replicas a spec may demand; also the cap on replicas per instance (a fit above R is never used). */
export const MAX_REPLICAS = 100_000;
/**
 * Smallest per-replica sizes: 0.001 vCPU (a millicore, the Kubernetes request unit) and 0.001 GiB
 * (about 1 MiB). Below these, replicas per instance reaches 1e15 and the solver rejects the model.
 */
export const MIN_CPU = 0.001;
export const MIN_MEMORY_GIB = 0.001;

const providerSchema = z.strictObject({
  regions: z.array(z.string().min(1)).min(1).optional(),
  discount: z.number().min(0).max(0.99).default(0),
});

const familiesSchema = z.strictObject({
  allow: z.array(z.string().min(1)).default([]),
  deny: z.array(z.string().min(1)).default([]),
});

/** The spec schema for a set of clouds: one `providers.<cloud>` key per cloud. Built once per set. */
export const workloadSpecSchema = perCloudSet(buildWorkloadSpecSchema);

function buildWorkloadSpecSchema(clouds: CloudSet) {
  return z.strictObject({
    name: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,39}$/, "expected a lower-case name of letters, digits and '-', starting with a letter, at most 40 characters (it names cloud resources)"),
    demand: z.strictObject({
      replicas: positiveInt.max(MAX_REPLICAS),
      cpu: z.number().min(MIN_CPU, `expected at least ${MIN_CPU} vCPU per replica (one thousandth of a vCPU; smaller sizes make the replicas-per-instance count astronomical)`),
      memoryGiB: z.number().min(MIN_MEMORY_GIB, `expected at least ${MIN_MEMORY_GIB} GiB per replica (about 1 MiB; smaller sizes make the replicas-per-instance count astronomical)`),
      gpus: z.number().int().min(0).default(0),
      fromMetrics: fromMetricsSchema(clouds).optional(),
    }),
    instance: z
      .strictObject({
        minVcpu: positiveInt.optional(),
        maxVcpu: positiveInt.optional(),
        arch: z.enum(["x86_64", "arm64", "any"]).default("x86_64"),
        gpuType: z.string().min(1).nullable().default(null),
        allowBurstable: z.boolean().default(false),
        maxReplicasPerInstance: positiveInt.nullable().default(null),
        families: familiesSchema.default({ allow: [], deny: [] }),
      })
      .default({ arch: "x86_64", gpuType: null, allowBurstable: false, maxReplicasPerInstance: null, families: { allow: [], deny: [] } }),
    providers: z.partialRecord(z.enum(clouds.names as [string, ...string[]]), providerSchema.default({ discount: 0 })),
    constraints: z
      .strictObject({
        minProviders: positiveInt.optional(),
        maxProviderShare: share("the largest share of placed replicas any one provider may hold").optional(),
        survivesProviderLoss: share("the share of demanded replicas that must remain after losing any one provider").optional(),
        maxSpotShare: share("the largest share of placed replicas that may run on spot").optional(),
        maxMonthlyUsd: z.number().positive().optional(),
        quotas: z
          .record(
            z.string().regex(/^[a-z]+\/[A-Za-z0-9-]+$/, "expected a key of the form provider/region, e.g. aws/us-east-1"),
            z.strictObject({ vcpu: z.number().int().min(0) }),
          )
          .default({}),
      })
      .default({ quotas: {} }),
    scaling: z
      .strictObject({
        targetCpuUtilization: z.number().gt(0).max(100).default(60),
        maxScaleOut: z.number().min(1).max(100).default(2),
      })
      .default({ targetCpuUtilization: 60, maxScaleOut: 2 }),
    /**
     * Rules the workload is held to: the geographies it may use (./residency.ts) and the keys its
     * `tags` must carry (./required-tags.ts).
     */
    compliance: z
      .strictObject({
        residency: z.array(z.enum(RESIDENCY_GEOGRAPHIES)).min(1).optional(),
        requiredTags: z.array(z.string().min(1)).min(1).optional(),
      })
      .optional(),
    /** Tags on every resource (the component's `tags` arg); in the spec so `compliance.requiredTags` is checked at plan. */
    tags: z.record(z.string().min(1), z.string()).optional(),
    /** How clients reach the workload (./traffic.ts); absent: no load balancer. */
    traffic: trafficSchema.optional(),
  });
}

type SpecSchema = ReturnType<typeof buildWorkloadSpecSchema>;
export type WorkloadSpecInput = z.input<SpecSchema>;
export type ProviderSettings = z.output<typeof providerSchema>;
type ParsedSpec = z.output<SpecSchema>;
/** The normalised spec. Providers listed in the spec always have settings (never undefined). */
export type WorkloadSpec = Omit<ParsedSpec, "providers"> & { providers: Record<string, ProviderSettings> };
