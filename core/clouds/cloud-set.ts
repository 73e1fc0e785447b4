/**
 * The clouds a run plans across, handed to the core as a value: the CLI, the components and the
 * scripts build one from the registry (`clouds/registry.ts`), tests may build one with a fake
 * fourth cloud. Every core function that needs a cloud takes a `CloudSet` and asks it by name; the
 * core never imports a cloud.
 *
 * Invariants: at least one cloud; names unique and lower-case; iteration is in the order given,
 * so everything derived from it (schemas, messages, tables) is deterministic. Schemas derived from
 * a set are built once per set, on first use, by the modules that own them (not at import).
 */
import { InternalError, UserError, didYouMean } from "../util/errors";
import type { RegionPlace } from "../backup/types";
import type { CloudAdapter } from "./adapter";

const NAME = /^[a-z][a-z0-9]{1,15}$/;

export class CloudSet {
  readonly names: readonly string[];
  private readonly byName: ReadonlyMap<string, CloudAdapter>;

  constructor(readonly adapters: readonly CloudAdapter[]) {
    if (adapters.length === 0) throw new InternalError("a CloudSet needs at least one cloud");
    const byName = new Map<string, CloudAdapter>();
    for (const a of adapters) {
      if (!NAME.test(a.name)) throw new InternalError(`cloud name "${a.name}" must be 2-16 lower-case letters and digits, starting with a letter`);
      if (byName.has(a.name)) throw new InternalError(`cloud "${a.name}" is registered twice`);
      byName.set(a.name, a);
    }
    this.byName = byName;
    this.names = adapters.map((a) => a.name);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** The adapter of a cloud; an unknown name is the user's error, with the known ones and a suggestion. */
  get(name: string): CloudAdapter {
    const found = this.byName.get(name);
    if (!found) throw new UserError(`unknown provider "${name}": expected one of ${this.names.join(", ")}${didYouMean(name, this.names)}`);
    return found;
  }

  /** Where a region is (geography, country), or undefined for a cloud or region the tables do not list. */
  placeOf(provider: string, region: string): RegionPlace | undefined {
    return this.byName.get(provider)?.regions[region];
  }

  /** "aws, azure or gcp", for messages. */
  listed(conjunction = "or"): string {
    return this.names.length === 1 ? this.names[0]! : `${this.names.slice(0, -1).join(", ")} ${conjunction} ${this.names[this.names.length - 1]}`;
  }
}

/**
 * Memoizes something derived from a cloud set (a schema), once per set: built on first use, never
 * at import, and the same object for every later call with that set.
 */
export function perCloudSet<T>(build: (clouds: CloudSet) => T): (clouds: CloudSet) => T {
  const cache = new WeakMap<CloudSet, T>();
  return (clouds) => {
    let value = cache.get(clouds);
    if (value === undefined) {
      value = build(clouds);
      cache.set(clouds, value);
    }
    return value;
  };
}
