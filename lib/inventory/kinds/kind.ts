// What Keyward knows about one kind of agent resource, in one place: its names, how it is listed
// and read, where its key is, its roles and secrets, the key-policy templates AWS documents for it
// and the access they require, the encryption-context keys and services that tie events to it, what
// breaks when its key goes, the read permissions it needs, and whether the wizard creates it.
//
// A descriptor is plain data and pure functions, safe for the browser: the collector reads AWS
// through the context it is given (the server's, lib/inventory/collect.ts), naming each operation
// with `op()`, so no SDK client is imported here. Missing knowledge is spelled out (`{ none: why }`),
// never left out: the rules then report "not assessed" with that reason.
import type { AccessRequirement } from "../../posture/requirements";
import type { PolicyTemplate, TemplateVariable, Variables } from "../../policy/templates";
import type { Flow } from "../../setup/types.shared";
import type { AgentResource } from "../types.shared";

/** The SDK v3 clients a collector may read through (lib/server/aws/clients.ts). */
export const CLIENTS = {
  bedrock: { iamPrefix: "bedrock", sdk: "@aws-sdk/client-bedrock" },
  bedrockAgent: { iamPrefix: "bedrock", sdk: "@aws-sdk/client-bedrock-agent" },
  agentCoreControl: { iamPrefix: "bedrock-agentcore", sdk: "@aws-sdk/client-bedrock-agentcore-control" },
  agentCore: { iamPrefix: "bedrock-agentcore", sdk: "@aws-sdk/client-bedrock-agentcore" },
} as const;
export type ClientName = keyof typeof CLIENTS;

/** One AWS operation, typed by its input and output (the SDK's `XCommandInput`/`XCommandOutput` types). */
export interface Op<I, O> {
  client: ClientName;
  /** The operation's name: its command is `${name}Command`, its IAM action `${iamPrefix}:${name}`. */
  name: string;
  /** Never set: carries the input and output types. */
  readonly io?: (input: I) => O;
}

export function op<I, O>(client: ClientName, name: string): Op<I, O> {
  return { client, name };
}

/** Any operation, whatever its input and output. */
export type AnyOp = Op<never, unknown>;

/** The IAM action an operation needs. */
export function iamAction(o: AnyOp): string {
  return `${CLIENTS[o.client].iamPrefix}:${o.name}`;
}

/** What a collector reads AWS through (one account and region). Failures are recorded as scan errors. */
export interface CollectContext {
  account: string;
  region: string;
  /** Follows the pagination token through every page; undefined when the first page failed (recorded). */
  list<I, O, T>(o: Op<I, O>, input: (nextToken?: string) => I, page: (out: O) => { items?: T[]; next?: string }): Promise<T[] | undefined>;
  /** One read; undefined when it failed (recorded). */
  get<I, O>(o: Op<I, O>, input: I): Promise<O | undefined>;
  /** One read whose failure the record keeps (e.g. as its keyReadError); still recorded as a scan error. */
  attempt<I, O>(o: Op<I, O>, input: I): Promise<{ ok: true; value: O } | { ok: false; code: string; message: string }>;
  /** Reads each listed item into a record, 16 at once, reporting each as soon as it is read; undefined results are left out. */
  each<T>(items: readonly T[], read: (item: T) => Promise<AgentResource | undefined>): Promise<AgentResource[]>;
  /** The previous scan's record for an ARN when the listing says it has not changed since. */
  unchanged(arn: string | undefined, updatedAt: Date | undefined): AgentResource | undefined;
  /** Reports a record read without `each` (a singleton such as the token vault). */
  found(r: AgentResource): void;
  /** A child kind's parents of this account and region, as their own collector read them. */
  parents: AgentResource[];
}

/** Knowledge Keyward does not have, with the reason (shown wherever it would have been used). */
export interface Unknown {
  none: string;
}

export function isKnown<T extends object>(x: T | Unknown): x is T {
  return !("none" in x);
}

export interface KindDescriptor<Id extends string = string> {
  id: Id;
  /** As a label: "AgentCore memory". */
  label: string;
  /** In running text, one and many: ["knowledge base", "knowledge bases"]. */
  text: readonly [string, string];
  /** The service named in scan errors ("Bedrock Agents", "AgentCore"). */
  service: string;
  /** The service in the resource's ARN (arn:aws:SERVICE:...). */
  arnService: string;
  /** The AWS page that documents the resource's encryption. */
  doc: { title: string; url: string };
  /** The kind whose listing a child kind builds on (a knowledge base's data sources). */
  parent?: string;
  /** Every operation the collector calls: the kind's read permissions (docs/iam-policy.json). */
  reads: AnyOp[];
  collect(ctx: CollectContext): Promise<AgentResource[]>;
  /**
   * The resource's own customer managed key: where the API shows it and how to set one (the
   * KW-ENC-01 remediation), or why the kind has none (credential providers use their secret's key).
   */
  key: { field: string; remediation: string } | Unknown;
  /** Its roles: where the API names them, and whether the role itself must be allowed to use the key by its identity policy (KW-IAM-02). */
  roles: { field: string; keyInIdentityPolicy: boolean } | Unknown;
  /** The Secrets Manager secrets it reads (their key and resource policy are checked, their value never read). */
  secrets: { field: string } | Unknown;
  /**
   * The key-policy (or secret-policy) templates AWS documents for it, the variables the resource
   * fills in, and what the templates require of the key (KW-POL-01, KW-IAM-02, the access checks).
   * `templates` are given the kind's templates chosen for the resource (by creation date).
   */
  policy:
    | {
        templates: string[];
        variables(r: AgentResource, known: { identityRole?: string; callerRole?: string }): Variables;
        requirements(r: AgentResource, templates: PolicyTemplate[]): AccessRequirement[];
      }
    | Unknown;
  /** What ties a KMS or Secrets Manager event to it: encryption-context keys naming its ARN, and the services that call for it. */
  correlation: { contextKeys: string[]; services: string[] };
  /** What breaks when its key is disabled, scheduled for deletion or unusable. */
  impact: string;
  /**
   * AWS Config's record of the kind, where Config records it with every field the collector reads:
   * the resource type, the fields used, and the record built from a configuration item. Where a
   * Config-recorded account and region holds none of the type, the collector still lists it.
   */
  config: { type: string; fields: string; fromItem(ci: ConfigItem): AgentResource | undefined } | Unknown;
  /**
   * The setup wizard's flow that creates it, or why there is none. A kind whose creation needs no more
   * than a name, the key (and a role) gives the recipe; the wizard builds its flow from it.
   */
  setup: { flow: Flow; create?: CreateRecipe } | Unknown;
}

/** One configuration item from an AWS Config advanced query (the fields Keyward selects). */
export interface ConfigItem {
  accountId: string;
  awsRegion: string;
  resourceType: string;
  resourceId: string;
  resourceName?: string;
  arn?: string;
  configurationItemCaptureTime?: string;
  configurationItemStatus?: string;
  configuration: Record<string, unknown>;
  supplementaryConfiguration?: Record<string, unknown>;
  tags?: { key?: string; value?: string }[];
}

/** A string field of a configuration item, or undefined. */
export function ciString(v: unknown): string | undefined {
  return typeof v === "string" && v ? v : undefined;
}

/** A date field of a configuration item (ISO text or epoch) as ISO text, or undefined. */
export function ciDate(v: unknown): string | undefined {
  if (typeof v !== "string" && typeof v !== "number") return undefined;
  const d = new Date(typeof v === "number" && v < 1e11 ? v * 1000 : v);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** How the wizard creates a resource of a kind with its key: one call, undone by one call. */
export interface CreateRecipe {
  service: "bedrock" | "bedrock-agent" | "bedrock-agentcore-control";
  operation: string;
  /** What the flow does, for the wizard's list. */
  help: string;
  /** The names the service accepts. */
  name: { re: RegExp; text: string };
  /** A role the resource needs, with the wizard's label for it. */
  role?: { label: string };
  params(x: { name: string; description?: string; keyRef: string; role?: string; token: string }): Record<string, unknown>;
  /** Where the response holds the new resource's id and ARN. */
  outputs: { id: string; arn: string };
  /**
   * The template variable naming the new resource's id, where a required template statement names it:
   * the plan creates the resource first (its key starting with the account-root statement), then
   * writes the key policy with the id AWS assigned.
   */
  idVariable?: TemplateVariable;
  /** The call that deletes it; `{{resource.id}}` is the id the creation returned. */
  rollback: { operation: string; params: Record<string, string> };
  /** The ARN it will have, for the policy lint before it exists. */
  plannedArn(region: string, account: string, name: string): string;
}

/** The variables every resource determines: its region, account and key id. */
export function baseVariables(r: AgentResource): Variables {
  const vars: Variables = { region: r.region, "account-id": r.account };
  if (r.keyArn?.includes(":key/")) vars["key-id"] = r.keyArn.slice(r.keyArn.indexOf(":key/") + 5);
  return vars;
}

export function roleName(arn: string | undefined): string | undefined {
  return arn && arn.includes(":role/") ? arn.slice(arn.indexOf(":role/") + 6) : undefined;
}

export function iso(d: Date | undefined): string | undefined {
  return d ? d.toISOString() : undefined;
}

/** What every request of a key made for a resource by its service carries (AgentCore's scoping conditions). */
export function sourceContext(r: AgentResource): Record<string, string> {
  return { "aws:SourceAccount": r.account, "aws:SourceArn": r.arn, "kms:CallerAccount": r.account };
}
