import { chromium } from "playwright-core";
const [,, base, pass, ...pages] = process.argv;
const b = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"] });
const p = await b.newPage({ viewport: { width: 1400, height: 1000 } });
await p.goto(base + "/signin");
await p.fill("input[name=email], input[type=email]", "operator@keyward.local");
await p.fill("input[type=password]", pass);
await p.click("button[type=submit]");
await p.waitForTimeout(2000);
for (const [i, path] of pages.entries()) {
  await p.goto(base + path); await p.waitForTimeout(4000);
  await p.screenshot({ path: `/tmp/shot-${i}.png`, fullPage: true });
}
await b.close();
