// The `keyward` command: `npm run keyward -- <command>` (also the package's bin). Built on lib/.
import { parseArgs } from "node:util";

import { SEVERITIES, type Severity } from "../lib/inventory/types.shared";

import { EventsUsageError, runAthenaTable, runEvents, runImport, runSync } from "./commands/events";
import { LintInputError, runAccess, runLintPolicy, runTemplates } from "./commands/policy";
import { runScanCommand } from "./commands/scan";
import { runSetup, SetupUsageError } from "./commands/setup";
import { runUserAdd } from "./commands/user-add";
import { runWhoami } from "./commands/whoami";

export const USAGE = `usage: keyward <command> [options]

  keyward --version | keyward COMMAND --help

commands:
  whoami [--format table|json]              caller identity per configured account and region
  scan [--account ID] [--region R ...] [--format table|json|csv|sarif] [--fail-on low|medium|high|critical]
                                            scan agent resources; exit 1 when --fail-on is met, 2 when nothing could be scanned
  user add EMAIL --role viewer|investigator|operator
                                            add or update a local user (prompts for the password)
  lint-policy FILE --template ID [--var NAME=VALUE ...] [--admin ARN ...] [--trusted-account ID ...]
              [--trusted-org o-... ...] [--format table|json]
                                            compare a policy with a documented template (offline); exit 1 when a
                                            template statement is missing, narrower, broader or mixed, when anyone
                                            outside the account can act, or when a statement grants administration
                                            to others than the account root and the --admin principals
  access FILE --account ID [--trusted-account ID ...] [--trusted-org o-... ...] [--kind key|secret] [--format table|json]
                                            who outside the account can do what with a key or secret policy (offline);
                                            exit 0 nobody, 1 someone, 2 invalid input
  templates [--format table|json]           list the policy templates, their sources and variables
  sync [--since 7d] [--source lookup|athena|lake]
                                            fetch new CloudTrail events (LookupEvents, or Athena / CloudTrail Lake when configured) into the event store
  athena-table --location s3://BUCKET/AWSLogs/ACCOUNT/CloudTrail/ [--table T] [--regions R,R] [--since yyyy/MM/dd] [--create]
                                            print the partition-projection CREATE TABLE for a trail's logs (--create runs it)
  events [--key ARN | --resource ARN | --secret ARN] [--since 7d] [--until T] [--event NAME ...]
         [--format json|csv|table] [--fetch]
                                            stored events and detections; --fetch first looks up the key or secret
  import DIR                                load CloudTrail log files (.json.gz, .json, .gz as delivered to S3; any size) into the event store
  setup FLOW --name NAME --region R [--key new|ARN] [--alias alias/NAME] [--role ARN] [--secret ARN --json-key K]
        [--existing ID] [--fix-secret] [--update-key-policy] [--no-rotation] [--account ID]
        [--format json|cloudformation|terraform|cli] [--apply [--keep-on-failure]]
                                            FLOW: agent, memory, recommendation, credential-provider, token-vault, gateway;
                                            prints the plan (or an export of it); --apply runs it and rolls back on failure (exit 1)

Configuration comes from keyward.config.json or the environment (docs/configuration.md);
AWS access from the standard chain (AWS_PROFILE, AWS_ACCESS_KEY_ID, SSO, AWS_ENDPOINT_URL...).`;

export class UsageError extends Error {}

async function wrapEvents(f: () => Promise<number>): Promise<number> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof EventsUsageError) throw new UsageError(e.message);
    throw e;
  }
}

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  /** Long commands say how far they are on stderr: when it is a terminal, or with --progress. */
  progress?: boolean;
}

const STDIO: Io = {
  out: (s) => void process.stdout.write(`${s}\n`),
  err: (s) => void process.stderr.write(`${s}\n`),
  progress: process.stderr.isTTY === true,
};

/** Each command's own lines of the usage, for `keyward COMMAND --help` and its errors. */
export function commandUsage(command: string): string | undefined {
  const lines = USAGE.split("\n");
  const start = lines.findIndex((l) => new RegExp(`^  ${command}( |$)`).test(l));
  if (start < 0) return undefined;
  let end = start + 1;
  while (end < lines.length && /^ {4,}\S/.test(lines[end])) end++;
  return `usage: keyward ${lines
    .slice(start, end)
    .map((l, i) => (i === 0 ? l.trim() : l))
    .join("\n")}\n\nOptions for every command: --help (-h), --progress (progress on stderr when it is not a terminal).`;
}

function version(): string {
  // The package's own version, read at run time (tsx runs the sources).
  return (require("../package.json") as { version: string }).version;
}

export async function run(argv: string[], ioIn: Io = STDIO): Promise<number> {
  const [command, ...args] = argv;
  // --progress anywhere asks for progress lines even when stderr is not a terminal.
  const io: Io = { ...ioIn, progress: ioIn.progress || args.includes("--progress") };
  const rest = args.filter((a) => a !== "--progress");
  if (command === "--version" || command === "-V" || command === "version") {
    io.out(`keyward ${version()}`);
    return 0;
  }
  if (command && command !== "help" && !command.startsWith("-") && (rest.includes("--help") || rest.includes("-h"))) {
    const usage = commandUsage(command === "user" ? "user add" : command);
    if (usage) {
      io.out(usage);
      return 0;
    }
  }
  try {
    switch (command) {
      case "whoami": {
        const { values } = parseArgs({ args: rest, options: { format: { type: "string", default: "table" } }, strict: true });
        if (values.format !== "table" && values.format !== "json") throw new UsageError(`--format must be table or json, not ${values.format}`);
        return await runWhoami(values.format, io);
      }
      case "scan": {
        const { values } = parseArgs({
          args: rest,
          options: { account: { type: "string" }, region: { type: "string", multiple: true }, format: { type: "string", default: "table" }, "fail-on": { type: "string" } },
          strict: true,
        });
        const format = values.format as string;
        if (!["table", "json", "csv", "sarif"].includes(format)) throw new UsageError(`--format must be table, json, csv or sarif, not ${format}`);
        const failOn = values["fail-on"];
        if (failOn !== undefined && (!(SEVERITIES as readonly string[]).includes(failOn) || failOn === "info"))
          throw new UsageError("--fail-on must be low, medium, high or critical");
        if (values.account && !/^\d{12}$/.test(values.account)) throw new UsageError("--account takes a 12-digit account id");
        return await runScanCommand({ account: values.account, regions: values.region ?? [], format: format as "table", failOn: failOn as Severity | undefined }, io);
      }
      case "user": {
        const { values, positionals } = parseArgs({
          args: rest,
          options: { role: { type: "string" }, "password-stdin": { type: "boolean" } },
          allowPositionals: true,
          strict: true,
        });
        if (positionals[0] !== "add" || positionals.length !== 2) throw new UsageError("user takes: add EMAIL --role ROLE");
        return await runUserAdd(positionals[1], values.role, !!values["password-stdin"], io);
      }
      case "lint-policy": {
        const { values, positionals } = parseArgs({
          args: rest,
          options: {
            template: { type: "string" },
            var: { type: "string", multiple: true },
            admin: { type: "string", multiple: true },
            "trusted-account": { type: "string", multiple: true },
            "trusted-org": { type: "string", multiple: true },
            format: { type: "string", default: "table" },
          },
          allowPositionals: true,
          strict: true,
        });
        if (positionals.length !== 1) throw new UsageError("lint-policy takes one FILE");
        if (!values.template) throw new UsageError("lint-policy needs --template ID (see: keyward templates)");
        if (values.format !== "table" && values.format !== "json") throw new UsageError(`--format must be table or json, not ${values.format}`);
        try {
          return await runLintPolicy(
            {
              file: positionals[0],
              template: values.template,
              vars: values.var ?? [],
              admins: values.admin ?? [],
              trustedAccounts: values["trusted-account"] ?? [],
              trustedOrgs: values["trusted-org"] ?? [],
              format: values.format,
            },
            io,
          );
        } catch (e) {
          if (e instanceof LintInputError) throw new UsageError(e.message);
          throw e;
        }
      }
      case "access": {
        const { values, positionals } = parseArgs({
          args: rest,
          options: {
            account: { type: "string" },
            "trusted-account": { type: "string", multiple: true },
            "trusted-org": { type: "string", multiple: true },
            kind: { type: "string" },
            format: { type: "string", default: "table" },
          },
          allowPositionals: true,
          strict: true,
        });
        if (positionals.length !== 1) throw new UsageError("access takes one FILE");
        if (values.format !== "table" && values.format !== "json") throw new UsageError(`--format must be table or json, not ${values.format}`);
        try {
          return await runAccess(
            {
              file: positionals[0],
              account: values.account,
              trustedAccounts: values["trusted-account"] ?? [],
              trustedOrgs: values["trusted-org"] ?? [],
              kind: values.kind,
              format: values.format,
            },
            io,
          );
        } catch (e) {
          if (e instanceof LintInputError) throw new UsageError(e.message);
          throw e;
        }
      }
      case "sync": {
        const { values } = parseArgs({ args: rest, options: { since: { type: "string" }, source: { type: "string" } }, strict: true });
        return await wrapEvents(() => runSync(values, io));
      }
      case "athena-table": {
        const { values } = parseArgs({
          args: rest,
          options: { location: { type: "string" }, table: { type: "string" }, regions: { type: "string" }, since: { type: "string" }, create: { type: "boolean" } },
          strict: true,
        });
        return await wrapEvents(() => runAthenaTable(values, io));
      }
      case "import": {
        const { positionals } = parseArgs({ args: rest, options: {}, allowPositionals: true, strict: true });
        if (positionals.length !== 1) throw new UsageError("import takes one folder");
        return await wrapEvents(() => runImport(positionals[0], io));
      }
      case "events": {
        const { values } = parseArgs({
          args: rest,
          options: {
            key: { type: "string" },
            resource: { type: "string" },
            secret: { type: "string" },
            since: { type: "string" },
            until: { type: "string" },
            event: { type: "string", multiple: true },
            format: { type: "string", default: "table" },
            fetch: { type: "boolean", default: false },
          },
          strict: true,
        });
        if (!["json", "csv", "table"].includes(values.format)) throw new UsageError(`--format must be json, csv or table, not ${values.format}`);
        return await wrapEvents(() => runEvents({ ...values, event: values.event ?? [], format: values.format as "json", fetch: !!values.fetch }, io));
      }
      case "setup": {
        const { values, positionals } = parseArgs({
          args: rest,
          options: {
            name: { type: "string" },
            region: { type: "string" },
            account: { type: "string" },
            key: { type: "string" },
            alias: { type: "string" },
            role: { type: "string" },
            secret: { type: "string" },
            "json-key": { type: "string" },
            existing: { type: "string" },
            "fix-secret": { type: "boolean" },
            "update-key-policy": { type: "boolean" },
            "no-rotation": { type: "boolean" },
            format: { type: "string" },
            apply: { type: "boolean" },
            "keep-on-failure": { type: "boolean" },
          },
          allowPositionals: true,
          strict: true,
        });
        if (positionals.length !== 1) throw new UsageError("setup takes one FLOW");
        try {
          return await runSetup({ ...values, flow: positionals[0] }, io);
        } catch (e) {
          if (e instanceof SetupUsageError) throw new UsageError(e.message);
          throw e;
        }
      }
      case "templates": {
        const { values } = parseArgs({ args: rest, options: { format: { type: "string", default: "table" } }, strict: true });
        if (values.format !== "table" && values.format !== "json") throw new UsageError(`--format must be table or json, not ${values.format}`);
        return runTemplates(values.format, io);
      }
      case undefined:
      case "help":
      case "--help":
      case "-h":
        io.out(USAGE);
        return command ? 0 : 2;
      default:
        throw new UsageError(`unknown command: ${command}`);
    }
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      io.err(`${(e as Error).message}\n\n${(command && commandUsage(command === "user" ? "user add" : command)) ?? USAGE}`);
      return 2;
    }
    throw e;
  }
}

if (require.main === module) {
  // The SDK's notice about Node.js versions is not the CLI's to print.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  run(process.argv.slice(2))
    .then((code) => process.exit(code))
    .catch((e: unknown) => {
      console.error(e instanceof Error ? e.message : e);
      process.exit(1);
    });
}
