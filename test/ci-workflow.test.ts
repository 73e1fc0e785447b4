/**
 * examples/ci/github-actions.yml does its job (issue "Review a change like Infracost" #5), checked
 * on the workflow file itself (no network): OIDC logins to the three clouds before anything needs
 * them, current action majors, one sticky comment holding the plan review, drift and preview, a
 * scheduled drift on live prices opening its pull request with a token that triggers workflows,
 * and exit 2 treated as an answer.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

interface Step { uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string>; id?: string }
interface Job { if?: string; permissions?: Record<string, string>; steps: Step[] }
const workflow = parse(fs.readFileSync(path.resolve(__dirname, "../examples/ci/github-actions.yml"), "utf8")) as { on: Record<string, unknown>; jobs: Record<string, Job> };
const { review, reoptimize } = workflow.jobs as { review: Job; reoptimize: Job };
const index = (job: Job, match: (s: Step) => boolean) => job.steps.findIndex(match);
const uses = (prefix: string) => (s: Step) => s.uses?.startsWith(prefix) ?? false;
const runs = (text: string) => (s: Step) => s.run?.includes(text) ?? false;

describe("the CI example", () => {
  it("runs on pull requests and on a schedule", () => {
    expect(Object.keys(workflow.on)).toEqual(expect.arrayContaining(["pull_request", "schedule"]));
  });

  for (const [name, job, first] of [["review", review, "npx multicloud plan"], ["reoptimize", reoptimize, "npx multicloud drift"]] as const) {
    it(`${name}: logs in to AWS, Azure and GCP with OIDC before the first multicloud or pulumi step`, () => {
      expect(job.permissions?.["id-token"]).toBe("write");
      const firstUse = index(job, runs(first));
      for (const login of ["aws-actions/configure-aws-credentials@", "azure/login@", "google-github-actions/auth@"]) {
        const at = index(job, uses(login));
        expect(at, login).toBeGreaterThanOrEqual(0);
        expect(at, login).toBeLessThan(firstUse);
      }
      // Federation, never stored keys.
      expect(JSON.stringify(job.steps)).not.toMatch(/AWS_SECRET_ACCESS_KEY|client-secret|credentials_json/);
    });
  }

  it("review: uses pulumi/actions v7 and posts ONE comment with the plan review, the drift and the preview", () => {
    const preview = review.steps.find(uses("pulumi/actions@"))!;
    expect(preview.uses).toBe("pulumi/actions@v7");
    expect(preview.with?.["comment-on-pr"]).toBe(false);
    const comments = review.steps.filter(uses("marocchino/sticky-pull-request-comment@"));
    expect(comments).toHaveLength(1);
    const script = review.steps.map((s) => s.run ?? "").join("\n");
    expect(script).toContain('npx multicloud plan "$spec" --stack-config "$STACK_CONFIG" --format markdown >> comment.md');
    expect(script).toContain("npx multicloud drift --stack-config");
    const summary = review.steps.find(runs("pulumi preview"))!;
    expect(summary.env?.PREVIEW).toBe("${{ steps.preview.outputs.output }}");
    expect(summary.run).toContain(">> comment.md");
    expect(comments[0]!.with?.path).toBe("comment.md");
  });

  it("treats exit 2 as an answer and 1 as a failure", () => {
    for (const job of [review, reoptimize]) {
      const script = job.steps.map((s) => s.run ?? "").join("\n");
      expect(script).toContain('[ "$code" -le 2 ] || exit "$code"');
    }
  });

  it("reoptimize: drifts on live prices with --write and opens the PR with a token that triggers workflows", () => {
    expect(reoptimize.steps.some(runs("npx multicloud drift --stack-config \"$STACK_CONFIG\" --live --format markdown --write"))).toBe(true);
    const pr = reoptimize.steps.find(uses("peter-evans/create-pull-request@"))!;
    expect(pr.with?.token).toBe("${{ secrets.MULTICLOUD_PR_TOKEN }}");
  });
});
