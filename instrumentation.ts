// Runs once when the server starts: the schedules of scans and event syncs (Settings → Schedules), the
// delivery of queued notifications, and in the demo (KEYWARD_AUTOSTART=1, set by `npm run demo`) the
// first scan and event sync, so the first page a newcomer opens fills in.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const [{ serverConfig }, { startScheduler }, { deliverPending }] = await Promise.all([
    import("./lib/config/server"),
    import("./lib/server/scheduler"),
    import("./lib/posture/notify"),
  ]);
  const startSchedules = () => {
    // Notifications left in the outbox (a restart, a failed delivery) go out now and then every minute.
    const deliver = () => void deliverPending(serverConfig()).catch((e: unknown) => console.error("notifications:", e instanceof Error ? e.message : e));
    deliver();
    setInterval(deliver, 60_000).unref();
    try {
      for (const run of startScheduler(serverConfig()))
        void run.then((r) => console.log(`Schedule: the ${r.job} missed while the server was down ran: ${r.outcome} — ${r.detail}`));
    } catch (e) {
      console.error("The schedules could not start:", e instanceof Error ? e.message : e);
    }
  };
  if (process.env.KEYWARD_AUTOSTART !== "1") return startSchedules();
  const { autostart } = await import("./lib/demo/autostart");
  setTimeout(() => {
    autostart(serverConfig())
      .catch((e: unknown) => console.error("Demo: the first scan or event sync failed:", e instanceof Error ? e.message : e))
      .finally(startSchedules);
  }, 0);
}
