import { expect, test as setup } from "@playwright/test";

import { SignInPage } from "../pages/sign-in-page";
import { demoPassword, email, storageState, type DemoRole } from "../support";

for (const role of ["viewer", "investigator", "operator"] as DemoRole[]) {
  setup(`sign in as the demo ${role}`, async ({ page }) => {
    const signIn = new SignInPage(page);
    await signIn.goto();
    await signIn.signIn(email(role), demoPassword(role));
    await page.waitForURL("/");
    await expect(page.getByTestId("current-user")).toContainText(email(role));
    await expect(page.getByTestId("current-user")).toContainText(role);
    await page.context().storageState({ path: storageState(role) });
  });
}
