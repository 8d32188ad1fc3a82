// The AWS CLI (botocore) against the sandbox: botocore writes each JSON service's X-Amz-Target with
// its model's full targetPrefix (com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents),
// where the JS SDK writes the short one; the sandbox, like AWS, accepts both.
import { execFile, spawnSync } from "node:child_process";
import { promisify } from "node:util";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { testSandbox } from "./testing/index";
import { requiredMembers } from "./protocols/model";
import { SERVICES } from "./services";

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
    maxBuffer: 64 * 1024 * 1024,
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

  it("answers every implemented read operation that needs no input, through botocore's own models", async () => {
    if (!haveCli) {
      console.warn("AWS CLI stage skipped: the `aws` command is not installed on this machine.");
      return;
    }
    // The CLI's service names for the SDK packages the sandbox's models come from.
    const cliName: Record<string, string> = {
      kms: "kms",
      secretsmanager: "secretsmanager",
      cloudtrail: "cloudtrail",
      athena: "athena",
      sts: "sts",
      iam: "iam",
      "bedrock-agent": "bedrock-agent",
      "bedrock-agentcore-control": "bedrock-agentcore-control",
      "bedrock-agentcore": "bedrock-agentcore",
      accessanalyzer: "accessanalyzer",
    };
    const called: string[] = [];
    for (const service of SERVICES)
      for (const model of service.models) {
        const handlers = service.handlersFor(model);
        for (const [name, op] of model.operations) {
          if (!(name in handlers) || requiredMembers(op.input).size || !/^(List|Describe|Get|Lookup)/.test(name)) continue;
          const command = name
            .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
            .replace(/([A-Z])([A-Z][a-z])/g, "$1-$2")
            .toLowerCase();
          // botocore raises on an answer its model cannot read. An AWS error it could read ("An error
          // occurred (Code) when calling …", e.g. a parameter the operation needs after all) is an answer too.
          try {
            await aws(cliName[model.id], command, "--no-paginate");
          } catch (e) {
            expect((e as { stderr?: string }).stderr ?? "", `${model.id}:${name}`).toMatch(new RegExp(`An error occurred \\(\\w+\\) when calling the ${name} operation`));
          }
          called.push(`${model.id}:${name}`);
        }
      }
    expect(called).toEqual(
      expect.arrayContaining(["kms:ListKeys", "cloudtrail:LookupEvents", "sts:GetCallerIdentity", "bedrock-agent:ListAgents", "bedrock-agentcore-control:ListMemories"]),
    );
    expect(called.length).toBeGreaterThan(12);
  });
});
