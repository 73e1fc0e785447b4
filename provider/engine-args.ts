/**
 * Construct inputs as the engine sends them, back into the shape of the components' args
 * interfaces, guided by the package schema (generated from those interfaces: one source of truth).
 *
 * Why: the Node.js provider server (@pulumi/pulumi provider/server.js `deserializeInputs`) wraps a
 * whole top-level input in one Output when it is secret or has dependencies, unless it already
 * contains output values or is itself a resource reference. Every SDK records a referenced
 * resource as a dependency of the property it sits in, so `aws: { providers: { us-east-1: <a
 * provider> } }` arrives as one `Output<aws section>`; so does a section with a plain value whose
 * dependencies come only in `inputDependencies`, and a section holding a plain-encoded secret (the
 * SDK lifts nested secrets to the top). A component needs these sections as values: they decide
 * the placement and which resources exist.
 *
 * So every value is walked along its schema type, unwrapping Outputs (their values are known even
 * in a preview when they hold references and plain values), and carrying what they held, their
 * dependencies and secretness, down to the leaves:
 * - at a position the schema types as an input (not `plain`), a leaf that inherited dependencies
 *   or secretness becomes an Output holding them, so the child resources that take it record the
 *   dependencies and keep the secret; an unknown leaf (a preview) becomes an unknown Output;
 * - at a plain position the known value is used as it is, and the resources it came from become
 *   dependencies of the component (`plainDependencies`); an unknown value is a problem naming the
 *   field (it decides the placement and the resources, so it must be known at preview);
 * - a resource reference (an explicit provider) stays the resource object the SDK rehydrated.
 * Fields the schema does not list are passed through untouched, for the component to reject.
 */
import * as pulumi from "@pulumi/pulumi";
// A secret as the SDK deserializes a plain-encoded one: { <sig>: <secret sig>, value }.
import { isRpcSecret, unwrapRpcSecret } from "@pulumi/pulumi/runtime/rpc";

/** A property in the package schema (the parts this walk reads). */
export interface SchemaProperty {
  type?: string;
  $ref?: string;
  items?: SchemaProperty;
  additionalProperties?: SchemaProperty;
  plain?: boolean;
}

export interface SchemaTypes {
  [token: string]: { type?: string; properties?: Record<string, SchemaProperty> };
}

export interface SettledInputs {
  args: Record<string, unknown>;
  /** `path: problem` lines; empty when every input could be settled. */
  problems: string[];
  /** Resources that values used as plain values came from (the component depends on them). */
  plainDependencies: pulumi.Resource[];
}

interface Carried {
  resources: pulumi.Resource[];
  secret: boolean;
}

// The SDK's Output internals (what provider/server.js itself uses): state of an Output, and its
// constructor, to build an Output with given dependencies, knownness and secretness.
interface OutputState {
  isKnown: Promise<boolean>;
  isSecret: Promise<boolean>;
  allResources(): Promise<Set<pulumi.Resource> | pulumi.Resource[]>;
  promise(withUnknowns?: boolean): Promise<unknown>;
}
type OutputConstructor = new (
  resources: pulumi.Resource[],
  value: Promise<unknown>,
  isKnown: Promise<boolean>,
  isSecret: Promise<boolean>,
  allResources: Promise<pulumi.Resource[]>,
) => pulumi.Output<unknown>;
const OutputImpl = pulumi.Output as unknown as OutputConstructor;


const LOCAL_REF = "#/types/";

export async function settleInputs(inputs: Record<string, unknown>, properties: Record<string, SchemaProperty>, types: SchemaTypes): Promise<SettledInputs> {
  const problems: string[] = [];
  const plainDependencies = new Set<pulumi.Resource>();
  const walk = new Walk(types, problems, plainDependencies);
  const args: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(inputs)) {
    const property = properties[key];
    args[key] = property ? await walk.settle(value, property, key, { resources: [], secret: false }) : value;
  }
  return { args, problems, plainDependencies: [...plainDependencies] };
}

class Walk {
  constructor(
    private readonly types: SchemaTypes,
    private readonly problems: string[],
    private readonly plainDependencies: Set<pulumi.Resource>,
  ) {}

  async settle(value: unknown, property: SchemaProperty, path: string, carried: Carried): Promise<unknown> {
    if (pulumi.Output.isInstance(value)) {
      const output = value as unknown as OutputState;
      const [known, secret, resources, inner] = await Promise.all([output.isKnown, output.isSecret, output.allResources(), output.promise(true)]);
      const merged = { resources: [...carried.resources, ...resources], secret: carried.secret || secret };
      // An unknown output value arrives without a value at all.
      return this.settle(!known && inner === undefined ? pulumi.unknown : inner, property, path, merged);
    }
    if (isRpcSecret(value)) return this.settle(unwrapRpcSecret(value), property, path, { ...carried, secret: true });
    const input = property.plain !== true;
    if (pulumi.isUnknown(value)) {
      if (input) return new OutputImpl(carried.resources, Promise.resolve(undefined), Promise.resolve(false), Promise.resolve(carried.secret), Promise.resolve([]));
      this.problems.push(`${path}: must be known at preview, not computed by a resource that does not exist yet: it decides the placement and the resources`);
      return undefined;
    }
    if (pulumi.Resource.isInstance(value) || value === null || value === undefined) return value;
    if (Array.isArray(value)) {
      const items = property.type === "array" ? property.items : undefined;
      return Promise.all(value.map((item, i) => (items ? this.settle(item, items, `${path}[${i}]`, carried) : item)));
    }
    if (typeof value === "object") return this.settleObject(value as Record<string, unknown>, property, path, carried);
    if (input && (carried.secret || carried.resources.length > 0)) {
      return new OutputImpl(carried.resources, Promise.resolve(value), Promise.resolve(true), Promise.resolve(carried.secret), Promise.resolve([]));
    }
    if (!input) for (const r of carried.resources) this.plainDependencies.add(r);
    return value;
  }

  private async settleObject(value: Record<string, unknown>, property: SchemaProperty, path: string, carried: Carried): Promise<Record<string, unknown>> {
    const fields = property.$ref?.startsWith(LOCAL_REF) ? this.types[property.$ref.slice(LOCAL_REF.length)]?.properties : undefined;
    const each = property.type === "object" ? property.additionalProperties : undefined;
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) {
      const fieldProperty = fields ? fields[key] : each;
      out[key] = fieldProperty ? await this.settle(field, fieldProperty, `${path}.${key}`, carried) : field;
    }
    return out;
  }
}
