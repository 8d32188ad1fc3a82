import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { expect, test } from "@playwright/test";

import { OverviewPage } from "./pages/overview-page";
import { DATA_DIR, storageState } from "./support";

interface CliReport {
  resources: { arn: string; name: string; kind: string }[];
  findings: { ruleId: string; severity: string; resourceArn: string }[];
}

function cliScan(): CliReport {
  const sb = JSON.parse(readFileSync(join(DATA_DIR, "sandbox.json"), "utf8")) as { url: string; account: string; regions: string[]; accessKeyId: string; secretAccessKey: string };
  const out = execFileSync("npx", ["tsx", "--conditions=react-server", "cli/main.ts", "scan", "--format", "json"], {
    env: {
      ...process.env,
      AWS_ENDPOINT_URL: sb.url,
      AWS_ACCESS_KEY_ID: sb.accessKeyId,
      AWS_SECRET_ACCESS_KEY: sb.secretAccessKey,
      AWS_REGION: sb.regions[0],
      KEYWARD_ACCOUNTS: sb.account,
      KEYWARD_REGIONS: sb.regions.join(","),
      KEYWARD_CONFIG: join(DATA_DIR, "keyward.config.json"),
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    },
    encoding: "utf8",
  });
  return JSON.parse(out) as CliReport;
}

test.describe("posture", () => {
  test.use({ storageState: storageState("operator") });

  test("the Overview's numbers equal the CLI's for the same account", async ({ page }) => {
    const overview = new OverviewPage(page);
    await overview.ensureScanned();
    const cli = cliScan();
    for (const severity of ["critical", "high", "medium", "low"]) {
      await expect(overview.count(severity)).toHaveText(String(cli.findings.filter((f) => f.severity === severity).length));
    }
    await expect(page.getByText(`${cli.findings.length} findings on ${cli.resources.length} resources`)).toBeVisible();
    expect(cli.findings.filter((f) => f.severity === "critical").length).toBeGreaterThan(0);
    // The account card: the account's resources and open findings, linking to its resources.
    const account = cli.resources[0].arn.split(":")[4];
    const row = page.locator(`[data-testid="account-row"][data-account="${account}"]`);
    await expect(row.getByRole("cell").last()).toHaveText(String(cli.findings.filter((f) => f.resourceArn.split(":")[4] === account).length));
    await expect(row.getByRole("cell").first()).toContainText(String(cli.resources.filter((r) => r.arn.split(":")[4] === account).length));
    await expect(row.getByRole("link", { name: account })).toHaveAttribute("href", `/resources?account=${account}`);
  });

  test("resources filter by kind and search, with the filters in the URL", async ({ page }) => {
    await new OverviewPage(page).ensureScanned();
    await page.goto("/resources");
    const count = page.getByTestId("resource-count");
    await expect(count).toHaveText(/^(\d+) of \1 resources$/);
    await page.getByRole("combobox", { name: "Kind" }).selectOption("agentcore-memory");
    await expect(page).toHaveURL(/kind=agentcore-memory/);
    await expect(count).toHaveText(/^8 of \d+ resources$/);
    await page.getByRole("searchbox", { name: "Search" }).fill("archive");
    await expect(count).toHaveText(/^1 of \d+ resources$/);
    await expect(page.getByTestId("resource-row")).toHaveCount(1);
    // the URL alone restores the view
    await page.reload();
    await expect(count).toHaveText(/^1 of \d+ resources$/);
    await expect(page.getByRole("link", { name: "archive_notes" })).toBeVisible();
  });

  test("the severity counts link to the filtered resources", async ({ page }) => {
    const overview = new OverviewPage(page);
    await overview.ensureScanned();
    const critical = await overview.count("critical").textContent();
    await overview.count("critical").click();
    await expect(page).toHaveURL(/severity=critical/);
    await expect(page.getByTestId("resource-count")).toHaveText(new RegExp(`^${critical} of`));
  });

  test("a resource's detail shows its key and findings with evidence and remediation", async ({ page }) => {
    await new OverviewPage(page).ensureScanned();
    await page.goto("/resources?q=returns-agent");
    await page.getByRole("link", { name: "returns-agent" }).click();
    await expect(page).toHaveURL(/\/resources\/detail\?arn=/);
    await expect(page.getByRole("heading", { level: 1, name: "returns-agent" })).toBeVisible();
    const keyCard = page.getByTestId("key-card");
    await expect(keyCard).toContainText("Enabled");
    await expect(keyCard).toContainText("alias/agents/returns");
    const findings = page.getByTestId("finding-list");
    for (const id of ["KW-POL-03", "KW-POL-04", "KW-GRT-01"]) await expect(findings).toContainText(id);
    await expect(findings).toContainText("444455556666");
    await expect(findings).toContainText("Remediation");
  });

  test("every kind is listed, each with a clean resource and one with a finding; a kind without a documented policy says so", async ({ page }) => {
    await new OverviewPage(page).ensureScanned();
    await page.goto("/resources");
    const kinds = page.getByRole("combobox", { name: "Kind" });
    for (const kind of [
      "bedrock-flow",
      "bedrock-prompt",
      "bedrock-guardrail",
      "knowledge-base-data-source",
      "agentcore-policy-engine",
      "agentcore-evaluator",
      "agentcore-dataset",
      "agentcore-configuration-bundle",
      "agentcore-payment-manager",
    ]) {
      await kinds.selectOption(kind);
      await expect(page.getByTestId("resource-count")).toHaveText(/^2 of \d+ resources$/);
    }
    await page.goto("/resources?q=draft-flow");
    await page.getByRole("link", { name: "draft-flow" }).click();
    await expect(page.getByTestId("finding-list")).toContainText("KW-ENC-01");
    // A flow is held to the key policy AWS documents for flows; its role's IAM policy grants the key: no finding.
    await page.goto("/resources?q=order-routing");
    await expect(page.getByTestId("resource-row")).toContainText("none");
    await expect(page.getByTestId("resource-row")).not.toContainText("not assessed");
    await page.getByRole("link", { name: "order-routing" }).click();
    await expect(page.getByTestId("kind-facts")).toContainText("held to AWS's template (bedrock-flow-key)");
    // A prompt is held to AWS's prompt statement: Amazon Bedrock for the prompt's encryption context.
    await page.goto("/resources?q=order-summary");
    await expect(page.getByTestId("resource-row")).toContainText("none");
    await expect(page.getByTestId("resource-row")).not.toContainText("not assessed");
    await page.getByRole("link", { name: "order-summary" }).click();
    await expect(page.getByTestId("kind-facts")).toContainText("held to AWS's template (bedrock-prompt-key)");
    // (The key also serves a flow: its review holds the flow's template too.)
    await expect(page.locator('[data-testid="statement-card"][data-status="match"]').filter({ hasText: "EncryptFlowKMS" })).toHaveCount(1);
    await expect(page.locator('[data-testid="statement-card"][data-status="missing"]')).toHaveCount(0);
    // A guardrail has no documented key policy Keyward holds: never shown as a pass.
    await page.goto("/resources?q=support-guardrail");
    await expect(page.getByTestId("resource-row")).toContainText("none · 1 not assessed");
    await page.getByRole("link", { name: "support-guardrail" }).click();
    const facts = page.getByTestId("kind-facts");
    await expect(facts).toContainText("GetGuardrail → kmsKeyArn");
    await expect(facts).toContainText("not assessed");
    await expect(page.getByRole("link", { name: "(Optional) Create a customer managed key for your guardrail for additional security" })).toHaveAttribute("href", /guardrails/);
    // An evaluator's key is held to AWS's evaluations policy: the service statement matches, and the
    // caller statements AWS calls for only in some setups are shown as optional, not as gaps.
    await page.goto("/resources?q=helpfulness_judge");
    await page.getByRole("link", { name: "helpfulness_judge" }).click();
    await expect(page.locator('[data-testid="statement-card"][data-status="optional"]')).toHaveCount(2);
    await expect(page.locator('[data-testid="statement-card"][data-status="match"]')).toContainText("AllowServicePrincipalDecrypt");
    await expect(page.getByLabel("Statement summary")).toContainText("0 missing");
  });
});

test.describe("keys", () => {
  test.use({ storageState: storageState("viewer") });

  test("a key's impact panel lists every resource that would lose access, with what it means", async ({ page }) => {
    await new OverviewPage(page).ensureScanned();
    await page.goto("/keys");
    await expect(page.getByTestId("key-row").first()).toBeVisible();
    await page.getByRole("link", { name: "alias/agents/support" }).click();
    await expect(page).toHaveURL(/\/keys\/detail\?arn=/);
    const impact = page.getByTestId("impact-panel");
    await expect(impact).toContainText("support-bot");
    await expect(impact).toContainText("orders-agent");
    await expect(impact).toContainText("InvokeAgent fails");
    await expect(page.getByRole("table", { name: "Grants" })).toContainText("bedrock.amazonaws.com");
  });

  test("filters by account, each account with its count of keys, kept in the address", async ({ page }) => {
    await new OverviewPage(page).ensureScanned();
    await page.goto("/keys");
    await expect(page.getByTestId("key-row").first()).toBeVisible();
    const all = await page.getByTestId("key-row").count();
    expect(all).toBeGreaterThan(3);
    const select = page.getByLabel("Account");
    await expect(select.locator("option").first()).toHaveText(`All accounts (${all} keys)`);
    const option = select.locator("option").nth(1);
    const account = (await option.getAttribute("value"))!;
    const count = Number(/· (\d+) keys/.exec((await option.textContent()) ?? "")![1]);
    await select.selectOption(account);
    await expect(page).toHaveURL(new RegExp(`/keys\\?account=${account}$`));
    await expect(page.getByTestId("key-row")).toHaveCount(count);
    for (const row of await page.getByTestId("key-row").all()) await expect(row).toContainText(account);
    // The address alone brings the filter back.
    await page.reload();
    await expect(page.getByTestId("key-row")).toHaveCount(count);
    await select.selectOption("");
    await expect(page.getByTestId("key-row")).toHaveCount(all);
  });

  test("a recommendation's key explains the ValidationException behaviour", async ({ page }) => {
    await new OverviewPage(page).ensureScanned();
    await page.goto("/keys");
    await page.getByRole("link", { name: "alias/agentcore/recommendations" }).click();
    await expect(page.getByTestId("impact-panel")).toContainText("ValidationException");
  });
});

test.describe("from a resource to its key", () => {
  test.use({ storageState: storageState("viewer") });
  test("the resource's key card links to the key's policy and impact", async ({ page }) => {
    await new OverviewPage(page).ensureScanned();
    await page.goto("/resources?q=support-bot");
    await page.getByRole("link", { name: "support-bot" }).click();
    await page.getByRole("link", { name: "Key policy, grants and impact →" }).click();
    await expect(page).toHaveURL(/\/keys\/detail\?arn=/);
    await expect(page.getByTestId("impact-panel")).toContainText("support-bot");
  });
});
