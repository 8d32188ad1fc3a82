import { expect, test } from "@playwright/test";

import { OverviewPage } from "./pages/overview-page";
import { storageState } from "./support";

test.describe("suppressions", () => {
  test.describe("as a viewer", () => {
    test.use({ storageState: storageState("viewer") });
    test("cannot suppress: no control in the UI and 403 from the API", async ({ page, request, baseURL }) => {
      await new OverviewPage(page).ensureScanned();
      await page.goto("/resources?q=finance-assistant");
      await page.getByRole("link", { name: "finance-assistant" }).click();
      await expect(page.getByTestId("finding-list")).toContainText("KW-POL-03");
      await expect(page.getByRole("button", { name: "Suppress…" })).toHaveCount(0);
      const r = await request.post("/api/suppressions", {
        data: {
          ruleId: "KW-POL-03",
          resourceArn: "arn:aws:bedrock:us-east-1:111122223333:agent/X",
          reason: "accepted risk for now",
          until: new Date(Date.now() + 86_400_000).toISOString(),
        },
        headers: { origin: baseURL! },
      });
      expect(r.status()).toBe(403);
      expect(await r.json()).toEqual({ error: "Your role (viewer) cannot do this." });
    });
  });

  test.describe("as an operator", () => {
    test.use({ storageState: storageState("operator") });
    test("suppresses a finding with a reason and expiry; it stays visible, counted apart, and audited", async ({ page, request, baseURL }) => {
      const overview = new OverviewPage(page);
      await overview.ensureScanned();
      const criticalBefore = Number(await overview.count("critical").textContent());
      await page.goto("/resources?q=finance-assistant");
      await page.getByRole("link", { name: "finance-assistant" }).click();
      const finding = page.getByRole("listitem").filter({ hasText: "KW-POL-03" });
      await finding.getByRole("button", { name: "Suppress…" }).click();
      await finding.getByLabel("Reason").fill("Finance accepted this until the key is replaced");
      await finding.getByRole("button", { name: "Suppress finding" }).click();
      await expect(finding.getByTestId("suppression")).toContainText("Finance accepted this until the key is replaced");
      await expect(finding.getByTestId("suppression")).toContainText("operator@keyward.local");
      await overview.goto();
      await expect(overview.count("critical")).toHaveText(String(criticalBefore - 1));
      await expect(page.getByText(/1 suppressed/)).toBeVisible();
      const audit = (await (await request.get("/api/audit?limit=50")).json()) as { entries: { action: string; detail: string }[] };
      expect(audit.entries.some((e) => e.action === "suppress" && e.detail.includes("KW-POL-03"))).toBe(true);
      // bad input is refused and changes nothing
      const bad = await request.post("/api/suppressions", {
        data: { ruleId: "KW-POL-03", resourceArn: "arn:x", reason: "short", until: "2000-01-01T00:00:00Z" },
        headers: { origin: baseURL! },
      });
      expect(bad.status()).toBe(422);
      const list = (await (await request.get("/api/suppressions")).json()) as { suppressions: { id: number }[] };
      expect(list.suppressions).toHaveLength(1);
      // and it can be removed
      expect((await request.delete(`/api/suppressions/${list.suppressions[0].id}`, { headers: { origin: baseURL! } })).status()).toBe(200);
      await overview.goto();
      await expect(overview.count("critical")).toHaveText(String(criticalBefore));
    });
  });
});
