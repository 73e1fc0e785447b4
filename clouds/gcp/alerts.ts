/**
 * "A region lost capacity" on GCP (DESIGN.md "Traffic", `traffic.notification`): per region with a
 * load balancer, one Cloud Monitoring alert policy on the instances of the managed instance groups
 * behind the region's backend service, firing when they run fewer instances than the plan does in
 * that region (the sum of the region's groups' planned `minSize`). With `traffic.notification.email`,
 * the policy notifies an e-mail notification channel with that address.
 *
 * Without a notification, the policy is still created and notifies nobody: its incidents show in
 * Cloud Monitoring's alerting page, nothing more.
 *
 * The metric, and what it cannot say: Cloud Monitoring documents no metric for the number of
 * healthy backends of a passthrough load balancer (the backend health verdicts are only in the
 * backendServices.getHealth API and in health-check logs; /tmp/research/gcp-rules.md §13 found none
 * either). The documented per-group metric is `compute.googleapis.com/instance_group/size`, "The
 * number of VMs in the instance group" (resource type `instance_group`, label
 * `instance_group_name`), sampled every 60 s:
 * https://cloud.google.com/monitoring/api/metrics_gcp (compute, instance_group/size; the description
 * quoted as it appears in copies of that list, "Sampled every 60s and may take up to 240s to display")
 * It counts instances, healthy or not. Health is enforced beside it: every group autoheals on the
 * balancer's own health check (clouds/gcp/workload-emitter.ts), replacing an instance that fails it.
 * So this alert catches a region that cannot hold the plan's instances (spot preemptions not
 * replaced, a stockout, a quota, a zone lost); an instance that fails its check while it exists is
 * autohealed, not alerted on. Said in the final report of issue #4, too.
 *
 * The condition (AlertPolicy conditionThreshold, Cloud Monitoring API v3):
 * filter on the metric, the resource type and the region's group names (equalities joined by OR,
 * the filter language's selectors and operators); each series
 * aligned per 60 s with ALIGN_MIN (the smallest size seen in the minute), summed across the groups
 * (REDUCE_SUM), COMPARISON_LT the planned count, held for 180 s (three samples, as on AWS).
 * https://cloud.google.com/monitoring/api/v3/filters
 * https://cloud.google.com/monitoring/alerts/concepts-indepth
 * The e-mail channel: type "email", label `email_address` (as the backup alert,
 * clouds/gcp/backup-emitter.ts). Log-based conditions need a notification rate limit; this is a
 * metric condition, so none (/tmp/research/gcp-rules.md §6).
 *
 * Names (kit/workload/names.ts): the policy and the channel are the region part "alert"
 * (web-gcp-us-central1-alert); both are project-level resources with server-assigned ids, made with
 * the region's provider (its project).
 */
import * as pulumi from "@pulumi/pulumi";
import * as monitoring from "@pulumi/gcp/monitoring";
import type * as compute from "@pulumi/gcp/compute";
import type { Traffic } from "../../core/spec/traffic";
import type { TagInputs } from "../../kit/workload/tags";

export const INSTANCE_GROUP_SIZE = "compute.googleapis.com/instance_group/size";
/** How long the region must stay below plan before the policy opens an incident. */
export const ALERT_DURATION = "180s";
export const ALIGNMENT_PERIOD = "60s";

/** The condition's filter: the size of the region's groups, by their names. */
export function sizeFilter(groupNames: readonly string[]): string {
  const names = groupNames.map((n) => `resource.labels.instance_group_name = "${n}"`).join(" OR ");
  return `metric.type = "${INSTANCE_GROUP_SIZE}" AND resource.type = "instance_group" AND (${names})`;
}

export interface CapacityPolicyArgs {
  /** The region part name, e.g. web-gcp-us-central1-alert. */
  logicalName: string;
  /** Instances the plan runs in the region: the sum of its groups' `minSize`. */
  planned: number;
  /** The managed instance groups behind the region's backend service. */
  groups: readonly compute.RegionInstanceGroupManager[];
  traffic: Traffic;
  /** What the alert is about, for its names, e.g. "web in us-central1". */
  subject: string;
  labels: TagInputs;
  opts: pulumi.CustomResourceOptions;
}

export interface CapacityPolicy {
  policy: monitoring.AlertPolicy;
  /** Only with `traffic.notification`. */
  channel?: monitoring.NotificationChannel;
}

export function capacityPolicy(a: CapacityPolicyArgs): CapacityPolicy {
  const { logicalName, labels, opts } = a;
  const email = a.traffic.notification?.email;
  const channel = email
    ? new monitoring.NotificationChannel(logicalName, { type: "email", displayName: `${a.subject}: capacity alerts`, labels: { email_address: email }, userLabels: labels }, opts)
    : undefined;
  const policy = new monitoring.AlertPolicy(logicalName, {
    displayName: `${a.subject}: fewer instances than planned`,
    combiner: "OR",
    conditions: [{
      displayName: `the region's groups run fewer than ${a.planned} instance(s)`,
      conditionThreshold: {
        filter: pulumi.all(a.groups.map((g) => g.name)).apply(sizeFilter),
        aggregations: [{ alignmentPeriod: ALIGNMENT_PERIOD, perSeriesAligner: "ALIGN_MIN", crossSeriesReducer: "REDUCE_SUM" }],
        comparison: "COMPARISON_LT",
        thresholdValue: a.planned,
        duration: ALERT_DURATION,
        trigger: { count: 1 },
      },
    }],
    notificationChannels: channel ? [channel.name] : [],
    documentation: {
      mimeType: "text/markdown",
      content: `The managed instance groups behind the ${a.subject} load balancer run fewer than the plan's ${a.planned} instance(s). Instances failing the health check are autohealed; this alert means the groups cannot get the plan's instances back (preemption, stockout, quota, zone).`,
    },
    userLabels: labels,
  }, opts);
  return { policy, ...(channel ? { channel } : {}) };
}
