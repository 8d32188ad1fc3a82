import type { Locator, Page } from "@playwright/test";

import { BasePage } from "./base-page";

export class SettingsPage extends BasePage {
  readonly auditHeading: Locator;
  readonly auditTable: Locator;
  readonly retentionTable: Locator;
  constructor(page: Page) {
    super(page);
    this.retentionTable = page.getByRole("table", { name: "Event retention per source" });
    this.auditHeading = page.getByRole("heading", { name: "Audit log" });
    this.auditTable = page.getByRole("table", { name: "Audit log" });
  }
  async goto(): Promise<void> {
    await this.page.goto("/settings");
  }
  retentionRow(source: string): Locator {
    return this.retentionTable.getByRole("row", { name: new RegExp(`^${source}`) });
  }
  connection(account: string, region: string): Locator {
    return this.page.getByTestId(`connection-${account}-${region}`);
  }
}
