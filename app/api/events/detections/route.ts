import { serverConfig } from "@/lib/config/server";
import { detectionContext } from "@/lib/events/context";
import { DETECTIONS, hasBaseline, runDetections } from "@/lib/events/detections";
import { scanStatus } from "@/lib/posture/jobs";
import { EventFiltersQuery } from "@/lib/schemas/events";
import { db } from "@/lib/store/db";
import { withAuth } from "@/lib/server/with-auth";

export const dynamic = "force-dynamic";

/** Detections over the stored events of the range (the 30 days before it are the baseline). */
export const GET = withAuth(
  ({ query }) => {
    const cfg = serverConfig();
    const d = db(cfg.dataDir);
    const found = runDetections(d, { from: query.from, to: query.to }, detectionContext(cfg, scanStatus(cfg.dataDir).last));
    const filtered = found.filter((x) => (!query.key || x.keyArn === query.key) && (!query.resource || x.resourceArn === query.resource));
    return { catalogue: DETECTIONS, detections: filtered, baseline: hasBaseline(d, query) };
  },
  { query: EventFiltersQuery },
);
