/**
 * "A region lost healthy capacity" on AWS (DESIGN.md "Traffic", `traffic.notification`): per region
 * with a load balancer, one CloudWatch alarm on the target group's healthy targets, in ALARM when
 * fewer targets pass the health check than the plan runs in that region (the sum of the region's
 * groups' planned `minSize`). With `traffic.notification.email`, the alarm notifies an SNS topic
 * with that address subscribed, on ALARM and on OK (recovery).
 *
 * Without a notification, the alarm is still created and nothing is notified: its state shows in
 * the CloudWatch console, and it is what a Route 53 health check of type CLOUDWATCH_METRIC can
 * follow for an internal load balancer that Route 53's checkers cannot reach (/tmp/research/aws-rules.md,
 * Route 53 health checks), so it is not pointless without an e-mail.
 *
 * Rules followed (researched in /tmp/research/aws-rules.md §10-11):
 * - Metric: namespace AWS/NetworkELB, HealthyHostCount ("The number of targets that are considered
 *   healthy", reported when health checks are enabled), for one target group with the dimensions
 *   TargetGroup = `targetgroup/<name>/<id>` and LoadBalancer = `net/<name>/<id>`: exactly the
 *   provider's `arnSuffix` of each. AWS recommends "the maximum of HealthyHostCount" (each load
 *   balancer node reports separately), hence statistic Maximum: the alarm fires only when no node
 *   sees enough healthy targets.
 *   https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-cloudwatch-metrics.html
 * - Period 60 s (NLB metrics come every 60 s; a period is 10, 20, 30 or a multiple of 60), 3
 *   evaluation periods, all 3 breaching (DatapointsToAlarm <= EvaluationPeriods): three minutes below
 *   plan, so one instance replaced by autohealing (ELB health checks) does not page at once when its
 *   successor is quick. LessThanThreshold with the planned count as the threshold.
 * - TreatMissingData "breaching": a region whose load balancer reports no healthy-host data has, as
 *   far as anyone can tell, no healthy capacity (the default, "missing", would leave the alarm in
 *   INSUFFICIENT_DATA and never notify).
 * - At most 5 ARNs per action list; here one.
 *   https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
 * - The topic: auto-named from the logical name (letters, digits, '-': valid SNS topic characters,
 *   1-256), unencrypted; its policy lets CloudWatch publish for this alarm only (aws:SourceArn).
 *   https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html
 * - The e-mail subscription must be confirmed by its recipient before anything is delivered.
 *
 * Names (kit/workload/names.ts): the alarm, the topic, its policy and the subscription are all the
 * region part "alert" (web-aws-us-east-1-alert); their AWS names are Pulumi auto-names of it, so two
 * stacks of one workload in one account do not collide (alarm names are unique per region).
 */
import * as pulumi from "@pulumi/pulumi";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as sns from "@pulumi/aws/sns";
import type * as lb from "@pulumi/aws/lb";
import type { Traffic } from "../../core/spec/traffic";
import type { TagInputs } from "../../kit/workload/tags";

/** Seconds per evaluated datapoint: NLB metrics are published every 60 s. */
export const ALARM_PERIOD_SECONDS = 60;
/** Consecutive periods below plan before the alarm fires (all of them must breach). */
export const ALARM_EVALUATION_PERIODS = 3;

export interface CapacityAlarmArgs {
  /** The region part name, e.g. web-aws-us-east-1-alert. */
  logicalName: string;
  /** Instances the plan runs in the region: the sum of its groups' `minSize`. */
  planned: number;
  loadBalancer: lb.LoadBalancer;
  targetGroup: lb.TargetGroup;
  traffic: Traffic;
  /** What the alert is about, for its description, e.g. "web in us-east-1". */
  subject: string;
  tags: TagInputs;
  opts: pulumi.CustomResourceOptions;
}

export interface CapacityAlarm {
  alarm: cloudwatch.MetricAlarm;
  /** Only with `traffic.notification`. */
  topic?: sns.Topic;
}

export function capacityAlarm(a: CapacityAlarmArgs): CapacityAlarm {
  const { logicalName, opts, tags } = a;
  const email = a.traffic.notification?.email;
  const topic = email ? new sns.Topic(logicalName, { tags }, opts) : undefined;
  const actions = topic ? [topic.arn] : [];
  const alarm = new cloudwatch.MetricAlarm(logicalName, {
    alarmDescription: `${a.subject}: fewer than ${a.planned} healthy instance(s) behind the load balancer (the plan's count for the region) for ${ALARM_EVALUATION_PERIODS} minutes`,
    namespace: "AWS/NetworkELB",
    metricName: "HealthyHostCount",
    dimensions: { TargetGroup: a.targetGroup.arnSuffix, LoadBalancer: a.loadBalancer.arnSuffix },
    statistic: "Maximum",
    period: ALARM_PERIOD_SECONDS,
    evaluationPeriods: ALARM_EVALUATION_PERIODS,
    datapointsToAlarm: ALARM_EVALUATION_PERIODS,
    comparisonOperator: "LessThanThreshold",
    threshold: a.planned,
    treatMissingData: "breaching",
    actionsEnabled: true,
    alarmActions: actions,
    okActions: actions,
    tags,
  }, opts);
  if (topic && email) {
    new sns.TopicPolicy(logicalName, {
      arn: topic.arn,
      policy: pulumi.all([topic.arn, alarm.arn]).apply(([topicArn, alarmArn]) =>
        JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Sid: "CloudWatchAlarmPublishes", Effect: "Allow", Principal: { Service: "cloudwatch.amazonaws.com" }, Action: "sns:Publish", Resource: topicArn, Condition: { ArnEquals: { "aws:SourceArn": alarmArn } } }],
        }),
      ),
    }, opts);
    new sns.TopicSubscription(logicalName, { topic: topic.arn, protocol: "email", endpoint: email }, opts);
  }
  return { alarm, ...(topic ? { topic } : {}) };
}
