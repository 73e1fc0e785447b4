/**
 * Who the audit log says made a change (core/audit/actor.ts): MULTICLOUD_ACTOR, else the CI's actor
 * and run URL (GitHub Actions, GitLab CI), else git's user.email, else the OS user; and never a
 * secret: no token value, no URL credentials. The variables are the ones the CIs document:
 * https://docs.github.com/en/actions/reference/variables-reference (GITHUB_ACTOR, GITHUB_SERVER_URL,
 * GITHUB_REPOSITORY, GITHUB_RUN_ID; GITHUB_TOKEN is a secret) and
 * https://docs.gitlab.com/ci/variables/predefined_variables (GITLAB_CI, GITLAB_USER_LOGIN, CI_JOB_URL).
 */
import { describe, expect, it } from "vitest";
import { redact, resolveActor, safeUrl, type ActorProbes } from "../../core/audit/actor";

const probes = (gitEmail?: string, osUser?: string): ActorProbes => ({ gitEmail: () => gitEmail, osUser: () => osUser });
const TOKEN = "ghs_16C7e42F292c6912E7710c838347Ae178B4a";

const GITHUB = {
  GITHUB_ACTIONS: "true",
  GITHUB_ACTOR: "octocat",
  GITHUB_SERVER_URL: "https://github.com",
  GITHUB_REPOSITORY: "acme/infra",
  GITHUB_RUN_ID: "1658821493",
  GITHUB_TOKEN: TOKEN,
};

describe("the audit actor", () => {
  it("prefers MULTICLOUD_ACTOR, then the CI, then git's user.email, then the OS user", () => {
    expect(resolveActor({ MULTICLOUD_ACTOR: "release-bot", ...GITHUB }, probes("a@x.io", "root"))).toEqual({ name: "release-bot", source: "MULTICLOUD_ACTOR" });
    expect(resolveActor({ ...GITHUB }, probes("a@x.io", "root"))).toEqual({
      name: "octocat",
      source: "github-actions",
      run: "https://github.com/acme/infra/actions/runs/1658821493",
    });
    expect(resolveActor({}, probes("a@x.io", "root"))).toEqual({ name: "a@x.io", source: "git" });
    expect(resolveActor({}, probes(undefined, "deploy"))).toEqual({ name: "deploy", source: "os" });
    expect(resolveActor({ USER: "envuser" }, probes(undefined, undefined))).toEqual({ name: "envuser", source: "os" });
  });

  it("builds the run URL on a GitHub Enterprise server", () => {
    const actor = resolveActor({ ...GITHUB, GITHUB_SERVER_URL: "https://ghe.acme.example/" }, probes());
    expect(actor.run).toBe("https://ghe.acme.example/acme/infra/actions/runs/1658821493");
  });

  it("reads GitLab CI's user and job URL", () => {
    const env = { GITLAB_CI: "true", GITLAB_USER_LOGIN: "jdoe", CI_JOB_URL: "https://gitlab.example.com/acme/infra/-/jobs/42", CI_JOB_TOKEN: "glcbt-64_aaaaaaaaaaaaaaaaaaaa" };
    expect(resolveActor(env, probes("a@x.io"))).toEqual({ name: "jdoe", source: "gitlab-ci", run: "https://gitlab.example.com/acme/infra/-/jobs/42" });
  });

  it("strips credentials, query and fragment from a run URL", () => {
    const actor = resolveActor({ ...GITHUB, GITHUB_SERVER_URL: `https://x-access-token:${TOKEN}@ghe.acme.example` }, probes());
    expect(actor.run).toBe("https://ghe.acme.example/acme/infra/actions/runs/1658821493");
    expect(JSON.stringify(actor)).not.toContain(TOKEN);
    expect(safeUrl("https://u:p@h.example/a?token=s3cr3t#x")).toBe("https://h.example/a");
    expect(safeUrl("file:///etc/passwd")).toBeUndefined();
  });

  it("never records a token: pasted into MULTICLOUD_ACTOR, or shaped like one, it is redacted", () => {
    expect(resolveActor({ ...GITHUB, MULTICLOUD_ACTOR: TOKEN }, probes())).toEqual({ name: "[redacted]", source: "MULTICLOUD_ACTOR" });
    expect(resolveActor({ MULTICLOUD_ACTOR: `bot ${TOKEN}` }, probes())).toMatchObject({ name: "[redacted]" });
    // The value of any secret-looking variable, whatever its shape.
    expect(redact("deploy-Zq81xxQ", { DEPLOY_API_KEY: "Zq81xxQ" })).toBe("[redacted]");
    expect(redact("glpat-abcdefghijklmnopqrstu", {})).toBe("[redacted]");
    // An identity variable whose name merely contains AUTH is not a secret.
    expect(redact("alice@example.com", { GIT_AUTHOR_EMAIL: "alice@example.com" })).toBe("alice@example.com");
    expect(redact("line\nbreak", {})).toBe("linebreak");
  });
});
