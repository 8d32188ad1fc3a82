import { z } from "zod";

import { CronExpression } from "../config/schema";

/** An operator's change of one job's schedule: a five-field cron expression (UTC), or null for none. */
export const ScheduleInput = z
  .object({
    job: z.enum(["scan", "sync"]),
    cron: CronExpression.nullable(),
  })
  .strict();
export type ScheduleInputData = z.output<typeof ScheduleInput>;
