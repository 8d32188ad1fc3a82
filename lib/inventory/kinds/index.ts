// Every kind of agent resource Keyward reads, registered once. Adding a kind is one file in this
// folder, one line in KINDS, and the sandbox's operations for it (docs/architecture.md). Every
// other table — the kind list and labels, the rules' kinds, the requirements, the template
// variables, the correlation keys, the impact text, the read permissions, the wizard's flows —
// is derived from these descriptors.
import { agentCoreConfigurationBundle } from "./agentcore-configuration-bundle";
import { agentCoreDataset } from "./agentcore-dataset";
import { agentCoreEvaluator } from "./agentcore-evaluator";
import { agentCoreGateway } from "./agentcore-gateway";
import { agentCoreMemory } from "./agentcore-memory";
import { agentCorePaymentManager } from "./agentcore-payment-manager";
import { agentCorePolicyEngine } from "./agentcore-policy-engine";
import { agentCoreRecommendation } from "./agentcore-recommendation";
import { bedrockAgent } from "./bedrock-agent";
import { bedrockFlow } from "./bedrock-flow";
import { bedrockGuardrail } from "./bedrock-guardrail";
import { bedrockPrompt } from "./bedrock-prompt";
import { apiKeyCredentialProvider, oauth2CredentialProvider } from "./credential-providers";
import { isKnown, type KindDescriptor } from "./kind";
import { knowledgeBase } from "./knowledge-base";
import { knowledgeBaseDataSource } from "./knowledge-base-data-source";
import { tokenVault } from "./token-vault";

/** The kinds, in the order the console lists them and the scan collects them (a child after its parent). */
export const KINDS = [
  bedrockAgent,
  knowledgeBase,
  knowledgeBaseDataSource,
  bedrockFlow,
  bedrockPrompt,
  bedrockGuardrail,
  agentCoreMemory,
  agentCoreRecommendation,
  agentCoreGateway,
  agentCorePolicyEngine,
  agentCoreEvaluator,
  agentCoreDataset,
  agentCoreConfigurationBundle,
  agentCorePaymentManager,
  oauth2CredentialProvider,
  apiKeyCredentialProvider,
  tokenVault,
] as const;

export type ResourceKind = (typeof KINDS)[number]["id"];

export const RESOURCE_KINDS: readonly ResourceKind[] = KINDS.map((k) => k.id);

const BY_ID = new Map<string, KindDescriptor>(KINDS.map((k) => [k.id, k]));

/** The descriptor of a kind. */
export function kindOf(kind: ResourceKind): KindDescriptor<ResourceKind> {
  return BY_ID.get(kind)! as KindDescriptor<ResourceKind>;
}

/** The kinds for which a predicate on their descriptor holds, in registry order. */
export function kindsWhere(pred: (k: KindDescriptor) => boolean): ResourceKind[] {
  return KINDS.filter((k) => pred(k)).map((k) => k.id);
}

/** Kinds with a customer managed key of their own (the key rules apply to them). */
export const KEYED_KINDS: ResourceKind[] = kindsWhere((k) => isKnown(k.key));
/** Kinds that read Secrets Manager secrets (the secret rules apply to them). */
export const SECRET_KINDS: ResourceKind[] = kindsWhere((k) => isKnown(k.secrets));

export { isKnown, type KindDescriptor } from "./kind";
