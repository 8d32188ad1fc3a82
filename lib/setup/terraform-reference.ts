// The Terraform AWS provider resource types and arguments the Terraform export may use, each with
// the provider documentation page it was taken from (hashicorp/aws, version 6.18 or later, where the
// Bedrock AgentCore resources exist). The export tests parse the HCL and check every resource type,
// argument and nested block against this list.
export interface TerraformResourceRef {
  source: string;
  arguments: string[];
  blocks?: Record<string, string[]>;
}

const DOCS = "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources";

export const TERRAFORM_RESOURCES: Record<string, TerraformResourceRef> = {
  aws_kms_key: {
    source: `${DOCS}/kms_key`,
    arguments: [
      "description",
      "key_usage",
      "custom_key_store_id",
      "customer_master_key_spec",
      "policy",
      "bypass_policy_lockout_safety_check",
      "deletion_window_in_days",
      "is_enabled",
      "enable_key_rotation",
      "rotation_period_in_days",
      "multi_region",
      "tags",
      "xks_key_id",
      "region",
    ],
  },
  aws_kms_alias: { source: `${DOCS}/kms_alias`, arguments: ["name", "name_prefix", "target_key_id", "region"] },
  aws_kms_key_policy: { source: `${DOCS}/kms_key_policy`, arguments: ["key_id", "policy", "bypass_policy_lockout_safety_check", "region"] },
  aws_bedrockagent_agent: {
    source: `${DOCS}/bedrockagent_agent`,
    arguments: [
      "agent_name",
      "agent_resource_role_arn",
      "foundation_model",
      "agent_collaboration",
      "customer_encryption_key_arn",
      "description",
      "guardrail_configuration",
      "idle_session_ttl_in_seconds",
      "instruction",
      "memory_configuration",
      "prepare_agent",
      "prompt_override_configuration",
      "skip_resource_in_use_check",
      "tags",
      "region",
    ],
  },
  aws_bedrockagentcore_memory: {
    source: `${DOCS}/bedrockagentcore_memory`,
    arguments: ["name", "event_expiry_duration", "description", "encryption_key_arn", "memory_execution_role_arn", "client_token", "tags", "region"],
  },
  aws_bedrockagentcore_memory_strategy: {
    source: `${DOCS}/bedrockagentcore_memory_strategy`,
    arguments: ["memory_id", "name", "type", "namespaces", "description", "memory_execution_role_arn", "region"],
    blocks: { configuration: ["type"] },
  },
  aws_bedrockagentcore_gateway: {
    source: `${DOCS}/bedrockagentcore_gateway`,
    arguments: ["name", "role_arn", "authorizer_type", "protocol_type", "description", "exception_level", "kms_key_arn", "tags", "region"],
    blocks: { authorizer_configuration: [], protocol_configuration: [], interceptor_configuration: [] },
  },
  aws_bedrockagentcore_api_key_credential_provider: {
    source: `${DOCS}/bedrockagentcore_api_key_credential_provider`,
    arguments: ["name", "api_key", "api_key_wo", "api_key_wo_version", "api_key_secret_source", "tags", "region"],
    blocks: { api_key_secret_config: ["secret_id", "json_key"] },
  },
  aws_bedrockagentcore_token_vault_cmk: {
    source: `${DOCS}/bedrockagentcore_token_vault_cmk`,
    arguments: ["token_vault_id", "region"],
    blocks: { kms_configuration: ["key_type", "kms_key_arn"] },
  },
  aws_secretsmanager_secret_policy: { source: `${DOCS}/secretsmanager_secret_policy`, arguments: ["secret_arn", "policy", "block_public_policy", "region"] },
};
