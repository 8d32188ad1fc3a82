// The setup wizard's request and plan, shared by the server routes, the CLI and the browser.
// A request says what to create; the plan is every AWS call that will make it so, in order,
// with what undoes each one.
import { z } from "zod";

import { isKnown, kindOf } from "../inventory/kinds";
import type { CreateRecipe } from "../inventory/kinds/kind";

/** The flows written by hand (their plans in lib/setup/plan.ts). */
export const CUSTOM_FLOWS = ["agent", "memory", "recommendation", "credential-provider", "token-vault", "gateway"] as const;
/** The flows built from a kind's creation recipe (its descriptor's `setup.create`): the flow is named as the kind. */
export const RECIPE_FLOWS = [
  "bedrock-flow",
  "bedrock-prompt",
  "bedrock-guardrail",
  "agentcore-policy-engine",
  "agentcore-dataset",
  "agentcore-configuration-bundle",
  "agentcore-payment-manager",
] as const;
export const FLOWS = [...CUSTOM_FLOWS, ...RECIPE_FLOWS] as const;
export type Flow = (typeof FLOWS)[number];
export type RecipeFlow = (typeof RECIPE_FLOWS)[number];
export type CustomFlow = (typeof CUSTOM_FLOWS)[number];

export function isRecipeFlow(f: Flow): f is RecipeFlow {
  return (RECIPE_FLOWS as readonly string[]).includes(f);
}

/** The creation recipe of a recipe flow's kind. */
export function recipeOf(f: RecipeFlow): CreateRecipe {
  const setup = kindOf(f).setup;
  if (!isKnown(setup) || !setup.create) throw new Error(`the kind ${f} has no creation recipe`);
  return setup.create;
}

const fromRecipes = <T>(pick: (r: CreateRecipe, f: RecipeFlow) => T) => Object.fromEntries(RECIPE_FLOWS.map((f) => [f, pick(recipeOf(f), f)])) as Record<RecipeFlow, T>;

export const FLOW_LABELS: Record<Flow, string> = {
  agent: "Bedrock agent",
  memory: "AgentCore memory",
  recommendation: "AgentCore recommendation",
  "credential-provider": "Credential provider on an existing secret",
  "token-vault": "Token vault key",
  gateway: "AgentCore gateway",
  ...fromRecipes((_r, f) => kindOf(f).label),
};

export const FLOW_HELP: Record<Flow, string> = {
  agent: "A new Bedrock agent whose session data is encrypted with a customer managed key, or an existing agent moved to one (UpdateAgent can change the key).",
  memory: "A new AgentCore memory encrypted with a customer managed key. A memory's key cannot be changed: to move an existing memory, replace it.",
  recommendation: "An AgentCore recommendation job whose results are encrypted with a customer managed key (StartRecommendation with kmsKeyArn).",
  "credential-provider":
    "An AgentCore Identity API-key credential provider reading an existing Secrets Manager secret (secret ARN + JSON key). The secret's key and resource policy must let the identity role read it; the value is never read here.",
  "token-vault": "The AgentCore Identity token vault of the region encrypted with a customer managed key (SetTokenVaultCMK).",
  gateway: "A new AgentCore gateway encrypted with a customer managed key; its service role uses the key through AgentCore.",
  ...fromRecipes((r) => r.help),
};

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const ACCOUNT = /^\d{12}$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[a-zA-Z0-9-]{1,64}$/;
const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@!-]{1,512}$/;

export const NAME_RULES: Record<Flow, { re: RegExp; text: string }> = {
  agent: { re: /^([0-9a-zA-Z][_-]?){1,100}$/, text: "letters, digits, single _ or - between them, up to 100" },
  memory: { re: /^[a-zA-Z][a-zA-Z0-9_]{0,47}$/, text: "a letter, then letters, digits or _, up to 48" },
  recommendation: { re: /^[a-zA-Z0-9][a-zA-Z0-9_-]{0,99}$/, text: "letters, digits, _ or -, up to 100" },
  "credential-provider": { re: /^[a-zA-Z0-9\-_]{1,128}$/, text: "letters, digits, - or _, up to 128" },
  "token-vault": { re: /^default$/, text: 'the token vault is named "default"' },
  gateway: { re: /^([0-9a-zA-Z][-]?){1,100}$/, text: "letters, digits, single - between them, up to 100" },
  ...fromRecipes((r) => r.name),
};

const newKeySchema = z.object({
  mode: z.literal("new"),
  alias: z
    .string()
    .regex(/^alias\/[a-zA-Z0-9/_-]{1,250}$/, "an alias starts with alias/ and then letters, digits, /, _ or -")
    .refine((a) => !a.startsWith("alias/aws/"), "alias/aws/ is reserved for AWS managed keys")
    .optional(),
  description: z.string().max(8192).optional(),
  tags: z.record(z.string().min(1).max(128), z.string().max(256)).default({}),
  rotation: z.boolean().default(true),
  /** Days a rolled-back key waits before deletion (7-30). */
  deletionWindowDays: z.number().int().min(7).max(30).default(30),
});

const existingKeySchema = z.object({
  mode: z.literal("existing"),
  arn: z.string().regex(KEY_ARN, "a key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID)"),
  /** Write the edited policy (the key's policy with the template statements added) to the key. */
  updatePolicy: z.boolean().default(false),
});

export const setupRequestSchema = z
  .object({
    flow: z.enum(FLOWS),
    account: z.string().regex(ACCOUNT, "a 12-digit account id").optional(),
    region: z.string().regex(REGION, "a region such as us-east-1"),
    name: z.string().trim().min(1, "A name is needed.").max(128),
    description: z.string().max(200).optional(),
    /** create: a new resource; update: an existing agent's key; replace: a new memory with an existing one's strategies. */
    mode: z.enum(["create", "update", "replace"]).default("create"),
    /** The agent id (update) or memory id (replace). */
    existing: z.string().min(1).max(256).optional(),
    /** The resource's key. The credential-provider flow takes its secret's key instead. */
    key: z.discriminatedUnion("mode", [newKeySchema, existingKeySchema]).optional(),
    role: z.string().regex(ROLE_ARN, "a role ARN (arn:aws:iam::ACCOUNT:role/NAME)").optional(),
    secret: z.object({ arn: z.string().regex(SECRET_ARN, "a secret ARN (arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME)"), jsonKey: z.string().min(1).max(256) }).optional(),
    /** Credential provider: add the missing statements to the secret's key policy / resource policy. */
    fixSecret: z.object({ keyPolicy: z.boolean().default(false), resourcePolicy: z.boolean().default(false) }).default({ keyPolicy: false, resourcePolicy: false }),
    /** The key policy as edited in the Policy step; absent = the generated one. */
    policy: z.string().max(32768).optional(),
    foundationModel: z.string().min(1).max(2048).default("anthropic.claude-3-haiku-20240307-v1:0"),
    eventExpiryDays: z.number().int().min(3).max(365).default(90),
    systemPrompt: z.string().max(4000).default("You are a helpful assistant."),
  })
  .strict()
  .superRefine((r, ctx) => {
    const need = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    if (r.name && !NAME_RULES[r.flow].re.test(r.name)) need("name", `Name: ${NAME_RULES[r.flow].text}.`);
    if (r.mode === "update" && r.flow !== "agent") need("mode", "Only an agent's key can be changed in place.");
    if (r.mode === "replace" && r.flow !== "memory") need("mode", "Only a memory is replaced (its key cannot be changed in place).");
    if (r.mode !== "create" && !r.existing) need("existing", r.flow === "agent" ? "Choose the agent to update." : "Choose the memory to replace.");
    if ((r.flow === "agent" && r.mode === "create") || r.flow === "gateway" || r.flow === "recommendation" || r.flow === "credential-provider") {
      if (!r.role)
        need(
          "role",
          {
            agent: "Needed: the agent's service role ARN.",
            gateway: "Needed: the gateway's service role ARN.",
            recommendation: "Needed: the ARN of the role that starts recommendations.",
            "credential-provider": "Needed: the ARN of the role AgentCore Identity reads the secret with.",
          }[r.flow as "agent"] ?? "A role ARN.",
        );
    }
    if (isRecipeFlow(r.flow) && recipeOf(r.flow).role && !r.role) need("role", `Needed: the ${recipeOf(r.flow).role!.label.toLowerCase()} ARN.`);
    if (r.flow !== "credential-provider" && !r.key) need("key", "A new key, or an existing key's ARN.");
    if (r.flow === "credential-provider" && r.key) need("key", "The credential provider uses its secret's key; do not give one.");
    if (r.flow === "credential-provider" && !r.secret) need("secret", "Choose the secret and the JSON key that holds the API key.");
    if (r.flow !== "credential-provider" && r.secret) need("secret", "Only the credential-provider flow takes a secret.");
    if (r.secret && r.secret.arn.split(":")[3] !== r.region)
      need("secret", `The secret is in ${r.secret.arn.split(":")[3]}; AgentCore Identity only reads secrets in its own region (${r.region}).`);
    if (r.key?.mode === "existing" && r.key.arn.split(":")[3] !== r.region)
      need("key", `The key is in ${r.key.arn.split(":")[3]}; the resource is in ${r.region}: a key must be in the resource's region.`);
    if (r.role && r.account && r.role.split(":")[4] !== r.account) need("role", "The role must be in the resource's account.");
  });

export type SetupRequest = z.infer<typeof setupRequestSchema>;
export type SetupRequestInput = z.input<typeof setupRequestSchema>;

export type ServiceName = "kms" | "bedrock" | "bedrock-agent" | "bedrock-agentcore-control" | "bedrock-agentcore" | "secretsmanager";

/** `{{step.path}}` in a string parameter is replaced by an earlier step's output at apply time. */
export interface PlanCall {
  service: ServiceName;
  operation: string;
  params: Record<string, unknown>;
  /** The IAM action the operator needs. */
  permission: string;
}

export interface PlanStep extends PlanCall {
  id: string;
  title: string;
  /** What the step leaves behind, for the rollback and the Check step. */
  creates?: "key" | "alias" | "agent" | "memory" | "recommendation" | "gateway" | "credential-provider" | "resource";
  /** Outputs later steps use: name -> path in the response. */
  outputs?: Record<string, string>;
  /** Undoes the step (absent: nothing to undo). Its params may use this step's outputs. */
  rollback?: PlanCall & { title: string };
  /** Checked before the call: the live policy must still be the one the plan was built on (sha256). */
  expect?: { basedOn: string };
  /** Where CloudFormation / Terraform cannot express it: said in the export. */
  iacGap?: string;
}

export type LintLevel = "error" | "warning" | "info";
export interface LintItem {
  level: LintLevel;
  message: string;
  /** The rule or check that said it. */
  source: string;
}

export interface KeyChoice {
  arn: string;
  alias?: string;
  description?: string;
  region?: string;
  spec?: string;
  state?: string;
  manager?: string;
  /** Why it cannot be chosen (absent = it can). */
  disabled?: string;
  /** The current policy does not let the service use it: choosable only with "add the template statements". */
  needsPolicy?: string;
}

export interface SetupPlan {
  id: string;
  flow: Flow;
  account: string;
  region: string;
  request: SetupRequest;
  /** The key policy the plan writes (new key, or an existing key's updated policy). */
  policy?: string;
  /** The key policy as generated from the template, before edits. */
  generatedPolicy?: string;
  templates: { id: string; title: string; source: string }[];
  lint: LintItem[];
  /** Lint errors that stop the plan (the service could not use the key, invalid policy...). */
  blocked: boolean;
  steps: PlanStep[];
  permissions: string[];
  /** What the operator must still do by hand (e.g. migrating data to a replacement memory). */
  notes: string[];
  /** Set when this is the stored plan of a run that stopped part-way: applying continues that run. */
  resumeOf?: string;
  /** The resource the plan makes, for the Check step: `{{step.output}}` until applied. */
  resource: { kind: string; arn: string; name: string };
}

export type StepStatus = "pending" | "running" | "done" | "failed" | "skipped" | "rolled-back" | "rollback-failed";

export interface RunStep {
  id: string;
  title: string;
  status: StepStatus;
  error?: string;
  outputs?: Record<string, string>;
  at?: string;
  rollback?: { status: "done" | "failed"; error?: string; at: string };
}

export interface SetupRun {
  id: string;
  planId: string;
  flow: Flow;
  actor: string;
  status: "running" | "done" | "failed" | "rolling-back" | "rolled-back" | "rollback-failed";
  startedAt: string;
  finishedAt?: string;
  steps: RunStep[];
  /** The created resource's ARN once known. */
  resourceArn?: string;
  /** A key this run created and its rollback scheduled for deletion. */
  pendingDeletion?: { keyArn: string; deletionDate?: string; windowDays: number };
  error?: string;
}

/** Parameters that would carry a secret value: never shown, exported or returned by the API. */
const SECRET_FIELDS = new Set(["apikey", "clientsecret", "secretstring", "secretbinary", "password", "plaintext"]);

export function redactParams<T>(value: T): T {
  if (Array.isArray(value)) return value.map(redactParams) as T;
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_FIELDS.has(k.toLowerCase()) ? "[redacted]" : redactParams(v)])) as T;
  return value;
}

/** The plan as shown and exported: secret-bearing parameters redacted (plans do not carry any; this makes sure). */
export function redactPlan(plan: SetupPlan): SetupPlan {
  return {
    ...plan,
    steps: plan.steps.map((s) => ({ ...s, params: redactParams(s.params), ...(s.rollback ? { rollback: { ...s.rollback, params: redactParams(s.rollback.params) } } : {}) })),
  };
}

export const applyRequestSchema = z
  .object({ request: setupRequestSchema, planId: z.string().regex(/^[a-f0-9]{64}$/), onFailure: z.enum(["rollback", "stop"]).default("rollback") })
  .strict();
export const cancelDeletionSchema = z.object({ keyArn: z.string().regex(KEY_ARN), enable: z.boolean().default(false) }).strict();
export const EXPORT_FORMATS = ["json", "cloudformation", "terraform", "cli"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
