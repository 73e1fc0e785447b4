/**
 * The plugin entry (PulumiPlugin.yaml `main`): serves the package's components to the Pulumi engine
 * over gRPC (GetSchema, Construct). The Pulumi language host loads this module and passes the
 * engine address as an argument; the server prints its port, as plugins do. Nothing imports this
 * file: the provider itself is in ./resources.ts.
 *
 * This is also the one place that marks the process as the plugin (`servePackageResources`): the
 * components constructed here register the package's own custom resources, which this provider
 * serves, where a Node.js program registers dynamic resources (kit/package-resources.ts).
 */
// First: defers modules @pulumi/pulumi loads but the plugin never uses (./defer-closure-deps.ts).
import "./defer-closure-deps";
import "./defer-zod-locales";
import { main } from "@pulumi/pulumi/provider";
import { MulticloudProvider } from "./resources";
import { servePackageResources } from "../kit/package-resources";
import { setFlagsFromString } from "node:v8";
import { skipUnreadPromiseStacks } from "./promise-stacks";

// A `pulumi up` constructs a few workloads, one HiGHS solve each: as in the CLI (bin/multicloud.js),
// V8's optimising compile of the solver's WebAssembly costs more than it saves over so few solves.
// HiGHS is compiled on the first solve, after this line; node flags given by the user win.
const nodeFlags = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? "").split(/\s+/)];
if (!nodeFlags.some((f) => /^--(no-)?(liftoff|wasm-)/.test(f))) setFlagsFromString("--liftoff-only");

// Stacks the SDK records on every promise, read only with PULUMI_DEBUG_PROMISE_LEAKS (./promise-stacks.ts).
skipUnreadPromiseStacks();
servePackageResources();
MulticloudProvider.create()
  .then((provider) => main(provider, process.argv.slice(2)))
  .catch((err: unknown) => {
    process.stderr.write(`multicloud plugin: ${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 1;
  });
