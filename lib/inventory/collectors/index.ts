import "server-only";

// Every collector, registered once: adding a resource kind is one file and one line here.
import type { Collector } from "../context";

import { agentCoreGateways } from "./agentcore-gateways";
import { agentCoreMemories } from "./agentcore-memories";
import { agentCoreRecommendations } from "./agentcore-recommendations";
import { bedrockAgents } from "./bedrock-agents";
import { apiKeyCredentialProviders, oauth2CredentialProviders } from "./credential-providers";
import { knowledgeBases } from "./knowledge-bases";
import { tokenVaults } from "./token-vault";

export const COLLECTORS: Collector[] = [
  bedrockAgents,
  knowledgeBases,
  agentCoreMemories,
  agentCoreRecommendations,
  agentCoreGateways,
  oauth2CredentialProviders,
  apiKeyCredentialProviders,
  tokenVaults,
];
