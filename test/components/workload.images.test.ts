/**
 * Machine images on AWS: a given AMI is looked up for its root device, so the encrypted root volume
 * mapping lands on the image's own root (Amazon Linux boots from /dev/xvda, Ubuntu from /dev/sda1);
 * a mapping under another name would add a second volume and leave the root unencrypted.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { MultiCloudWorkload } from "../../components";
import { setupPulumi, type Harness } from "./harness";
import { webArgs } from "./scenario";

const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
let h: Harness;

beforeAll(async () => {
  h = await setupPulumi();
  const workload = new MultiCloudWorkload("imgs", webArgs({ aws: { amis: { "us-east-1": "ami-0amazonlinux" } } }));
  await workload.ready();
  await h.settle();
});

describe("AWS machine images", () => {
  const template = (region: string) => h.ofType(LAUNCH_TEMPLATE).find((r) => r.name === `imgs-aws-${region}-x86-64`)!.inputs;

  it("maps the encrypted root volume to a given AMI's own root device", () => {
    expect(template("us-east-1")).toMatchObject({ imageId: "ami-0amazonlinux", blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true", volumeType: "gp3" } }] });
  });

  it("uses the latest Ubuntu LTS, root /dev/sda1, where no AMI is given", () => {
    expect(template("us-west-2")).toMatchObject({ imageId: "ami-x86_64-us-west-2", blockDeviceMappings: [{ deviceName: "/dev/sda1", ebs: { encrypted: "true" } }] });
  });
});
