import { z } from "zod";

import { serverConfig } from "@/lib/config/server";
import { setupOptions } from "@/lib/setup/options";
import { FLOWS } from "@/lib/setup/types.shared";
import { withAuth } from "@/lib/server/with-auth";

export const dynamic = "force-dynamic";

const Query = z.object({
  flow: z.enum(FLOWS),
  region: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "a region such as us-east-1")
    .optional(),
  account: z
    .string()
    .regex(/^\d{12}$/)
    .optional(),
  role: z.string().max(2048).optional(),
});

/** What the wizard offers: keys (incompatible ones disabled, with the reason), roles, secrets, agents, memories. */
export const GET = withAuth(
  ({ query }) => {
    const cfg = serverConfig();
    return setupOptions(cfg, query.flow, query.account, query.region ?? cfg.accounts[0]?.regions[0] ?? "us-east-1", query.role);
  },
  { query: Query },
);
