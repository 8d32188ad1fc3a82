import { expect, test } from "@playwright/test";

import { BasePage } from "./pages/base-page";
import { SettingsPage } from "./pages/settings-page";
import { storageState } from "./support";

test.describe("operator", () => {
  test.use({ storageState: storageState("operator") });

  test("every section is reachable from the navigation and has a title", async ({ page }) => {
    await page.goto("/");
    const shell = new BasePage(page);
    await expect(page.getByText("Sandbox account — simulated data")).toBeVisible();
    await expect(page.getByTestId("current-account")).toHaveText("111122223333");
    for (const [name, path, heading] of [
      ["Resources", "/resources", "Resources"],
      ["Keys", "/keys", "Keys"],
      ["Timeline", "/timeline", "Timeline"],
      ["Setup", "/setup", "Setup"],
      ["Settings", "/settings", "Settings"],
      ["Overview", "/", "Overview"],
    ]) {
      await shell.navLink(name).click();
      await expect(page).toHaveURL(path);
      await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
      await expect(page).toHaveTitle(`${heading} · Keyward`);
      await expect(shell.navLink(name)).toHaveAttribute("aria-current", "page");
    }
  });

  test("settings shows the sandbox caller identity for every region and the audit log", async ({ page }) => {
    const settings = new SettingsPage(page);
    await settings.goto();
    for (const region of ["us-east-1", "eu-west-1"]) {
      const panel = settings.connection("111122223333", region);
      await expect(panel.getByTestId("caller-arn")).toHaveText("arn:aws:iam::111122223333:root");
      await expect(panel.getByText("Reachable")).toHaveCount(6);
    }
    await expect(settings.auditTable).toContainText("operator@keyward.local");
    await expect(settings.auditTable).toContainText("sign-in");
  });

  test("settings shows what event retention keeps per source: imported files until deleted by hand", async ({ page }) => {
    const settings = new SettingsPage(page);
    await settings.goto();
    await expect(settings.retentionRow("Imported log files")).toContainText("until deleted by hand");
    await expect(settings.retentionRow("Imported log files")).toContainText("nothing");
    await expect(settings.retentionRow("CloudTrail event history")).toContainText("400 days");
  });

  test("the theme toggle switches dark mode and remembers it", async ({ page }) => {
    await page.emulateMedia({ colorScheme: "light" });
    await page.goto("/");
    const html = page.locator("html");
    await expect(html).not.toHaveClass(/dark/);
    const toggle = new BasePage(page).themeButton();
    await toggle.click(); // system -> light
    await expect(html).not.toHaveClass(/dark/);
    await toggle.click(); // light -> dark
    await expect(html).toHaveClass(/dark/);
    await page.reload();
    await expect(html).toHaveClass(/dark/);
    await toggle.click(); // dark -> system (light here)
    await expect(html).not.toHaveClass(/dark/);
  });

  test("keyboard users can skip to the content and see focus", async ({ page }) => {
    await page.goto("/");
    await page.keyboard.press("Tab");
    const skip = page.getByRole("link", { name: "Skip to content" });
    await expect(skip).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/#main$/);
  });
});

test.describe("viewer", () => {
  test.use({ storageState: storageState("viewer") });

  test("does not see operator-only sections", async ({ page }) => {
    const settings = new SettingsPage(page);
    await settings.goto();
    await expect(page.getByRole("heading", { name: "AWS connection" })).toBeVisible();
    await expect(settings.auditHeading).toHaveCount(0);
    await expect(page.getByTestId("current-user")).toContainText("viewer");
  });
});
