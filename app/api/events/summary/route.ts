import { serverConfig } from "@/lib/config/server";
import { facets, histogram } from "@/lib/events/store";
import { EventFiltersQuery } from "@/lib/schemas/events";
import { db } from "@/lib/store/db";
import { withAuth } from "@/lib/server/with-auth";

export const dynamic = "force-dynamic";

/** The histogram (stacked by event name) and the top values of each filterable field. */
export const GET = withAuth(
  ({ query }) => {
    const d = db(serverConfig().dataDir);
    return { histogram: histogram(d, query), facets: facets(d, query) };
  },
  { query: EventFiltersQuery },
);
