import { z } from "zod";

const arn = (what: string) => z.string().regex(/^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{0,12}:.+$/, `${what} must be an ARN`);
const time = z
  .string()
  .refine((v) => !Number.isNaN(Date.parse(v)), "an ISO date-time")
  .transform((v) => Date.parse(v));

/** Timeline filters as they appear in the page's URL and the API's query string. */
export const EventFiltersQuery = z
  .object({
    from: time.optional(),
    to: time.optional(),
    account: z
      .string()
      .regex(/^\d{12}$/, "a 12-digit account id")
      .optional(),
    callerAccount: z
      .string()
      .regex(/^\d{12}$/, "a 12-digit account id")
      .optional(),
    region: z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "a region such as us-east-1")
      .optional(),
    key: arn("key").optional(),
    resource: arn("resource").optional(),
    secret: arn("secret").optional(),
    principal: z.string().min(3).max(2048).optional(),
    eventName: z
      .string()
      .regex(/^[A-Za-z]+(,[A-Za-z]+)*$/, "event names separated by commas")
      .transform((v) => v.split(","))
      .optional(),
    errorCode: z
      .string()
      .regex(/^[A-Za-z.]+$/, "an error code, or any")
      .optional(),
    sourceIp: z.string().min(2).max(255).optional(),
  })
  .transform((q, ctx) => {
    const to = q.to ?? Date.now();
    const from = q.from ?? to - 7 * 86_400_000;
    if (from >= to) ctx.addIssue({ code: "custom", path: ["from"], message: "from must be before to" });
    if (to - from > 400 * 86_400_000) ctx.addIssue({ code: "custom", path: ["from"], message: "the range is at most 400 days" });
    return { ...q, from, to };
  });

export const EventPageQuery = z.intersection(EventFiltersQuery, z.object({ cursor: z.string().max(500).optional(), limit: z.coerce.number().int().min(1).max(1000).default(200) }));

export const ExportQuery = z.intersection(EventFiltersQuery, z.object({ format: z.enum(["csv", "json"]).default("csv") }));
