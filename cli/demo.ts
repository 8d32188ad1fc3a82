// `npm run demo [-- --port N] [--data-dir DIR] [--scenario FILE] [--reset]`: starts the sandbox with the demo scenario
// and the console wired to it (building the console first when needed), creates the demo users and
// prints the URL and their sign-ins.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";

import { upsertUser } from "../lib/auth/users";

/** "missing" without a build; "stale" when a source the console is built from is newer than the build. */
function buildIsStale(): "missing" | "stale" | false {
  if (!existsSync(".next/BUILD_ID")) return "missing";
  const built = statSync(".next/BUILD_ID").mtimeMs;
  const newer = (path: string): boolean => {
    if (!existsSync(path)) return false;
    const st = statSync(path);
    if (!st.isDirectory()) return st.mtimeMs > built;
    return readdirSync(path).some((f) => f !== "node_modules" && !f.endsWith(".test.ts") && newer(join(path, f)));
  };
  return ["app", "components", "lib", "queries", "public", "proxy.ts", "next.config.js", "package-lock.json", "tsconfig.json"].some(newer) ? "stale" : false;
}

const USAGE = "usage: npm run demo -- [--port 3000] [--sandbox-port 4599] [--data-dir .data/demo] [--scenario sandbox/scenarios/demo.json] [--reset] [--rebuild] [--no-autostart]";

interface DemoCredentials {
  viewer: string;
  investigator: string;
  operator: string;
}

function demoPasswords(dataDir: string): DemoCredentials {
  const f = join(dataDir, "demo-credentials.json");
  if (existsSync(f)) return JSON.parse(readFileSync(f, "utf8")) as DemoCredentials;
  const pw = () => randomBytes(12).toString("base64url");
  const creds = { viewer: pw(), investigator: pw(), operator: pw() };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(f, JSON.stringify(creds, null, 2), { mode: 0o600 });
  chmodSync(f, 0o600);
  return creds;
}

async function waitFor(url: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      const r = await fetch(url, { redirect: "manual" });
      if (r.status < 500) return;
    } catch {
      /* not yet */
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once("error", () => resolve(false));
    s.listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
  });
}

async function main(): Promise<void> {
  // The demo runs on the Node these machines have; the SDK's notice about future Node versions
  // would only clutter the sign-in details below (the console's own process has it off too).
  // (The sandbox is loaded after this: loading it builds SDK clients.)
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const { startSandbox, stateIsFrom } = await import("../sandbox/index");
  let args;
  try {
    args = parseArgs({
      options: {
        port: { type: "string" },
        "sandbox-port": { type: "string" },
        "data-dir": { type: "string" },
        scenario: { type: "string" },
        reset: { type: "boolean" },
        rebuild: { type: "boolean" },
        "no-autostart": { type: "boolean" },
        help: { type: "boolean" },
      },
    }).values;
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  if (args.help) return console.log(USAGE);
  const port = Number(args.port ?? process.env.PORT ?? 3000);
  const sandboxPort = Number(args["sandbox-port"] ?? 0);
  if (!Number.isInteger(port) || port < 1 || port > 65535 || !Number.isInteger(sandboxPort) || sandboxPort < 0 || sandboxPort > 65535) {
    console.error(`--port and --sandbox-port take port numbers\n${USAGE}`);
    process.exit(2);
  }
  if (!(await portFree(port))) {
    console.error(`Port ${port} is already in use (another Keyward?). Stop it or pick another: npm run demo -- --port ${port + 1}`);
    process.exit(2);
  }
  // Another scenario (the organization one, sandbox/scenarios/org.json) keeps its data apart by default.
  const scenarioFile = args.scenario ? resolve(args.scenario) : undefined;
  if (scenarioFile && !existsSync(scenarioFile)) {
    console.error(`No scenario file ${scenarioFile}\n${USAGE}`);
    process.exit(2);
  }
  const dataDir = resolve(
    args["data-dir"] ??
      (scenarioFile
        ? `.data/demo-${scenarioFile
            .split("/")
            .pop()!
            .replace(/\.json$/, "")}`
        : ".data/demo"),
  );
  if (args.reset) rmSync(dataDir, { recursive: true, force: true });
  else if (stateIsFrom(join(dataDir, "sandbox"), scenarioFile) === false) {
    // The console's scans and events describe the sandbox they were made from: both start afresh.
    console.log("The demo scenario changed since this demo's data was made: starting afresh (as with --reset).");
    rmSync(dataDir, { recursive: true, force: true });
  }
  mkdirSync(dataDir, { recursive: true });

  const stale = buildIsStale();
  if (args.rebuild || stale) {
    console.log(stale === "missing" ? "Building the console (first run only; takes a minute or two)…" : "The sources changed since the last build: building the console again…");
    const b = spawnSync("npx", ["next", "build"], { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
    if (b.status !== 0) process.exit(b.status ?? 1);
  }

  const sb = await startSandbox({ port: sandboxPort, stateDir: join(dataDir, "sandbox"), ...(scenarioFile ? { scenario: scenarioFile } : {}) });
  writeFileSync(
    join(dataDir, "sandbox.json"),
    JSON.stringify({ url: sb.url, account: sb.account, regions: sb.state.regions, accessKeyId: sb.accessKeyId, secretAccessKey: sb.secretAccessKey }, null, 2),
  );
  const pw = demoPasswords(dataDir);
  upsertUser(dataDir, "viewer@keyward.local", "viewer", pw.viewer, true);
  upsertUser(dataDir, "investigator@keyward.local", "investigator", pw.investigator, true);
  upsertUser(dataDir, "operator@keyward.local", "operator", pw.operator, true);

  const url = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    KEYWARD_MODE: "sandbox",
    // The first scan and event sync start as soon as the console is up (instrumentation.ts).
    KEYWARD_AUTOSTART: args["no-autostart"] ? "0" : "1",
    KEYWARD_DATA_DIR: dataDir,
    KEYWARD_ACCOUNTS: sb.account,
    KEYWARD_REGIONS: sb.state.regions.join(","),
    KEYWARD_CONFIG: process.env.KEYWARD_CONFIG ?? join(dataDir, "keyward.config.json"),
    NEXTAUTH_URL: url,
    AWS_ENDPOINT_URL: sb.url,
    AWS_ACCESS_KEY_ID: sb.accessKeyId,
    AWS_SECRET_ACCESS_KEY: sb.secretAccessKey,
    AWS_REGION: sb.region,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  };
  delete (env as Record<string, string | undefined>).AWS_PROFILE;
  delete (env as Record<string, string | undefined>).AWS_SESSION_TOKEN;
  // The first event fetch reads 37 days, so the detections have a 30-day baseline before the last week.
  // The sandbox answers IAM Access Analyzer's CheckNoPublicAccess at no charge: the demo shows it beside Keyward's own answer.
  if (!existsSync(env.KEYWARD_CONFIG))
    writeFileSync(
      env.KEYWARD_CONFIG,
      JSON.stringify(
        {
          mode: "sandbox",
          events: { firstSyncDays: 37 },
          accessAnalyzer: { validatePolicy: true, checkNoPublicAccess: true },
          // The demo watches by itself: a scan every 10 minutes and an event sync every 5 (Settings → Schedules).
          // Without autostart (the browser tests) nothing runs by itself.
          ...(args["no-autostart"] ? {} : { schedules: { scan: "*/10 * * * *", sync: "*/5 * * * *" } }),
          // A scenario with an organization: its member accounts are discovered from the management account.
          ...(sb.state.organization
            ? {
                organization: {
                  role: sb.state.organization.readRole.name,
                  externalId: sb.state.organization.readRole.externalId,
                  regions: sb.state.regions,
                  // And its AWS Config aggregator, where the scenario has one.
                  ...(sb.state.organization.configAggregator
                    ? { configAggregator: { name: sb.state.organization.configAggregator.name, region: sb.state.organization.configAggregator.region } }
                    : {}),
                },
              }
            : {}),
        },
        null,
        2,
      ),
    );
  const next = spawn("npx", ["next", "start", "-p", String(port), "-H", "127.0.0.1"], { stdio: ["ignore", "inherit", "inherit"], env: env as NodeJS.ProcessEnv });
  const stop = async (code = 0) => {
    next.kill("SIGTERM");
    await sb.close();
    process.exit(code);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
  next.on("exit", (code: number | null) => void stop(code ?? 1));
  await waitFor(`${url}/signin`, 60_000);
  console.log(`
Keyward is running on the sandbox: ${url}
  Sandbox AWS endpoint: ${sb.url} (account ${sb.account}, ${sb.state.regions.join(", ")})
  Sign in as
    viewer@keyward.local        ${pw.viewer}
    investigator@keyward.local  ${pw.investigator}
    operator@keyward.local      ${pw.operator}
  (passwords are kept in ${join(dataDir, "demo-credentials.json")}; demo users only work in sandbox mode)
Press Ctrl+C to stop.`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
