// Amazon Bedrock Agents (control plane): agents with an optional customer managed key, and
// knowledge bases. A CMK is accepted only when its policy lets Bedrock use it for the agent.
import { randomUUID } from "node:crypto";

import { AwsError, requireStr, str, type CallContext, type ServiceHandlers } from "../core";
import { stableId } from "../rng";
import type { Agent } from "../state";

import { checkAgentKey, keyForResource } from "./agent-keys";
import { offsetPage } from "./paging";

function agentShape(a: Agent) {
  return {
    agentId: a.agentId,
    agentName: a.agentName,
    agentArn: a.agentArn,
    agentVersion: a.agentVersion,
    agentStatus: a.agentStatus,
    idleSessionTTLInSeconds: a.idleSessionTTLInSeconds,
    agentResourceRoleArn: a.agentResourceRoleArn,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
    clientToken: a.clientToken,
    instruction: a.instruction || undefined,
    foundationModel: a.foundationModel,
    description: a.description || undefined,
    orchestrationType: "DEFAULT",
    customerEncryptionKeyArn: a.customerEncryptionKeyArn,
    preparedAt: a.preparedAt,
  };
}

function findAgent(ctx: CallContext, id: string): Agent {
  for (const a of ctx.state.agents.values()) if (a.agentId === id && a.region === ctx.region && a.account === ctx.account) return a;
  throw new AwsError("ResourceNotFoundException", `Agent ${id} not found.`, 404);
}

function pageOf<T>(items: T[], input: Record<string, unknown>): { items: T[]; nextToken?: string } {
  const max = (input.maxResults as number | undefined) ?? 10;
  if (max < 1 || max > 1000) throw new AwsError("ValidationException", "maxResults must be between 1 and 1000.");
  const p = offsetPage(items, str(input, "nextToken"), max, new AwsError("ValidationException", "Invalid nextToken."));
  return { items: p.items, nextToken: p.next };
}

async function validateAgentInput(ctx: CallContext, input: Record<string, unknown>, agentArn: string): Promise<void> {
  const role = str(input, "agentResourceRoleArn");
  if (role && !/^arn:aws:iam::\d{12}:role\/.+/.test(role)) throw new AwsError("ValidationException", "agentResourceRoleArn must be an IAM role ARN.");
  const keyArn = str(input, "customerEncryptionKeyArn");
  if (keyArn) {
    const key = keyForResource(ctx, keyArn, "agent");
    await checkAgentKey(ctx, key, agentArn);
    ctx.trail.keyArn = key.arn;
  }
}

export const bedrockAgentHandlers: ServiceHandlers = {
  ListAgents(ctx, input) {
    const agents = [...ctx.state.agents.values()].filter((a) => a.region === ctx.region && a.account === ctx.account).sort((a, b) => a.agentName.localeCompare(b.agentName));
    const p = pageOf(agents, input);
    return {
      agentSummaries: p.items.map((a) => ({
        agentId: a.agentId,
        agentName: a.agentName,
        agentStatus: a.agentStatus,
        updatedAt: a.updatedAt,
        description: a.description || undefined,
        latestAgentVersion: "1",
      })),
      nextToken: p.nextToken,
    };
  },
  GetAgent(ctx, input) {
    return { agent: agentShape(findAgent(ctx, requireStr(input, "agentId"))) };
  },
  async CreateAgent(ctx, input) {
    const name = requireStr(input, "agentName");
    if (!/^([0-9a-zA-Z][_-]?){1,100}$/.test(name)) throw new AwsError("ValidationException", "agentName must match ([0-9a-zA-Z][_-]?){1,100}.");
    const token = str(input, "clientToken");
    if (token) {
      const prev = ctx.state.clientTokens.get(`CreateAgent:${token}`);
      const existing = prev ? ctx.state.agents.get(prev) : undefined;
      if (existing) return { agent: agentShape(existing) };
    }
    if ([...ctx.state.agents.values()].some((a) => a.agentName === name && a.region === ctx.region && a.account === ctx.account)) {
      throw new AwsError("ConflictException", `An agent named ${name} already exists.`, 409);
    }
    const agentId = stableId(randomUUID(), "agent", 10);
    const agentArn = `arn:aws:bedrock:${ctx.region}:${ctx.account}:agent/${agentId}`;
    await validateAgentInput(ctx, input, agentArn);
    const agent: Agent = {
      agentId,
      agentName: name,
      agentArn,
      account: ctx.account,
      region: ctx.region,
      agentStatus: "NOT_PREPARED",
      agentVersion: "DRAFT",
      customerEncryptionKeyArn: str(input, "customerEncryptionKeyArn"),
      agentResourceRoleArn: str(input, "agentResourceRoleArn") ?? `arn:aws:iam::${ctx.account}:role/service-role/AmazonBedrockExecutionRoleForAgents_${agentId}`,
      foundationModel: str(input, "foundationModel") ?? "",
      instruction: str(input, "instruction") ?? "",
      description: str(input, "description") ?? "",
      idleSessionTTLInSeconds: (input.idleSessionTTLInSeconds as number | undefined) ?? 600,
      createdAt: ctx.now,
      updatedAt: ctx.now,
      tags: (input.tags as Record<string, string> | undefined) ?? {},
      clientToken: token,
    };
    ctx.state.agents.set(agentArn, agent);
    if (token) ctx.state.clientTokens.set(`CreateAgent:${token}`, agentArn);
    ctx.trail.resources = [{ accountId: ctx.account, type: "AWS::Bedrock::Agent", ARN: agentArn }];
    return { agent: agentShape(agent) };
  },
  async UpdateAgent(ctx, input) {
    const agent = findAgent(ctx, requireStr(input, "agentId"));
    await validateAgentInput(ctx, input, agent.agentArn);
    agent.agentName = requireStr(input, "agentName");
    agent.foundationModel = requireStr(input, "foundationModel");
    agent.agentResourceRoleArn = requireStr(input, "agentResourceRoleArn");
    agent.customerEncryptionKeyArn = str(input, "customerEncryptionKeyArn");
    if (input.instruction !== undefined) agent.instruction = String(input.instruction);
    if (input.description !== undefined) agent.description = String(input.description);
    agent.agentStatus = "NOT_PREPARED";
    agent.updatedAt = ctx.now;
    ctx.trail.resources = [{ accountId: ctx.account, type: "AWS::Bedrock::Agent", ARN: agent.agentArn }];
    return { agent: agentShape(agent) };
  },
  DeleteAgent(ctx, input) {
    const agent = findAgent(ctx, requireStr(input, "agentId"));
    ctx.state.agents.delete(agent.agentArn);
    return { agentId: agent.agentId, agentStatus: "DELETING" };
  },
  ListKnowledgeBases(ctx, input) {
    const kbs = [...ctx.state.knowledgeBases.values()].filter((k) => k.region === ctx.region && k.account === ctx.account);
    const p = pageOf(kbs, input);
    return {
      knowledgeBaseSummaries: p.items.map((k) => ({
        knowledgeBaseId: k.knowledgeBaseId,
        name: k.name,
        status: k.status,
        updatedAt: k.updatedAt,
        description: k.description || undefined,
      })),
      nextToken: p.nextToken,
    };
  },
  GetKnowledgeBase(ctx, input) {
    const id = requireStr(input, "knowledgeBaseId");
    const kb = [...ctx.state.knowledgeBases.values()].find((k) => k.knowledgeBaseId === id && k.region === ctx.region);
    if (!kb) throw new AwsError("ResourceNotFoundException", `Knowledge base ${id} not found.`, 404);
    return {
      knowledgeBase: {
        knowledgeBaseId: kb.knowledgeBaseId,
        name: kb.name,
        knowledgeBaseArn: kb.knowledgeBaseArn,
        roleArn: kb.roleArn,
        description: kb.description || undefined,
        knowledgeBaseConfiguration: {
          type: "VECTOR",
          vectorKnowledgeBaseConfiguration: { embeddingModelArn: `arn:aws:bedrock:${kb.region}::foundation-model/amazon.titan-embed-text-v2:0` },
        },
        storageConfiguration: {
          type: "OPENSEARCH_SERVERLESS",
          opensearchServerlessConfiguration: {
            collectionArn: `arn:aws:aoss:${kb.region}:${kb.account}:collection/${kb.knowledgeBaseId.toLowerCase()}`,
            vectorIndexName: "kb-index",
            fieldMapping: { vectorField: "vector", textField: "text", metadataField: "metadata" },
          },
        },
        status: kb.status,
        createdAt: kb.createdAt,
        updatedAt: kb.updatedAt,
      },
    };
  },
};
