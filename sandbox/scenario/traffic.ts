// The traffic simulator: turns a scenario's generator specs into CloudTrail records as AWS logs them
// (service calls as AWSService or the caller's role with invokedBy), deterministically from the seed.
import type { Caller } from "../core";
import { Rng, stableId, stableUuid } from "../rng";
import type { SandboxState } from "../state";
import { buildRecord, recordEvent } from "../trail";

import type { Refs } from "./load";
import type { Generator, ScenarioData } from "./schema";

const DAY = 86_400_000;

/** Encryption context each service puts on its KMS calls (see docs/sandbox.md). */
export function encryptionContextFor(resourceArn: string): Record<string, string> {
  if (resourceArn.includes(":agent/")) return { "aws:bedrock:arn": resourceArn };
  if (resourceArn.includes(":recommendation/")) return { "aws:bedrock-agentcore:recommendationArn": resourceArn };
  if (resourceArn.includes(":memory/")) return { "aws:bedrock-agentcore:memoryArn": resourceArn };
  if (resourceArn.includes(":gateway/")) return { "aws:bedrock-agentcore-gateway:arn": resourceArn };
  if (resourceArn.includes(":flow/")) return { "aws:bedrock-flows:arn": resourceArn };
  if (resourceArn.includes(":prompt/")) return { "aws:bedrock-prompts:arn": resourceArn };
  if (resourceArn.includes(":policy-engine/")) return { "aws:bedrock-agentcore-policy:policy-engine-arn": resourceArn };
  if (resourceArn.includes(":evaluator/")) return { "aws:bedrock-agentcore:evaluatorArn": resourceArn };
  if (resourceArn.includes(":dataset/")) return { "aws:bedrock-agentcore:datasetArn": resourceArn };
  if (resourceArn.includes(":payment-manager/")) return { "aws:payments-manager:arn": resourceArn };
  if (resourceArn.includes(":token-vault/")) return { "aws-crypto-ec:aws:bedrock-agentcore-identity:token-vault-arn": resourceArn };
  if (resourceArn.includes(":secret:")) return { SecretARN: resourceArn, SecretVersionId: stableUuid("v", resourceArn) };
  // Other services that share a key with agents: S3 (SSE-KMS) names the object's bucket or prefix.
  if (resourceArn.startsWith("arn:aws:s3:::")) return { "aws:s3:arn": resourceArn };
  return {};
}

function resourceRefArn(ref: string | undefined, refs: Refs, s: ScenarioData, region: string): string | undefined {
  if (!ref) return undefined;
  if (ref.startsWith("arn:")) return ref;
  if (ref === "token-vault") return `arn:aws:bedrock-agentcore:${region}:${s.account}:token-vault/default`;
  return refs.agents.get(ref) ?? refs.recommendations.get(ref) ?? refs.memories.get(ref) ?? refs.gateways.get(ref) ?? refs.secrets.get(ref) ?? refs.resources.get(ref);
}

function callerFor(g: Generator, s: ScenarioData, seed: string): Caller {
  const p = g.principal;
  if (p.startsWith("service:")) return { type: "AWSService", account: s.account, arn: "", principalId: "", invokedBy: p.slice(8) };
  const via = g.via?.startsWith("service:") ? g.via.slice(8) : undefined;
  if (p.startsWith("user/")) {
    const name = p.slice(5);
    return {
      type: "IAMUser",
      account: s.account,
      arn: `arn:aws:iam::${s.account}:user/${name}`,
      principalId: `AIDA${stableId(seed, `user:${name}`, 17)}`,
      accessKeyId: `AKIA${stableId(seed, `ak:${name}`, 16)}`,
      userName: name,
      invokedBy: via,
    };
  }
  const roleArn = p.startsWith("arn:") ? p : `arn:aws:iam::${s.account}:role/${p.replace(/^role\//, "")}`;
  const account = roleArn.split(":")[4];
  const name = roleArn.split("/").pop()!;
  const roleId = `AROA${stableId(seed, `role:${name}`, 17)}`;
  const session = via ? `${via.split(".")[0]}-session` : `${name}-session`;
  return {
    type: "AssumedRole",
    account,
    arn: `arn:aws:sts::${account}:assumed-role/${name}/${session}`,
    principalId: `${roleId}:${session}`,
    accessKeyId: `ASIA${stableId(seed, `ak:${roleArn}:${g.name}`, 16)}`,
    roleArn,
    sessionName: session,
    invokedBy: via,
  };
}

function secretIdForm(rng: Rng, arn: string, name: string): string {
  const r = rng.next();
  if (r < 0.4) return arn;
  if (r < 0.75) return name;
  return arn.slice(0, -7); // partial ARN, without the random suffix
}

export function generateTraffic(state: SandboxState, s: ScenarioData, refs: Refs, end: Date): number {
  const seed = String(s.seed);
  let count = 0;
  const days = s.traffic.days;
  for (const g of s.traffic.generators) {
    const rng = new Rng(`${seed}:${g.name}`);
    const [fromAgo, toAgo] = g.days ?? [days - 1, 0];
    const isSecret = g.events.includes("GetSecretValue");
    const secret = isSecret ? [...state.secrets.values()].find((x) => x.arn === refs.secrets.get(g.target)) : undefined;
    const keyArn = isSecret ? undefined : g.target.startsWith("arn:") ? g.target : refs.keys.get(g.target);
    const key = keyArn ? state.keys.get(keyArn) : undefined;
    const region = key?.region ?? secret?.region ?? s.regions[0];
    const account = key?.account ?? secret?.account ?? s.account;
    const resource = resourceRefArn(g.resource, refs, s, region);
    const ec = resource ? encryptionContextFor(resource) : undefined;
    const caller = callerFor(g, s, seed);
    const keyMaterialId = keyArn ? stableId(seed, `km:${keyArn}`, 64, "0123456789abcdef") : undefined;
    const [h0, h1] = g.hours ?? [0, 23];
    const ip = g.sourceIp;
    for (let d = fromAgo; d >= toAgo; d--) {
      const dayStart = Math.floor((end.getTime() - d * DAY) / DAY) * DAY;
      const n = rng.poisson(g.perDay);
      for (let i = 0; i < n; i++) {
        const hour = h0 <= h1 ? h0 + rng.int(h1 - h0 + 1) : (h0 + rng.int(24 - h0 + h1 + 1)) % 24;
        const t = new Date(dayStart + hour * 3_600_000 + rng.int(3_600_000));
        if (t.getTime() > end.getTime()) continue;
        const eventName = rng.pick(g.events);
        const failed = g.errorRate > 0 && rng.next() < g.errorRate;
        const eventId = rng.uuid();
        const requestId = rng.uuid();
        const sourceIp = ip ?? (caller.type === "AWSService" ? undefined : `10.0.${rng.int(4)}.${10 + rng.int(40)}`) ?? "";
        const userAgent = g.userAgent ?? (caller.invokedBy ? caller.invokedBy : "aws-sdk-java/2.25.0 Linux/5.10 OpenJDK_64-Bit_Server_VM/17");
        if (eventName === "GetSecretValue" && secret) {
          const secretId = secretIdForm(rng, secret.arn, secret.name);
          recordEvent(
            state,
            buildRecord({
              time: t,
              caller,
              account,
              region,
              service: "secretsmanager",
              eventName,
              requestParameters: { secretId },
              responseElements: null,
              errorCode: failed ? "AccessDenied" : undefined,
              errorMessage: failed
                ? `User: ${caller.arn || caller.invokedBy} is not authorized to perform: secretsmanager:GetSecretValue on resource: ${secretId} because no resource-based policy allows the secretsmanager:GetSecretValue action`
                : undefined,
              requestId,
              eventId,
              sourceIp,
              userAgent,
            }),
          );
          count++;
          // Secrets Manager decrypts with the secret's key on the caller's behalf.
          if (!failed && secret.kmsKeyId) {
            const sk = state.keys.get(secret.kmsKeyId) ?? [...state.keys.values()].find((k) => k.id === secret.kmsKeyId);
            if (sk) {
              recordEvent(
                state,
                buildRecord({
                  time: new Date(t.getTime() + 30),
                  caller: { ...caller, invokedBy: "secretsmanager.amazonaws.com" },
                  account,
                  region,
                  service: "kms",
                  eventName: "Decrypt",
                  requestParameters: { encryptionAlgorithm: "SYMMETRIC_DEFAULT", encryptionContext: { SecretARN: secret.arn, SecretVersionId: secret.versionId } },
                  responseElements: null,
                  requestId: rng.uuid(),
                  eventId: rng.uuid(),
                  sourceIp: "secretsmanager.amazonaws.com",
                  userAgent: "secretsmanager.amazonaws.com",
                  resources: [{ accountId: sk.account, type: "AWS::KMS::Key", ARN: sk.arn }],
                }),
              );
              count++;
            }
          }
          continue;
        }
        if (!keyArn) continue;
        const who = caller.arn || caller.invokedBy || "";
        const accessDenied = failed && g.errorCode === "AccessDenied";
        const errorCode = failed ? (g.errorCode === "AccessDenied" ? "AccessDenied" : g.errorCode) : undefined;
        const errorMessage = !failed
          ? undefined
          : g.errorCode === "AccessDenied"
            ? `User: ${who} is not authorized to perform: kms:${eventName} on resource: ${keyArn} because no resource-based policy allows the kms:${eventName} action`
            : g.errorCode === "DisabledException"
              ? `${keyArn} is disabled.`
              : `${keyArn} is pending deletion.`;
        const params: Record<string, unknown> | null =
          accessDenied && eventName === "Decrypt"
            ? null
            : eventName === "Decrypt"
              ? { encryptionAlgorithm: "SYMMETRIC_DEFAULT", ...(ec ? { encryptionContext: ec } : {}) }
              : eventName === "DescribeKey"
                ? { keyId: keyArn }
                : { keyId: keyArn, ...(eventName.startsWith("GenerateDataKey") ? { keySpec: "AES_256" } : {}), ...(ec ? { encryptionContext: ec } : {}) };
        recordEvent(
          state,
          buildRecord({
            time: t,
            caller,
            account,
            region,
            service: "kms",
            eventName,
            requestParameters: params,
            responseElements: null,
            errorCode,
            errorMessage,
            requestId,
            eventId,
            sourceIp,
            userAgent,
            resources: accessDenied && eventName === "Decrypt" ? undefined : [{ accountId: account, type: "AWS::KMS::Key", ARN: keyArn }],
            additionalEventData: eventName === "Decrypt" || eventName.startsWith("GenerateDataKey") ? { keyMaterialId } : undefined,
          }),
        );
        count++;
      }
    }
  }
  return count;
}
