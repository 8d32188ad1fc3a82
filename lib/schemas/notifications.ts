import { z } from "zod";

/** A test message to one configured channel. */
export const NotificationTestInput = z.object({ channel: z.enum(["slack", "webhook"]) }).strict();
