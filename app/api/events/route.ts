import { serverConfig } from "@/lib/config/server";
import { decodeCursor, eventPage } from "@/lib/events/store";
import { EventPageQuery } from "@/lib/schemas/events";
import { db } from "@/lib/store/db";
import { HttpError, withAuth } from "@/lib/server/with-auth";

export const dynamic = "force-dynamic";

/** One page of stored events, newest first, under the timeline's filters. */
export const GET = withAuth(
  ({ query }) => {
    const { cursor, limit, ...filters } = query;
    let c;
    try {
      c = decodeCursor(cursor);
    } catch {
      throw new HttpError(422, "The cursor is not valid; start from the first page.");
    }
    return eventPage(db(serverConfig().dataDir), filters, { limit, cursor: c });
  },
  { query: EventPageQuery },
);
