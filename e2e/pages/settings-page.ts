import type { Locator, Page } from "@playwright/test";

import { BasePage } from "./base-page";

export class SettingsPage extends BasePage {
  readonly auditHeading: Locator;
  readonly auditTable: Locator;
  constructor(page: Page) {
    super(page);
    this.auditHeading = page.getByRole("heading", { name: "Audit log" });
    this.auditTable = page.getByRole("table", { name: "Audit log" });
  }
  async goto(): Promise<void> {
    await this.page.goto("/settings");
  }
  connection(account: string, region: string): Locator {
    return this.page.getByTestId(`connection-${account}-${region}`);
  }
}
