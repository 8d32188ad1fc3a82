// `npm run sandbox -- [--port 4599] [--scenario FILE] [--state-dir DIR] [--reset]`
import { parseArgs } from "node:util";

import { ScenarioError } from "./scenario/schema";

import { DEFAULT_PORT, startSandbox } from "./index";

const USAGE = "usage: npm run sandbox -- [--port 4599] [--scenario FILE] [--state-dir DIR] [--reset]";

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs({
      options: { port: { type: "string" }, scenario: { type: "string" }, "state-dir": { type: "string" }, reset: { type: "boolean" }, help: { type: "boolean" } },
    }).values;
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  if (args.help) {
    console.log(USAGE);
    return;
  }
  const port = args.port ? Number(args.port) : DEFAULT_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be a port number\n${USAGE}`);
    process.exit(2);
  }
  try {
    const sb = await startSandbox({ port, scenario: args.scenario, stateDir: args["state-dir"] ?? ".data/sandbox", reset: args.reset });
    console.log(`Keyward sandbox listening on ${sb.url}
  scenario: ${sb.state.scenarioName}   account: ${sb.account}   regions: ${sb.state.regions.join(", ")}
  export AWS_ENDPOINT_URL=${sb.url}
  export AWS_ACCESS_KEY_ID=${sb.accessKeyId}
  export AWS_SECRET_ACCESS_KEY=${sb.secretAccessKey}
  export AWS_REGION=${sb.region}`);
    const stop = () => void sb.close().then(() => process.exit(0));
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  } catch (e) {
    if (e instanceof ScenarioError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
}

void main();
