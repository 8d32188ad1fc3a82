import { insideAccounts } from "@/lib/config/schema";
import { serverConfig } from "@/lib/config/server";
import { keyPolicyReview, ReviewNotFound, secretPolicyReview } from "@/lib/policy/review";
import { scanStatus } from "@/lib/posture/jobs";
import { PolicyReviewQuery } from "@/lib/schemas/policy";
import { HttpError, withAuth } from "@/lib/server/with-auth";

export const dynamic = "force-dynamic";

/** The policy review of a key or a secret: templates, semantic diff, merged policy, access checks. */
export const GET = withAuth(
  async ({ query }) => {
    const cfg = serverConfig();
    const last = scanStatus(cfg.dataDir).last;
    if (!last) throw new HttpError(404, "No scan yet: run a scan first.");
    const inside = insideAccounts(cfg, last);
    try {
      return query.target === "key" ? await keyPolicyReview(last, query.arn, { overrides: query.vars, inside }) : await secretPolicyReview(last, query.arn, query.vars, inside);
    } catch (e) {
      if (e instanceof ReviewNotFound) throw new HttpError(404, e.message);
      throw e;
    }
  },
  { query: PolicyReviewQuery },
);
