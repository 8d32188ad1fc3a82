// Key and resource policy statements in a normalized form: principals, actions and conditions as
// lists, account ids as root ARNs, so rules can ask who a statement lets in and under what conditions.
export interface NormalizedStatement {
  sid?: string;
  effect: "Allow" | "Deny";
  /** AWS principals as ARNs ("*" for anyone), account ids turned into root ARNs. */
  aws: string[];
  services: string[];
  anyone: boolean;
  notPrincipal: boolean;
  actions: string[];
  notActions: string[];
  resources: string[];
  /** operator → key (lowercased) → values */
  conditions: Record<string, Record<string, string[]>>;
  raw: Record<string, unknown>;
}

/** A policy field that may be a string or a list, as a list. */
export const asList = (v: unknown): string[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);
const list = asList;

export function accountRoot(v: string): string {
  return /^\d{12}$/.test(v) ? `arn:aws:iam::${v}:root` : v;
}

export function normalizeStatements(policy: string | unknown): NormalizedStatement[] {
  let doc: unknown = policy;
  if (typeof policy === "string") {
    try {
      doc = JSON.parse(policy);
    } catch {
      return [];
    }
  }
  const d = doc as { Statement?: unknown };
  const sts = Array.isArray(d?.Statement) ? d.Statement : d?.Statement ? [d.Statement] : [];
  return (sts as Record<string, unknown>[]).map((st) => {
    const principal = st.Principal ?? st.NotPrincipal;
    let aws: string[] = [];
    let services: string[] = [];
    let anyone = false;
    if (principal === "*") anyone = true;
    else if (principal && typeof principal === "object") {
      const p = principal as Record<string, unknown>;
      aws = list(p.AWS).map(accountRoot);
      services = list(p.Service);
      if (aws.includes("*")) anyone = true;
    }
    const conditions: Record<string, Record<string, string[]>> = {};
    for (const [op, block] of Object.entries((st.Condition as Record<string, Record<string, unknown>>) ?? {})) {
      conditions[op] = {};
      for (const [k, v] of Object.entries(block ?? {})) conditions[op][k.toLowerCase()] = list(v);
    }
    return {
      sid: typeof st.Sid === "string" ? st.Sid : undefined,
      effect: st.Effect === "Deny" ? "Deny" : "Allow",
      aws,
      services,
      anyone,
      notPrincipal: st.NotPrincipal !== undefined,
      actions: list(st.Action),
      notActions: list(st.NotAction),
      resources: list(st.Resource),
      conditions,
      raw: st,
    };
  });
}

/** All condition values for a key (any operator), lowercased key match. */
export function conditionValues(st: NormalizedStatement, key: string): string[] {
  const k = key.toLowerCase();
  return Object.values(st.conditions).flatMap((block) =>
    Object.entries(block)
      .filter(([ck]) => ck === k || ck.startsWith(`${k}`))
      .flatMap(([, v]) => v),
  );
}

export function hasConditionKey(st: NormalizedStatement, pred: (key: string) => boolean): boolean {
  return Object.values(st.conditions).some((block) => Object.keys(block).some(pred));
}

/** Glob (`*`, `?`) match; template placeholders `${name}` match anything. */
// Compiled patterns: rules match the same few action and ARN patterns against every key's policy.
const REGEX_CACHE = new Map<string, RegExp>();

export function globToRegex(pattern: string, opts: { glob: boolean; caseInsensitive?: boolean }): RegExp {
  const cacheKey = `${opts.glob ? 1 : 0}${opts.caseInsensitive ? 1 : 0}${pattern}`;
  const hit = REGEX_CACHE.get(cacheKey);
  if (hit) return hit;
  const re = compileGlob(pattern, opts);
  if (REGEX_CACHE.size > 10_000) REGEX_CACHE.clear();
  REGEX_CACHE.set(cacheKey, re);
  return re;
}

function compileGlob(pattern: string, opts: { glob: boolean; caseInsensitive?: boolean }): RegExp {
  let src = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    const ph = /^\$\{[a-z][a-z-]*\}/.exec(pattern.slice(i));
    if (ph) {
      src += ".*";
      i += ph[0].length - 1;
    } else if (opts.glob && c === "*") src += ".*";
    else if (opts.glob && c === "?") src += ".";
    else src += c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${src}$`, opts.caseInsensitive ? "is" : "s");
}

/** Does the statement's Action (or NotAction) cover this action? */
export function coversAction(st: NormalizedStatement, action: string): boolean {
  const matches = (pattern: string) => globToRegex(pattern, { glob: true, caseInsensitive: true }).test(action);
  if (st.notActions.length) return !st.notActions.some(matches);
  return st.actions.some(matches);
}

export const KMS_ADMIN_ACTIONS = [
  "kms:PutKeyPolicy",
  "kms:ScheduleKeyDeletion",
  "kms:DisableKey",
  "kms:CancelKeyDeletion",
  "kms:CreateGrant",
  "kms:EnableKey",
  "kms:DisableKeyRotation",
  "kms:UpdateKeyDescription",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:DeleteAlias",
  "kms:UpdateAlias",
];
export const KMS_CRYPTO_ACTIONS = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncryptFrom", "kms:ReEncryptTo"];

const ACCOUNT_SCOPING_KEYS = ["kms:calleraccount", "aws:sourceaccount", "aws:principalaccount", "aws:principalorgid", "aws:sourceorgid", "aws:resourceaccount"];

/**
 * The accounts (or organizations) a statement's conditions limit callers to, when it has such a
 * condition; undefined when nothing in the conditions limits the caller's account.
 */
export function scopedAccounts(st: NormalizedStatement): string[] | undefined {
  const values: string[] = [];
  let scoped = false;
  for (const [op, block] of Object.entries(st.conditions)) {
    if (/^(StringNotEquals|StringNotLike|ArnNotEquals|ArnNotLike)/.test(op) || /IfExists$/.test(op)) continue;
    for (const [k, v] of Object.entries(block)) {
      if (ACCOUNT_SCOPING_KEYS.includes(k)) {
        scoped = true;
        values.push(...v);
      }
      if (k === "aws:sourcearn" || k === "aws:principalarn") {
        scoped = true;
        values.push(...v.map((arn) => arn.split(":")[4] ?? "*"));
      }
    }
  }
  return scoped ? values : undefined;
}

/** Principal ARNs/ids of the statement that are outside `inside` (own + trusted account ids). */
export function outsidePrincipals(st: NormalizedStatement, inside: Set<string>): string[] {
  if (st.anyone) return ["*"];
  return st.aws.filter((p) => {
    const acct = p.split(":")[4];
    return !acct || !inside.has(acct);
  });
}
