/**
 * Who made a change, for the audit log: `MULTICLOUD_ACTOR`, else the CI's actor and run (GitHub
 * Actions, GitLab CI), else git's user.email, else the OS user.
 *
 * Never a secret: only identity variables are read (never a *_TOKEN), URLs lose any user:password,
 * query and fragment, and a value that contains the value of any secret-looking variable
 * (a TOKEN, SECRET, PASSWORD, KEY, CREDENTIAL or AUTH part in its name) or looks like a known token format is
 * replaced by "[redacted]", so a token pasted into MULTICLOUD_ACTOR by mistake never reaches the log.
 */
import { execFileSync } from "node:child_process";
import * as os from "node:os";

export type ActorSource = "MULTICLOUD_ACTOR" | "github-actions" | "gitlab-ci" | "git" | "os";

export interface AuditActor {
  name: string;
  source: ActorSource;
  /** The CI run that made the change (a URL without credentials), when in CI. */
  run?: string;
}

/** What the actor falls back to outside CI; tests inject their own. */
export interface ActorProbes {
  gitEmail: () => string | undefined;
  osUser: () => string | undefined;
}

export const REDACTED = "[redacted]";

export const systemProbes: ActorProbes = {
  gitEmail: () => {
    try {
      // No shell, a short deadline: a missing git or config is simply "no email".
      return execFileSync("git", ["config", "user.email"], { encoding: "utf8", timeout: 2000, stdio: ["ignore", "pipe", "ignore"] }).trim() || undefined;
    } catch {
      return undefined;
    }
  },
  osUser: () => {
    try {
      return os.userInfo().username || undefined;
    } catch {
      return undefined;
    }
  },
};

export function resolveActor(env: NodeJS.ProcessEnv = process.env, probes: ActorProbes = systemProbes): AuditActor {
  const clean = (value: string) => redact(value, env);
  const set = (name: string) => (env[name]?.trim() ? env[name]!.trim() : undefined);

  const explicit = set("MULTICLOUD_ACTOR");
  if (explicit) return { name: clean(explicit), source: "MULTICLOUD_ACTOR" };

  const github = set("GITHUB_ACTOR");
  if (github) {
    const server = set("GITHUB_SERVER_URL") ?? "https://github.com";
    const repo = set("GITHUB_REPOSITORY");
    const runId = set("GITHUB_RUN_ID");
    // The run's page, as GitHub's variables reference builds it from these three variables.
    const run = repo && runId ? `${server.replace(/\/+$/, "")}/${repo}/actions/runs/${runId}` : undefined;
    return withRun({ name: clean(github), source: "github-actions" }, run, env);
  }

  const gitlab = set("GITLAB_USER_LOGIN") ?? set("GITLAB_USER_EMAIL");
  if (gitlab && set("GITLAB_CI")) return withRun({ name: clean(gitlab), source: "gitlab-ci" }, set("CI_JOB_URL") ?? set("CI_PIPELINE_URL"), env);

  const email = probes.gitEmail();
  if (email) return { name: clean(email), source: "git" };
  return { name: clean(probes.osUser() ?? set("USER") ?? set("USERNAME") ?? "unknown"), source: "os" };
}

function withRun(actor: AuditActor, run: string | undefined, env: NodeJS.ProcessEnv): AuditActor {
  const url = run === undefined ? undefined : safeUrl(run);
  return url === undefined ? actor : { ...actor, run: redact(url, env) };
}

/** An http(s) URL without user:password, query or fragment; anything else is dropped. */
export function safeUrl(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return undefined;
  url.username = "";
  url.password = "";
  url.search = "";
  url.hash = "";
  return url.toString();
}

// Matched per `_`-separated part of a variable's name, so GIT_AUTHOR_EMAIL is not "AUTH".
const SECRET_NAME_PART = /^(\w*TOKEN|\w*SECRETS?|PASSWORD|PASSWD|PASSPHRASE|\w*KEYS?|CREDENTIALS?|AUTH|PAT|PRIVATE)$/i;
const secretName = (name: string) => name.split(/[_.-]/).some((part) => SECRET_NAME_PART.test(part));
// GitHub (classic, fine-grained, app, OAuth), GitLab, Slack, AWS access key ids, JWTs.
const TOKEN_SHAPE = /gh[pousr]_[A-Za-z0-9]{16,}|github_pat_\w{16,}|glpat-[\w-]{16,}|xox[abprs]-[\w-]{10,}|\b(?:AKIA|ASIA)[0-9A-Z]{16}\b|eyJ[\w-]{8,}\.[\w-]{8,}\./;

/** The value itself unless it holds a secret; control characters and excess length removed. */
export function redact(value: string, env: NodeJS.ProcessEnv): string {
  // eslint-disable-next-line no-control-regex
  const text = value.replace(/[\u0000-\u001f\u007f]/g, "").slice(0, 200);
  if (TOKEN_SHAPE.test(text)) return REDACTED;
  for (const [name, secret] of Object.entries(env)) {
    if (!secretName(name) || secret === undefined || secret.length < 6) continue;
    if (text.includes(secret)) return REDACTED;
  }
  return text;
}
