/**
 * The `multicloud` CLI. This file only parses arguments and dispatches to one function per
 * command; commands return an exit code. The one top-level catch is here: user errors print one
 * clear message (no stack trace) and exit 1; anything else is a bug and says so.
 */
// First: zod's translations are never read (../defer-zod-locales.ts).
import "../defer-zod-locales";
import { Command, CommanderError, Option } from "commander";
import { UserError } from "../../core/util/errors";
import { readFileSync } from "node:fs";
import { packagePath } from "../../core/util/package-root";
import type { CloudSet } from "../../core/clouds/cloud-set";
import { processIo, type Io } from "./io";
import { DEFAULT_LIVE_TIMEOUT_SECONDS } from "../../core/prices/source";
// Choices and defaults from a leaf module: `--help` (and every command) loads only what it runs;
// each command's modules are imported inside its action.
import { AUDIT_FORMATS, DEFAULT_DRIFT_SETTINGS, DRIFT_FORMATS, FAILOVER_FORMATS, FORMATS } from "../../core/util/cli-choices";

function program(io: Io, cloudSet: CloudSet | undefined, setCode: (code: number) => void): Command {
  const root = new Command("multicloud")
    .description("Place compute across AWS, Azure and GCP at the lowest cost that meets your constraints.")
    .version((JSON.parse(readFileSync(packagePath("package.json"), "utf8")) as { version: string }).version)
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError("(run with --help for usage)");
  /** The registry's clouds unless the caller brought its own; loaded only when a command runs. */
  const clouds = async (): Promise<CloudSet> => cloudSet ?? (await import("../../clouds/registry")).CLOUDS;

  root
    .command("plan")
    .description("compute the exactly optimal placement for a workload spec")
    .argument("<spec>", "workload spec file (YAML or JSON)")
    .option("--catalog <file>", "price catalog CSV; replaces all other price sources for the providers it lists")
    .option("--offline", "no network: cached or embedded prices only (also MULTICLOUD_OFFLINE=1)")
    .addOption(new Option("--format <format>", "output format").choices(FORMATS).default("table"))
    .option("--out <file>", "write the output to a file instead of stdout")
    .option("--stack-config <file>", "Pulumi.<stack>.yaml: show the plan against the one pinned there (exit 0 same, 2 changed or not pinned); with --write, pin it")
    .option("--write", "pin the plan under multicloud:placements in --stack-config, keeping the rest of the file")
    .option("--live", "call the live price and metrics APIs (also MULTICLOUD_LIVE=1); default: cached or embedded prices, no network")
    .option("--live-timeout <seconds>", "one deadline for all live data, prices and metrics (also MULTICLOUD_LIVE_TIMEOUT; default 20); what has not arrived falls back")
    .action(async (spec: string, options) => {
      const { planCommand } = await import("./plan");
      setCode(await planCommand(spec, { ...options, offline: offline(options), live: live(options), liveTimeout: liveTimeout(options) }, io, await clouds()));
    });

  root
    .command("drift")
    .description("re-optimize every pinned placement with today's prices and propose changes (exit 0 none, 2 proposed, 1 error)")
    .requiredOption("--stack-config <file>", "Pulumi.<stack>.yaml holding multicloud:placements")
    .option("--catalog <file>", "price catalog CSV; replaces all other price sources for the providers it lists")
    .option("--offline", "no network: cached or embedded prices only (also MULTICLOUD_OFFLINE=1)")
    .option("--min-savings <pct>", "propose a move only when it saves at least this percent", String(DEFAULT_DRIFT_SETTINGS.minSavingsPct))
    .option("--max-disruption <fraction>", "at most this share of a workload's replicas moves per proposal", String(DEFAULT_DRIFT_SETTINGS.maxDisruption))
    .option("--live", "call the live price and metrics APIs (also MULTICLOUD_LIVE=1); default: cached or embedded prices, no network")
    .option("--live-timeout <seconds>", "one deadline for all live data, prices and metrics (also MULTICLOUD_LIVE_TIMEOUT; default 20); what has not arrived falls back")
    .option("--stack-export <file>", "`pulumi stack export` output: placements of deployed workloads the config does not pin")
    .addOption(new Option("--format <format>", "output format").choices(DRIFT_FORMATS).default("table"))
    .option("--write", "rewrite --stack-config with the proposed placements, keeping the rest of the file")
    .action(async (options) => {
      const { driftCommand } = await import("./drift");
      setCode(await driftCommand({ ...options, offline: offline(options), live: live(options), liveTimeout: liveTimeout(options) }, io, await clouds()));
    });

  root
    .command("failover")
    .description("the failover drill: what losing each provider and each region does (exit 0 every loss covered, 2 not, 1 error)")
    .argument("[spec]", "workload spec file (YAML or JSON); or use --stack-config")
    .option("--stack-config <file>", "Pulumi.<stack>.yaml: drill every pinned placement, as deployed")
    .option("--catalog <file>", "price catalog CSV; replaces all other price sources for the providers it lists")
    .option("--offline", "no network: cached or embedded prices only (also MULTICLOUD_OFFLINE=1)")
    .option("--live", "call the live price and metrics APIs (also MULTICLOUD_LIVE=1)")
    .option("--live-timeout <seconds>", "one deadline for all live data, prices and metrics (also MULTICLOUD_LIVE_TIMEOUT; default 20); what has not arrived falls back")
    .addOption(new Option("--format <format>", "output format").choices(FAILOVER_FORMATS).default("table"))
    .action(async (spec: string | undefined, options) => {
      const { failoverCommand } = await import("./failover");
      setCode(await failoverCommand(spec, { ...options, offline: offline(options), live: live(options), liveTimeout: liveTimeout(options) }, io, await clouds()));
    });

  root
    .command("audit")
    .description("the placement audit log beside the stack config (every --write appends to it); --verify checks its hash chain (exit 0 intact, 1 broken)")
    .requiredOption("--stack-config <file>", "Pulumi.<stack>.yaml; the log is Pulumi.<stack>.placements.log beside it")
    .option("--workload <name>", "only this workload's lines")
    .option("--verify", "check the hash chain from the first line: exit 1 naming the first line that was edited, deleted or reordered")
    .option("--init", "start the log for placements pinned before audit logging (one line per pinned workload)")
    .addOption(new Option("--format <format>", "output format").choices(AUDIT_FORMATS).default("table"))
    .action(async (options) => {
      const { auditCommand } = await import("./audit");
      setCode(await auditCommand(options, io, await clouds()));
    });

  const backup = root.command("backup").description("cross-cloud backups");
  backup
    .command("plan")
    .description("choose the cheapest backup destination for a backup spec and show the cost breakdown (offline)")
    .argument("<spec>", "backup spec file (YAML or JSON)")
    .addOption(new Option("--format <format>", "output format").choices(FORMATS).default("table"))
    .option("--out <file>", "write the output to a file instead of stdout")
    .action(async (spec: string, options) => {
      const { backupPlanCommand } = await import("./backup");
      setCode(await backupPlanCommand(spec, options, io, await clouds()));
    });
  backup
    .command("verify")
    .description("list the source and the backup and report objects missing, different or extra (exit 0 complete, 2 gaps, 1 error)")
    .argument("<spec>", "backup spec file (YAML or JSON)")
    .option("--live", "list both sides through the clouds' APIs (required; list requests are billed)")
    .option("--destination <url>", "the backup's URL (the component's destination.url output); default: derived from --stack-config")
    .option("--stack-config <file>", "Pulumi.<stack>.yaml beside Pulumi.yaml: derive the backup's bucket name as the component does")
    .option("--as-of <time>", "time of the last transfer run (ISO 8601): source objects changed after it are pending, not gaps")
    .addOption(new Option("--format <format>", "output format").choices(FORMATS).default("table"))
    .action(async (spec: string, options) => {
      const { backupVerifyCommand } = await import("./backup");
      setCode(await backupVerifyCommand(spec, options, io, await clouds()));
    });
  backup
    .command("restore")
    .description("print the plan of copying a backup back onto the source's cloud (what, where, cost, native commands); --apply copies, resumably")
    .argument("<spec>", "backup spec file (YAML or JSON)")
    .requiredOption("--to <bucket>", "target bucket, or Blob container (CONTAINER or ACCOUNT/CONTAINER), on the source's cloud")
    .option("--prefix <prefix>", "only keys under this prefix (inside the source's prefix)")
    .option("--as-of <time>", "restore the versions current at this time (ISO 8601); default: current versions")
    .option("--apply", "copy (objects already at the target with the same size and checksum are skipped)")
    .option("--in-place", "allow --to to be the original source location (replaces its current objects)")
    .option("--destination <url>", "the backup's URL (the component's destination.url output); default: derived from --stack-config")
    .option("--stack-config <file>", "Pulumi.<stack>.yaml beside Pulumi.yaml: derive the backup's bucket name as the component does")
    .addOption(new Option("--format <format>", "output format").choices(["table", "json"]).default("table"))
    .action(async (spec: string, options) => {
      const { backupRestoreCommand } = await import("./backup");
      setCode(await backupRestoreCommand(spec, options, io, await clouds()));
    });
  const prices = root.command("prices").description("prices: fill the on-disk cache, show one instance type's prices, or export them as a catalog file");
  prices
    .command("refresh")
    .description("fetch live prices into the cache (ignores its 24 h TTL); progress on stderr")
    .option("--provider <name>", "only this provider (default: every provider with live prices)")
    .option("--regions <regions...>", "only these regions (comma- or space-separated; default: every region)")
    .action(async (options) => {
      const { pricesRefreshCommand } = await import("./prices");
      setCode(await pricesRefreshCommand(options, io, { clouds: await clouds() }));
    });
  prices
    .command("show")
    .description("show an instance type's prices per region, and where they come from")
    .argument("<type>", "instance type, e.g. m7i.xlarge, Standard_D4s_v5, n2-standard-4")
    .option("--region <region>", "only this region")
    .option("--catalog <file>", "price catalog CSV; replaces all other price sources for the providers it lists")
    .option("--live", "fetch live prices first (also MULTICLOUD_LIVE=1)")
    .option("--live-timeout <seconds>", "one deadline for all live data, prices and metrics (also MULTICLOUD_LIVE_TIMEOUT; default 20); what has not arrived falls back")
    .option("--offline", "no network: cached or embedded prices only (also MULTICLOUD_OFFLINE=1)")
    .addOption(new Option("--format <format>", "output format").choices(["table", "json"]).default("table"))
    .action(async (type: string, options) => {
      const { pricesShowCommand } = await import("./prices");
      setCode(await pricesShowCommand(type, { ...options, offline: offline(options), live: live(options), liveTimeout: liveTimeout(options) }, io, { clouds: await clouds() }));
    });
  prices
    .command("export")
    .description("write the prices a plan would use now (any source) as a --catalog CSV file")
    .option("--provider <name>", "only this provider (default: every provider)")
    .option("--regions <regions...>", "only these regions (comma- or space-separated; default: every region)")
    .option("--out <file>", "write the CSV to a file (atomically) instead of stdout")
    .option("--catalog <file>", "price catalog CSV; replaces all other price sources for the providers it lists")
    .option("--live", "fetch live prices first (also MULTICLOUD_LIVE=1)")
    .option("--live-timeout <seconds>", "one deadline for all live data (also MULTICLOUD_LIVE_TIMEOUT; default 20); what has not arrived falls back")
    .option("--offline", "no network: cached or embedded prices only (also MULTICLOUD_OFFLINE=1)")
    .action(async (options) => {
      const { pricesExportCommand } = await import("./prices");
      setCode(await pricesExportCommand({ ...options, offline: offline(options), live: live(options), liveTimeout: liveTimeout(options) }, io, { clouds: await clouds() }));
    });
  return root;
}

/** Live price and metrics APIs are opt-in, so that a plan on a machine without network never waits. */
function live(options: { live?: boolean }): boolean {
  return Boolean(options.live) || process.env.MULTICLOUD_LIVE === "1";
}

/** `--live-timeout SECONDS`, else MULTICLOUD_LIVE_TIMEOUT, else 20: the one deadline over all live data. */
export function liveTimeout(options: { liveTimeout?: string }, env: NodeJS.ProcessEnv = process.env): number {
  const [given, where] = options.liveTimeout !== undefined ? [options.liveTimeout, "--live-timeout"] : [env.MULTICLOUD_LIVE_TIMEOUT, "MULTICLOUD_LIVE_TIMEOUT"];
  if (given === undefined || given.trim() === "") return DEFAULT_LIVE_TIMEOUT_SECONDS;
  const seconds = Number(given);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 3600) {
    throw new UserError(`${where}: expected a number of seconds greater than 0 and at most 3600, got ${JSON.stringify(given.length > 80 ? `${given.slice(0, 80)}...` : given)}`);
  }
  return seconds;
}

function offline(options: { offline?: boolean }): boolean {
  return Boolean(options.offline) || process.env.MULTICLOUD_OFFLINE === "1";
}

/**
 * Runs the CLI on `argv` (without node and script) and returns the exit code. `clouds` is the
 * registry's list unless a caller (a test with a fourth cloud) brings its own.
 */
export async function run(argv: readonly string[], io: Io = processIo, clouds?: CloudSet): Promise<number> {
  let code = 0;
  try {
    await program(io, clouds, (c) => (code = c)).parseAsync([...argv], { from: "user" });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander has already printed its message; help and version are successes.
      return err.code === "commander.helpDisplayed" || err.code === "commander.version" || err.code === "commander.help" ? 0 : 1;
    }
    if (err instanceof UserError) {
      io.stderr(`error: ${err.message}\n`);
      return 1;
    }
    const detail = process.env.MULTICLOUD_DEBUG ? `\n${(err as Error).stack}` : " (set MULTICLOUD_DEBUG=1 for a stack trace)";
    io.stderr(`internal error: ${(err as Error).message ?? String(err)}${detail}\nThis is a bug in pulumi-multicloud; please report it with the command you ran.\n`);
    return 1;
  }
}

if (require.main === module) {
  run(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
