import type { Locator, Page } from "@playwright/test";

import { BasePage } from "./base-page";

export class SignInPage extends BasePage {
  readonly email: Locator;
  readonly password: Locator;
  readonly submit: Locator;
  readonly error: Locator;
  constructor(page: Page) {
    super(page);
    this.email = page.getByLabel("Email");
    this.password = page.getByLabel("Password");
    this.submit = page.getByRole("button", { name: "Sign in" });
    this.error = page.locator("form").getByRole("alert");
  }
  async goto(): Promise<void> {
    await this.page.goto("/signin");
  }
  async signIn(email: string, password: string): Promise<void> {
    await this.email.fill(email);
    await this.password.fill(password);
    await this.submit.click();
  }
}
