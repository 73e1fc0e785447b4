/**
 * "A region lost healthy capacity" on Azure (DESIGN.md "Traffic", `traffic.notification`): per
 * region with a load balancer, one Azure Monitor metric alert on the balancer's health probe status,
 * firing when fewer instances pass the probe than the plan runs in that region (the sum of the
 * region's scale sets' planned `minSize`). With `traffic.notification.email`, the alert calls an
 * action group with that address as its e-mail receiver.
 *
 * Without a notification, the alert rule is still created and notifies nobody: its fired alerts show
 * in Azure Monitor's alerts view (and the portal's load balancer blade), nothing more.
 *
 * What the metric says, and the threshold (/tmp/research/azure-rules.md §11):
 * "Health Probe Status" is `DipAvailability` in Microsoft.Network/loadBalancers, a percentage per
 * backend instance (100 answering the probe, 0 not), aggregated Average, every minute; without a
 * dimension filter the alert reads the average over every backend instance, i.e.
 * 100 × healthy / probed. At the planned size (probed = planned) "healthy < planned" is exactly
 * "average ≤ 100 × (planned − 1) / planned": the loss of one instance. The threshold is that value
 * (rounded up to 2 decimals, so never later than one instance lost), operator LessThanOrEqual,
 * averaged over a 5-minute window evaluated every minute: one instance down for the whole window, or
 * more for part of it, fires; a probe flapping for a minute does not.
 * https://learn.microsoft.com/en-us/azure/load-balancer/monitor-load-balancer-reference
 * Limits of a percentage: when the autoscaler runs more instances than planned, the alert fires
 * when the same share (1/planned) of them fails, i.e. earlier than "below plan", never later;
 * instances that do not exist at all are not probed and so not counted (the autoscale setting's
 * minimum, the planned count, recreates them).
 *
 * Rules followed (same research, §11-12):
 * - location "global"; evaluationFrequency PT1M and windowSize PT5M from the allowed static-threshold
 *   values; severity 0-4 (1: error, as for the backup alert); one resource scope with
 *   `Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria` and a StaticThresholdCriterion;
 *   at most 5 action groups per rule (here one).
 *   https://learn.microsoft.com/en-us/azure/azure-monitor/alerts/resource-manager-alerts-metric
 *   https://learn.microsoft.com/en-us/azure/azure-monitor/alerts/action-groups
 * - The action group: location "global", groupShortName at most 12 characters, one e-mail receiver
 *   (the recipient must confirm within 30 minutes, Azure's one-time passcode, or nothing arrives).
 *   https://learn.microsoft.com/en-us/azure/azure-monitor/alerts/resource-manager-action-groups
 * - autoMitigate: the alert resolves by itself once the probes recover.
 *
 * Names (kit/workload/names.ts): the metric alert and the action group are the region part "alert"
 * (web-azure-eastus-alert), auto-named by Pulumi (metricAlerts and actionGroups take 1-260
 * characters; the logical names are lower-case letters, digits and '-').
 */
import * as pulumi from "@pulumi/pulumi";
import * as monitor from "@pulumi/azure-native/monitor";
import type { Traffic } from "../../core/spec/traffic";
import type { TagInputs } from "../../kit/workload/tags";

/** Short name of the action group (at most 12 characters: it is used in SMS). */
export const ACTION_GROUP_SHORT_NAME = "mc-capacity";
export const ALERT_EVALUATION_FREQUENCY = "PT1M";
export const ALERT_WINDOW = "PT5M";

/** The DipAvailability average at or below which fewer than `planned` instances are healthy. */
export function probeThreshold(planned: number): number {
  return Math.ceil((10000 * (planned - 1)) / planned) / 100;
}

export interface CapacityAlertArgs {
  /** The region part name, e.g. web-azure-eastus-alert. */
  logicalName: string;
  /** Instances the plan runs in the region: the sum of its scale sets' `minSize`. */
  planned: number;
  /** The region's load balancer id. */
  loadBalancerId: pulumi.Input<string>;
  resourceGroupName: pulumi.Input<string>;
  traffic: Traffic;
  /** What the alert is about, for its description, e.g. "web in eastus". */
  subject: string;
  tags: TagInputs;
  opts: pulumi.CustomResourceOptions;
}

export interface CapacityAlert {
  alert: monitor.MetricAlert;
  /** Only with `traffic.notification`. */
  actionGroup?: monitor.ActionGroup;
}

export function capacityAlert(a: CapacityAlertArgs): CapacityAlert {
  const { logicalName, resourceGroupName, tags, opts } = a;
  const email = a.traffic.notification?.email;
  const actionGroup = email
    ? new monitor.ActionGroup(logicalName, {
      resourceGroupName,
      location: "global",
      groupShortName: ACTION_GROUP_SHORT_NAME,
      enabled: true,
      emailReceivers: [{ name: "oncall", emailAddress: email, useCommonAlertSchema: true }],
      tags,
    }, opts)
    : undefined;
  const alert = new monitor.MetricAlert(logicalName, {
    resourceGroupName,
    location: "global",
    description: `${a.subject}: fewer than ${a.planned} healthy instance(s) behind the load balancer (the plan's count for the region)`,
    severity: 1,
    enabled: true,
    scopes: [a.loadBalancerId],
    evaluationFrequency: ALERT_EVALUATION_FREQUENCY,
    windowSize: ALERT_WINDOW,
    criteria: {
      odataType: "Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria",
      allOf: [{
        criterionType: "StaticThresholdCriterion",
        name: "healthy-capacity",
        metricName: "DipAvailability",
        metricNamespace: "Microsoft.Network/loadBalancers",
        operator: "LessThanOrEqual",
        threshold: probeThreshold(a.planned),
        timeAggregation: "Average",
      }],
    },
    autoMitigate: true,
    actions: actionGroup ? [{ actionGroupId: actionGroup.id }] : [],
    tags,
  }, opts);
  return { alert, ...(actionGroup ? { actionGroup } : {}) };
}
