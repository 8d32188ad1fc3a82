import { readFileSync } from "node:fs";
import { join } from "node:path";

import { BedrockAgentCoreControlClient, CreateMemoryCommand, DeleteMemoryCommand } from "@aws-sdk/client-bedrock-agentcore-control";
import type { APIRequestContext } from "@playwright/test";
import { expect, test } from "@playwright/test";

import { KeyPage } from "./pages/key-page";
import { DATA_DIR, storageState } from "./support";

function sandboxControl(): BedrockAgentCoreControlClient {
  const sb = JSON.parse(readFileSync(join(DATA_DIR, "sandbox.json"), "utf8")) as { url: string; accessKeyId: string; secretAccessKey: string };
  return new BedrockAgentCoreControlClient({
    endpoint: sb.url,
    region: "us-east-1",
    credentials: { accessKeyId: sb.accessKeyId, secretAccessKey: sb.secretAccessKey },
    maxAttempts: 1,
  });
}

/** Runs a scan that starts after now and waits for it (other specs count the demo's resources). */
async function freshScan(request: APIRequestContext, origin: string): Promise<void> {
  const idle = async () => {
    for (;;) {
      const s = (await (await request.get("/api/scans/latest")).json()) as { running: unknown };
      if (!s.running) return;
      await new Promise((r) => setTimeout(r, 500));
    }
  };
  await idle();
  const r = await request.post("/api/scans", { headers: { origin } });
  expect(r.status()).toBe(202);
  await idle();
}

test.describe("policy view", () => {
  test.use({ storageState: storageState("viewer") });

  test("shows statement cards with reasons, the side-by-side diff and the access checks; viewers cannot apply", async ({ page }) => {
    const key = new KeyPage(page);
    await key.open("alias/agents/finance");
    // LetAnyoneDecrypt widens every statement that grants Decrypt: the service's among them.
    const broader = key.card("broader").filter({ hasText: "Allow Amazon Bedrock to encrypt and decrypt Agent resources" });
    await expect(broader).toContainText("principal * is wider than bedrock.amazonaws.com");
    await expect(key.review.getByTestId("template-diff").locator(".cm-mergeView")).toBeVisible();
    await expect(key.review.getByTestId("template-diff")).toContainText('"Sid": "LetAnyoneDecrypt"');
    // Who outside the account can do what: everyone may decrypt, from the statement that says so.
    const everyone = key.outsideGrant("everyone");
    await expect(everyone).toContainText("critical");
    await expect(everyone).toContainText("LetAnyoneDecrypt");
    await expect(everyone).toContainText("kms:Decrypt");
    await expect(key.accessRow(/Can anyone outside the account/).first()).toHaveAttribute("data-ok", "false");
    await expect(key.review.getByTestId("access-analyzer")).toContainText("FAIL");
    await expect(key.fixPanel).toContainText("Operators can apply the corrected policy from here.");
    await expect(key.fixPanel.getByRole("button", { name: "Apply…" })).toHaveCount(0);
    await expect(key.fixPanel).toContainText("aws kms put-key-policy --region us-east-1");
  });

  test("a memory key: AWS's page asks for the callers through AgentCore; an unscoped service statement is a confused deputy", async ({ page }) => {
    const key = new KeyPage(page);
    await key.open("alias/agentcore/memory");
    await expect(key.card("match")).toContainText("Enable IAM User Permissions");
    await expect(key.accessRow(/Can principals of the account via the service/)).toHaveAttribute("data-ok", "true");
    await expect(key.accessRow(/confused deputy/).last()).toHaveAttribute("data-ok", "false");
    await expect(key.outsideGrant("service:bedrock-agentcore.amazonaws.com")).toContainText("for any account's resources");
  });

  test("the open keys of the demo: each class of outside access named, with why", async ({ page }) => {
    const key = new KeyPage(page);
    await key.open("alias/agentcore/partner-notes");
    await expect(key.outsideGrant("everyone")).toContainText("aws:SecureTransport can be met by a caller from any account");
    await expect(key.outsideGrant("everyone")).toContainText("kms:GenerateDataKeyWithoutPlaintext");
    await key.open("alias/agentcore/vendor");
    await expect(key.outsideGrant("account:444455556666")).toContainText("kms:Decrypt");
    await key.open("alias/agentcore/research");
    await expect(key.outsideGrant("any-org")).toContainText("kms:DisableKey");
    await expect(key.outsideGrant("any-org")).toContainText("administer it");
    await key.open("alias/agents/triage");
    await expect(key.review.getByTestId("outside-none")).toBeVisible();
    await expect(key.review.getByTestId("access-analyzer")).toContainText("PASS");
  });

  test("open template variables can be filled in and the comparison follows", async ({ page }) => {
    const key = new KeyPage(page);
    await key.open("alias/agentcore/recommendations");
    const form = page.getByRole("form", { name: "Open template variables" });
    await expect(form).toContainText("${role}");
    await form.getByLabel("role").fill("RecommendationRole");
    await form.getByRole("button", { name: "Resolve" }).click();
    await expect(form).toHaveCount(0);
    await expect(key.review.getByTestId("template-uses")).toContainText("role=RecommendationRole");
  });
});

test.describe("applying a fix", () => {
  test.use({ storageState: storageState("operator") });

  test("an operator applies the corrected key policy; the service call that failed then succeeds", async ({ page, baseURL }) => {
    const control = sandboxControl();
    const key = new KeyPage(page);
    await key.open("alias/agentcore/sessions");
    const keyArn = (await page.getByTestId("fix-command").textContent())!.match(/--key-id (\S+)/)![1];
    const create = () => control.send(new CreateMemoryCommand({ name: `fixed_${Date.now()}`, eventExpiryDuration: 30, encryptionKeyArn: keyArn }));
    await expect(create()).rejects.toThrow(/does not let the caller use the key through AgentCore/);

    await expect(key.card("narrower")).toContainText("Enable IAM User Permissions");
    await expect(key.accessRow(/Can principals of the account via the service/)).toHaveAttribute("data-ok", "false");
    await key.fixPanel.getByRole("button", { name: "Apply…" }).click();
    const dialog = page.getByRole("dialog", { name: /Replace the key policy/ });
    await expect(dialog).toBeVisible();
    await dialog.getByRole("button", { name: "Replace the policy" }).click();
    await expect(page.getByTestId("apply-result")).toBeVisible();

    const created = await create();
    expect(created.memory?.encryptionKeyArn).toBe(keyArn);
    await control.send(new DeleteMemoryCommand({ memoryId: created.memory!.id! }));
    await freshScan(page.request, baseURL!);

    // The rescan that follows shows the policy conforming, and the audit log has the apply.
    await expect(key.review).toContainText("Every template statement matches", { timeout: 60_000 });
    await expect(key.accessRow(/Can principals of the account via the service/)).toHaveAttribute("data-ok", "true");
    const audit = (await (await page.request.get("/api/audit?limit=20")).json()) as { entries: { action: string; outcome: string; detail: string }[] };
    expect(audit.entries.some((e) => e.action === "apply" && e.outcome === "success" && e.detail.includes(keyArn))).toBe(true);
  });
});
