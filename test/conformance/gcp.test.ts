/**
 * GCP conformance: the resources MultiCloudWorkload registers on GCP, under Pulumi's mocks, checked
 * against the Compute Engine API's documented rules, the way a linter (tflint rulesets) checks a
 * Terraform plan. Mocks accept anything; the API does not, so a rule broken here is a `pulumi up`
 * that fails (or silently misbehaves) against a real project.
 *
 * One rule = one small named object with the documentation it comes from. Each rule is applied to
 * every registered gcp:* resource of a matrix of plans (on-demand only, spot beside on-demand, E2
 * with spot, two regions, a GPU type, an arm64 type, long names, a given network with public IPs,
 * egress none, and `traffic` variants: internal over two regions with spot, public with an https
 * check, a tcp check on its own port on a given network, long names), and is itself shown to catch
 * a known-bad resource so that it cannot pass vacuously.
 * The rules come from /tmp/research/gcp-rules.md (researched against the API reference, the
 * provider's source, and API error texts where Google documents a rule nowhere else).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { MultiCloudWorkload, type MultiCloudWorkloadArgs } from "../../components";
import type { InstanceOffer } from "../../core/catalog/offer";
import { offer } from "../helpers/catalog";
import { setupPulumi, valueOf, type Recorded } from "../components/harness";
import { webArgs } from "../components/scenario";

const T = {
  network: "gcp:compute/network:Network",
  subnetwork: "gcp:compute/subnetwork:Subnetwork",
  firewall: "gcp:compute/firewall:Firewall",
  template: "gcp:compute/instanceTemplate:InstanceTemplate",
  mig: "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager",
  autoscaler: "gcp:compute/regionAutoscaler:RegionAutoscaler",
  router: "gcp:compute/router:Router",
  nat: "gcp:compute/routerNat:RouterNat",
  healthCheck: "gcp:compute/regionHealthCheck:RegionHealthCheck",
  backendService: "gcp:compute/regionBackendService:RegionBackendService",
  forwardingRule: "gcp:compute/forwardingRule:ForwardingRule",
} as const;

// ---------------------------------------------------------------------------------------------
// The rules

/** What a rule may look at besides the resource: the other resources of the same deployment. */
interface World {
  resources: readonly Recorded[];
  /** Machine types that come with GPUs (from the catalog offers of the plan). */
  gpuMachineTypes: ReadonlySet<string>;
}

interface Rule {
  name: string;
  /** The documentation the rule comes from. */
  url: string;
  /** Resource types the rule applies to; absent: every gcp:* resource. */
  types?: readonly string[];
  check(r: Recorded, world: World): string | undefined;
}

const RFC1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** Pulumi appends "-" and 7 random characters to a logical name when it auto-names a resource. */
const AUTONAME_SUFFIX = 8;
const MAX_GCE_NAME = 63;
/** "By default, a regional MIG distributes managed instances evenly across three zones." */
const DEFAULT_MIG_ZONES = 3;

/** The first problem of a list of [broken, message] pairs. */
function first(...checks: [boolean, string][]): string | undefined {
  return checks.find(([broken]) => broken)?.[1];
}

function inRange(v: unknown, lo: number, hi: number): boolean {
  return typeof v === "number" && Number.isInteger(v) && v >= lo && v <= hi;
}

/** An IPv4 CIDR a.b.c.d/p, as [address as a number, prefix]; undefined when malformed. */
function ipv4Cidr(cidr: string): [number, number] | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  return [octets.reduce((a, o) => a * 256 + o, 0), prefix];
}

function ipv4Within(cidr: [number, number], block: string): boolean {
  const [base, prefix] = ipv4Cidr(block)!;
  const size = 2 ** (32 - prefix);
  return cidr[1] >= prefix && Math.floor(cidr[0] / size) === Math.floor(base / size);
}

function overlaps(a: [number, number], b: [number, number]): boolean {
  const start = (c: [number, number]) => c[0] - (c[0] % 2 ** (32 - c[1]));
  const end = (c: [number, number]) => start(c) + 2 ** (32 - c[1]) - 1;
  return start(a) <= end(b) && start(b) <= end(a);
}

/** The value the provider sends for maxSurge / maxUnavailable: an unset fixed value goes as 0. */
function sent(policy: Record<string, any>, knob: "Surge" | "Unavailable"): { fixed?: number; percent?: number; value: number } {
  const percent = policy[`max${knob}Percent`] as number | undefined;
  const fixed = percent === undefined ? ((policy[`max${knob}Fixed`] as number | undefined) ?? 0) : undefined;
  return { fixed, percent, value: percent ?? fixed ?? 0 };
}

/** The name a resource gets: its `name` input, else the name the harness mocks compute (harness.ts computed()). */
function mockedName(r: Recorded): string {
  return r.inputs.name ?? `${r.name}-1a2b3c`;
}

function isSpot(scheduling: Record<string, any> | undefined): boolean {
  return scheduling?.provisioningModel === "SPOT" || scheduling?.preemptible === true;
}

/** The id the harness mocks give a resource (`${name}_id`); references between resources use it. */
function byId(world: World, type: string, id: unknown): Recorded | undefined {
  return world.resources.find((x) => x.type === type && `${x.name}_id` === id);
}

/** Passthrough (backend-service-based) load balancing schemes. */
const PASSTHROUGH = ["INTERNAL", "EXTERNAL"];
/** Health check kinds: "exactly one of" them (provider schema ExactlyOneOf). */
const HEALTH_CHECK_KINDS = ["grpcHealthCheck", "grpcTlsHealthCheck", "http2HealthCheck", "httpHealthCheck", "httpsHealthCheck", "sslHealthCheck", "tcpHealthCheck"];
/** Google's health-check probe ranges ("Health check ranges", load-balancing/docs/firewall-rules). */
const PROBE_RANGES = ["35.191.0.0/16", "130.211.0.0/22"];

const SCHEDULING_DOC = "https://cloud.google.com/compute/docs/instances/setting-instance-scheduling-options";
const TPG = "https://github.com/hashicorp/terraform-provider-google/blob/main/google/services/compute";
const UPDATE_POLICY_DOC = "https://cloud.google.com/python/docs/reference/compute/0.7.0/google.cloud.compute_v1.types.InstanceGroupManagerUpdatePolicy";

const RULES: readonly Rule[] = [
  {
    // "Be 1-63 characters in length ... Match the regular expression [a-z]([-a-z0-9]*[a-z0-9])?"
    name: "gcp-resource-name",
    url: "https://cloud.google.com/compute/docs/naming-resources",
    check: (r) => {
      const name = r.inputs.name;
      if (name === undefined) return undefined;
      return first([typeof name !== "string" || name.length < 1 || name.length > MAX_GCE_NAME || !RFC1035.test(name), `name "${name}" is not 1-63 characters of RFC 1035 ([a-z]([-a-z0-9]*[a-z0-9])?)`]);
    },
  },
  {
    // Same rule, for the name Pulumi derives: logical name + "-" + 7 characters must still fit 63.
    name: "gcp-autoname-fits",
    url: "https://cloud.google.com/compute/docs/naming-resources",
    check: (r) => {
      if (r.inputs.name !== undefined) return undefined;
      return first(
        [r.name.length > MAX_GCE_NAME - AUTONAME_SUFFIX, `logical name "${r.name}" is ${r.name.length} characters: with Pulumi's 8-character suffix it exceeds 63`],
        [!RFC1035.test(r.name), `logical name "${r.name}" is not RFC 1035 ([a-z]([-a-z0-9]*[a-z0-9])?)`],
      );
    },
  },
  {
    // "up to a maximum of 64" labels; keys 1-63, values 0-63; lowercase letters, digits, _ and -
    // (international characters allowed); "Keys must start with a lowercase letter or international character."
    name: "gcp-labels",
    url: "https://cloud.google.com/resource-manager/docs/creating-managing-labels",
    check: (r) => {
      const labels = r.inputs.labels as Record<string, string> | undefined;
      if (!labels) return undefined;
      const entries = Object.entries(labels);
      const badKey = entries.find(([k]) => k.length < 1 || k.length > 63 || !/^[\p{Ll}\p{Lo}][\p{Ll}\p{Lo}\p{N}_-]*$/u.test(k));
      const badValue = entries.find(([, v]) => typeof v !== "string" || v.length > 63 || !/^[\p{Ll}\p{Lo}\p{N}_-]*$/u.test(v));
      return first(
        [entries.length > 64, `${entries.length} labels (at most 64)`],
        [badKey !== undefined, `label key "${badKey?.[0]}" breaks the key rules`],
        [badValue !== undefined, `label value "${badValue?.[1]}" (key ${badValue?.[0]}) breaks the value rules`],
      );
    },
  },
  {
    // At most 64 tags per VM, each at most 63 characters of lowercase letters, digits and dashes,
    // starting with a lowercase letter and ending with a letter or digit.
    name: "gcp-network-tags",
    url: "https://cloud.google.com/vpc/docs/add-remove-network-tags",
    types: [T.template, T.firewall],
    check: (r) => {
      const lists = [r.inputs.tags, r.inputs.targetTags, r.inputs.sourceTags].filter((l): l is string[] => Array.isArray(l));
      for (const tags of lists) {
        const bad = tags.find((t) => t.length > 63 || !RFC1035.test(t));
        const problem = first(
          [tags.length > 64, `${tags.length} network tags (at most 64)`],
          [new Set(tags).size !== tags.length, `duplicate network tags ${tags.join(", ")}`],
          [bad !== undefined, `network tag "${bad}" breaks the tag rules`],
        );
        if (problem) return problem;
      }
      return undefined;
    },
  },
  {
    // Values "must be less than or equal to 262144 bytes (256 KiB)"; "The total size of all keys and
    // values must be less than 512 KB"; keys match [a-zA-Z0-9-_]+ and are less than 128 bytes.
    name: "gcp-metadata-limits",
    url: "https://cloud.google.com/python/docs/reference/compute/1.0.0/google.cloud.compute_v1.types.Items",
    types: [T.template],
    check: (r) => {
      const metadata = (r.inputs.metadata ?? {}) as Record<string, string>;
      const entries = Object.entries(metadata);
      const badKey = entries.find(([k]) => !/^[a-zA-Z0-9_-]+$/.test(k) || Buffer.byteLength(k) >= 128);
      const big = entries.find(([, v]) => Buffer.byteLength(v) > 262_144);
      const total = entries.reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
      return first(
        [badKey !== undefined, `metadata key "${badKey?.[0]}" breaks the key rules`],
        [big !== undefined, `metadata "${big?.[0]}" is ${Buffer.byteLength(big?.[1] ?? "")} bytes (at most 262144)`],
        [total >= 512_000, `metadata totals ${total} bytes (less than 512 KB)`],
      );
    },
  },
  {
    // "Spot VMs and preemptible VMs can't automatically restart"; they "can only stop during host
    // maintenance events" (onHostMaintenance TERMINATE).
    name: "gcp-spot-scheduling",
    url: SCHEDULING_DOC,
    types: [T.template],
    check: (r) => {
      const s = r.inputs.scheduling;
      if (!isSpot(s)) return undefined;
      return first(
        [s.automaticRestart !== false, `spot scheduling needs automaticRestart false, has ${s.automaticRestart}`],
        [s.onHostMaintenance !== "TERMINATE", `spot scheduling needs onHostMaintenance TERMINATE, has ${s.onHostMaintenance}`],
      );
    },
  },
  {
    // A SPOT template must set the termination action (STOP or DELETE): the provider flaps otherwise.
    name: "gcp-spot-termination-action",
    url: "https://github.com/GoogleCloudPlatform/cloud-foundation-fabric/pull/778",
    types: [T.template],
    check: (r) => {
      const s = r.inputs.scheduling;
      if (s?.provisioningModel !== "SPOT") return undefined;
      return first([!["STOP", "DELETE"].includes(s.instanceTerminationAction), `SPOT needs instanceTerminationAction STOP or DELETE, has ${s.instanceTerminationAction}`]);
    },
  },
  {
    // "VMs with attached GPUs can't be live migrated. You must set these VMs to stop for host maintenance events."
    name: "gcp-gpu-terminates-on-maintenance",
    url: "https://cloud.google.com/compute/docs/gpus/gpu-host-maintenance",
    types: [T.template],
    check: (r, world) => {
      const gpus = world.gpuMachineTypes.has(r.inputs.machineType) || (r.inputs.guestAccelerators ?? []).length > 0;
      if (!gpus) return undefined;
      return first([r.inputs.scheduling?.onHostMaintenance !== "TERMINATE", `GPU machine type ${r.inputs.machineType} needs onHostMaintenance TERMINATE, has ${r.inputs.scheduling?.onHostMaintenance}`]);
    },
  },
  {
    // "Virtual machine instances using E2 machine types can only live migrate during host maintenance
    // events, unless they're Spot VMs or preemptible VMs."
    name: "gcp-e2-live-migrates",
    url: SCHEDULING_DOC,
    types: [T.template],
    check: (r) => {
      if (!String(r.inputs.machineType).startsWith("e2-") || isSpot(r.inputs.scheduling)) return undefined;
      return first([r.inputs.scheduling?.onHostMaintenance === "TERMINATE", `E2 type ${r.inputs.machineType} cannot TERMINATE on host maintenance unless spot`]);
    },
  },
  {
    // "Possible values are STANDARD, SPOT, FLEX_START, and RESERVATION_BOUND."
    name: "gcp-provisioning-model",
    url: `${TPG}/resource_compute_instance_template.go`,
    types: [T.template],
    check: (r) => {
      const model = r.inputs.scheduling?.provisioningModel;
      return first([model !== undefined && !["STANDARD", "SPOT", "FLEX_START", "RESERVATION_BOUND"].includes(model), `provisioningModel ${model} is not a known value`]);
    },
  },
  {
    // type in {OPPORTUNISTIC, PROACTIVE} and minimalAction in {NONE, REFRESH, RESTART, REPLACE}, both
    // required; replacementMethod in {SUBSTITUTE, RECREATE}; instanceRedistributionType in {PROACTIVE, NONE}.
    name: "gcp-mig-update-policy-values",
    url: `${TPG}/resource_compute_region_instance_group_manager.go`,
    types: [T.mig],
    check: (r) => {
      const p = r.inputs.updatePolicy;
      if (!p) return undefined;
      const actions = ["NONE", "REFRESH", "RESTART", "REPLACE"];
      return first(
        [!["OPPORTUNISTIC", "PROACTIVE"].includes(p.type), `updatePolicy.type ${p.type}`],
        [!actions.includes(p.minimalAction), `updatePolicy.minimalAction ${p.minimalAction}`],
        [p.mostDisruptiveAllowedAction !== undefined && !actions.includes(p.mostDisruptiveAllowedAction), `updatePolicy.mostDisruptiveAllowedAction ${p.mostDisruptiveAllowedAction}`],
        [p.replacementMethod !== undefined && !["SUBSTITUTE", "RECREATE"].includes(p.replacementMethod), `updatePolicy.replacementMethod ${p.replacementMethod}`],
        [p.instanceRedistributionType !== undefined && !["PROACTIVE", "NONE"].includes(p.instanceRedistributionType), `updatePolicy.instanceRedistributionType ${p.instanceRedistributionType}`],
      );
    },
  },
  {
    // "At least one of either maxSurge or maxUnavailable must be greater than 0." The provider sends
    // an unset fixed value as 0 (expandRegionUpdatePolicy), so the API default never applies.
    name: "gcp-mig-surge-or-unavailable",
    url: UPDATE_POLICY_DOC,
    types: [T.mig],
    check: (r) => {
      const p = r.inputs.updatePolicy;
      if (!p) return undefined;
      return first([sent(p, "Surge").value <= 0 && sent(p, "Unavailable").value <= 0, "maxSurge and maxUnavailable are both 0 (unset fixed values are sent as 0): the API rejects the group"]);
    },
  },
  {
    // "Fixed updatePolicy.maxUnavailable for regional managed instance group has to be either 0 or at
    // least equal to the number of zones" (the API's error; the same holds for maxSurge). The zones are
    // distributionPolicyZones, else three: https://cloud.google.com/compute/docs/instance-groups/regional-migs#selectingzones
    name: "gcp-mig-regional-fixed-values",
    url: "https://github.com/terraform-google-modules/terraform-example-foundation/pull/427",
    types: [T.mig],
    check: (r) => {
      const p = r.inputs.updatePolicy;
      if (!p) return undefined;
      const zones = (r.inputs.distributionPolicyZones as string[] | undefined)?.length || DEFAULT_MIG_ZONES;
      const bad = (["Surge", "Unavailable"] as const).find((k) => {
        const { fixed } = sent(p, k);
        return fixed !== undefined && fixed !== 0 && fixed < zones;
      });
      return first([bad !== undefined, `fixed max${bad} ${sent(p, bad ?? "Surge").fixed} must be 0 or at least the group's ${zones} zones`]);
    },
  },
  {
    // "maxSurge must be equal to 0 when replacement method is set to RECREATE"; RECREATE also needs
    // maxUnavailable > 0 (provider docs).
    name: "gcp-mig-recreate-without-surge",
    url: "https://github.com/GoogleCloudPlatform/magic-modules/pull/8210",
    types: [T.mig],
    check: (r) => {
      const p = r.inputs.updatePolicy;
      if (p?.replacementMethod !== "RECREATE") return undefined;
      return first(
        [sent(p, "Surge").value !== 0, "replacementMethod RECREATE needs maxSurge 0"],
        [sent(p, "Unavailable").value <= 0, "replacementMethod RECREATE needs maxUnavailable > 0"],
      );
    },
  },
  {
    // A percentage only "if the group has 10 or more instances" (0-100); fixed and percent of the
    // same knob conflict (provider schema ConflictsWith).
    name: "gcp-mig-percent-values",
    url: UPDATE_POLICY_DOC,
    types: [T.mig],
    check: (r, world) => {
      const p = r.inputs.updatePolicy;
      if (!p) return undefined;
      const size = world.resources.find((a) => a.type === T.autoscaler && a.inputs.target === `${r.name}_id`)?.inputs.autoscalingPolicy?.minReplicas ?? r.inputs.targetSize ?? 0;
      for (const k of ["Surge", "Unavailable"] as const) {
        const percent = p[`max${k}Percent`];
        if (percent === undefined) continue;
        const problem = first(
          [p[`max${k}Fixed`] !== undefined, `max${k}Fixed and max${k}Percent conflict`],
          [!inRange(percent, 0, 100), `max${k}Percent ${percent} is not 0-100`],
          [size < 10, `max${k}Percent needs a group of at least 10 instances, this one has ${size}`],
        );
        if (problem) return problem;
      }
      return undefined;
    },
  },
  {
    // minReadySec "must be from range [0, 3600]"; autohealing initialDelaySec "Between 0 and 3600".
    name: "gcp-mig-delays",
    url: `${TPG}/resource_compute_region_instance_group_manager.go`,
    types: [T.mig],
    check: (r) => {
      const minReady = r.inputs.updatePolicy?.minReadySec;
      const delay = r.inputs.autoHealingPolicies?.initialDelaySec;
      return first(
        [minReady !== undefined && !inRange(minReady, 0, 3600), `minReadySec ${minReady} is not 0-3600`],
        [delay !== undefined && !inRange(delay, 0, 3600), `autoHealingPolicies.initialDelaySec ${delay} is not 0-3600`],
      );
    },
  },
  {
    // "The maximum character length is 58 and the name must comply with RFC1035 format"
    // (@pattern [a-z](([-a-z0-9]{0,57})|...)); the group appends "-" and 4 random characters.
    name: "gcp-mig-base-instance-name",
    url: "https://pub.dev/documentation/googleapis/latest/compute_v1/InstanceGroupManager/baseInstanceName.html",
    types: [T.mig],
    check: (r) => {
      const base = r.inputs.baseInstanceName;
      return first([typeof base !== "string" || !/^[a-z][-a-z0-9]{0,57}$/.test(base), `baseInstanceName "${base}" is not 1-58 characters starting with a letter`]);
    },
  },
  {
    // cpuUtilization target "Must be a float value in the range (0, 1]".
    name: "gcp-autoscaler-cpu-target",
    url: "https://cloud.google.com/python/docs/reference/compute/1.5.0/google.cloud.compute_v1.types.AutoscalingPolicyCpuUtilization",
    types: [T.autoscaler],
    check: (r) => {
      const target = r.inputs.autoscalingPolicy?.cpuUtilization?.target;
      return first([target !== undefined && !(typeof target === "number" && target > 0 && target <= 1), `cpuUtilization.target ${target} is not in (0, 1]`]);
    },
  },
  {
    // minReplicas "cannot be less than 0"; "The maximum number of replicas should not be lower than
    // minimal number of replicas."
    name: "gcp-autoscaler-replicas",
    url: `${TPG}/resource_compute_region_autoscaler.go`,
    types: [T.autoscaler],
    check: (r) => {
      const { minReplicas, maxReplicas } = r.inputs.autoscalingPolicy ?? {};
      return first(
        [!inRange(maxReplicas, 0, Number.MAX_SAFE_INTEGER), `maxReplicas ${maxReplicas} is required`],
        [minReplicas !== undefined && !inRange(minReplicas, 0, Number.MAX_SAFE_INTEGER), `minReplicas ${minReplicas} is below 0`],
        [minReplicas !== undefined && maxReplicas < minReplicas, `maxReplicas ${maxReplicas} is below minReplicas ${minReplicas}`],
      );
    },
  },
  {
    // "Priority for this rule. This is an integer between 0 and 65535, both inclusive."
    name: "gcp-firewall-priority",
    url: `${TPG}/resource_compute_firewall.go`,
    types: [T.firewall],
    check: (r) => first([r.inputs.priority !== undefined && !inRange(r.inputs.priority, 0, 65535), `priority ${r.inputs.priority} is not 0-65535`]),
  },
  {
    // Protocol: "(tcp, udp, icmp, esp, ah, sctp, ipip, all), or the IP protocol number"; ports "only
    // applicable for UDP or TCP protocol. Each entry must be either an integer or a range."
    name: "gcp-firewall-protocol-ports",
    url: `${TPG}/resource_compute_firewall.go`,
    types: [T.firewall],
    check: (r) => {
      const blocks = [...(r.inputs.allows ?? []), ...(r.inputs.denies ?? [])] as { protocol: string; ports?: string[] }[];
      for (const b of blocks) {
        const known = ["tcp", "udp", "icmp", "esp", "ah", "sctp", "ipip", "all"].includes(b.protocol) || /^\d+$/.test(b.protocol);
        const badPort = (b.ports ?? []).find((p) => !/^\d+(-\d+)?$/.test(p));
        const problem = first(
          [!known, `protocol ${b.protocol} is not a known protocol or number`],
          [(b.ports ?? []).length > 0 && !["tcp", "udp"].includes(b.protocol), `ports on protocol ${b.protocol} (tcp or udp only)`],
          [badPort !== undefined, `port "${badPort}" is neither an integer nor a range`],
        );
        if (problem) return problem;
      }
      return undefined;
    },
  },
  {
    // sourceRanges "must be expressed in CIDR format"; "A firewall rule can contain either IPv4 or
    // IPv6 ranges, but not both."
    name: "gcp-firewall-source-ranges",
    url: "https://cloud.google.com/firewall/docs/using-firewalls",
    types: [T.firewall],
    check: (r) => {
      const ranges = [...(r.inputs.sourceRanges ?? []), ...(r.inputs.destinationRanges ?? [])] as string[];
      const v6 = ranges.filter((c) => c.includes(":"));
      const bad = ranges.find((c) => (c.includes(":") ? !/^[0-9a-f:]+\/\d{1,3}$/i.test(c) : ipv4Cidr(c) === undefined));
      return first(
        [bad !== undefined, `range "${bad}" is not in CIDR format`],
        [v6.length > 0 && v6.length < ranges.length, "mixes IPv4 and IPv6 ranges"],
      );
    },
  },
  {
    // ipCidrRange: "Only IPv4 is supported"; "Ranges must be unique and non-overlapping within a
    // network"; a range from the valid ranges list (RFC 1918 here).
    name: "gcp-subnetwork-range",
    url: `${TPG}/resource_compute_subnetwork.go`,
    types: [T.subnetwork],
    check: (r, world) => {
      const range = ipv4Cidr(String(r.inputs.ipCidrRange));
      if (!range) return `ipCidrRange ${r.inputs.ipCidrRange} is not an IPv4 CIDR`;
      const siblings = world.resources.filter((s) => s.type === T.subnetwork && s !== r && s.inputs.network === r.inputs.network);
      const clash = siblings.find((s) => { const other = ipv4Cidr(String(s.inputs.ipCidrRange)); return other !== undefined && overlaps(range, other); });
      return first(
        [!["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].some((b) => ipv4Within(range, b)), `ipCidrRange ${r.inputs.ipCidrRange} is not an RFC 1918 range`],
        [clash !== undefined, `ipCidrRange ${r.inputs.ipCidrRange} overlaps ${clash?.name}'s in the same network`],
      );
    },
  },
  {
    // network is required; a BGP ASN "Must be an RFC6996 private ASN": 64512-65534 or
    // 4200000000-4294967294 (or 16550).
    name: "gcp-router",
    url: `${TPG}/resource_compute_router.go`,
    types: [T.router],
    check: (r) => {
      const asn = r.inputs.bgp?.asn;
      const privateAsn = asn === undefined || inRange(asn, 64512, 65534) || inRange(asn, 4_200_000_000, 4_294_967_294) || asn === 16550;
      return first([!r.inputs.network, "router has no network"], [!r.inputs.region, "router has no region"], [!privateAsn, `bgp.asn ${asn} is not a private ASN`]);
    },
  },
  {
    // router and sourceSubnetworkIpRangesToNat are required; natIpAllocateOption AUTO_ONLY (Google
    // allocates, no natIps) or MANUAL_ONLY (needs natIps); LIST_OF_SUBNETWORKS needs subnetworks.
    name: "gcp-nat-configuration",
    url: `${TPG}/resource_compute_router_nat.go`,
    types: [T.nat],
    check: (r) => {
      const n = r.inputs;
      const ranges = ["ALL_SUBNETWORKS_ALL_IP_RANGES", "ALL_SUBNETWORKS_ALL_PRIMARY_IP_RANGES", "LIST_OF_SUBNETWORKS"];
      return first(
        [!n.router, "NAT has no router"],
        [!["AUTO_ONLY", "MANUAL_ONLY"].includes(n.natIpAllocateOption), `natIpAllocateOption ${n.natIpAllocateOption}`],
        [n.natIpAllocateOption === "AUTO_ONLY" && (n.natIps ?? []).length > 0, "AUTO_ONLY with natIps"],
        [n.natIpAllocateOption === "MANUAL_ONLY" && (n.natIps ?? []).length === 0, "MANUAL_ONLY without natIps"],
        [!ranges.includes(n.sourceSubnetworkIpRangesToNat), `sourceSubnetworkIpRangesToNat ${n.sourceSubnetworkIpRangesToNat}`],
        [n.sourceSubnetworkIpRangesToNat === "LIST_OF_SUBNETWORKS" && (n.subnetworks ?? []).length === 0, "LIST_OF_SUBNETWORKS without subnetworks"],
      );
    },
  },
  {
    // "You configure Cloud NAT by creating a Cloud NAT gateway in the region of the subnets that require
    // NAT"; the gateway sits on a Cloud Router of that region and network.
    name: "gcp-nat-region",
    url: "https://cloud.google.com/nat/docs/overview",
    types: [T.nat],
    check: (r, world) => {
      const router = world.resources.find((x) => x.type === T.router && mockedName(x) === r.inputs.router);
      if (!router) return `NAT's router ${r.inputs.router} is not in the deployment`;
      const subnets = world.resources.filter((s) => s.type === T.subnetwork && s.inputs.network === router.inputs.network);
      const elsewhere = subnets.find((s) => s.inputs.region !== r.inputs.region);
      return first(
        [!r.inputs.region || router.inputs.region !== r.inputs.region, `NAT in ${r.inputs.region}, its router in ${router.inputs.region}`],
        [subnets.length === 0, "NAT's network has no subnetwork to serve"],
        [elsewhere !== undefined, `NAT in ${r.inputs.region} serves a network whose subnetwork ${elsewhere?.name} is in ${elsewhere?.inputs.region}`],
      );
    },
  },
  {
    // "A Public NAT gateway can only use routes whose next hops are the default internet gateway":
    // a network behind Cloud NAT keeps its default route.
    name: "gcp-nat-default-route",
    url: "https://cloud.google.com/nat/docs/nat-product-interactions",
    types: [T.network],
    check: (r, world) => {
      const natted = world.resources.some((x) => x.type === T.router && x.inputs.network === `${r.name}_id`);
      return first([natted && r.inputs.deleteDefaultRoutesOnCreate === true, "network behind Cloud NAT deletes its default internet route"]);
    },
  },
  {
    // Backend service: loadBalancingScheme defaults to INTERNAL; a forwarding rule's to EXTERNAL, and
    // it "must be omitted for all other load balancer types" than passthrough; the two carry the same
    // scheme ("A backend service created for one type of load balancing cannot be used with the other(s)").
    name: "gcp-lb-scheme-consistency",
    url: `${TPG}/resource_compute_forwarding_rule.go`,
    types: [T.forwardingRule],
    check: (r, world) => {
      const bs = byId(world, T.backendService, r.inputs.backendService);
      const frScheme = r.inputs.loadBalancingScheme ?? "EXTERNAL";
      const bsScheme = bs?.inputs.loadBalancingScheme ?? "INTERNAL";
      return first(
        [!bs, `backendService ${r.inputs.backendService} is not a regional backend service of the deployment`],
        [!PASSTHROUGH.includes(frScheme), `loadBalancingScheme ${frScheme} is not a passthrough scheme`],
        [bs !== undefined && frScheme !== bsScheme, `forwarding rule scheme ${frScheme} differs from its backend service's ${bsScheme}`],
        [bs !== undefined && bs.inputs.region !== r.inputs.region, `forwarding rule in ${r.inputs.region}, its backend service in ${bs?.inputs.region}`],
      );
    },
  },
  {
    // "You can specify a list of up to five ports by number"; ports need IPProtocol TCP, UDP or SCTP;
    // "The 'ports', 'portRange', and 'allPorts' fields are mutually exclusive"; ports 1-65535.
    name: "gcp-forwarding-rule-ports",
    url: `${TPG}/resource_compute_forwarding_rule.go`,
    types: [T.forwardingRule],
    check: (r) => {
      const ports = (r.inputs.ports ?? []) as string[];
      const given = [r.inputs.ports !== undefined, r.inputs.portRange !== undefined, r.inputs.allPorts === true].filter(Boolean).length;
      const bad = ports.find((p) => !/^\d+(-\d+)?$/.test(p) || p.split("-").some((n) => !inRange(Number(n), 1, 65535)));
      return first(
        [ports.length > 5, `${ports.length} ports (at most five)`],
        [given > 1, "ports, portRange and allPorts are mutually exclusive"],
        [ports.length > 0 && !["TCP", "UDP", "SCTP"].includes(r.inputs.ipProtocol), `ports need ipProtocol TCP, UDP or SCTP, has ${r.inputs.ipProtocol}`],
        [bad !== undefined, `port "${bad}" is not a port 1-65535 or a range of them`],
      );
    },
  },
  {
    // Internal: "a subnetwork must be specified if the network is in custom subnet mode" (the
    // component's networks are); network "is not used for external load balancing".
    name: "gcp-forwarding-rule-network",
    url: `${TPG}/resource_compute_forwarding_rule.go`,
    types: [T.forwardingRule],
    check: (r) => {
      const internal = (r.inputs.loadBalancingScheme ?? "EXTERNAL") === "INTERNAL";
      return first(
        [internal && (!r.inputs.network || !r.inputs.subnetwork), "an INTERNAL forwarding rule needs network and subnetwork"],
        [!internal && (r.inputs.network !== undefined || r.inputs.subnetwork !== undefined), "an EXTERNAL forwarding rule takes no network or subnetwork"],
      );
    },
  },
  {
    // Passthrough backends are instance groups: `group` is "The fully-qualified URL of an Instance Group"
    // (a manager's `instanceGroup` output, not the manager), in the balancer's region; balancing mode
    // CONNECTION (the provider's default is UTILIZATION), and capacityScaler / maxConnections* / maxRate*
    // / maxUtilization "cannot be set for non-managed backend service".
    name: "gcp-backend-service-backends",
    url: `${TPG}/resource_compute_region_backend_service.go`,
    types: [T.backendService],
    check: (r) => {
      const backends = (r.inputs.backends ?? []) as Record<string, any>[];
      const capacity = ["capacityScaler", "maxConnections", "maxConnectionsPerInstance", "maxConnectionsPerEndpoint", "maxRate", "maxRatePerInstance", "maxRatePerEndpoint", "maxUtilization"];
      for (const b of backends) {
        const set = capacity.find((k) => b[k] !== undefined);
        const problem = first(
          [typeof b.group !== "string" || !/\/regions\/[a-z0-9-]+\/instanceGroups\/[a-z0-9-]+$/.test(b.group), `backend group ${b.group} is not an instance group URL`],
          [typeof b.group === "string" && !b.group.includes(`/regions/${r.inputs.region}/`), `backend group ${b.group} is outside the balancer's region ${r.inputs.region}`],
          [b.balancingMode !== "CONNECTION", `balancingMode ${b.balancingMode ?? "unset (UTILIZATION)"}: passthrough backends balance by CONNECTION`],
          [set !== undefined, `${set} cannot be set on a passthrough backend`],
        );
        if (problem) return problem;
      }
      return first([backends.length === 0, "backend service without backends"]);
    },
  },
  {
    // Every managed instance group of the region serves behind the region's balancer (DESIGN.md
    // "Traffic": one regional load balancer in front of every group there), by its instance group.
    name: "gcp-backend-service-covers-region",
    url: "https://cloud.google.com/load-balancing/docs/network/networklb-backend-service",
    types: [T.backendService],
    check: (r, world) => {
      const groups = new Set(((r.inputs.backends ?? []) as { group: string }[]).map((b) => b.group));
      const missing = world.resources.find((m) => m.type === T.mig && m.inputs.region === r.inputs.region && ![...groups].some((g) => g.endsWith(`/instanceGroups/${m.name}`)));
      return first([missing !== undefined, `managed instance group ${missing?.name} of ${r.inputs.region} is not a backend`]);
    },
  },
  {
    // portName "Must be omitted when the loadBalancingScheme is INTERNAL"; passthrough protocol TCP,
    // UDP or UNSPECIFIED.
    name: "gcp-backend-service-passthrough",
    url: `${TPG}/resource_compute_region_backend_service.go`,
    types: [T.backendService],
    check: (r) => {
      const scheme = r.inputs.loadBalancingScheme ?? "INTERNAL";
      return first(
        [!PASSTHROUGH.includes(scheme), `loadBalancingScheme ${scheme} is not a passthrough scheme`],
        [scheme === "INTERNAL" && r.inputs.portName !== undefined, `portName ${r.inputs.portName} on an INTERNAL backend service`],
        [!["TCP", "UDP", "UNSPECIFIED"].includes(r.inputs.protocol), `protocol ${r.inputs.protocol} is not a passthrough protocol`],
      );
    },
  },
  {
    // "Currently at most one health check can be specified. A health check must be specified unless the
    // backend service uses an internet or serverless NEG" (healthChecks is one string in @pulumi/gcp 9).
    name: "gcp-backend-service-health-check",
    url: `${TPG}/resource_compute_region_backend_service.go`,
    types: [T.backendService],
    check: (r, world) => {
      const hc = byId(world, T.healthCheck, r.inputs.healthChecks);
      return first(
        [typeof r.inputs.healthChecks !== "string", `healthChecks must be one health check, has ${JSON.stringify(r.inputs.healthChecks)}`],
        [!hc, `health check ${r.inputs.healthChecks} is not a regional health check of the deployment`],
        [hc !== undefined && hc.inputs.region !== r.inputs.region, `health check in ${hc?.inputs.region}, backend service in ${r.inputs.region}`],
      );
    },
  },
  {
    // "ExactlyOneOf" the health check kinds; "It is invalid for timeoutSec to have greater value than
    // checkIntervalSec" (defaults 5 and 5); port "Valid values are 1 through 65535"; thresholds count
    // consecutive probes (defaults 2), so positive integers.
    name: "gcp-health-check-values",
    url: `${TPG}/resource_compute_region_health_check.go`,
    types: [T.healthCheck],
    check: (r) => {
      const kinds = HEALTH_CHECK_KINDS.filter((k) => r.inputs[k] !== undefined);
      const interval = r.inputs.checkIntervalSec ?? 5;
      const timeout = r.inputs.timeoutSec ?? 5;
      const port = kinds.length === 1 ? r.inputs[kinds[0]!].port : undefined;
      return first(
        [kinds.length !== 1, `${kinds.length} health check kinds (exactly one): ${kinds.join(", ")}`],
        [!inRange(interval, 1, Number.MAX_SAFE_INTEGER) || !inRange(timeout, 1, Number.MAX_SAFE_INTEGER), `checkIntervalSec ${interval} / timeoutSec ${timeout} must be positive integers`],
        [timeout > interval, `timeoutSec ${timeout} exceeds checkIntervalSec ${interval}`],
        [port !== undefined && !inRange(port, 1, 65535), `port ${port} is not 1-65535`],
        [r.inputs.healthyThreshold !== undefined && !inRange(r.inputs.healthyThreshold, 1, Number.MAX_SAFE_INTEGER), `healthyThreshold ${r.inputs.healthyThreshold}`],
        [r.inputs.unhealthyThreshold !== undefined && !inRange(r.inputs.unhealthyThreshold, 1, Number.MAX_SAFE_INTEGER), `unhealthyThreshold ${r.inputs.unhealthyThreshold}`],
      );
    },
  },
  {
    // requestPath: "The request path of the HTTP health check request. The default value is /." A path
    // starts with "/"; only http(s)/http2 checks have one.
    name: "gcp-health-check-request-path",
    url: `${TPG}/resource_compute_region_health_check.go`,
    types: [T.healthCheck],
    check: (r) => {
      const paths = ["httpHealthCheck", "httpsHealthCheck", "http2HealthCheck"].map((k) => r.inputs[k]?.requestPath).filter((p) => p !== undefined);
      const bad = paths.find((p) => typeof p !== "string" || !p.startsWith("/"));
      return first(
        [bad !== undefined, `requestPath "${bad}" does not start with "/"`],
        [r.inputs.tcpHealthCheck?.requestPath !== undefined, "a TCP health check has no requestPath"],
      );
    },
  },
  {
    // "For the health check probes to reach your backends, you must create an ingress allow firewall
    // rule that allows health check probes to reach your backend instances" (ranges 35.191.0.0/16,
    // 130.211.0.0/22), on the health-check port, to the instances' network tag.
    name: "gcp-health-check-firewall",
    url: "https://cloud.google.com/load-balancing/docs/firewall-rules",
    types: [T.healthCheck],
    check: (r, world) => {
      const kind = HEALTH_CHECK_KINDS.find((k) => r.inputs[k] !== undefined);
      const port = String(kind ? r.inputs[kind].port : "");
      const tags = new Set(world.resources.filter((t) => t.type === T.template).flatMap((t) => (t.inputs.tags ?? []) as string[]));
      const admits = world.resources.some((f) =>
        f.type === T.firewall && (f.inputs.direction ?? "INGRESS") === "INGRESS" &&
        PROBE_RANGES.every((range) => (f.inputs.sourceRanges ?? []).includes(range)) &&
        ((f.inputs.allows ?? []) as { protocol: string; ports?: string[] }[]).some((a) => a.protocol === "tcp" && (a.ports ?? []).includes(port)) &&
        ((f.inputs.targetTags ?? []) as string[]).some((t) => tags.has(t)));
      return first([!admits, `no firewall rule admits Google's probe ranges on tcp ${port} to the instances`]);
    },
  },
  {
    // autoHealingPolicies: healthCheck "The health check resource that signals autohealing";
    // initialDelaySec required, "Between 0 and 3600".
    name: "gcp-mig-autohealing",
    url: `${TPG}/resource_compute_region_instance_group_manager.go`,
    types: [T.mig],
    check: (r, world) => {
      const p = r.inputs.autoHealingPolicies;
      if (p === undefined) return undefined;
      const hc = byId(world, T.healthCheck, p.healthCheck);
      return first(
        [Array.isArray(p), "autoHealingPolicies is one policy, not a list"],
        [!hc, `autohealing health check ${p.healthCheck} is not a regional health check of the deployment`],
        [!inRange(p.initialDelaySec, 0, 3600), `initialDelaySec ${p.initialDelaySec} is not 0-3600`],
      );
    },
  },
];

function applies(rule: Rule, r: Recorded): boolean {
  return r.type.startsWith("gcp:") && (rule.types === undefined || rule.types.includes(r.type));
}

/** Every broken rule of a deployment, as "rule: type name: problem". */
function lint(world: World): string[] {
  return world.resources.flatMap((r) =>
    RULES.filter((rule) => applies(rule, r)).flatMap((rule) => {
      const problem = rule.check(r, world);
      return problem === undefined ? [] : [`${rule.name}: ${r.type} ${r.name}: ${problem} (${rule.url})`];
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// The matrix of plans

interface Scenario {
  name: string;
  workload?: string;
  regions: string[];
  offers: InstanceOffer[];
  args?: Partial<MultiCloudWorkloadArgs>;
}

type TrafficArgs = NonNullable<MultiCloudWorkloadArgs["traffic"]>;
const gcp = (partial: Partial<InstanceOffer> & Pick<InstanceOffer, "region" | "instanceType">) => offer({ provider: "gcp", ...partial });
const N2 = { instanceType: "n2-standard-4", vcpu: 4, memoryGiB: 16, onDemandHourlyUsd: 0.194 };
const SHARED_NETWORK = {
  "us-central1": { network: "projects/acme/global/networks/shared", subnetwork: "projects/acme/regions/us-central1/subnetworks/apps" },
};

const SCENARIOS: Scenario[] = [
  { name: "on-demand only", regions: ["us-central1"], offers: [gcp({ region: "us-central1", ...N2 })] },
  {
    name: "spot beside on-demand",
    regions: ["us-central1"],
    offers: [gcp({ region: "us-central1", ...N2, spotHourlyUsd: 0.05 })],
    args: { constraints: { maxSpotShare: 0.5 } },
  },
  {
    name: "E2 with spot",
    regions: ["us-central1"],
    offers: [gcp({ region: "us-central1", instanceType: "e2-standard-8", vcpu: 8, memoryGiB: 32, onDemandHourlyUsd: 0.268, spotHourlyUsd: 0.08 })],
    args: { constraints: { maxSpotShare: 0.5 } },
  },
  {
    name: "two regions",
    regions: ["us-central1", "europe-west1"],
    offers: [gcp({ region: "us-central1", ...N2 }), gcp({ region: "europe-west1", ...N2, onDemandHourlyUsd: 0.213 })],
    args: { constraints: { quotas: { "gcp/us-central1": { vcpu: 24 } } } },
  },
  {
    name: "GPU (L4 on g2-standard-8)",
    regions: ["us-central1"],
    offers: [gcp({ region: "us-central1", instanceType: "g2-standard-8", vcpu: 8, memoryGiB: 32, gpus: 1, gpuType: "l4", onDemandHourlyUsd: 0.854, spotHourlyUsd: 0.3 })],
    args: { demand: { replicas: 4, cpu: 4, memoryGiB: 16, gpus: 1 }, instance: { minVcpu: 2, maxVcpu: 16, gpuType: "l4" }, constraints: { maxSpotShare: 0.5 } },
  },
  {
    name: "arm64 (t2a)",
    regions: ["us-central1"],
    offers: [gcp({ region: "us-central1", instanceType: "t2a-standard-4", vcpu: 4, memoryGiB: 16, arch: "arm64", onDemandHourlyUsd: 0.154 })],
    args: { instance: { minVcpu: 2, maxVcpu: 16, arch: "arm64" } },
  },
  {
    name: "long names",
    workload: "a-very-long-workload-name-for-testing-xx",
    regions: ["northamerica-northeast2"],
    offers: [gcp({ region: "northamerica-northeast2", instanceType: "c3d-highmem-180-lssd", vcpu: 180, memoryGiB: 1440, onDemandHourlyUsd: 9.9, spotHourlyUsd: 3 })],
    args: { demand: { replicas: 4, cpu: 90, memoryGiB: 720 }, instance: { minVcpu: 2, maxVcpu: 180 }, constraints: { maxSpotShare: 0.5 } },
  },
  {
    name: "given network, public IPs",
    regions: ["us-central1"],
    offers: [gcp({ region: "us-central1", ...N2 })],
    args: { gcp: { networks: SHARED_NETWORK }, assignPublicIp: true },
  },
  { name: "egress none", regions: ["us-central1"], offers: [gcp({ region: "us-central1", ...N2 })], args: { gcp: { egress: "none" } } },
  {
    name: "traffic: internal, two regions, spot",
    regions: ["us-central1", "europe-west1"],
    offers: [gcp({ region: "us-central1", ...N2, spotHourlyUsd: 0.05 }), gcp({ region: "europe-west1", ...N2, onDemandHourlyUsd: 0.213 })],
    args: { constraints: { maxSpotShare: 0.5, quotas: { "gcp/us-central1": { vcpu: 40 } } }, traffic: { port: 443, healthCheck: { path: "/healthz" } } },
  },
  {
    name: "traffic: public, https check every 30 s",
    regions: ["us-central1"],
    offers: [gcp({ region: "us-central1", ...N2 })],
    args: { traffic: { port: 443, public: true, healthCheck: { protocol: "https", path: "/ready", intervalSeconds: 30 } as TrafficArgs["healthCheck"] } },
  },
  {
    name: "traffic: tcp check on its own port, given network",
    regions: ["us-central1"],
    offers: [gcp({ region: "us-central1", ...N2 })],
    args: { gcp: { networks: SHARED_NETWORK }, traffic: { port: 8080, healthCheck: { protocol: "tcp", port: 9000 } as TrafficArgs["healthCheck"] } },
  },
  {
    name: "traffic: long names",
    workload: "a-very-long-workload-name-for-testing-xx",
    regions: ["northamerica-northeast2"],
    offers: [gcp({ region: "northamerica-northeast2", ...N2, spotHourlyUsd: 0.05 })],
    args: { constraints: { maxSpotShare: 0.5 }, traffic: { port: 443 } },
  },
];

/** A GCP-only plan on the scenario's offers, with webArgs' ports, CIDRs, tags and user data. */
function argsOf(s: Scenario): MultiCloudWorkloadArgs {
  return webArgs({ providers: { gcp: { regions: s.regions } }, constraints: {}, azure: undefined, ...s.args }, s.offers);
}

interface Deployment extends World {
  scenario: Scenario;
  assignPublicIp: boolean;
  planned: { region: string; lifecycle: string; count: number }[];
}

const deployments: Deployment[] = [];

beforeAll(async () => {
  for (const s of SCENARIOS) {
    const h = await setupPulumi({ stack: "dev" });
    const w = new MultiCloudWorkload(s.workload ?? "web", argsOf(s));
    await w.ready();
    await h.settle();
    const plan = (await valueOf(w.plan)) as unknown as { allocations: { provider: string; region: string; lifecycle: string; count: number }[] };
    deployments.push({
      scenario: s,
      resources: h.resources.filter((r) => r.type.startsWith("gcp:")),
      gpuMachineTypes: new Set(s.offers.filter((o) => o.gpus > 0).map((o) => o.instanceType)),
      assignPublicIp: argsOf(s).assignPublicIp ?? false,
      planned: plan.allocations.filter((a) => a.provider === "gcp"),
    });
  }
}, 120_000);

function deployment(name: string): Deployment {
  return deployments.find((d) => d.scenario.name === name)!;
}

// ---------------------------------------------------------------------------------------------
// The tests

describe("the matrix of GCP plans", () => {
  it("covers what it claims: spot and on-demand, two regions, GPU, arm64, given and created networks", () => {
    const lifecycles = (d: Deployment) => [...new Set(d.planned.map((a) => a.lifecycle))].sort();
    expect(lifecycles(deployment("on-demand only"))).toEqual(["on-demand"]);
    expect(lifecycles(deployment("spot beside on-demand"))).toEqual(["on-demand", "spot"]);
    expect(lifecycles(deployment("E2 with spot"))).toEqual(["on-demand", "spot"]);
    expect(lifecycles(deployment("long names"))).toEqual(["on-demand", "spot"]);
    expect(new Set(deployment("two regions").planned.map((a) => a.region))).toEqual(new Set(["us-central1", "europe-west1"]));
    const machineTypes = (d: Deployment) => d.resources.filter((r) => r.type === T.template).map((r) => r.inputs.machineType);
    expect(machineTypes(deployment("GPU (L4 on g2-standard-8)"))).toContain("g2-standard-8");
    expect(machineTypes(deployment("arm64 (t2a)"))).toEqual(["t2a-standard-4"]);
    expect(deployment("given network, public IPs").resources.filter((r) => r.type === T.network)).toEqual([]);
    for (const d of deployments) expect(d.resources.filter((r) => r.type === T.mig).length, d.scenario.name).toBeGreaterThan(0);
    // Traffic variants: internal and external balancers, http, https and tcp checks, and a region
    // with more than one group behind its balancer.
    const traffic = deployments.filter((d) => d.scenario.args?.traffic);
    const schemes = new Set(traffic.flatMap((d) => d.resources.filter((r) => r.type === T.backendService).map((r) => r.inputs.loadBalancingScheme)));
    expect([...schemes].sort()).toEqual(["EXTERNAL", "INTERNAL"]);
    const kinds = new Set(traffic.flatMap((d) => d.resources.filter((r) => r.type === T.healthCheck).flatMap((r) => HEALTH_CHECK_KINDS.filter((k) => r.inputs[k]))));
    expect([...kinds].sort()).toEqual(["httpHealthCheck", "httpsHealthCheck", "tcpHealthCheck"]);
    expect(traffic.some((d) => d.resources.some((r) => r.type === T.backendService && r.inputs.backends.length > 1))).toBe(true);
  });

  it("puts one passthrough balancer in each region of a traffic plan, and none without traffic", () => {
    for (const d of deployments) {
      const regions = [...new Set(d.planned.map((a) => a.region))].sort();
      const per = (type: string) => d.resources.filter((r) => r.type === type).map((r) => r.inputs.region).sort();
      const expected = d.scenario.args?.traffic ? regions : [];
      for (const type of [T.healthCheck, T.backendService, T.forwardingRule]) expect(per(type), `${d.scenario.name}: ${type}`).toEqual(expected);
    }
  });

  it.each(SCENARIOS.map((s) => s.name))("%s: every gcp resource keeps every rule", (name) => {
    expect(lint(deployment(name))).toEqual([]);
  });

  it("applies every rule to at least one resource of the matrix (no rule passes for want of subjects)", () => {
    const unused = RULES.filter((rule) => !deployments.some((d) => d.resources.some((r) => applies(rule, r))));
    expect(unused.map((r) => r.name)).toEqual([]);
  });

  it("gives no instance a public IP unless assignPublicIp is true", () => {
    for (const d of deployments) {
      const interfaces = d.resources.flatMap((r) => (r.inputs.networkInterfaces ?? []) as { accessConfigs?: unknown[]; ipv6AccessConfigs?: unknown[] }[]);
      expect(interfaces.length, d.scenario.name).toBeGreaterThan(0);
      for (const nic of interfaces) {
        const external = (nic.accessConfigs ?? []).length + (nic.ipv6AccessConfigs ?? []).length;
        expect(external > 0, `${d.scenario.name}: external access configs`).toBe(d.assignPublicIp);
      }
      // No address the component reserves could end up on an instance either.
      expect(d.resources.filter((r) => /gcp:compute\/(global)?[aA]ddress:/.test(r.type)), d.scenario.name).toEqual([]);
    }
  });

  it("rolls groups out proactively with surge, never below the plan (the update policy the API accepts)", () => {
    for (const d of deployments) {
      for (const mig of d.resources.filter((r) => r.type === T.mig)) {
        expect(mig.inputs.updatePolicy, `${d.scenario.name}: ${mig.name}`).toEqual({
          type: "PROACTIVE",
          minimalAction: "REPLACE",
          maxSurgeFixed: DEFAULT_MIG_ZONES,
          maxUnavailableFixed: 0,
          replacementMethod: "SUBSTITUTE",
        });
        expect(mig.inputs.distributionPolicyZones, "zones are not pinned (ForceNew)").toBeUndefined();
      }
    }
  });

  it("gives created networks Cloud NAT egress in their region, and none with egress none or a given network", () => {
    const nats = (d: Deployment) => d.resources.filter((r) => r.type === T.nat).map((r) => r.inputs.region).sort();
    expect(nats(deployment("on-demand only"))).toEqual(["us-central1"]);
    expect(nats(deployment("two regions"))).toEqual(["europe-west1", "us-central1"]);
    expect(nats(deployment("egress none"))).toEqual([]);
    expect(deployment("egress none").resources.filter((r) => r.type === T.router)).toEqual([]);
    expect(nats(deployment("given network, public IPs"))).toEqual([]);
    expect(deployment("given network, public IPs").resources.filter((r) => r.type === T.router)).toEqual([]);
    // The NAT's router is on the network the instances use.
    const d = deployment("two regions");
    for (const template of d.resources.filter((r) => r.type === T.template)) {
      const region = d.resources.find((r) => r.type === T.mig && r.name === template.name)!.inputs.region;
      const nat = d.resources.find((r) => r.type === T.nat && r.inputs.region === region)!;
      const router = d.resources.find((r) => r.type === T.router && mockedName(r) === nat.inputs.router)!;
      expect(router.inputs.network, template.name).toBe(template.inputs.networkInterfaces[0].network);
    }
  });
});

/** A recorded resource for the rules' own tests. */
function fixture(type: string, inputs: Record<string, any>, name = "web-gcp-us-central1"): Recorded {
  return { type, name, inputs };
}

const NO_WORLD: World = { resources: [], gpuMachineTypes: new Set() };
const GOOD_TEMPLATE = { machineType: "n2-standard-4", scheduling: { provisioningModel: "STANDARD", automaticRestart: true, onHostMaintenance: "MIGRATE" } };
const SPOT = { provisioningModel: "SPOT", preemptible: true, automaticRestart: false, onHostMaintenance: "TERMINATE", instanceTerminationAction: "DELETE" };

/** One known-bad resource per rule: the rule must find it. */
const BROKEN: { rule: string; resource: Recorded; world?: World }[] = [
  { rule: "gcp-resource-name", resource: fixture(T.network, { name: "Web_Net" }) },
  { rule: "gcp-autoname-fits", resource: fixture(T.network, {}, `web-gcp-${"x".repeat(50)}`) },
  { rule: "gcp-labels", resource: fixture(T.template, { labels: { CostCenter: "cc-42" } }) },
  { rule: "gcp-network-tags", resource: fixture(T.firewall, { targetTags: ["multicloud-web-"] }) },
  { rule: "gcp-metadata-limits", resource: fixture(T.template, { metadata: { "user-data": "x".repeat(262_145) } }) },
  { rule: "gcp-spot-scheduling", resource: fixture(T.template, { scheduling: { ...SPOT, automaticRestart: true } }) },
  { rule: "gcp-spot-termination-action", resource: fixture(T.template, { scheduling: { ...SPOT, instanceTerminationAction: undefined } }) },
  { rule: "gcp-gpu-terminates-on-maintenance", resource: fixture(T.template, { ...GOOD_TEMPLATE, machineType: "g2-standard-8" }), world: { resources: [], gpuMachineTypes: new Set(["g2-standard-8"]) } },
  { rule: "gcp-e2-live-migrates", resource: fixture(T.template, { machineType: "e2-standard-8", scheduling: { ...GOOD_TEMPLATE.scheduling, onHostMaintenance: "TERMINATE" } }) },
  { rule: "gcp-provisioning-model", resource: fixture(T.template, { scheduling: { provisioningModel: "PREEMPTIBLE" } }) },
  { rule: "gcp-mig-update-policy-values", resource: fixture(T.mig, { baseInstanceName: "web", updatePolicy: { type: "ROLLING", minimalAction: "REPLACE", maxSurgeFixed: 3 } }) },
  // The policy the emitter had: the provider sends maxSurge.fixed=0 and maxUnavailable.fixed=0.
  { rule: "gcp-mig-surge-or-unavailable", resource: fixture(T.mig, { baseInstanceName: "web", updatePolicy: { type: "OPPORTUNISTIC", minimalAction: "REPLACE" } }) },
  { rule: "gcp-mig-regional-fixed-values", resource: fixture(T.mig, { baseInstanceName: "web", updatePolicy: { type: "PROACTIVE", minimalAction: "REPLACE", maxSurgeFixed: 1 } }) },
  { rule: "gcp-mig-recreate-without-surge", resource: fixture(T.mig, { baseInstanceName: "web", updatePolicy: { type: "PROACTIVE", minimalAction: "REPLACE", maxSurgeFixed: 3, maxUnavailableFixed: 3, replacementMethod: "RECREATE" } }) },
  { rule: "gcp-mig-percent-values", resource: fixture(T.mig, { baseInstanceName: "web", targetSize: 4, updatePolicy: { type: "PROACTIVE", minimalAction: "REPLACE", maxSurgePercent: 20 } }) },
  { rule: "gcp-mig-delays", resource: fixture(T.mig, { baseInstanceName: "web", updatePolicy: { type: "PROACTIVE", minimalAction: "REPLACE", maxSurgeFixed: 3, minReadySec: 7200 } }) },
  { rule: "gcp-mig-base-instance-name", resource: fixture(T.mig, { baseInstanceName: "1-web" }) },
  { rule: "gcp-autoscaler-cpu-target", resource: fixture(T.autoscaler, { autoscalingPolicy: { minReplicas: 1, maxReplicas: 2, cpuUtilization: { target: 60 } } }) },
  { rule: "gcp-autoscaler-replicas", resource: fixture(T.autoscaler, { autoscalingPolicy: { minReplicas: 3, maxReplicas: 2 } }) },
  { rule: "gcp-firewall-priority", resource: fixture(T.firewall, { priority: 70000 }) },
  { rule: "gcp-firewall-protocol-ports", resource: fixture(T.firewall, { allows: [{ protocol: "icmp", ports: ["443"] }] }) },
  { rule: "gcp-firewall-source-ranges", resource: fixture(T.firewall, { sourceRanges: ["10.0.0.0/8", "::/0"] }) },
  { rule: "gcp-subnetwork-range", resource: fixture(T.subnetwork, { network: "n", ipCidrRange: "8.8.8.0/24" }) },
  { rule: "gcp-router", resource: fixture(T.router, { region: "us-central1", network: "n", bgp: { asn: 100 } }) },
  { rule: "gcp-nat-configuration", resource: fixture(T.nat, { router: "r", region: "us-central1", natIpAllocateOption: "MANUAL_ONLY", sourceSubnetworkIpRangesToNat: "ALL_SUBNETWORKS_ALL_IP_RANGES" }) },
  {
    rule: "gcp-nat-region",
    resource: fixture(T.nat, { router: "web-gcp-us-central1-1a2b3c", region: "europe-west1" }),
    world: { resources: [fixture(T.router, { region: "us-central1", network: "n" }), fixture(T.subnetwork, { region: "us-central1", network: "n" })], gpuMachineTypes: new Set() },
  },
  {
    rule: "gcp-nat-default-route",
    resource: fixture(T.network, { deleteDefaultRoutesOnCreate: true }),
    world: { resources: [fixture(T.router, { region: "us-central1", network: "web-gcp-us-central1_id" })], gpuMachineTypes: new Set() },
  },
  {
    rule: "gcp-lb-scheme-consistency",
    // The forwarding rule's scheme left at its default (EXTERNAL) before an INTERNAL backend service.
    resource: fixture(T.forwardingRule, { region: "us-central1", backendService: "web-gcp-us-central1-lb_id", ipProtocol: "TCP", ports: ["443"] }, "web-gcp-us-central1-lb"),
    world: { resources: [fixture(T.backendService, { region: "us-central1", loadBalancingScheme: "INTERNAL" }, "web-gcp-us-central1-lb")], gpuMachineTypes: new Set() },
  },
  { rule: "gcp-forwarding-rule-ports", resource: fixture(T.forwardingRule, { ipProtocol: "TCP", ports: ["80", "443", "8080", "8443", "9000", "9090"] }) },
  { rule: "gcp-forwarding-rule-network", resource: fixture(T.forwardingRule, { loadBalancingScheme: "INTERNAL", network: "n" }) },
  { rule: "gcp-backend-service-backends", resource: fixture(T.backendService, { region: "us-central1", backends: [{ group: "https://www.googleapis.com/compute/v1/projects/p/regions/us-central1/instanceGroups/web" }] }) },
  {
    rule: "gcp-backend-service-covers-region",
    resource: fixture(T.backendService, { region: "us-central1", backends: [{ group: "https://x/regions/us-central1/instanceGroups/web-a", balancingMode: "CONNECTION" }] }),
    world: { resources: [fixture(T.mig, { region: "us-central1" }, "web-a"), fixture(T.mig, { region: "us-central1" }, "web-b")], gpuMachineTypes: new Set() },
  },
  { rule: "gcp-backend-service-passthrough", resource: fixture(T.backendService, { loadBalancingScheme: "INTERNAL", protocol: "TCP", portName: "http" }) },
  { rule: "gcp-backend-service-health-check", resource: fixture(T.backendService, { region: "us-central1", healthChecks: ["hc_id"] }) },
  { rule: "gcp-health-check-values", resource: fixture(T.healthCheck, { checkIntervalSec: 5, timeoutSec: 10, tcpHealthCheck: { port: 443 } }) },
  { rule: "gcp-health-check-request-path", resource: fixture(T.healthCheck, { httpHealthCheck: { port: 80, requestPath: "healthz" } }) },
  {
    rule: "gcp-health-check-firewall",
    resource: fixture(T.healthCheck, { httpHealthCheck: { port: 8443, requestPath: "/" } }),
    world: {
      // Probes admitted on the traffic port, not on the health-check port.
      resources: [fixture(T.template, { tags: ["multicloud-web"] }), fixture(T.firewall, { allows: [{ protocol: "tcp", ports: ["443"] }], sourceRanges: PROBE_RANGES, targetTags: ["multicloud-web"] })],
      gpuMachineTypes: new Set(),
    },
  },
  {
    rule: "gcp-mig-autohealing",
    resource: fixture(T.mig, { baseInstanceName: "web", autoHealingPolicies: { healthCheck: "web-gcp-us-central1-hc_id", initialDelaySec: 7200 } }),
    world: { resources: [fixture(T.healthCheck, { tcpHealthCheck: { port: 443 } }, "web-gcp-us-central1-hc")], gpuMachineTypes: new Set() },
  },
];

describe("the rules themselves", () => {
  it("have unique names and documentation URLs", () => {
    expect(new Set(RULES.map((r) => r.name)).size).toBe(RULES.length);
    for (const r of RULES) expect(r.url, r.name).toMatch(/^https:\/\//);
  });

  it("have one known-bad case each", () => {
    expect(BROKEN.map((b) => b.rule).sort()).toEqual(RULES.map((r) => r.name).sort());
  });

  it.each(BROKEN.map((b) => [b.rule, b] as const))("%s catches its known-bad resource", (_, b) => {
    const rule = RULES.find((r) => r.name === b.rule)!;
    expect(applies(rule, b.resource)).toBe(true);
    expect(rule.check(b.resource, b.world ?? NO_WORLD)).toBeDefined();
  });
});

// ---------------------------------------------------------------------------------------------
// Capacity alerts (issue "Failover across clouds" #4, clouds/gcp/alerts.ts): the alert policy per
// region, and with traffic.notification its e-mail notification channel. Held to their own rules
// here, on every deployment of the matrix and on a traffic deployment with a notification.

describe("GCP capacity alerts", () => {
  const A = { policy: "gcp:monitoring/alertPolicy:AlertPolicy", channel: "gcp:monitoring/notificationChannel:NotificationChannel" } as const;
  const ALERT_RULES: Rule[] = [
    {
      name: "gcp-alert-policy-threshold",
      url: "https://cloud.google.com/monitoring/alerts/concepts-indepth",
      types: [A.policy],
      check: (r) => {
        const conditions = (r.inputs.conditions ?? []) as any[];
        const t = conditions[0]?.conditionThreshold;
        return first(
          [conditions.length < 1, "no condition"],
          [conditions.length > 1 && !["AND", "OR", "AND_WITH_MATCHING_RESOURCE"].includes(r.inputs.combiner), `combiner ${r.inputs.combiner}`],
          [!t, "not a threshold condition"],
          [!!t && !["COMPARISON_GT", "COMPARISON_GE", "COMPARISON_LT", "COMPARISON_LE", "COMPARISON_EQ", "COMPARISON_NE"].includes(t.comparison), `comparison ${t?.comparison}`],
          [!!t && !/^\d+s$/.test(String(t.duration)), `duration ${t?.duration}`],
          [!!t && (t.aggregations ?? []).some((a: any) => a.crossSeriesReducer !== undefined && !/^\d+s$/.test(String(a.alignmentPeriod))), "a cross-series reducer needs an alignment period"],
          [!!t && (t.aggregations ?? []).some((a: any) => a.crossSeriesReducer !== undefined && a.perSeriesAligner === undefined), "a cross-series reducer needs a per-series aligner"],
        );
      },
    },
    {
      name: "gcp-alert-capacity-metric",
      url: "https://cloud.google.com/monitoring/api/metrics_gcp",
      types: [A.policy],
      check: (r, world) => {
        const t = r.inputs.conditions?.[0]?.conditionThreshold ?? {};
        const filter = String(t.filter ?? "");
        const names = [...filter.matchAll(/instance_group_name = "([^"]+)"/g)].map((m) => m[1]);
        const migs = world.resources.filter((x) => x.type === T.mig);
        return first(
          [!filter.includes('metric.type = "compute.googleapis.com/instance_group/size"') || !filter.includes('resource.type = "instance_group"'), `filter ${filter}`],
          [names.length === 0 || names.some((n) => !migs.some((m) => mockedName(m) === n)), `filter names ${names.join(", ")}, not the deployment's groups`],
          [t.aggregations?.[0]?.crossSeriesReducer !== "REDUCE_SUM", "the groups' sizes are not summed"],
          [!(typeof t.thresholdValue === "number" && t.thresholdValue >= 1), `thresholdValue ${t.thresholdValue}`],
        );
      },
    },
    {
      name: "gcp-alert-email-channel",
      url: "https://cloud.google.com/monitoring/support/notification-options",
      types: [A.channel],
      check: (r, world) => first(
        [r.inputs.type !== "email", `type ${r.inputs.type}`],
        [!/^[^@\s]+@[^@\s]+$/.test(String(r.inputs.labels?.email_address)), `email_address ${r.inputs.labels?.email_address}`],
        [!world.resources.some((p) => p.type === A.policy && (p.inputs.notificationChannels ?? []).includes(mockedName(r))), "no policy notifies it"],
      ),
    },
  ];
  const check = (world: World): string[] =>
    world.resources.flatMap((r) => ALERT_RULES.filter((rule) => applies(rule, r)).flatMap((rule) => {
      const p = rule.check(r, world);
      return p === undefined ? [] : [`${rule.name}: ${r.type} ${r.name}: ${p} (${rule.url})`];
    }));

  let notified: World;
  let regionPartName: (workload: string, cloud: string, region: string, part: string) => string;
  beforeAll(async () => {
    ({ regionPartName } = await import("../../kit/workload/names"));
    const s = SCENARIOS.find((x) => x.name === "traffic: internal, two regions, spot")!;
    const args = { ...argsOf(s), traffic: { ...s.args!.traffic!, notification: { email: "oncall@example.com" } } };
    const h = await setupPulumi({ stack: "dev" });
    const w = new MultiCloudWorkload("web", args);
    await w.ready();
    await h.settle();
    notified = { resources: h.resources.filter((r) => r.type.startsWith("gcp:")), gpuMachineTypes: new Set() };
  }, 60_000);

  it("every deployment's alert policies, and a notified deployment's channels, keep every rule (the matrix rules too)", () => {
    for (const d of deployments) expect(check(d), d.scenario.name).toEqual([]);
    expect(notified.resources.filter((r) => r.type === A.channel)).toHaveLength(2);
    expect(check(notified)).toEqual([]);
    // The matrix's gcp-labels rule reads every `labels` input as resource labels; a notification
    // channel's `labels` are its type's settings (email_address), its resource labels are userLabels.
    const channelSettings = (p: string) => p.startsWith(`gcp-labels: ${A.channel} `) && p.includes("(key email_address)");
    expect(lint(notified).filter((p) => !channelSettings(p))).toEqual([]);
    expect(ALERT_RULES.filter((rule) => !notified.resources.some((r) => applies(rule, r))).map((r) => r.name)).toEqual([]);
  });

  it("one policy per region of a traffic plan, on that region's groups, its threshold the region's planned count; none without traffic", () => {
    for (const d of deployments) {
      const regions = [...new Set(d.planned.map((a) => a.region))].sort();
      const policies = d.resources.filter((r) => r.type === A.policy);
      const workload = d.scenario.workload ?? "web";
      expect(policies.map((p) => p.name).sort(), d.scenario.name).toEqual(d.scenario.args?.traffic ? regions.map((r) => regionPartName(workload, "gcp", r, "alert")) : []);
      for (const region of d.scenario.args?.traffic ? regions : []) {
        const p = policies.find((x) => x.name === regionPartName(workload, "gcp", region, "alert"))!;
        const t = p.inputs.conditions[0].conditionThreshold;
        expect(t.thresholdValue).toBe(d.planned.filter((a) => a.region === region).reduce((n, a) => n + a.count, 0));
        for (const mig of d.resources.filter((r) => r.type === T.mig)) expect(t.filter.includes(`"${mockedName(mig)}"`), mig.name).toBe(mig.inputs.region === region);
      }
    }
  });

  const policy = (inputs: Record<string, any>, threshold: Record<string, any> = {}) => fixture(A.policy, {
    combiner: "OR",
    conditions: [{ displayName: "c", conditionThreshold: { filter: 'metric.type = "compute.googleapis.com/instance_group/size" AND resource.type = "instance_group" AND (resource.labels.instance_group_name = "m-1a2b3c")', aggregations: [{ alignmentPeriod: "60s", perSeriesAligner: "ALIGN_MIN", crossSeriesReducer: "REDUCE_SUM" }], comparison: "COMPARISON_LT", thresholdValue: 3, duration: "180s", ...threshold } }],
    ...inputs,
  });
  const world: World = { resources: [fixture(T.mig, {}, "m")], gpuMachineTypes: new Set() };
  const cases: [string, Recorded, World][] = [
    ["gcp-alert-policy-threshold", policy({ conditions: [] }), world],
    ["gcp-alert-policy-threshold", policy({}, { comparison: "LESS" }), world],
    ["gcp-alert-policy-threshold", policy({}, { duration: "3m" }), world],
    ["gcp-alert-policy-threshold", policy({}, { aggregations: [{ crossSeriesReducer: "REDUCE_SUM", perSeriesAligner: "ALIGN_MIN" }] }), world],
    ["gcp-alert-capacity-metric", policy({}), NO_WORLD],
    ["gcp-alert-capacity-metric", policy({}, { filter: 'metric.type = "compute.googleapis.com/instance/uptime"' }), world],
    ["gcp-alert-capacity-metric", policy({}, { aggregations: [{ alignmentPeriod: "60s", perSeriesAligner: "ALIGN_MIN", crossSeriesReducer: "REDUCE_MEAN" }] }), world],
    ["gcp-alert-email-channel", fixture(A.channel, { type: "sms", labels: { email_address: "a@b.c" } }), NO_WORLD],
    ["gcp-alert-email-channel", fixture(A.channel, { type: "email", labels: { email_address: "a@b.c" } }, "ch"), { resources: [policy({ notificationChannels: ["other"] })], gpuMachineTypes: new Set() }],
  ];
  it("the known-good policy passes both policy rules", () => {
    for (const name of ["gcp-alert-policy-threshold", "gcp-alert-capacity-metric"]) expect(ALERT_RULES.find((r) => r.name === name)!.check(policy({}), world)).toBeUndefined();
  });
  it.each(cases.map(([rule, r, w], i) => [`${i}: ${rule}`, rule, r, w] as const))("each alert rule rejects a known violation: %s", (_label, name, r, w) => {
    const rule = ALERT_RULES.find((x) => x.name === name)!;
    expect(applies(rule, r)).toBe(true);
    expect(rule.check(r, w)).toEqual(expect.any(String));
  });
});
