// The exports of every flow's plan: CloudFormation checked against the CloudFormation resource
// specification (@aws-cdk/aws-service-spec), Terraform parsed with an HCL parser (@cdktf/hcl2json)
// and checked against the documented provider list, and the AWS CLI script run against the sandbox
// (where the AWS CLI is installed) producing the same resources as Apply.
import { spawn, spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";

import { GetMemoryCommand, ListMemoriesCommand } from "@aws-sdk/client-bedrock-agentcore-control";
import { DescribeKeyCommand, GetKeyPolicyCommand, GetKeyRotationStatusCommand, ListAliasesCommand } from "@aws-sdk/client-kms";
import { GetResourcePolicyCommand } from "@aws-sdk/client-secrets-manager";
import { parse as parseHcl } from "@cdktf/hcl2json";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";

import type { KeywardConfigData } from "../config/schema";

import { cliOperation, cliScript, cloudFormation, exportPlan, terraform } from "./export";
import { buildPlan } from "./plan";
import { startRun } from "./run";
import { TERRAFORM_RESOURCES } from "./terraform-reference";
import { ACCOUNT, REGION, role, type SetupSandbox, setupSandbox } from "./testing";
import { redactParams, redactPlan, type SetupPlan, setupRequestSchema, type SetupRequestInput } from "./types.shared";

/** Runs a script without blocking the event loop (the sandbox answers from this process). */
function run(file: string, env: NodeJS.ProcessEnv): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn("bash", [file], { env });
    let stdout = "";
    let stderr = "";
    p.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    p.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => p.kill("SIGKILL"), 120_000);
    p.on("close", (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

let env: SetupSandbox;
let sb: SetupSandbox["sb"];
let cfg: KeywardConfigData;
const plans: Record<string, SetupPlan> = {};
const c = () => env.clients();

const REQUESTS: Record<string, SetupRequestInput> = {
  agent: { flow: "agent", name: "export-agent", region: REGION, role: role("BedrockAgentRole"), key: { mode: "new", alias: "alias/export/agent", tags: { team: "ai" } } },
  memory: { flow: "memory", name: "export_memory", region: REGION, key: { mode: "new", alias: "alias/export/memory" } },
  recommendation: { flow: "recommendation", name: "export-rec", region: REGION, role: role("RecommendationRole"), key: { mode: "new" } },
  gateway: { flow: "gateway", name: "export-gw", region: REGION, role: role("AgentCoreGatewayRole"), key: { mode: "new" } },
  "token-vault": { flow: "token-vault", name: "default", region: REGION, key: { mode: "new" } },
};

beforeAll(async () => {
  env = await setupSandbox([REGION]);
  ({ sb, cfg } = env);
  const secretArn = (await c().secrets.send(new GetResourcePolicyCommand({ SecretId: "agents/salesforce-client" }))).ARN!;
  REQUESTS["credential-provider"] = {
    flow: "credential-provider",
    name: "export-cp",
    region: REGION,
    role: role("ContractorRole"),
    secret: { arn: secretArn, jsonKey: "api_key" },
    fixSecret: { keyPolicy: true, resourcePolicy: true },
  };
  for (const [flow, req] of Object.entries(REQUESTS)) plans[flow] = await buildPlan(cfg, setupRequestSchema.parse(req));
});
afterAll(() => env.close());
afterEach(() => env.faults([]));

// ------------------------------------------------------------------ the CloudFormation specification

interface SpecProp {
  type: SpecType;
  required?: boolean;
}
interface SpecType {
  type: string;
  element?: SpecType;
  reference?: { $ref: string };
  types?: SpecType[];
}
const spec = JSON.parse(gunzipSync(readFileSync("node_modules/@aws-cdk/aws-service-spec/db.json.gz")).toString()) as {
  schema: {
    resource: { entities: Record<string, { cloudFormationType: string; properties: Record<string, SpecProp>; attributes: Record<string, unknown> }> };
    typeDefinition: { entities: Record<string, { $id: string; name: string; properties: Record<string, SpecProp> }> };
  };
};
const resourceSpecs = new Map(Object.values(spec.schema.resource.entities).map((r) => [r.cloudFormationType, r]));
const typeDefs = new Map(Object.values(spec.schema.typeDefinition.entities).map((t) => [t.$id, t]));

const INTRINSIC = (v: unknown) => v && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length === 1 && /^(Ref|Fn::\w+)$/.test(Object.keys(v)[0]);

/** Problems with a value against a spec type: unknown properties, missing required ones, wrong shapes. */
function check(value: unknown, t: SpecType, path: string): string[] {
  if (INTRINSIC(value)) return [];
  switch (t.type) {
    case "string":
      return typeof value === "string" ? [] : [`${path}: expected a string`];
    case "number":
    case "integer":
      return typeof value === "number" ? [] : [`${path}: expected a number`];
    case "boolean":
      return typeof value === "boolean" ? [] : [`${path}: expected a boolean`];
    case "json":
      return value && typeof value === "object" ? [] : [`${path}: expected JSON`];
    case "tag":
      return value && typeof value === "object" && "Key" in value && "Value" in value ? [] : [`${path}: expected a tag {Key, Value}`];
    case "array":
      return Array.isArray(value) ? value.flatMap((v, i) => check(v, t.element!, `${path}[${i}]`)) : [`${path}: expected a list`];
    case "map":
      return value && typeof value === "object" ? [] : [`${path}: expected a map`];
    case "union":
      return t.types!.some((x) => check(value, x, path).length === 0) ? [] : [`${path}: matches none of its types`];
    case "ref": {
      const def = typeDefs.get(t.reference!.$ref);
      if (!def) return [`${path}: unknown type ${t.reference!.$ref}`];
      return checkProps(value as Record<string, unknown>, def.properties, path);
    }
    default:
      return [];
  }
}
function checkProps(value: Record<string, unknown>, props: Record<string, SpecProp>, path: string): string[] {
  if (!value || typeof value !== "object") return [`${path}: expected an object`];
  const problems: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    if (!props[k]) problems.push(`${path}.${k}: no such property`);
    else problems.push(...check(v, props[k].type, `${path}.${k}`));
  }
  for (const [k, p] of Object.entries(props)) if (p.required && !(k in value)) problems.push(`${path}.${k}: required`);
  return problems;
}

describe("CloudFormation export", () => {
  it("uses real resource types and properties only, for every flow", () => {
    let checked = 0;
    for (const [flow, plan] of Object.entries(plans)) {
      const doc = parseYaml(cloudFormation(plan)) as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
      for (const [name, res] of Object.entries(doc.Resources)) {
        const rs = resourceSpecs.get(res.Type);
        expect(rs, `${flow}: ${res.Type}`).toBeDefined();
        expect(checkProps(res.Properties, rs!.properties, `${flow}.${name}`)).toEqual([]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(10);
  });

  it("the checker catches a made-up property and a missing required one", () => {
    const memory = resourceSpecs.get("AWS::BedrockAgentCore::Memory")!;
    expect(checkProps({ Name: "x", EventExpiryDuration: 30, KmsKey: "k" }, memory.properties, "m")).toContain("m.KmsKey: no such property");
    expect(checkProps({ EventExpiryDuration: 30 }, memory.properties, "m")).toContain("m.Name: required");
  });

  it("declares the key with the template policy and the resource with the key", () => {
    const doc = parseYaml(cloudFormation(plans.memory)) as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
    expect(doc.Resources.Key.Type).toBe("AWS::KMS::Key");
    expect(doc.Resources.Key.Properties.EnableKeyRotation).toBe(true);
    // AWS's Memory page: the key policy lets the account's IAM policies grant the key to the memory's callers.
    expect(JSON.stringify(doc.Resources.Key.Properties.KeyPolicy)).toContain('"kms:*"');
    expect(JSON.stringify(doc.Resources.Key.Properties.KeyPolicy)).toContain(":root");
    expect(doc.Resources.KeyAlias.Properties).toEqual({ AliasName: "alias/export/memory", TargetKeyId: { Ref: "Key" } });
    expect(doc.Resources.Memory.Properties.EncryptionKeyArn).toEqual({ "Fn::GetAtt": ["Key", "Arn"] });
  });

  it("says what it cannot express and carries it as an AWS CLI call", () => {
    const vault = cloudFormation(plans["token-vault"]);
    expect(vault).toMatch(/CloudFormation has no resource for the token vault's key/);
    const doc = parseYaml(vault) as { Metadata: Record<string, { Command: string }[]> };
    expect(doc.Metadata["Keyward::StepsAfterTheStack"][0].Command).toMatch(/^aws bedrock-agentcore-control set-token-vault-cmk --region us-east-1 /);
    expect(cloudFormation(plans.recommendation)).toMatch(/no recommendation resource/);
    // The agent's id cannot be in its own key's policy: the stack's policy names the account's agents until the follow-up call.
    const agent = cloudFormation(plans.agent);
    expect(agent).toMatch(/circular reference/);
    expect(agent).toContain(`arn:aws:bedrock:${REGION}:${ACCOUNT}:agent/*`);
  });
});

describe("Terraform export", () => {
  it("parses with an HCL parser and uses real aws_ resource types and arguments", async () => {
    let checked = 0;
    for (const [flow, plan] of Object.entries(plans)) {
      const json = (await parseHcl(`${flow}.tf`, terraform(plan))) as { resource: Record<string, Record<string, Record<string, unknown>[]>> };
      for (const [type, byName] of Object.entries(json.resource)) {
        const ref = TERRAFORM_RESOURCES[type];
        expect(ref, `${flow}: ${type}`).toBeDefined();
        for (const body of Object.values(byName).flat()) {
          for (const [arg, v] of Object.entries(body)) {
            if (ref.blocks?.[arg]) {
              for (const b of v as Record<string, unknown>[]) for (const inner of Object.keys(b)) expect(ref.blocks[arg], `${type}.${arg}.${inner}`).toContain(inner);
            } else expect(ref.arguments, `${type}.${arg}`).toContain(arg);
          }
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(10);
  });

  it("keeps IAM policy variables literal and references the key it declares", async () => {
    const tf = terraform(plans["token-vault"]);
    const json = (await parseHcl("vault.tf", tf)) as { resource: Record<string, Record<string, Record<string, unknown>[]>> };
    expect(json.resource.aws_bedrockagentcore_token_vault_cmk.this[0].kms_configuration).toEqual([{ key_type: "CustomerManagedKey", kms_key_arn: "${aws_kms_key.this.arn}" }]);
    // ${aws:PrincipalAccount} is an IAM variable, escaped so Terraform leaves it alone.
    expect(tf).toContain("$${aws:PrincipalAccount}");
    expect(terraform(plans.recommendation)).toMatch(/Terraform has no recommendation resource/);
  });
});

describe("redaction", () => {
  it("a secret-bearing parameter never reaches the JSON export or the script", () => {
    const base = plans.memory;
    const leaky: SetupPlan = {
      ...base,
      steps: [{ ...base.steps[0], params: { ...base.steps[0].params, apiKey: "sk-live-123", nested: { clientSecret: "cs-456" } } }, ...base.steps.slice(1)],
    };
    for (const format of ["json", "cli"] as const) {
      const body = exportPlan(leaky, format).body;
      expect(body).not.toContain("sk-live-123");
      expect(body).not.toContain("cs-456");
      expect(body).toContain("[redacted]");
    }
    expect(JSON.stringify(redactPlan(leaky))).not.toMatch(/sk-live-123|cs-456/);
    // Names that only mention a secret (an ARN, a reference) are kept.
    expect(redactParams({ secretId: "arn:x", apiKeySecretConfig: { secretId: "a", jsonKey: "k" } })).toEqual({
      secretId: "arn:x",
      apiKeySecretConfig: { secretId: "a", jsonKey: "k" },
    });
  });
});

describe("AWS CLI script", () => {
  it("names operations as the AWS CLI does", () => {
    expect(cliOperation("CreateKey")).toBe("create-key");
    expect(cliOperation("SetTokenVaultCMK")).toBe("set-token-vault-cmk");
    expect(cliOperation("CreateApiKeyCredentialProvider")).toBe("create-api-key-credential-provider");
  });

  it("is valid bash for every flow", () => {
    for (const [flow, plan] of Object.entries(plans)) {
      const file = join(cfg.dataDir, `${flow}.sh`);
      writeFileSync(file, cliScript(plan));
      const r = spawnSync("bash", ["-n", file], { encoding: "utf8" });
      expect(r.status, `${flow}: ${r.stderr}`).toBe(0);
    }
  });

  const cli = spawnSync("aws", ["--version"], { encoding: "utf8" });
  const haveCli = cli.status === 0;
  const cliEnv = () => ({
    ...process.env,
    AWS_ENDPOINT_URL: sb.url,
    AWS_ACCESS_KEY_ID: sb.accessKeyId,
    AWS_SECRET_ACCESS_KEY: sb.secretAccessKey,
    AWS_DEFAULT_REGION: REGION,
    AWS_PAGER: "",
  });

  it("runs against the sandbox and makes the same resources as Apply", async () => {
    if (!haveCli) {
      console.warn("AWS CLI stage skipped: the `aws` command is not installed on this machine.");
      return;
    }
    const viaCli = await buildPlan(
      cfg,
      setupRequestSchema.parse({ flow: "memory", name: "cli_memory", region: REGION, key: { mode: "new", alias: "alias/cli/memory" }, eventExpiryDays: 45 }),
    );
    const viaApply = await buildPlan(
      cfg,
      setupRequestSchema.parse({ flow: "memory", name: "apply_memory", region: REGION, key: { mode: "new", alias: "alias/apply/memory" }, eventExpiryDays: 45 }),
    );
    const file = join(cfg.dataDir, "cli-memory.sh");
    writeFileSync(file, cliScript(viaCli));
    const r = await run(file, cliEnv());
    expect(r.status, r.stderr).toBe(0);
    const applied = await startRun(cfg, viaApply, { actor: "tester", onFailure: "rollback" }).done;
    expect(applied.status).toBe("done");

    const describe = async (name: string, alias: string) => {
      const summary = (await c().agentCoreControl.send(new ListMemoriesCommand({}))).memories!.find((m) => m.id!.startsWith(`${name}-`))!;
      const memory = (await c().agentCoreControl.send(new GetMemoryCommand({ memoryId: summary.id! }))).memory!;
      const key = (await c().kms.send(new DescribeKeyCommand({ KeyId: memory.encryptionKeyArn! }))).KeyMetadata!;
      const aliases = (await c().kms.send(new ListAliasesCommand({ KeyId: key.KeyId! }))).Aliases!.map((a) => a.AliasName);
      return {
        memory: { encrypted: memory.encryptionKeyArn === key.Arn, eventExpiryDuration: memory.eventExpiryDuration, strategies: memory.strategies?.length ?? 0 },
        key: { spec: key.KeySpec, usage: key.KeyUsage, state: key.KeyState, aliasOk: aliases.includes(alias) },
        rotation: (await c().kms.send(new GetKeyRotationStatusCommand({ KeyId: key.Arn! }))).KeyRotationEnabled,
        policy: JSON.parse((await c().kms.send(new GetKeyPolicyCommand({ KeyId: key.Arn!, PolicyName: "default" }))).Policy!) as unknown,
      };
    };
    const a = await describe("cli_memory", "alias/cli/memory");
    const b = await describe("apply_memory", "alias/apply/memory");
    expect(a).toEqual(b);
    expect(a.memory.encrypted && a.key.aliasOk && a.rotation).toBe(true);
  });

  it("undoes what it created when a call fails", async () => {
    if (!haveCli) {
      console.warn("AWS CLI stage skipped: the `aws` command is not installed on this machine.");
      return;
    }
    await env.faults([{ service: "bedrock-agentcore", operation: "CreateMemory", accessDenied: true }]);
    const plan = await buildPlan(cfg, setupRequestSchema.parse({ flow: "memory", name: "cli_denied", region: REGION, key: { mode: "new", alias: "alias/cli/denied" } }));
    const file = join(cfg.dataDir, "cli-denied.sh");
    writeFileSync(file, cliScript(plan));
    const r = await run(file, cliEnv());
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/undoing/);
    const keyArn = /key\.keyArn: (\S+)/.exec(r.stdout)![1];
    expect((await c().kms.send(new DescribeKeyCommand({ KeyId: keyArn }))).KeyMetadata!.KeyState).toBe("PendingDeletion");
    expect((await c().kms.send(new ListAliasesCommand({}))).Aliases!.map((x) => x.AliasName)).not.toContain("alias/cli/denied");
  });
});
