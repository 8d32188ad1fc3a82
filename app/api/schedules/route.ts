import { serverConfig } from "@/lib/config/server";
import { ScheduleInput } from "@/lib/schemas/schedules";
import { scheduleViews, setSchedule } from "@/lib/server/scheduler";
import { withAuth } from "@/lib/server/with-auth";

export const dynamic = "force-dynamic";

export const GET = withAuth(() => ({ schedules: scheduleViews(serverConfig()) }));

export const PUT = withAuth(({ body, user }) => ({ schedules: setSchedule(serverConfig(), body.job, body.cron, user.email) }), {
  permission: "apply-changes",
  body: ScheduleInput,
});
