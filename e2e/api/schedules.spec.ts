// The schedules API and panel: everyone reads them; operators change them (validated, audited);
// viewers are refused.
import { expect, test } from "@playwright/test";

import { storageState } from "../support";

interface View {
  job: string;
  cron: string | null;
  source: string;
  updatedBy?: string;
  nextRun?: string;
}

test.describe("as an operator", () => {
  test.use({ storageState: storageState("operator") });

  test("changes a schedule: a bad expression is refused with why, a good one is kept, shown and audited", async ({ request, baseURL, page }) => {
    const origin = new URL(baseURL!).origin;
    const bad = await request.put("/api/schedules", { headers: { origin }, data: { job: "sync", cron: "every day" } });
    expect(bad.status()).toBe(422);
    expect(JSON.stringify(await bad.json())).toContain("five fields");
    // Yearly, so the test server never runs it.
    const ok = await request.put("/api/schedules", { headers: { origin }, data: { job: "sync", cron: "0 3 1 1 *" } });
    expect(ok.status()).toBe(200);
    const sync = ((await ok.json()) as { schedules: View[] }).schedules.find((s) => s.job === "sync")!;
    expect(sync).toMatchObject({ cron: "0 3 1 1 *", source: "settings", updatedBy: "operator@keyward.local" });
    expect(sync.nextRun).toMatch(/-01-01T03:00:00/);

    await page.goto("/settings");
    const row = page.locator('[data-testid="schedule-row"][data-job="sync"]');
    await expect(row.getByLabel(/Event sync schedule/)).toHaveValue("0 3 1 1 *");
    await expect(row).toContainText("set in Settings by operator@keyward.local");
    // Turned off from the page.
    await row.getByLabel(/Event sync schedule/).fill("");
    await row.getByRole("button", { name: "Save" }).click();
    await expect(row).toContainText("turned off in Settings by operator@keyward.local");
    await expect(page.getByRole("table", { name: "Audit log" })).toContainText("sync: no schedule");
  });
});

test.describe("as a viewer", () => {
  test.use({ storageState: storageState("viewer") });

  test("reads the schedules; changing one is refused with 403", async ({ request, baseURL }) => {
    const r = await request.get("/api/schedules");
    expect(r.status()).toBe(200);
    expect(((await r.json()) as { schedules: View[] }).schedules.map((s) => s.job)).toEqual(["scan", "sync"]);
    const put = await request.put("/api/schedules", { headers: { origin: new URL(baseURL!).origin }, data: { job: "scan", cron: "0 * * * *" } });
    expect(put.status()).toBe(403);
  });
});
