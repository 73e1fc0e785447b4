/**
 * Example: the web tier of examples/web/workload.yaml (the spec `multicloud plan` reads), deployed
 * with MultiCloudWorkload: the spec file is the placement part of the args, so the plan the CLI
 * pins is the plan this program deploys. Everything else here is what the resources need.
 *
 *   pulumi config set sshPublicKey "$(cat ~/.ssh/id_ed25519.pub)"   # Azure admin key
 *   pulumi config set gcp:project my-project
 *   pulumi up
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { MultiCloudWorkload, type MultiCloudWorkloadArgs } from "../../index";

const config = new pulumi.Config();
const spec = parse(fs.readFileSync(path.join(__dirname, "workload.yaml"), "utf8")) as MultiCloudWorkloadArgs;

const web = new MultiCloudWorkload("web", {
  ...spec,
  tags: { team: "web", env: pulumi.getStack() },
  ports: [{ port: 80, protocol: "tcp" }],
  // Who may reach port 80 through the regional load balancers (internal: your VPN's or peered
  // networks' ranges), not the internet by default.
  ingressCidrs: config.getObject<string[]>("ingressCidrs") ?? ["10.0.0.0/8"],
  userData: ["#cloud-config", "packages: [nginx]", "runcmd:", "  - systemctl enable --now nginx", ""].join("\n"),
  // Your own prices (DESIGN.md catalog CSV), if you have negotiated ones.
  catalog: config.get("catalog"),
  azure: { sshPublicKey: config.require("sshPublicKey") },
});

export const plan = web.plan;
export const monthlyCostUsd = web.monthlyCostUsd;
export const placementSource = web.placementSource;
export const groups = web.groups;
export const endpoints = web.endpoints;
