import { z } from "zod";

export const SuppressionInput = z.object({
  ruleId: z.string().regex(/^KW-[A-Z]{3}-\d{2}$/, "a rule id like KW-POL-03"),
  resourceArn: z.string().startsWith("arn:", "an ARN"),
  reason: z.string().trim().min(10, "say why in at least 10 characters").max(500),
  until: z
    .string()
    .datetime({ offset: true, message: "an ISO date-time" })
    .refine((v) => Date.parse(v) > Date.now(), "the expiry must be in the future")
    .refine((v) => Date.parse(v) < Date.now() + 366 * 86_400_000, "suppressions last at most a year"),
});
export type SuppressionInputData = z.output<typeof SuppressionInput>;
