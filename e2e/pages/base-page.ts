import type { Locator, Page } from "@playwright/test";

export class BasePage {
  readonly nav: Locator;
  constructor(readonly page: Page) {
    this.nav = page.getByRole("navigation", { name: "Main" });
  }
  navLink(name: string): Locator {
    return this.nav.getByRole("link", { name });
  }
  async signOut(): Promise<void> {
    await this.page.getByRole("button", { name: "Sign out" }).click();
    await this.page.waitForURL(/\/signin/);
  }
  themeButton(): Locator {
    return this.page.getByRole("button", { name: /Switch theme/ });
  }
}
