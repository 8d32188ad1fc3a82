import { z } from "zod";

export const AuditQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.coerce.number().int().min(1).optional(),
});
export type AuditQueryData = z.output<typeof AuditQuery>;
