import * as pulumi from "@pulumi/pulumi";
import * as ec2 from "@pulumi/aws/ec2";
import * as compute from "@pulumi/azure-native/compute";
import { setupPulumi } from "./test/components/harness";
(async () => {
  await setupPulumi();
  let t = Date.now();
  for (let i = 0; i < 30; i++) new ec2.Vpc(`v${i}`, { cidrBlock: "10.0.0.0/16" });
  console.log("30 vpc", Date.now() - t);
  t = Date.now();
  for (let i = 0; i < 30; i++) new ec2.Vpc(`w${i}`, { cidrBlock: "10.0.0.0/16" });
  console.log("30 vpc again", Date.now() - t);
  t = Date.now();
  for (let i = 0; i < 10; i++) new compute.VirtualMachineScaleSet(`s${i}`, { resourceGroupName: "rg" });
  console.log("10 vmss", Date.now() - t);
  process.exit(0);
})();
