import { serverConfig } from "@/lib/config/server";
import { getEvent } from "@/lib/events/store";
import { db } from "@/lib/store/db";
import { HttpError, withAuth } from "@/lib/server/with-auth";

export const dynamic = "force-dynamic";

/** One event with its raw CloudTrail record. */
export const GET = withAuth(({ params }) => {
  const id = params.id ?? "";
  if (!/^[A-Za-z0-9-]{1,128}$/.test(id)) throw new HttpError(422, "The event id is not valid.");
  const e = getEvent(db(serverConfig().dataDir), id);
  if (!e) throw new HttpError(404, "No stored event has this id.");
  return e;
});
