import { readFileSync } from "node:fs";

import { expect, test } from "@playwright/test";

import { OverviewPage } from "./pages/overview-page";
import { storageState } from "./support";

test.describe("timeline", () => {
  test.use({ storageState: storageState("investigator") });

  test("fetch events, filter by a key, zoom, open an event and export it", async ({ page }) => {
    test.setTimeout(300_000);
    await new OverviewPage(page).ensureScanned();
    await page.goto("/timeline");
    const fetchButton = page.getByRole("button", { name: "Fetch new events" });
    await fetchButton.click();
    await expect(page.getByTestId("sync-bar")).toContainText(/lookups/);
    await expect(page.getByTestId("sync-bar")).toContainText(/Last fetched/, { timeout: 240_000 });
    await expect(page.getByTestId("histogram")).toBeVisible();
    const total = Number((await page.getByTestId("histogram").locator("figcaption span").first().textContent())!.match(/([\d,]+) events/)![1].replace(/,/g, ""));
    expect(total).toBeGreaterThan(500);

    // Filter by a key: the URL carries it and every event shown is that key's.
    const keySelect = page.getByRole("combobox", { name: "Key" });
    const keyArn = await keySelect.locator("option").nth(1).getAttribute("value");
    await keySelect.selectOption(keyArn!);
    await expect(page).toHaveURL(new RegExp(`key=${encodeURIComponent(keyArn!).replace(/[%]/g, "%")}`));
    const filtered = page.getByTestId("histogram").locator("figcaption span").first();
    await expect(filtered).not.toHaveText(`${total.toLocaleString("en-US")} events`);

    // Zoom: a click on the chart zooms into that bucket; the range in the URL narrows.
    const before = new URL(page.url());
    const span = (u: URL) => Date.parse(u.searchParams.get("to") ?? new Date().toISOString()) - Date.parse(u.searchParams.get("from")!);
    const chart = page.getByTestId("histogram").locator(".recharts-wrapper");
    const box = (await chart.boundingBox())!;
    await chart.click({ position: { x: box.width * 0.8, y: box.height * 0.4 } });
    await expect.poll(() => new URL(page.url()).searchParams.get("from")).not.toBe(before.searchParams.get("from"));
    expect(span(new URL(page.url()))).toBeLessThanOrEqual(86_400_000);
    expect(new URL(page.url()).searchParams.get("key")).toBe(keyArn);

    // Back to the week, open an event: the drawer shows its fields and the raw record.
    await page.getByRole("button", { name: "7 days" }).click();
    await page.getByTestId("event-row").first().click();
    const drawer = page.getByTestId("event-drawer");
    await expect(drawer).toBeVisible();
    await expect(drawer).toContainText(keyArn!);
    await expect(drawer.getByTestId("raw-record")).toContainText('"eventID"');
    await expect(page).toHaveURL(/event=/);
    await drawer.getByRole("button", { name: "Close" }).click();
    await expect(drawer).toBeHidden();

    // Export: CSV with a header and only this key's events.
    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: "Export CSV" }).click();
    const file = await (await download).path();
    const lines = readFileSync(file, "utf8").trim().split("\n");
    expect(lines[0]).toMatch(/^eventTime,eventName,eventSource,/);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.slice(1).every((l) => l.includes(`,${keyArn},`))).toBe(true);

    // The Overview lists the week's detections; each opens the timeline filtered to its events.
    await page.goto("/");
    const det = page.getByTestId("overview-detections");
    await expect(det).toContainText("KW-DET-06");
    await det
      .getByRole("link", { name: /read the secret/ })
      .first()
      .click();
    await expect(page).toHaveURL(/\/timeline\?.*secret=.*eventName=GetSecretValue/);
    await expect(page.getByTestId("event-row").first()).toContainText("GetSecretValue");
  });

  test("a key an agent shares with S3: the key page counts S3's calls as other use, and the drawer says so", async ({ page }) => {
    await new OverviewPage(page).ensureScanned();
    await page.goto("/keys");
    await page.getByRole("link", { name: "alias/agents/shared" }).first().click();
    const embedded = page.getByTestId("embedded-timeline");
    // The events were fetched by the first test of this file.
    await expect(embedded.getByTestId("other-use")).toContainText(/s3 · \d+/);
    await page.goto(`/timeline?${new URLSearchParams({ principal: "s3.amazonaws.com" })}`);
    await page.getByTestId("event-row").first().click();
    await expect(page.getByTestId("event-drawer")).toContainText("other use of this key: the call served s3, not an agent resource");
  });

  test("the key page embeds its timeline with a link to the full view", async ({ page }) => {
    await new OverviewPage(page).ensureScanned();
    await page.goto("/keys");
    await page.getByRole("link", { name: "alias/agents/support" }).first().click();
    const embedded = page.getByTestId("embedded-timeline");
    await expect(embedded).toBeVisible();
    await expect(embedded.getByRole("link", { name: "Open in the timeline" }).or(embedded.getByText("No events in this range"))).toBeVisible();
  });
});

test.describe("timeline as a viewer", () => {
  test.use({ storageState: storageState("viewer") });

  test("sees events but cannot export them", async ({ page }) => {
    await page.goto("/timeline");
    await expect(page.getByTestId("sync-bar")).toBeVisible();
    await expect(page.getByRole("link", { name: /Export/ })).toHaveCount(0);
    const r = await page.request.get("/api/events/export?format=csv");
    expect(r.status()).toBe(403);
  });
});
