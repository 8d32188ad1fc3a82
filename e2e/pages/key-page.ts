import type { Locator, Page } from "@playwright/test";

import { BasePage } from "./base-page";
import { OverviewPage } from "./overview-page";

/** A key's detail page, reached from the Keys list by its alias. */
export class KeyPage extends BasePage {
  readonly review: Locator;
  readonly fixPanel: Locator;
  constructor(page: Page) {
    super(page);
    this.review = page.getByTestId("policy-review");
    this.fixPanel = page.getByTestId("fix-panel");
  }
  async open(alias: string): Promise<void> {
    await new OverviewPage(this.page).ensureScanned();
    await this.page.goto("/keys");
    await this.page.getByRole("link", { name: alias }).first().click();
    await this.review.waitFor();
  }
  card(status: string): Locator {
    return this.review.getByTestId("statement-card").and(this.page.locator(`[data-status="${status}"]`));
  }
  outsideGrant(who: string): Locator {
    return this.review.getByTestId("outside-grant").and(this.page.locator(`[data-who="${who}"]`));
  }
  accessRow(question: RegExp): Locator {
    return this.review.getByTestId("access-row").filter({ hasText: question });
  }
}
