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

const share = (what: string) =>
  z.number({ error: `expected a number between 0 and 1 (${what})` }).min(0).max(1);

const positiveInt = z.number().int().min(1);

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
      replicas: positiveInt.max(100_000),
      cpu: z.number().positive(),
      memoryGiB: z.number().positive(),
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
