// IAM Access Analyzer's policy checks, as far as Keyward asks them: ValidatePolicy and
// CheckNoPublicAccess. Both are worked out independently of Keyward's own outside-access analysis:
// ValidatePolicy runs a subset of AWS's documented checks (named with AWS's issue codes), and
// CheckNoPublicAccess asks the policy evaluator whether a principal of an unrelated account — in no
// organization, then in some organization — gets in when it supplies every other condition value
// the policy asks for, as a caller from anywhere could.
import { expandIamActions } from "@cloud-copilot/iam-expand";

import { evaluate } from "../../lib/policy/evaluate";
import { AwsError, requireStr, type ServiceHandlers } from "../core";

const IDENTITY_KEYS = new Set([
  "aws:principalaccount",
  "kms:calleraccount",
  "aws:principalarn",
  "aws:principalorgid",
  "aws:principalorgpaths",
  "aws:userid",
  "aws:username",
  "aws:principalisawsservice",
  "aws:principalservicename",
  "aws:sourceaccount",
  "aws:sourcearn",
  "aws:sourceorgid",
  "aws:sourceowner",
  "aws:resourceaccount",
]);

const LEARN_MORE = "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html";

interface Finding {
  findingDetails: string;
  findingType: "ERROR" | "SECURITY_WARNING" | "SUGGESTION" | "WARNING";
  issueCode: string;
  learnMoreLink: string;
  locations: { path: ({ value: string } | { index: number })[]; span: { start: Position; end: Position } }[];
}
interface Position {
  line: number;
  column: number;
  offset: number;
}

function position(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  const lines = before.split("\n");
  return { line: lines.length, column: lines.at(-1)!.length, offset };
}

/** Where the n-th statement's object starts and ends in the text (best effort: the whole document otherwise). */
function spanOf(text: string, index: number): { start: Position; end: Position } {
  const at = text.indexOf('"Statement"');
  let depth = 0;
  let n = -1;
  let start = -1;
  for (let i = at < 0 ? 0 : at; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      i = text.indexOf('"', i + 1);
      while (i > 0 && text[i - 1] === "\\") i = text.indexOf('"', i + 1);
      if (i < 0) break;
      continue;
    }
    if (c === "{") {
      if (depth === 0) {
        n++;
        if (n === index) start = i;
      }
      depth++;
    } else if (c === "}") {
      depth--;
      if (depth === 0 && n === index && start >= 0) return { start: position(text, start), end: position(text, i + 1) };
    }
  }
  return { start: position(text, 0), end: position(text, text.length) };
}

const list = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

async function validate(text: string): Promise<Finding[]> {
  let doc: { Version?: unknown; Statement?: unknown };
  try {
    doc = JSON.parse(text) as typeof doc;
  } catch (e) {
    return [
      {
        findingDetails: `Fix the JSON syntax error: ${(e as Error).message}`,
        findingType: "ERROR",
        issueCode: "JSON_SYNTAX_ERROR",
        learnMoreLink: LEARN_MORE,
        locations: [{ path: [], span: { start: position(text, 0), end: position(text, text.length) } }],
      },
    ];
  }
  const out: Finding[] = [];
  const at = (i: number, ...rest: ({ value: string } | { index: number })[]) => [{ path: [{ value: "Statement" }, { index: i }, ...rest], span: spanOf(text, i) }];
  if (doc.Version !== "2012-10-17")
    out.push({
      findingDetails: 'Add "Version": "2012-10-17": without it, policy variables such as ${aws:PrincipalAccount} are not read as variables.',
      findingType: "WARNING",
      issueCode: "MISSING_VERSION",
      learnMoreLink: LEARN_MORE,
      locations: [{ path: [], span: { start: position(text, 0), end: position(text, text.length) } }],
    });
  const statements = (Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : []) as Record<string, unknown>[];
  for (const [i, st] of statements.entries()) {
    if (!st || typeof st !== "object") continue;
    if (st.Principal === undefined && st.NotPrincipal === undefined)
      out.push({
        findingDetails: "A resource policy statement must name a Principal.",
        findingType: "ERROR",
        issueCode: "MISSING_PRINCIPAL",
        learnMoreLink: LEARN_MORE,
        locations: at(i),
      });
    if (st.Effect === "Allow" && st.NotPrincipal !== undefined)
      out.push({
        findingDetails: "Allow with NotPrincipal grants access to every principal not listed, including anonymous ones.",
        findingType: "SECURITY_WARNING",
        issueCode: "ALLOW_WITH_NOT_PRINCIPAL",
        learnMoreLink: LEARN_MORE,
        locations: at(i, { value: "NotPrincipal" }),
      });
    const actions = list(st.Action ?? st.NotAction);
    const seen = new Set<string>();
    for (const [j, a] of actions.entries()) {
      if (a === "*") continue;
      const expanded = await expandIamActions(a, { expandAsterisk: true });
      if (!expanded.length)
        out.push({
          findingDetails: `The action ${a} does not exist in any service, or does not match any action.`,
          findingType: "ERROR",
          issueCode: "INVALID_ACTION",
          learnMoreLink: LEARN_MORE,
          locations: at(i, { value: st.Action !== undefined ? "Action" : "NotAction" }, { index: j }),
        });
      else if (expanded.every((x) => seen.has(x.toLowerCase())))
        out.push({
          findingDetails: `The action ${a} is already covered by another action of the statement.`,
          findingType: "SUGGESTION",
          issueCode: "REDUNDANT_ACTION",
          learnMoreLink: LEARN_MORE,
          locations: at(i, { value: "Action" }, { index: j }),
        });
      for (const x of expanded) seen.add(x.toLowerCase());
    }
  }
  return out;
}

const PROBE = "arn:aws:iam::999999999999:role/UnrelatedAccountRole";
const ACTIONS: Record<string, string[]> = {
  "AWS::KMS::Key": [
    "kms:Decrypt",
    "kms:Encrypt",
    "kms:GenerateDataKey",
    "kms:GenerateDataKeyWithoutPlaintext",
    "kms:ReEncryptFrom",
    "kms:ReEncryptTo",
    "kms:CreateGrant",
    "kms:DescribeKey",
    "kms:PutKeyPolicy",
    "kms:ScheduleKeyDeletion",
    "kms:DisableKey",
  ],
  "AWS::SecretsManager::Secret": [
    "secretsmanager:GetSecretValue",
    "secretsmanager:PutSecretValue",
    "secretsmanager:PutResourcePolicy",
    "secretsmanager:DescribeSecret",
    "secretsmanager:DeleteSecret",
  ],
};

async function checkNoPublicAccess(text: string, resourceType: string) {
  const doc = JSON.parse(text) as { Statement?: unknown };
  const statements = (Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : []) as Record<string, unknown>[];
  // Every condition value a caller can choose, the first the policy names (wildcards filled in).
  const chosen: Record<string, string> = {};
  for (const st of statements)
    for (const block of Object.values((st.Condition ?? {}) as Record<string, Record<string, unknown>>))
      for (const [k, v] of Object.entries(block ?? {})) if (!IDENTITY_KEYS.has(k.toLowerCase()) && !(k in chosen)) chosen[k] = (list(v)[0] ?? "x").replace(/[*?]/g, "x");
  const resourceArn = resourceType === "AWS::KMS::Key" ? "arn:aws:kms:us-east-1:111111111111:key/checked" : "arn:aws:secretsmanager:us-east-1:111111111111:secret:checked";
  const reasons: { description: string; statementIndex?: number; statementId?: string }[] = [];
  for (const org of [undefined, "o-unrelated0000"]) {
    for (const action of ACTIONS[resourceType]) {
      const r = await evaluate({
        principal: PROBE,
        action,
        resourceArn,
        resourceAccount: "111111111111",
        resourcePolicy: doc,
        identityPolicies: [{ name: "all", policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] } }],
        context: {
          ...chosen,
          "aws:PrincipalAccount": "999999999999",
          "kms:CallerAccount": "999999999999",
          "aws:PrincipalArn": PROBE,
          "aws:PrincipalIsAWSService": "false",
          ...(org ? { "aws:PrincipalOrgID": org } : {}),
        },
      });
      if (r.decision === "Allowed") {
        const sid = r.decidingStatements.find((x) => !x.startsWith("identity policy"));
        const index = statements.findIndex((st, i) => st.Sid === sid || String(i + 1) === sid);
        reasons.push({
          description: `Public access granted for ${action}${org ? " to a principal of another organization" : ""}`,
          statementIndex: index >= 0 ? index : undefined,
          statementId: typeof statements[index]?.Sid === "string" ? (statements[index].Sid as string) : undefined,
        });
      }
    }
    if (reasons.length) break;
  }
  return reasons.length
    ? { result: "FAIL", message: "The resource policy grants public access.", reasons }
    : { result: "PASS", message: "The resource policy does not grant public access.", reasons: [] };
}

export const accessAnalyzerHandlers: ServiceHandlers = {
  async ValidatePolicy(_ctx, input) {
    const text = requireStr(input, "policyDocument");
    const type = requireStr(input, "policyType");
    if (!["IDENTITY_POLICY", "RESOURCE_POLICY", "SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY"].includes(type))
      throw new AwsError("ValidationException", `policyType must be IDENTITY_POLICY, RESOURCE_POLICY, SERVICE_CONTROL_POLICY or RESOURCE_CONTROL_POLICY.`);
    return { findings: await validate(text) };
  },

  async CheckNoPublicAccess(_ctx, input) {
    const text = requireStr(input, "policyDocument");
    const type = requireStr(input, "resourceType");
    if (!ACTIONS[type]) throw new AwsError("ValidationException", `The sandbox checks public access for AWS::KMS::Key and AWS::SecretsManager::Secret, not ${type}.`);
    try {
      JSON.parse(text);
    } catch {
      throw new AwsError("InvalidParameterException", "The policy document is not valid JSON.");
    }
    return checkNoPublicAccess(text, type);
  },
};
