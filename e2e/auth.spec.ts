import { expect, test } from "@playwright/test";

import { BasePage } from "./pages/base-page";
import { SignInPage } from "./pages/sign-in-page";
import { demoPassword, email, storageState } from "./support";

test.describe("signed out", () => {
  test("a page redirects to sign-in and comes back after signing in", async ({ page }) => {
    await page.goto("/keys");
    await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fkeys/);
    await expect(page).toHaveTitle("Sign in · Keyward");
    const signIn = new SignInPage(page);
    await signIn.signIn(email("viewer"), demoPassword("viewer"));
    await page.waitForURL("/keys");
  });

  test("a wrong password is refused with a message", async ({ page }) => {
    const signIn = new SignInPage(page);
    await signIn.goto();
    await signIn.signIn(email("operator"), "not-the-password");
    await expect(signIn.error).toHaveText("The email or password is not right.");
    await expect(page).toHaveURL(/\/signin/);
  });
});

test.describe("signed in", () => {
  test.use({ storageState: storageState("operator") });

  test("sign out ends the session", async ({ page, browser, baseURL }) => {
    // A fresh session of its own, so the saved operator session stays valid for other tests.
    const ctx = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
    const p = await ctx.newPage();
    const signIn = new SignInPage(p);
    await signIn.goto();
    await signIn.signIn(email("operator"), demoPassword("operator"));
    await p.waitForURL("/");
    await new BasePage(p).signOut();
    await p.goto("/settings");
    await expect(p).toHaveURL(/\/signin/);
    await ctx.close();
    await page.goto("/");
    await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  });
});
