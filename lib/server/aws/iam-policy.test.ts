// Every AWS SDK command Keyward's own code sends (app/, lib/, cli/) is covered by the IAM policies
// in docs/iam-policy.json, and the console never reads a secret's value.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

const PREFIX: Record<string, string> = {
  "@aws-sdk/client-kms": "kms",
  "@aws-sdk/client-sts": "sts",
  "@aws-sdk/client-iam": "iam",
  "@aws-sdk/client-secrets-manager": "secretsmanager",
  "@aws-sdk/client-cloudtrail": "cloudtrail",
  "@aws-sdk/client-bedrock": "bedrock",
  "@aws-sdk/client-bedrock-agent": "bedrock",
  "@aws-sdk/client-bedrock-agentcore-control": "bedrock-agentcore",
  "@aws-sdk/client-bedrock-agentcore": "bedrock-agentcore",
  "@aws-sdk/client-athena": "athena",
  "@aws-sdk/client-accessanalyzer": "access-analyzer",
  "@aws-sdk/client-organizations": "organizations",
  "@aws-sdk/client-config-service": "config",
  "@aws-sdk/client-securityhub": "securityhub",
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return f === "node_modules" ? [] : files(p);
    return /\.(ts|tsx)$/.test(f) && !/\.test\.ts$/.test(f) ? [p] : [];
  });
}

/** `service:Operation` for every `new XCommand(` in a file, by the package it is imported from. */
export function commandsSent(source: string): string[] {
  const out: string[] = [];
  for (const m of source.matchAll(/import\s*\{([^}]*)\}\s*from\s*"(@aws-sdk\/client-[a-z-]+)"/g)) {
    const prefix = PREFIX[m[2]];
    for (const name of m[1].split(",").map((s) => s.trim())) {
      const cmd = /^(\w+)Command$/.exec(name);
      if (cmd && prefix && new RegExp(`new\\s+${name}\\(`).test(source)) out.push(`${prefix}:${cmd[1]}`);
    }
  }
  return out;
}

function allowed(actions: string[], action: string): boolean {
  return actions.some((a) => new RegExp(`^${a.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`, "i").test(action));
}

describe("docs/iam-policy.json", () => {
  const doc = JSON.parse(readFileSync("docs/iam-policy.json", "utf8")) as Record<string, { Statement: { Action: string | string[] }[] }>;
  const actions = Object.values(doc).flatMap((p) => p.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])));
  const sent = [...new Set(["app", "lib", "cli"].flatMap((d) => files(d)).flatMap((f) => commandsSent(readFileSync(f, "utf8"))))];

  it("finds the commands the code sends", () => {
    expect(sent).toContain("sts:GetCallerIdentity");
    expect(sent).toContain("kms:ListKeys");
    expect(sent).toContain("config:SelectAggregateResourceConfig");
    expect(sent).toContain("organizations:ListAccountsForParent");
  });

  it("covers every command the code sends", () => {
    expect(sent.filter((a) => !allowed(actions, a))).toEqual([]);
  });

  it("never grants or uses secretsmanager:GetSecretValue", () => {
    expect(actions.filter((a) => allowed([a], "secretsmanager:GetSecretValue"))).toEqual([]);
    expect(sent).not.toContain("secretsmanager:GetSecretValue");
  });

  it("the read policy grants no write action", () => {
    const read = doc.read.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
    expect(read.filter((a) => /:(Create|Put|Update|Delete|Set|Enable|Disable|Schedule|Start|Tag)/.test(a))).toEqual([]);
  });

  it("the scanner recognises a command in source text", () => {
    expect(commandsSent('import { KMSClient, PutKeyPolicyCommand } from "@aws-sdk/client-kms";\nclient.send(new PutKeyPolicyCommand({}))')).toEqual(["kms:PutKeyPolicy"]);
  });
});
