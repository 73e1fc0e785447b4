/**
 * zod building blocks for resource args that are not plain data: values that may be computed by
 * another resource (`pulumi.Input<string>`), and Pulumi provider resources of one cloud. Shared by
 * the component's settings and every cloud's emitter, so all args fail with the same wording.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";

/** A non-empty string, or an Output/Promise of one (e.g. a subnet id from another resource). */
export const inputString = z.custom<pulumi.Input<string>>(
  (v) => (typeof v === "string" && v.length > 0) || pulumi.Output.isInstance(v) || v instanceof Promise,
  { error: "expected a non-empty string (or an Output of one)" },
);

/** Any string (empty included: a tag may have an empty value), or an Output/Promise of one. */
export const inputText = z.custom<pulumi.Input<string>>(
  (v) => typeof v === "string" || pulumi.Output.isInstance(v) || v instanceof Promise,
  { error: "expected a string (or an Output of one)" },
);

/** A provider resource of one cloud, checked with that SDK's `Provider.isInstance`. */
export function providerResource<T extends pulumi.ProviderResource>(isInstance: (v: unknown) => v is T, what: string): z.ZodType<T> {
  return z.custom<T>((v) => isInstance(v), { error: `expected a ${what} provider resource (new ${what}.Provider(...))` });
}

/** A map keyed by region name. */
export function byRegion<T extends z.ZodType>(value: T) {
  return z.record(z.string().min(1), value);
}

/** Input<string> -> Output<base64 of it>, for clouds that take user data base64-encoded. */
export function base64(value: pulumi.Input<string>): pulumi.Output<string> {
  return pulumi.output(value).apply((text) => Buffer.from(text, "utf8").toString("base64"));
}


/** `f` applied to a string as it is, or to an Output's value once known (secretness and dependencies kept). */
export function mapInput(value: pulumi.Input<string>, f: (text: string) => string): pulumi.Input<string> {
  return typeof value === "string" ? f(value) : pulumi.output(value).apply(f);
}
