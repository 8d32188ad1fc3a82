// The setup wizard in the browser: the memory and credential-provider flows end to end, a failure
// rolled back with the key's deletion cancelled from the page, and what viewers see.
import { BedrockAgentCoreControlClient, GetApiKeyCredentialProviderCommand, GetMemoryCommand } from "@aws-sdk/client-bedrock-agentcore-control";
import { DescribeKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import { expect, type Page, test } from "@playwright/test";

import { sdkConfig, setFaults } from "./sandbox";
import { storageState } from "./support";

async function start(page: Page, flow: string) {
  await page.goto("/setup");
  await page.getByRole("button", { name: "Start over" }).click();
  await page.getByRole("radio", { name: flow }).check();
  await expect(page.getByLabel("Region", { exact: true })).toHaveValue("us-east-1");
}

/**
 * Next, then wait until the wizard shows the step. A click that lands before the page is interactive
 * is lost, so Next is clicked again — but only while the step is still not shown (a second click
 * after it is would move on past it).
 */
async function next(page: Page, step: "Key" | "Policy" | "Review") {
  const target = page.getByRole("navigation", { name: "Wizard steps" }).getByRole("button", { name: new RegExp(`\\d\\. ${step}`) });
  await expect(async () => {
    if ((await target.getAttribute("aria-current")) !== "step") await page.getByRole("button", { name: "Next" }).click();
    await expect(target).toHaveAttribute("aria-current", "step", { timeout: 3000 });
  }).toPass({ timeout: 20_000 });
}

async function applyAndWait(page: Page) {
  await page.getByRole("button", { name: "Continue to Apply" }).click();
  await page.getByRole("button", { name: "Apply plan…" }).click();
  await page.getByRole("button", { name: "Apply now" }).click();
  await expect(page).toHaveURL(/run=[0-9a-f]{12}-\d+/);
}

test.describe("as an operator", () => {
  test.use({ storageState: storageState("operator") });
  test.afterEach(async () => setFaults([]));

  test("memory: new key with alias, live policy lint, review with exports, apply, check", async ({ page }) => {
    await start(page, "AgentCore memory");
    await page.getByLabel("Name", { exact: true }).fill("e2e_memory");
    await next(page, "Key");
    await page.getByLabel("Alias (optional)").fill("alias/e2e/memory");
    await next(page, "Policy");

    // Policy: generated from the template, linted live; breaking it blocks the wizard.
    const editor = page.getByTestId("policy-editor");
    // AWS's Memory page: the key policy lets the account's IAM policies grant the key to the memory's callers.
    await expect(editor).toContainText("Enable IAM User Permissions");
    await expect(page.getByTestId("lint-ok")).toBeVisible();
    await editor.locator(".cm-content").click();
    await page.keyboard.press("Control+A");
    await page.keyboard.type(
      '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":["kms:Describe*","kms:Put*","kms:Get*"],"Resource":"*"}]}',
    );
    await expect(page.getByTestId("lint").locator("[data-level=error]").filter({ hasText: "The service could not use the key" }).first()).toBeVisible();
    await expect(page.getByRole("button", { name: "Next" })).toBeDisabled();
    await expect(page.getByText("The service could not use the key with this policy: fix it before going on.")).toBeVisible();
    await page.getByRole("button", { name: "Reset to the template" }).click();
    await expect(page.getByTestId("lint-ok")).toBeVisible();
    await next(page, "Review");

    // Review: every call with its permission, exports.
    const steps = page.getByTestId("plan-steps").locator(":scope > li");
    await expect(steps).toHaveCount(4);
    await expect(steps.nth(0)).toContainText("kms CreateKey");
    await expect(steps.nth(3)).toContainText("bedrock-agentcore-control CreateMemory");
    await expect(steps.nth(3)).toContainText("Needs bedrock-agentcore:CreateMemory");
    await expect(page.getByTestId("plan-permissions")).toContainText("kms:ScheduleKeyDeletion");
    await page.getByRole("button", { name: "CloudFormation (YAML)", exact: true }).click();
    await expect(page.getByTestId("export-preview")).toContainText("Type: AWS::BedrockAgentCore::Memory");
    await page.getByRole("button", { name: "Terraform (HCL)", exact: true }).click();
    await expect(page.getByTestId("export-preview")).toContainText('resource "aws_bedrockagentcore_memory" "this"');
    const download = page.waitForEvent("download");
    await page.getByRole("button", { name: "Download AWS CLI script" }).click();
    expect((await download).suggestedFilename()).toBe("keyward-memory-e2e_memory.sh");

    // The draft survives a reload.
    await page.reload();
    await expect(page.getByTestId("plan-steps").locator(":scope > li")).toHaveCount(4);

    await applyAndWait(page);
    await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "done");
    await expect(page.getByTestId("run-steps").locator("[data-status=done]")).toHaveCount(4);
    await expect(page.getByTestId("check-ok")).toBeVisible({ timeout: 45_000 });
    const timeline = page.getByRole("link", { name: /Key timeline/ });
    await expect(timeline).toHaveAttribute("href", /\/timeline\?key=arn%3Aaws%3Akms%3Aus-east-1%3A111122223333%3Akey%2F/);

    const memoryId = (await page.getByTestId("run-steps").locator("li").nth(3).textContent())!.match(/e2e_memory-[a-z0-9]+/)![0];
    const memory = (await new BedrockAgentCoreControlClient(sdkConfig()).send(new GetMemoryCommand({ memoryId }))).memory!;
    const keyArn = (await page.getByTestId("run-steps").locator("li").nth(0).textContent())!.match(/arn:aws:kms:[^ ·]+/)![0];
    expect(memory.encryptionKeyArn).toBe(keyArn);
  });

  test("credential provider: checks the secret, fixes its policies, never reads the value", async ({ page }) => {
    await start(page, "Credential provider on an existing secret");
    await page.getByLabel("Name", { exact: true }).fill("e2e-provider");
    await page.getByLabel("Role AgentCore Identity reads the secret with").fill("arn:aws:iam::111122223333:role/ContractorRole");
    await page.getByLabel("Secrets Manager secret", { exact: true }).selectOption({ label: "agents/salesforce-client (aws/secretsmanager)" });
    await page.getByLabel("Fix the secret's resource policy (GetSecretValue for the role)").uncheck();
    await next(page, "Key");
    await expect(page.getByText("AWS managed key aws/secretsmanager")).toBeVisible();
    await next(page, "Policy");
    // Without the fix, the resource policy does not let the role read the secret: the wizard stops.
    await expect(
      page.getByTestId("lint").locator("[data-level=error]").filter({ hasText: "does not let arn:aws:iam::111122223333:role/ContractorRole call secretsmanager:GetSecretValue" }),
    ).toBeVisible();
    await expect(page.getByRole("button", { name: "Next" })).toBeDisabled();
    await expect(page.getByTestId("lint").locator("[data-level=warning]").filter({ hasText: "is not named like an AgentCore identity role" })).toBeVisible();
    await page
      .getByRole("navigation", { name: "Wizard steps" })
      .getByRole("button", { name: /1\. Resource/ })
      .click();
    await page.getByLabel("Fix the secret's resource policy (GetSecretValue for the role)").check();
    await next(page, "Key");
    await next(page, "Policy");
    await next(page, "Review");
    const steps = page.getByTestId("plan-steps").locator(":scope > li");
    await expect(steps).toHaveCount(2);
    await expect(steps.nth(0)).toContainText("secretsmanager PutResourcePolicy");
    await expect(steps.nth(1)).toContainText("bedrock-agentcore-control CreateApiKeyCredentialProvider");
    await expect(page.getByTestId("plan-permissions")).not.toContainText("GetSecretValue");
    await applyAndWait(page);
    await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "done");
    await expect(page.getByTestId("check")).toBeVisible({ timeout: 45_000 });
    const provider = await new BedrockAgentCoreControlClient(sdkConfig()).send(new GetApiKeyCredentialProviderCommand({ name: "e2e-provider" }));
    expect(provider.apiKeySecretSource).toBe("EXTERNAL");
    expect(provider.apiKeySecretArn?.secretArn).toContain(":secret:agents/salesforce-client");
  });

  test("a failure mid-plan is rolled back; the key's deletion can be cancelled from the page", async ({ page }) => {
    await setFaults([{ service: "bedrock-agentcore", operation: "CreateMemory", accessDenied: true }]);
    await start(page, "AgentCore memory");
    await page.getByLabel("Name", { exact: true }).fill("e2e_denied");
    await next(page, "Key");
    await next(page, "Policy");
    await next(page, "Review");
    await applyAndWait(page);
    await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "rolled-back");
    await expect(page.getByTestId("run-steps")).toContainText("AccessDeniedException");
    await expect(page.getByRole("heading", { name: "The key this run created is scheduled for deletion" })).toBeVisible();
    const keyArn = (await page.getByTestId("run-steps").locator("li").nth(0).textContent())!.match(/arn:aws:kms:[^ ·]+/)![0];
    const kms = new KMSClient(sdkConfig());
    expect((await kms.send(new DescribeKeyCommand({ KeyId: keyArn }))).KeyMetadata!.KeyState).toBe("PendingDeletion");
    await page.getByRole("button", { name: "Cancel key deletion" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Deletion cancelled" })).toContainText("Disabled");
    expect((await kms.send(new DescribeKeyCommand({ KeyId: keyArn }))).KeyMetadata!.KeyState).toBe("Disabled");
  });
});

test.describe("as a viewer", () => {
  test.use({ storageState: storageState("viewer") });

  test("offers the kinds created from their recipe, and lists those it does not create, each with why", async ({ page }) => {
    await page.goto("/setup");
    await expect(page.getByRole("radio", { name: "Bedrock guardrail" })).toBeVisible();
    await expect(page.getByRole("radio", { name: "AgentCore policy engine" })).toBeVisible();
    const others = page.getByTestId("not-created-here");
    await others.getByText(/Kinds Keyward checks but does not create here/).click();
    await expect(others.locator("li", { hasText: "AgentCore evaluator" })).toContainText("a Lambda function or a judge model");
    await expect(others.getByRole("link", { name: "Knowledge base data source" })).toHaveAttribute("href", /encryption-kb\.html$/);
    await expect(others.locator("li", { hasText: "Bedrock flow" })).toHaveCount(0);
  });

  test("can plan and export but not apply: the page says so and hides the button", async ({ page }) => {
    await start(page, "AgentCore gateway");
    await page.getByLabel("Name", { exact: true }).fill("viewer-gw");
    await page.getByLabel("Gateway service role").fill("arn:aws:iam::111122223333:role/AgentCoreGatewayRole");
    await next(page, "Key");
    // Existing keys: incompatible ones are listed but cannot be chosen, with the reason.
    await page.getByLabel("Use an existing key").check();
    const choices = page.getByTestId("key-choices");
    const rsa = choices.locator("li", { hasText: "alias/agents/rsa" });
    await expect(rsa).toContainText("Cannot be used: asymmetric or not for encryption (RSA_2048");
    await expect(rsa.getByRole("radio")).toBeDisabled();
    await expect(choices.locator("li", { hasText: "alias/eu/tools" })).toContainText("Cannot be used: in eu-west-1; the resource is in us-east-1");
    const memoryKey = choices.locator("li", { hasText: "alias/agentcore/memory" });
    await expect(memoryKey).toContainText("Cannot be used as it is: its policy would not let the service use it");
    await expect(memoryKey.getByRole("radio")).toBeDisabled();
    await page.getByLabel(/Let the plan add the template statements/).check();
    await expect(memoryKey.getByRole("radio")).toBeEnabled();
    await expect(choices.locator("li", { hasText: "alias/agentcore/gateway" }).getByRole("radio")).toBeEnabled();
    await page.getByLabel("Create a new key").check();
    await next(page, "Policy");
    await next(page, "Review");
    await expect(page.getByTestId("plan-steps").locator(":scope > li")).toHaveCount(3);
    await page.getByRole("button", { name: "Continue to Apply" }).click();
    await expect(page.getByTestId("apply-not-allowed")).toContainText("Your role (viewer) cannot apply plans");
    await expect(page.getByRole("button", { name: "Apply plan…" })).toHaveCount(0);
  });
});
