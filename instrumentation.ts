// Runs once when the server starts. In the demo (KEYWARD_AUTOSTART=1, set by `npm run demo`) the
// first scan and event sync start by themselves, so the first page a newcomer opens fills in.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.KEYWARD_AUTOSTART !== "1") return;
  const [{ autostart }, { serverConfig }] = await Promise.all([import("./lib/demo/autostart"), import("./lib/config/server")]);
  setTimeout(() => {
    autostart(serverConfig()).catch((e: unknown) => console.error("Demo: the first scan or event sync failed:", e instanceof Error ? e.message : e));
  }, 0);
}
