// Scrolling the timeline's event list through 100,000 rows in headless Chromium: the console on the
// sandbox (`npm run demo`'s server; built first when needed), 100,000 events written to its store, the
// list scrolled to the end while the page's frame times are sampled. Prints rows reached, frame-time
// percentiles and long frames. `npm run bench:scroll [-- --rows 100000]`
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";

import { chromium } from "@playwright/test";

import { insertEvents, type StoredInput } from "../lib/events/store";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../playwright.config";
import { db } from "../lib/store/db";

const PORT = 3399;
const DATA = ".data/bench-scroll";
const BASE = `http://127.0.0.1:${PORT}`;

async function waitFor(url: string, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      if ((await fetch(url)).status < 500) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} did not answer within ${ms / 1000} s`);
}

async function main() {
  const { values } = parseArgs({ options: { rows: { type: "string", default: "100000" } } });
  const rows = Number(values.rows);
  const server = spawn("npx", ["tsx", "cli/demo.ts", "--port", String(PORT), "--data-dir", DATA, "--reset"], { stdio: "ignore", detached: true });
  try {
    await waitFor(`${BASE}/signin`, 600_000);
    const now = Date.now();
    const d = db(DATA);
    const batch: StoredInput[] = [];
    for (let i = 0; i < rows; i++) {
      batch.push({
        eventID: `scroll-${i}`,
        eventTime: now - 3_600_000 - i * 1000,
        account: "111122223333",
        region: "us-east-1",
        eventSource: "kms.amazonaws.com",
        eventName: i % 3 ? "Decrypt" : "GenerateDataKey",
        principalArn: `arn:aws:iam::111122223333:role/Role${i % 40}`,
        principalType: "AssumedRole",
        sourceIPAddress: "bedrock.amazonaws.com",
        keyArn: "arn:aws:kms:us-east-1:111122223333:key/00000000-0000-4000-8000-000000000000",
        raw: { eventID: `scroll-${i}` },
      });
    }
    insertEvents(d, batch, "bench");
    const password = (JSON.parse(readFileSync(join(DATA, "demo-credentials.json"), "utf8")) as Record<string, string>).investigator;
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(`${BASE}/signin`);
    await page.getByLabel(/email/i).fill("investigator@keyward.local");
    await page.getByLabel(/password/i).fill(password);
    await page.getByRole("button", { name: /sign in/i }).click();
    await page.waitForURL(`${BASE}/`);
    const from = new Date(now - 3_600_000 - rows * 1000 - 60_000).toISOString();
    await page.goto(`${BASE}/timeline?from=${from}&to=${new Date(now).toISOString()}&key=arn:aws:kms:us-east-1:111122223333:key/00000000-0000-4000-8000-000000000000`);
    await page.getByTestId("event-row").first().waitFor({ timeout: 60_000 });
    const started = Date.now();
    // Plain JavaScript (a string): the TypeScript runner would add helpers the page does not have.
    const result = (await page.evaluate(`(async (target) => {
      const list = document.querySelector('[data-testid="event-list"]');
      const frames = [];
      let last = performance.now();
      let running = true;
      const tick = (t) => { frames.push(t - last); last = t; if (running) requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
      const rowHeight = 44;
      const deadline = performance.now() + 600000;
      // Scroll like a fast trackpad: 3,000 px per frame; pages of 200 load as the end comes near.
      while (performance.now() < deadline) {
        list.scrollTop += 3000;
        await new Promise((r) => requestAnimationFrame(() => r(null)));
        if (list.scrollTop + list.clientHeight >= target * rowHeight - rowHeight) break;
      }
      running = false;
      const sorted = [...frames].sort((a, b) => a - b);
      const q = (p) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
      return { frames: frames.length, p50: q(0.5), p95: q(0.95), p99: q(0.99), long: frames.filter((f) => f > 50).length, reached: Math.round((list.scrollTop + list.clientHeight) / rowHeight) };
    })(${rows})`)) as { frames: number; p50: number; p95: number; p99: number; long: number; reached: number };
    console.log(
      `scroll: ${rows.toLocaleString()} events; reached row ${result.reached.toLocaleString()} in ${((Date.now() - started) / 1000).toFixed(1)} s (pages of 200 load as it scrolls)`,
    );
    console.log(
      `scroll: ${result.frames} frames: p50 ${result.p50.toFixed(1)} ms, p95 ${result.p95.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms; ${result.long} frames over 50 ms`,
    );
    await browser.close();
  } finally {
    if (server.pid) process.kill(-server.pid, "SIGTERM");
  }
}

void main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
