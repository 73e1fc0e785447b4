/**
 * Splits and validates `MultiCloudWorkload` args: the spec part (validated by the planning core's
 * `validateSpec`), the cloud-independent resource settings (validated here), and one raw section per
 * cloud (validated by that cloud's emitter). Unknown top-level args are errors with "did you mean".
 * Pure; problems are collected, each with its field path, never thrown one at a time.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { describeIssues, type SpecProblem } from "../../core/spec/issues";
import type { CommonSettings } from "../../kit/workload/emitter";
import { inputString, inputText } from "../../kit/workload/inputs";
import { plainTags, reservedTagProblems } from "../../kit/workload/tags";
import { FROM_OUTPUT } from "../../core/spec/traffic";

// `tags` is both: a resource setting (below) and part of the spec, where `compliance.requiredTags` checks it.
export const SPEC_KEYS = ["name", "demand", "instance", "providers", "constraints", "scaling", "compliance", "traffic", "tags"] as const;

const portSchema = z.strictObject({
  port: z.number().int().min(1).max(65535),
  protocol: z.enum(["tcp", "udp"]).default("tcp"),
});

function argsSchema(clouds: readonly string[]) {
  return z.strictObject({
    ...Object.fromEntries(SPEC_KEYS.map((k) => [k, z.unknown().optional()])),
    catalog: z.string().min(1).optional(),
    tags: z.record(z.string().min(1), inputText).default({}),
    ports: z.array(portSchema).default([]),
    ingressCidrs: z.array(z.string()).default([]),
    userData: inputString.optional(),
    assignPublicIp: z.boolean().default(false),
    createNetworks: z.boolean().default(true),
    rootVolumeGiB: z.number().int().min(10).max(4096).default(30),
    ...Object.fromEntries(clouds.map((c) => [c, z.unknown().optional()])),
  });
}

/** Every top-level arg name the component accepts (the plugin schema must list the same). */
export function argNames(clouds: readonly string[]): string[] {
  return Object.keys(argsSchema(clouds).shape);
}

export interface ParsedArgs {
  /**
   * The spec part, `name` defaulted to the resource name; validated later against the catalog.
   * Plain data only: a tag value or `traffic.dns.zoneId` given as an Output is FROM_OUTPUT here.
   */
  specInput: Record<string, unknown>;
  /** `traffic.dns.zoneId` when it is an Output (or a Promise): for the DNS emitter, not the core. */
  dnsZoneId?: pulumi.Input<string>;
  catalogFile?: string;
  /** Present when `problems` is empty. */
  common?: CommonSettings;
  /** Raw `args.<cloud>` per cloud (undefined when absent). */
  sections: Record<string, unknown>;
  problems: SpecProblem[];
}

export function parseArgs(args: unknown, resourceName: string, clouds: readonly string[]): ParsedArgs {
  const raw = (args ?? {}) as Record<string, unknown>;
  const specInput: Record<string, unknown> = { name: resourceName };
  for (const key of SPEC_KEYS) if (raw[key] !== undefined) specInput[key] = raw[key];
  const sections = Object.fromEntries(clouds.map((c) => [c, raw[c]]));

  // Placement decides how many resources exist, so it cannot wait for other resources' outputs.
  const computed = Object.keys(raw).filter((key) => key !== "userData" && pulumi.Output.isInstance(raw[key]));
  if (computed.length > 0) {
    const problems = computed.map((key) => ({ path: [key], message: computedMessage(key) }));
    return { specInput, sections, problems };
  }
  // The core sees plain data: what an Output will give stands as FROM_OUTPUT (its presence is what it checks).
  // (A value of another type stands as FROM_OUTPUT too: the settings check below reports it, once.)
  if (isRecord(raw.tags)) specInput.tags = Object.fromEntries(Object.entries(plainTags(raw.tags)).map(([k, v]) => [k, typeof v === "string" ? v : FROM_OUTPUT]));
  const dnsZoneId = outputZoneId(raw.traffic);
  if (dnsZoneId !== undefined) {
    const traffic = raw.traffic as Record<string, Record<string, unknown>>;
    specInput.traffic = { ...traffic, dns: { ...traffic.dns, zoneId: FROM_OUTPUT } };
  }
  const schema = argsSchema(clouds);
  const parsed = schema.safeParse(raw);
  const cidrs = Array.isArray(raw.ingressCidrs) ? raw.ingressCidrs : [];
  const cidrProblems = cidrs.flatMap((cidr, i) => {
    const problem = typeof cidr === "string" ? cidrProblem(cidr) : undefined;
    return problem ? [{ path: ["ingressCidrs", i], message: problem }] : [];
  });
  if (!parsed.success) return { specInput, sections, problems: [...describeIssues(schema, raw, parsed.error.issues), ...cidrProblems] };
  const a = parsed.data;
  const common: CommonSettings = {
    tags: a.tags,
    ports: a.ports,
    ingressCidrs: a.ingressCidrs,
    userData: a.userData,
    assignPublicIp: a.assignPublicIp,
    createNetworks: a.createNetworks,
    rootVolumeGiB: a.rootVolumeGiB,
  };
  const problems = [...cidrProblems, ...ingressProblems(common), ...reservedTagProblems(common.tags)];
  return { specInput, ...(dnsZoneId !== undefined ? { dnsZoneId } : {}), catalogFile: a.catalog, common: problems.length === 0 ? common : undefined, sections, problems };
}

function computedMessage(key: string): string {
  if (key === "tags") return "must be a plain map, not an Output: its keys are checked (compliance.requiredTags, each cloud's tag rules) before anything is registered; each value may be an Output";
  return "must be a plain value known at preview, not an Output: it decides the placement and the resources";
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !pulumi.Output.isInstance(value);
}

/** `traffic.dns.zoneId` when another resource computes it. */
function outputZoneId(traffic: unknown): pulumi.Input<string> | undefined {
  const dns = isRecord(traffic) ? traffic.dns : undefined;
  const zoneId = isRecord(dns) ? dns.zoneId : undefined;
  return pulumi.Output.isInstance(zoneId) || zoneId instanceof Promise ? (zoneId as pulumi.Input<string>) : undefined;
}

/** Ports and CIDRs only make sense together; nothing is opened by default. */
function ingressProblems(c: CommonSettings): SpecProblem[] {
  const problems: SpecProblem[] = [];
  if (c.ports.length > 0 && c.ingressCidrs.length === 0) {
    problems.push({ path: ["ingressCidrs"], message: "is required when ports are declared: list the CIDR blocks allowed to reach them (0.0.0.0/0 only if they must be open to the internet)" });
  }
  if (c.ingressCidrs.length > 0 && c.ports.length === 0) {
    problems.push({ path: ["ports"], message: "is required when ingressCidrs are given: no port is declared, so nothing would be opened" });
  }
  const seen = new Set<string>();
  c.ports.forEach((p, i) => {
    const key = `${p.protocol}/${p.port}`;
    if (seen.has(key)) problems.push({ path: ["ports", i], message: `declares ${key} twice` });
    seen.add(key);
  });
  return problems;
}

/** Why `text` is not a canonical IPv4 CIDR block, or undefined when it is one. */
export function cidrProblem(text: string): string | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text);
  const octets = m ? m.slice(1, 5).map(Number) : [];
  const bits = m ? Number(m[5]) : NaN;
  if (!m || octets.some((o) => o > 255) || bits > 32) return `expected an IPv4 CIDR block such as 10.0.0.0/8, got ${JSON.stringify(text)}`;
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - bits);
  const network = Math.floor(address / size) * size;
  if (network !== address) {
    const fixed = [24, 16, 8, 0].map((s) => Math.floor(network / 2 ** s) % 256).join(".");
    return `${text} has host bits set: did you mean ${fixed}/${bits}?`;
  }
  return undefined;
}
