// The documented policy templates (templates.json, validated here) and their resolution: variables
// filled in from a resource or from the command line; what cannot be resolved stays an open
// `${placeholder}`, never a guess.
import { z } from "zod";

import { isKnown, kindOf, KINDS, type ResourceKind } from "../../inventory/kinds";
import type { AgentResource } from "../../inventory/types.shared";

import data from "./templates.json";

export const TEMPLATE_VARIABLES = ["region", "account-id", "agent-id", "key-id", "role", "gateway-id", "flow-id", "evaluator-id", "prompt-id", "caller-role"] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];

const statementSchema = z.object({
  purpose: z.string().min(1),
  /** A statement the page calls for only in some setups: its absence is not a gap. */
  optional: z.boolean().optional(),
  statement: z.record(z.string(), z.unknown()),
});
/** The page a template follows, with its JSON exactly as published and the fixes the template applies, each with its reason. */
const docSchema = z.object({
  title: z.string().min(1),
  url: z.string().url(),
  /** The day the page was read (yyyy-mm-dd). */
  read: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  /** The policy JSON as the page prints it. */
  text: z.string().min(1),
  /** For secret templates: the key policy snippet the page prints. */
  keyText: z.string().optional(),
  /** The example values the page uses for the template's variables. */
  vars: z.record(z.string(), z.string()).optional(),
  fixes: z.array(z.object({ from: z.string().min(1), to: z.string(), why: z.string().min(1) })).default([]),
});
const templateSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  title: z.string(),
  kind: z.enum(["key-policy", "identity-policy", "secret-policy"]),
  source: z.string(),
  note: z.string().optional(),
  variables: z.array(z.enum(TEMPLATE_VARIABLES)),
  statements: z.array(statementSchema).min(1),
  /** Statements the policy of the CMK that encrypts the secret needs (secret-policy templates). */
  keyStatements: z.array(statementSchema).optional(),
  /** Which resources it is for, by creation date (AWS documents different policies before and after a date). */
  appliesWhen: z.object({ createdBefore: z.string().optional(), createdFrom: z.string().optional() }).optional(),
  doc: docSchema,
});
export type PolicyTemplate = z.infer<typeof templateSchema>;
export type TemplateStatement = z.infer<typeof statementSchema>;

export const TEMPLATES: PolicyTemplate[] = z.object({ templates: z.array(templateSchema) }).parse(data).templates;

export function getTemplate(id: string): PolicyTemplate | undefined {
  return TEMPLATES.find((t) => t.id === id);
}

/** `${name}` where name is a template variable; `${aws:...}` IAM policy variables are left alone. */
const PLACEHOLDER = /\$\{([a-z][a-z-]*)\}/g;

export type Variables = Partial<Record<TemplateVariable, string>>;

export interface ResolvedStatement {
  purpose: string;
  optional?: boolean;
  statement: Record<string, unknown>;
}

export interface ResolvedTemplate {
  template: PolicyTemplate;
  variables: Variables;
  statements: ResolvedStatement[];
  keyStatements: ResolvedStatement[];
  /** Variables left as `${name}` because they could not be resolved. */
  open: TemplateVariable[];
}

function fill(value: unknown, vars: Variables, open: Set<string>): unknown {
  if (typeof value === "string")
    return value.replace(PLACEHOLDER, (whole, name: string) => {
      const v = vars[name as TemplateVariable];
      if (v === undefined || v === "") {
        open.add(name);
        return whole;
      }
      return v;
    });
  if (Array.isArray(value)) return value.map((v) => fill(v, vars, open));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [fill(k, vars, open) as string, fill(v, vars, open)]));
  return value;
}

export class TemplateError extends Error {}

/** Fills a template's placeholders. Unknown variable names are an error; missing ones stay open. */
export function resolveTemplate(id: string, vars: Variables): ResolvedTemplate {
  const template = getTemplate(id);
  if (!template) throw new TemplateError(`unknown template "${id}" (known: ${TEMPLATES.map((t) => t.id).join(", ")})`);
  for (const name of Object.keys(vars)) {
    if (!template.variables.includes(name as TemplateVariable)) {
      throw new TemplateError(`template ${id} has no variable "${name}" (its variables: ${template.variables.join(", ")})`);
    }
  }
  const open = new Set<string>();
  const resolve = (s: TemplateStatement): ResolvedStatement => ({
    purpose: s.purpose,
    ...(s.optional ? { optional: true } : {}),
    statement: fill(s.statement, vars, open) as Record<string, unknown>,
  });
  const statements = template.statements.map(resolve);
  const keyStatements = (template.keyStatements ?? []).map(resolve);
  return { template, variables: vars, statements, keyStatements, open: [...open] as TemplateVariable[] };
}

/** The template's statements as one policy document. */
export function templateDocument(t: ResolvedTemplate, which: "statements" | "keyStatements" = "statements"): { Version: string; Statement: Record<string, unknown>[] } {
  return { Version: "2012-10-17", Statement: t[which].map((s) => s.statement) };
}

/** Does a string still hold an open template placeholder? */
export function hasPlaceholder(s: string): boolean {
  return new RegExp(PLACEHOLDER.source).test(s);
}

/** The kinds whose descriptor lists a template (lib/inventory/kinds). */
export function templateKinds(id: string): ResourceKind[] {
  return KINDS.filter((k) => isKnown(k.policy) && k.policy.templates.includes(id)).map((k) => k.id);
}

export function templatesForKind(kind: ResourceKind): PolicyTemplate[] {
  const policy = kindOf(kind).policy;
  return isKnown(policy) ? TEMPLATES.filter((t) => policy.templates.includes(t.id) && t.kind !== "identity-policy") : [];
}

/**
 * The key and secret policy templates for one resource. Where AWS documents different policies by
 * creation date, the resource's date picks one; a resource whose date is unknown is held to both.
 */
export function templatesFor(r: Pick<AgentResource, "kind" | "created">): PolicyTemplate[] {
  const day = r.created ? new Date(r.created) : undefined;
  const known = day && !Number.isNaN(day.getTime());
  return templatesForKind(r.kind).filter((t) => {
    const w = t.appliesWhen;
    if (!w || !known) return true;
    if (w.createdBefore && day >= new Date(`${w.createdBefore}T00:00:00Z`)) return false;
    if (w.createdFrom && day < new Date(`${w.createdFrom}T00:00:00Z`)) return false;
    return true;
  });
}

/**
 * The variables a resource determines. The recommendation caller role and the AgentCore Identity role
 * are not recorded on the resource: pass them in `known` when the policy names them, else they stay open.
 */
export function variablesFor(resource: AgentResource, known: { identityRole?: string; callerRole?: string } = {}): Variables {
  const policy = kindOf(resource.kind).policy;
  return isKnown(policy) ? policy.variables(resource, known) : { region: resource.region, "account-id": resource.account };
}

/** Only the variables the template uses, so resolution never rejects a resource's extra facts. */
export function variablesForTemplate(t: PolicyTemplate, vars: Variables): Variables {
  return Object.fromEntries(Object.entries(vars).filter(([k, v]) => v !== undefined && t.variables.includes(k as TemplateVariable))) as Variables;
}
