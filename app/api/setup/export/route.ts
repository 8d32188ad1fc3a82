import { NextResponse } from "next/server";
import { z } from "zod";

import { serverConfig } from "@/lib/config/server";
import { exportPlan } from "@/lib/setup/export";
import { planFor } from "@/lib/setup/service";
import { EXPORT_FORMATS, setupRequestSchema } from "@/lib/setup/types.shared";
import { withAuth } from "@/lib/server/with-auth";

export const dynamic = "force-dynamic";

/** The plan as JSON, CloudFormation YAML, Terraform HCL or an AWS CLI script, as a download. */
export const POST = withAuth(
  async ({ body }) => {
    const plan = await planFor(serverConfig(), body.request);
    const file = exportPlan(plan, body.format);
    return new NextResponse(file.body, {
      headers: { "content-type": `${file.contentType}; charset=utf-8`, "content-disposition": `attachment; filename="${file.filename}"`, "x-keyward-plan": plan.id },
    });
  },
  { body: z.object({ request: setupRequestSchema, format: z.enum(EXPORT_FORMATS) }).strict() },
);
