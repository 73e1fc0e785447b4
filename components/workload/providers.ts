/**
 * Explicit providers given as Outputs (`aws.providers[region]`, likewise Azure and GCP): a child
 * resource takes its provider as a resource object, never as an Output, so such a value is awaited
 * before the args are validated. An Output holding a provider resource is known even in a preview
 * (a resource object exists before its cloud resource does); an unknown one is a problem naming the
 * field, since the region's resources cannot be registered without it. The user's args are not
 * mutated: the sections holding an awaited provider are copied.
 */
import * as pulumi from "@pulumi/pulumi";
import type { SpecProblem } from "../../core/spec/issues";

export interface SettledProviders {
  args: Record<string, unknown>;
  problems: SpecProblem[];
}

export async function settleProviders(args: unknown, clouds: readonly string[]): Promise<SettledProviders> {
  const raw = (args ?? {}) as Record<string, unknown>;
  const out: Record<string, unknown> = { ...raw };
  const problems: SpecProblem[] = [];
  for (const cloud of clouds) {
    const section = raw[cloud];
    if (!isRecord(section) || !isRecord(section.providers)) continue;
    const entries = Object.entries(section.providers);
    if (!entries.some(([, p]) => isComputed(p))) continue;
    const providers: Record<string, unknown> = {};
    for (const [region, provider] of entries) {
      if (!isComputed(provider)) {
        providers[region] = provider;
        continue;
      }
      const value = await valueOf(provider as pulumi.Input<unknown>);
      if (value === undefined) {
        problems.push({ path: [cloud, "providers", region], message: "must be known at preview, not computed by a resource that does not exist yet: the region's resources are registered with it" });
      }
      providers[region] = value;
    }
    out[cloud] = { ...section, providers };
  }
  return { args: out, problems };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !pulumi.Output.isInstance(value);
}

function isComputed(value: unknown): boolean {
  return pulumi.Output.isInstance(value) || value instanceof Promise;
}

/** The value of an Output or a Promise; undefined when it is unknown (a preview). */
async function valueOf(value: pulumi.Input<unknown>): Promise<unknown> {
  if (!pulumi.Output.isInstance(value)) return await value;
  // The SDK's own accessor (what provider/server.js uses): the value, or the unknown sentinel.
  const inner = await (value as unknown as { promise(withUnknowns?: boolean): Promise<unknown> }).promise(true);
  return pulumi.isUnknown(inner) ? undefined : inner;
}
