import { z } from "zod";

const VARIABLE_VALUE = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9+=,.@_/-]+$/, "letters, digits and + = , . @ _ / - only");

/** Values the reviewer typed for open template variables. */
export const PolicyVariables = z
  .object({
    role: VARIABLE_VALUE,
    "agent-id": VARIABLE_VALUE,
    "key-id": VARIABLE_VALUE,
    region: VARIABLE_VALUE,
    "account-id": z.string().regex(/^\d{12}$/, "a 12-digit account id"),
  })
  .partial()
  .strict();

export const PolicyReviewQuery = z.object({
  target: z.enum(["key", "secret"]),
  arn: z.string().regex(/^arn:aws[a-z-]*:(kms|secretsmanager):[a-z0-9-]+:\d{12}:(key\/|secret:).+$/, "a KMS key or Secrets Manager secret ARN"),
  vars: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (!v) return {};
      try {
        return JSON.parse(v) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: "vars must be a JSON object" });
        return z.NEVER;
      }
    })
    .pipe(PolicyVariables),
});

export const ApplyPolicyInput = z.object({
  target: z.enum(["key", "secret"]),
  arn: PolicyReviewQuery.shape.arn,
  policy: z.string().min(2).max(32_768, "key policies are at most 32 KB"),
  basedOn: z.string().regex(/^[0-9a-f]{64}$/, "the hash of the reviewed policy"),
});
export type ApplyPolicyInputData = z.output<typeof ApplyPolicyInput>;
