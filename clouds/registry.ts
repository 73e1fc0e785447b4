/**
 * Registry of cloud adapters, keyed by the name used in specs and plans. The only file that lists
 * the clouds; everything else iterates over it.
 */
import type { CloudAdapter } from "./types";
import { aws } from "./aws";
import { azure } from "./azure";
import { gcp } from "./gcp";
import { UserError, didYouMean } from "../core/util/errors";

export const CLOUDS: readonly CloudAdapter[] = [aws, azure, gcp];

export const CLOUD_NAMES: readonly string[] = CLOUDS.map((c) => c.name);

export function cloud(name: string): CloudAdapter {
  const found = CLOUDS.find((c) => c.name === name);
  if (!found) {
    throw new UserError(`unknown provider "${name}": expected one of ${CLOUD_NAMES.join(", ")}${didYouMean(name, CLOUD_NAMES)}`);
  }
  return found;
}

export function isCloudName(name: string): boolean {
  return CLOUD_NAMES.includes(name);
}
