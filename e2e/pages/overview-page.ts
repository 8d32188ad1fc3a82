import type { Locator, Page } from "@playwright/test";

import { BasePage } from "./base-page";

export class OverviewPage extends BasePage {
  readonly score: Locator;
  readonly scanButton: Locator;
  constructor(page: Page) {
    super(page);
    this.score = page.getByTestId("posture-score");
    this.scanButton = page.getByRole("button", { name: /Run the first scan|Rescan/ });
  }
  async goto(): Promise<void> {
    await this.page.goto("/");
  }
  count(severity: string): Locator {
    return this.page.getByTestId(`count-${severity}`);
  }
  async ensureScanned(): Promise<void> {
    await this.goto();
    if (!(await this.score.isVisible())) {
      await this.scanButton.click();
    }
    await this.score.waitFor({ timeout: 60_000 });
  }
}
