/**
 * "A region lost healthy capacity" alerts (issue "Failover across clouds" #4, DESIGN.md "Traffic",
 * `traffic.notification`) under Pulumi's mocks, on single-cloud plans over two regions with
 * `traffic`, with and without `traffic.notification.email`: per planned region exactly one alert,
 * named by region (part "alert"), its threshold the plan's instance count in that region, wired to
 * that region's load balancer resources (AWS target group and load balancer, Azure load balancer,
 * GCP managed instance groups behind the backend service), and notifying the e-mail only when one
 * is given (AWS SNS topic + e-mail subscription, Azure action group, GCP e-mail channel). No
 * traffic, no alert. The API rules behind each value are in clouds/<cloud>/alerts.ts and
 * test/conformance/<cloud>.test.ts ("capacity alerts").
 */
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { MultiCloudWorkload, type MultiCloudWorkloadArgs } from "../../components";
import type { InstanceOffer } from "../../core/catalog/offer";
import { offer } from "../helpers/catalog";
import { catalogFile, setupPulumi, valueOf, type Recorded } from "./harness";
import { webArgs } from "./scenario";
import { ALARM_EVALUATION_PERIODS, ALARM_PERIOD_SECONDS } from "../../clouds/aws/alerts";
import { ACTION_GROUP_SHORT_NAME, probeThreshold } from "../../clouds/azure/alerts";
import { INSTANCE_GROUP_SIZE } from "../../clouds/gcp/alerts";

const EMAIL = "oncall@example.com";
type Traffic = NonNullable<MultiCloudWorkloadArgs["traffic"]>;
const TRAFFIC: Traffic = { port: 443, healthCheck: { path: "/healthz" } };
const NOTIFIED: Traffic = { ...TRAFFIC, notification: { email: EMAIL } };

interface Run {
  resources: Recorded[];
  /** Planned instances per region. */
  planned: Map<string, number>;
}

/** Deploys under the harness's mocks, with the ARNs AWS computes for SNS topics and alarms added. */
async function deploy(args: MultiCloudWorkloadArgs): Promise<Run> {
  const h = await setupPulumi({ stack: "dev" });
  const monitor = pulumi.runtime.getMonitor() as unknown as { mocks: pulumi.runtime.Mocks };
  const inner = monitor.mocks;
  monitor.mocks = {
    call: (a) => inner.call(a),
    newResource: async (a) => {
      const result = await inner.newResource(a);
      if (a.type === "aws:sns/topic:Topic") return { ...result, state: { ...result.state, arn: `arn:aws:sns:r:123456789012:${a.name}` } };
      if (a.type === "aws:cloudwatch/metricAlarm:MetricAlarm") return { ...result, state: { ...result.state, arn: `arn:aws:cloudwatch:r:123456789012:alarm:${a.name}` } };
      return result;
    },
  };
  const w = new MultiCloudWorkload("web", args);
  await w.ready();
  await h.settle();
  const plan = (await valueOf(w.plan)) as unknown as { allocations: { region: string; count: number }[] };
  const planned = new Map<string, number>();
  for (const a of plan.allocations) planned.set(a.region, (planned.get(a.region) ?? 0) + a.count);
  return { resources: [...h.resources], planned };
}

const ofType = (r: Run, type: string) => r.resources.filter((x) => x.type === type).sort((a, b) => (a.name < b.name ? -1 : 1));
const named = (r: Run, type: string, name: string) => r.resources.find((x) => x.type === type && x.name === name);
const regionsOf = (r: Run) => [...r.planned.keys()].sort();

// ---------------------------------------------------------------------------------------------
// AWS

const AWS = {
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  topic: "aws:sns/topic:Topic",
  policy: "aws:sns/topicPolicy:TopicPolicy",
  subscription: "aws:sns/topicSubscription:TopicSubscription",
  asg: "aws:autoscaling/group:Group",
  nlb: "aws:lb/loadBalancer:LoadBalancer",
  tg: "aws:lb/targetGroup:TargetGroup",
} as const;

const M7I = { instanceType: "m7i.xlarge", vcpu: 4, memoryGiB: 16 } as const;
function awsArgs(traffic: Traffic | undefined): MultiCloudWorkloadArgs {
  return webArgs({
    demand: { replicas: 8, cpu: 2, memoryGiB: 4 },
    providers: { aws: { regions: ["us-east-1", "us-west-2"] } },
    constraints: { maxSpotShare: 0.25, quotas: { "aws/us-east-1": { vcpu: 8 }, "aws/us-west-2": { vcpu: 8 } } },
    ...(traffic ? { traffic } : {}),
  }, [
    offer({ provider: "aws", region: "us-east-1", ...M7I, onDemandHourlyUsd: 0.2, spotHourlyUsd: 0.06 }),
    offer({ provider: "aws", region: "us-west-2", ...M7I, onDemandHourlyUsd: 0.21 }),
  ]);
}

// ---------------------------------------------------------------------------------------------
// Azure

const AZ = {
  alert: "azure-native:monitor:MetricAlert",
  group: "azure-native:monitor:ActionGroup",
  lb: "azure-native:network:LoadBalancer",
  vmss: "azure-native:compute:VirtualMachineScaleSet",
} as const;

const D4S = (region: string, spot: number | null = null): InstanceOffer =>
  offer({ provider: "azure", region, instanceType: "Standard_D4s_v5", vcpu: 4, memoryGiB: 16, onDemandHourlyUsd: 0.192, spotHourlyUsd: spot });
function azureArgs(traffic: Traffic | undefined): MultiCloudWorkloadArgs {
  const regions = ["eastus", "westus2"];
  return webArgs({
    demand: { replicas: 12, cpu: 2, memoryGiB: 8 },
    providers: { azure: { regions } },
    constraints: { maxSpotShare: 0.5, quotas: { "azure/eastus": { vcpu: 16 }, "azure/westus2": { vcpu: 16 } } },
    catalog: catalogFile([D4S("eastus", 0.05), D4S("westus2")]),
    ...(traffic ? { traffic } : {}),
  });
}

// ---------------------------------------------------------------------------------------------
// GCP

const GCP = {
  policy: "gcp:monitoring/alertPolicy:AlertPolicy",
  channel: "gcp:monitoring/notificationChannel:NotificationChannel",
  mig: "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager",
  bs: "gcp:compute/regionBackendService:RegionBackendService",
} as const;

function gcpArgs(traffic: Traffic | undefined): MultiCloudWorkloadArgs {
  const n2 = { instanceType: "n2-standard-4", vcpu: 4, memoryGiB: 16 };
  return webArgs({
    providers: { gcp: { regions: ["europe-west1", "us-central1"] } },
    constraints: { maxSpotShare: 0.5, quotas: { "gcp/us-central1": { vcpu: 40 }, "gcp/europe-west1": { vcpu: 48 } } },
    azure: undefined,
    ...(traffic ? { traffic } : {}),
  }, [
    offer({ provider: "gcp", region: "us-central1", ...n2, onDemandHourlyUsd: 0.194, spotHourlyUsd: 0.05 }),
    offer({ provider: "gcp", region: "europe-west1", ...n2, onDemandHourlyUsd: 0.213, spotHourlyUsd: 0.055 }),
  ]);
}

/** The name the harness mocks give an auto-named resource. */
const mockedName = (r: Recorded) => r.inputs.name ?? `${r.name}-1a2b3c`;

// ---------------------------------------------------------------------------------------------

const runs: Record<string, Run> = {};

beforeAll(async () => {
  // One after another: Pulumi's mocks are process-global.
  runs.awsNotified = await deploy(awsArgs(NOTIFIED));
  runs.awsSilent = await deploy(awsArgs(TRAFFIC));
  runs.awsNone = await deploy(awsArgs(undefined));
  runs.azureNotified = await deploy(azureArgs(NOTIFIED));
  runs.azureSilent = await deploy(azureArgs(TRAFFIC));
  runs.azureNone = await deploy(azureArgs(undefined));
  runs.gcpNotified = await deploy(gcpArgs(NOTIFIED));
  runs.gcpSilent = await deploy(gcpArgs(TRAFFIC));
  runs.gcpNone = await deploy(gcpArgs(undefined));
}, 120_000);

describe("the plans (the tests' premise)", () => {
  it("place every cloud's workload in two regions, with more than one group in a region on Azure (a spot mix) and GCP", () => {
    for (const name of Object.keys(runs)) expect(runs[name]!.planned.size, name).toBe(2);
    expect(ofType(runs.gcpNotified!, GCP.mig).filter((m) => m.inputs.region === "us-central1").length).toBeGreaterThan(1);
    expect(ofType(runs.awsNotified!, AWS.asg).length).toBeGreaterThanOrEqual(2);
  });
});

describe("AWS: a CloudWatch alarm per region on the target group's healthy hosts", () => {
  it("one alarm per planned region, named by region, and none without traffic", () => {
    for (const run of [runs.awsNotified!, runs.awsSilent!]) {
      expect(ofType(run, AWS.alarm).map((a) => a.name)).toEqual(regionsOf(run).map((r) => `web-aws-${r}-alert`));
    }
    expect(ofType(runs.awsNone!, AWS.alarm)).toEqual([]);
    expect(ofType(runs.awsNone!, AWS.topic)).toEqual([]);
  });

  it("fires when the region's healthy targets stay below the plan's count for the region", () => {
    const run = runs.awsNotified!;
    for (const region of regionsOf(run)) {
      const alarm = named(run, AWS.alarm, `web-aws-${region}-alert`)!;
      // The plan's count is the region's groups' minSize, summed.
      const groups = ofType(run, AWS.asg).filter((g) => g.name.startsWith(`web-aws-${region}-`));
      expect(groups.reduce((n, g) => n + g.inputs.minSize, 0), region).toBe(run.planned.get(region));
      expect(alarm.inputs).toMatchObject({
        namespace: "AWS/NetworkELB",
        metricName: "HealthyHostCount",
        statistic: "Maximum",
        comparisonOperator: "LessThanThreshold",
        threshold: run.planned.get(region),
        period: ALARM_PERIOD_SECONDS,
        evaluationPeriods: ALARM_EVALUATION_PERIODS,
        datapointsToAlarm: ALARM_EVALUATION_PERIODS,
        treatMissingData: "breaching",
      });
    }
  });

  it("is wired to its own region's target group and load balancer (their ARN suffixes)", () => {
    const run = runs.awsNotified!;
    for (const region of regionsOf(run)) {
      const alarm = named(run, AWS.alarm, `web-aws-${region}-alert`)!;
      const tg = named(run, AWS.tg, `web-aws-${region}-lb`)!;
      const nlb = named(run, AWS.nlb, `web-aws-${region}-lb`)!;
      expect(alarm.inputs.dimensions).toEqual({ TargetGroup: `targetgroup/${tg.inputs.name}/0123456789abcdef`, LoadBalancer: `net/${nlb.inputs.name}/0123456789abcdef` });
      // The groups of the region register in that same target group.
      for (const g of ofType(run, AWS.asg).filter((x) => x.name.startsWith(`web-aws-${region}-`))) expect(g.inputs.targetGroupArns[0]).toContain(`/${tg.inputs.name}/`);
    }
  });

  it("with notification.email: one SNS topic per region, the e-mail subscribed, the alarm notifying it on ALARM and OK", () => {
    const run = runs.awsNotified!;
    for (const region of regionsOf(run)) {
      const name = `web-aws-${region}-alert`;
      const topicArn = `arn:aws:sns:r:123456789012:${name}`;
      expect(named(run, AWS.topic, name), region).toBeDefined();
      expect(named(run, AWS.subscription, name)!.inputs).toMatchObject({ topic: topicArn, protocol: "email", endpoint: EMAIL });
      const alarm = named(run, AWS.alarm, name)!;
      expect(alarm.inputs.alarmActions).toEqual([topicArn]);
      expect(alarm.inputs.okActions).toEqual([topicArn]);
      const policy = JSON.parse(named(run, AWS.policy, name)!.inputs.policy);
      expect(policy.Statement).toEqual([expect.objectContaining({ Principal: { Service: "cloudwatch.amazonaws.com" }, Action: "sns:Publish", Resource: topicArn, Condition: { ArnEquals: { "aws:SourceArn": `arn:aws:cloudwatch:r:123456789012:alarm:${name}` } } })]);
    }
    expect(ofType(run, AWS.topic)).toHaveLength(regionsOf(run).length);
  });

  it("without notification: the alarms exist and notify nothing (no topic, no subscription, no actions)", () => {
    const run = runs.awsSilent!;
    expect(ofType(run, AWS.topic)).toEqual([]);
    expect(ofType(run, AWS.subscription)).toEqual([]);
    expect(ofType(run, AWS.policy)).toEqual([]);
    for (const alarm of ofType(run, AWS.alarm)) {
      expect(alarm.inputs.alarmActions ?? []).toEqual([]);
      expect(alarm.inputs.okActions ?? []).toEqual([]);
    }
  });
});

describe("Azure: a metric alert per region on the load balancer's health probe status", () => {
  it("one alert per planned region, named by region, and none without traffic", () => {
    for (const run of [runs.azureNotified!, runs.azureSilent!]) {
      expect(ofType(run, AZ.alert).map((a) => a.name)).toEqual(regionsOf(run).map((r) => `web-azure-${r}-alert`));
    }
    expect(ofType(runs.azureNone!, AZ.alert)).toEqual([]);
    expect(ofType(runs.azureNone!, AZ.group)).toEqual([]);
  });

  it("probeThreshold: the average probe status at which one planned instance is lost", () => {
    expect(probeThreshold(1)).toBe(0);
    expect(probeThreshold(2)).toBe(50);
    expect(probeThreshold(3)).toBe(66.67);
    expect(probeThreshold(4)).toBe(75);
    expect(probeThreshold(6)).toBe(83.34);
    // Never later than one instance lost: healthy = planned - 1 is at or below the threshold; all healthy is above.
    for (let planned = 1; planned <= 200; planned++) {
      expect((100 * (planned - 1)) / planned).toBeLessThanOrEqual(probeThreshold(planned));
      expect(probeThreshold(planned)).toBeLessThan(100);
    }
  });

  it("fires when the probe status drops to the loss of one of the plan's instances in the region, on its own region's load balancer", () => {
    const run = runs.azureNotified!;
    for (const region of regionsOf(run)) {
      const alert = named(run, AZ.alert, `web-azure-${region}-alert`)!;
      const sets = ofType(run, AZ.vmss).filter((v) => v.inputs.location === region);
      expect(sets.reduce((n, v) => n + v.inputs.sku.capacity, 0), region).toBe(run.planned.get(region));
      expect(alert.inputs.scopes).toEqual([`web-azure-${region}-lb_id`]);
      expect(named(run, AZ.lb, `web-azure-${region}-lb`)!.inputs.location).toBe(region);
      expect(alert.inputs).toMatchObject({ location: "global", severity: 1, enabled: true, evaluationFrequency: "PT1M", windowSize: "PT5M", autoMitigate: true });
      expect(alert.inputs.criteria).toEqual({
        odataType: "Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria",
        allOf: [{
          criterionType: "StaticThresholdCriterion",
          name: "healthy-capacity",
          metricName: "DipAvailability",
          metricNamespace: "Microsoft.Network/loadBalancers",
          operator: "LessThanOrEqual",
          threshold: probeThreshold(run.planned.get(region)!),
          timeAggregation: "Average",
        }],
      });
    }
  });

  it("with notification.email: one action group per region with the e-mail receiver, called by the region's alert", () => {
    const run = runs.azureNotified!;
    for (const region of regionsOf(run)) {
      const name = `web-azure-${region}-alert`;
      const group = named(run, AZ.group, name)!;
      expect(group.inputs).toMatchObject({ location: "global", groupShortName: ACTION_GROUP_SHORT_NAME, enabled: true, emailReceivers: [{ name: "oncall", emailAddress: EMAIL, useCommonAlertSchema: true }] });
      expect(group.inputs.resourceGroupName).toBe(named(run, AZ.alert, name)!.inputs.resourceGroupName);
      expect(named(run, AZ.alert, name)!.inputs.actions).toEqual([{ actionGroupId: `${name}_id` }]);
    }
    expect(ACTION_GROUP_SHORT_NAME.length).toBeLessThanOrEqual(12);
  });

  it("without notification: the alerts exist and call no action group", () => {
    const run = runs.azureSilent!;
    expect(ofType(run, AZ.group)).toEqual([]);
    for (const alert of ofType(run, AZ.alert)) expect(alert.inputs.actions ?? []).toEqual([]);
  });
});

describe("GCP: an alert policy per region on the instances of the groups behind the backend service", () => {
  it("one policy per planned region, named by region, and none without traffic", () => {
    for (const run of [runs.gcpNotified!, runs.gcpSilent!]) {
      expect(ofType(run, GCP.policy).map((a) => a.name)).toEqual(regionsOf(run).map((r) => `web-gcp-${r}-alert`));
    }
    expect(ofType(runs.gcpNone!, GCP.policy)).toEqual([]);
    expect(ofType(runs.gcpNone!, GCP.channel)).toEqual([]);
  });

  it("fires when the region's groups (exactly those behind its backend service) run fewer instances than planned", () => {
    const run = runs.gcpNotified!;
    for (const region of regionsOf(run)) {
      const policy = named(run, GCP.policy, `web-gcp-${region}-alert`)!;
      const migs = ofType(run, GCP.mig).filter((m) => m.inputs.region === region);
      const backends = named(run, GCP.bs, `web-gcp-${region}-lb`)!.inputs.backends.map((b: any) => b.group);
      expect(backends).toEqual(migs.map((m) => `https://www.googleapis.com/compute/v1/projects/p/regions/${region}/instanceGroups/${m.name}`));
      expect(policy.inputs.combiner).toBe("OR");
      expect(policy.inputs.conditions).toHaveLength(1);
      const c = policy.inputs.conditions[0].conditionThreshold;
      expect(c).toMatchObject({ comparison: "COMPARISON_LT", thresholdValue: run.planned.get(region), duration: "180s", trigger: { count: 1 } });
      expect(c.aggregations).toEqual([{ alignmentPeriod: "60s", perSeriesAligner: "ALIGN_MIN", crossSeriesReducer: "REDUCE_SUM" }]);
      const names = migs.map((m) => `resource.labels.instance_group_name = "${mockedName(m)}"`).join(" OR ");
      expect(c.filter).toBe(`metric.type = "${INSTANCE_GROUP_SIZE}" AND resource.type = "instance_group" AND (${names})`);
    }
  });

  it("with notification.email: one e-mail channel per region, the region's policy notifying it", () => {
    const run = runs.gcpNotified!;
    for (const region of regionsOf(run)) {
      const name = `web-gcp-${region}-alert`;
      const channel = named(run, GCP.channel, name)!;
      expect(channel.inputs).toMatchObject({ type: "email", labels: { email_address: EMAIL } });
      expect(named(run, GCP.policy, name)!.inputs.notificationChannels).toEqual([mockedName(channel)]);
    }
  });

  it("without notification: the policies exist and notify no channel", () => {
    const run = runs.gcpSilent!;
    expect(ofType(run, GCP.channel)).toEqual([]);
    for (const policy of ofType(run, GCP.policy)) expect(policy.inputs.notificationChannels ?? []).toEqual([]);
  });
});
