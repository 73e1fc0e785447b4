/**
 * The Plan JSON (DESIGN.md "Plan") as a zod schema, for plans read back from a placement record.
 * A pinned plan is trusted input to the emitters, so its shape is checked as strictly as a spec:
 * every field the emitters and `verifyPlan` read is required and typed.
 *
 * Objects are loose (unknown fields kept, not stripped): a record written by a newer version that
 * adds a field still reads, and the plan keeps the exact bytes it was pinned with.
 */
import { z } from "zod";
import { LIFECYCLES, PRICE_SOURCES } from "../catalog/offer";
import type { Plan } from "../plan/plan";

export const HASH_PATTERN = /^sha256:[0-9a-f]{64}$/;
const hash = z.string().regex(HASH_PATTERN, "expected a hash of the form sha256:<64 hex digits>");
const count = z.number().int().min(0);
const amount = z.number().min(0);

const allocationSchema = z.looseObject({
  provider: z.string().min(1),
  region: z.string().min(1),
  instanceType: z.string().min(1),
  lifecycle: z.enum(LIFECYCLES),
  count: z.number().int().min(1),
  replicasPerInstance: z.number().int().min(1),
  replicas: count,
  vcpu: z.number().positive(),
  memoryGiB: z.number().positive(),
  gpus: amount,
  // Optional: plans pinned before allocations named their GPU model still read.
  gpuType: z.string().min(1).nullable().optional(),
  hourlyUsd: amount,
});

export const planSchema = z.looseObject({
  workload: z.string().min(1),
  specHash: hash,
  demand: z.looseObject({
    replicas: z.number().int().min(1),
    cpu: z.number().positive(),
    memoryGiB: z.number().positive(),
    gpus: count,
    source: z.enum(["static", "metrics"]),
  }),
  prices: z.record(
    z.string(),
    z.looseObject({
      source: z.enum(PRICE_SOURCES),
      asOf: z.string().regex(/^\d{4}-\d{2}(-\d{2})?$/, "expected a date YYYY-MM-DD or YYYY-MM"),
      // Only on plans made from prices older than 90 days.
      stale: z.literal(true).optional(),
    }),
  ),
  compliance: z.looseObject({ residency: z.array(z.string()).optional(), requiredTags: z.array(z.string()).optional() }).optional(),
  allocations: z.array(allocationSchema),
  overheads: z.array(z.looseObject({ provider: z.string().min(1), region: z.string().min(1), item: z.string().min(1), monthlyUsd: amount })).optional(),
  totals: z.looseObject({ replicas: count, vcpu: amount, memoryGiB: amount, hourlyUsd: amount, monthlyUsd: amount }),
  // Informative only (in no hash, read by no emitter); optional: plans pinned before it still read.
  explain: z
    .looseObject({
      constraints: z.array(z.looseObject({ name: z.string().min(1), binding: z.boolean(), monthlyUsdWithout: amount })).optional(),
      monthlyUsdWithoutAll: amount.optional(),
      providers: z.record(z.string(), z.looseObject({ used: z.boolean(), why: z.string() })),
    })
    .optional(),
  solver: z.looseObject({ status: z.enum(["optimal", "time-limit"]), gap: amount, ms: amount }),
});

// Compile-time guard: what the schema accepts must be usable as a Plan.
export type ParsedPlan = z.output<typeof planSchema>;
const _planCompatible = (p: ParsedPlan): Plan => p;
void _planCompatible;
