// The AWS CLI (botocore) against the sandbox: botocore writes each JSON service's X-Amz-Target with
// its model's full targetPrefix (com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents),
// where the JS SDK writes the short one; the sandbox, like AWS, accepts both.
import { execFile, spawnSync } from "node:child_process";
import { promisify } from "node:util";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { testSandbox } from "./testing/index";

import type { RunningSandbox } from "./index";

const haveCli = spawnSync("aws", ["--version"], { encoding: "utf8" }).status === 0;
let sb: RunningSandbox;

beforeAll(async () => {
  sb = await testSandbox({ trafficEnd: new Date() });
});
afterAll(async () => {
  await sb?.close();
});

// The sandbox answers from this process: the CLI must run asynchronously.
async function aws(...args: string[]): Promise<unknown> {
  const r = await promisify(execFile)("aws", [...args, "--endpoint-url", sb.url, "--output", "json"], {
    encoding: "utf8",
    timeout: 60_000,
    env: {
      ...process.env,
      AWS_PROFILE: undefined,
      AWS_SESSION_TOKEN: undefined,
      AWS_ACCESS_KEY_ID: sb.accessKeyId,
      AWS_SECRET_ACCESS_KEY: sb.secretAccessKey,
      AWS_DEFAULT_REGION: "us-east-1",
      AWS_PAGER: "",
    },
  });
  return JSON.parse(r.stdout || "{}");
}

describe("the AWS CLI against the sandbox", () => {
  it("reaches every JSON service with botocore's own X-Amz-Target", async () => {
    if (!haveCli) {
      console.warn("AWS CLI stage skipped: the `aws` command is not installed on this machine.");
      return;
    }
    const events = (await aws("cloudtrail", "lookup-events", "--max-results", "5")) as { Events: unknown[] };
    expect(events.Events.length).toBeGreaterThan(0);
    expect(((await aws("kms", "list-keys")) as { Keys: unknown[] }).Keys.length).toBeGreaterThan(5);
    expect(((await aws("secretsmanager", "list-secrets")) as { SecretList: unknown[] }).SecretList.length).toBeGreaterThan(0);
    expect(((await aws("cloudtrail", "describe-trails")) as { trailList: unknown[] }).trailList.length).toBeGreaterThan(0);
  });
});
