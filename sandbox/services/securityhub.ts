// AWS Security Hub, the two calls Keyward's export makes: BatchImportFindings (1–100 findings in
// ASFF) and GetFindings (to read them back). As with AWS's default product ARN, a finding is
// accepted only from the account it names (AwsAccountId) and under that account's default product
// in the region called; others come back in FailedFindings. A finding imported again keeps its
// CreatedAt and the customer's workflow fields (Workflow, Note, UserDefinedFields, VerificationState),
// which a finding provider cannot change.
import { AwsError, str, type CallContext, type ServiceHandlers } from "../core";
import { authorize } from "../principals";

import { offsetPage } from "./paging";

type Finding = Record<string, unknown>;
const CUSTOMER_FIELDS = ["Workflow", "WorkflowState", "Note", "UserDefinedFields", "VerificationState"];

function defaultProduct(ctx: CallContext): string {
  return `arn:aws:securityhub:${ctx.region}:${ctx.account}:product/${ctx.account}/default`;
}

function matches(f: Finding, filters: Record<string, { Value?: string; Comparison?: string }[]>): boolean {
  return Object.entries(filters).every(([field, conds]) =>
    conds.some((c) => {
      const v = f[field];
      if (c.Comparison === "NOT_EQUALS") return v !== c.Value;
      if (c.Comparison === "PREFIX") return typeof v === "string" && v.startsWith(c.Value ?? "");
      return v === c.Value;
    }),
  );
}

export const securityHubHandlers: ServiceHandlers = {
  async BatchImportFindings(ctx, input) {
    const findings = (input.Findings as Finding[] | undefined) ?? [];
    if (findings.length < 1 || findings.length > 100) throw new AwsError("InvalidInputException", "Findings must hold between 1 and 100 findings.", 400);
    if (!ctx.caller.admin) await authorize(ctx, { action: "securityhub:BatchImportFindings", resourceArn: defaultProduct(ctx) });
    const failed: { Id: string; ErrorCode: string; ErrorMessage: string }[] = [];
    for (const f of findings) {
      const id = f.Id as string;
      if (f.AwsAccountId !== ctx.account || f.ProductArn !== defaultProduct(ctx)) {
        failed.push({ Id: id, ErrorCode: "AccessDeniedException", ErrorMessage: `Account ${ctx.account} may import findings only for itself under ${defaultProduct(ctx)}.` });
        continue;
      }
      if (JSON.stringify(f).length > 240 * 1024) {
        failed.push({ Id: id, ErrorCode: "InvalidInput", ErrorMessage: "The finding is larger than 240 KB." });
        continue;
      }
      const key = `${f.ProductArn as string}|${id}`;
      const prev = ctx.state.securityHubFindings.get(key);
      const kept = prev ? Object.fromEntries(CUSTOMER_FIELDS.filter((k) => k in prev).map((k) => [k, prev[k]])) : { Workflow: { Status: "NEW" }, WorkflowState: "NEW" };
      ctx.state.securityHubFindings.set(key, {
        ...f,
        ...(prev ? { CreatedAt: prev.CreatedAt } : {}),
        ...kept,
        Region: ctx.region,
        CompanyName: "Personal",
        ProductName: "Default",
      });
    }
    return { SuccessCount: findings.length - failed.length, FailedCount: failed.length, FailedFindings: failed };
  },
  async GetFindings(ctx, input) {
    if (!ctx.caller.admin) await authorize(ctx, { action: "securityhub:GetFindings", resourceArn: `arn:aws:securityhub:${ctx.region}:${ctx.account}:hub/default` });
    const n = (input.MaxResults as number | undefined) ?? 100;
    if (!Number.isInteger(n) || n < 1 || n > 100) throw new AwsError("InvalidInputException", "MaxResults must be between 1 and 100.", 400);
    const filters = (input.Filters as Record<string, { Value?: string; Comparison?: string }[]> | undefined) ?? {};
    const all = [...ctx.state.securityHubFindings.values()].filter((f) => f.AwsAccountId === ctx.account && f.Region === ctx.region && matches(f, filters));
    const p = offsetPage(all, str(input, "NextToken"), n, new AwsError("InvalidInputException", "The NextToken is not valid.", 400));
    return { Findings: p.items, NextToken: p.next };
  },
};
