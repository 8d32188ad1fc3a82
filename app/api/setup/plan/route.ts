import { z } from "zod";

import { serverConfig } from "@/lib/config/server";
import { planFor } from "@/lib/setup/service";
import { redactPlan, setupRequestSchema } from "@/lib/setup/types.shared";
import { withAuth } from "@/lib/server/with-auth";

export const dynamic = "force-dynamic";

/** Builds the plan for a request: every call, its parameters and permission, the key policy and its lint. Reads only. */
export const POST = withAuth(async ({ body }) => redactPlan(await planFor(serverConfig(), body.request)), { body: z.object({ request: setupRequestSchema }).strict() });
