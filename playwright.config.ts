import { defineConfig } from "@playwright/test";

// e2e runs against a production build (`next build` runs first in `npm run test:e2e`) wired to the
// sandbox by `npm run demo`. The browser is Debian's Chromium; nothing is downloaded.
const PORT = Number(process.env.E2E_PORT ?? 3210);
export const BASE_URL = `http://127.0.0.1:${PORT}`;
export const E2E_DATA_DIR = ".data/e2e";

/** Flags for closed-network machines (no background connections, no sandbox as root). */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
];
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

const chromium = {
  browserName: "chromium" as const,
  launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
};

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: true,
  reporter: [["list"]],
  timeout: 60_000,
  expect: { timeout: 15_000 },
  use: { baseURL: BASE_URL, ...chromium, trace: "retain-on-failure" },
  projects: [
    { name: "setup", testMatch: /setup\/.*\.setup\.ts/ },
    { name: "features", testMatch: /.*\.spec\.ts/, testIgnore: /api\/.*/, dependencies: ["setup"] },
    { name: "api", testMatch: /api\/.*\.spec\.ts/, dependencies: ["setup"] },
  ],
  webServer: {
    // The first event fetch reads 10 days (the demo reads 37): enough to test, quicker at 2 LookupEvents/s.
    command: `KEYWARD_EVENTS_FIRST_SYNC_DAYS=10 npx tsx cli/demo.ts --port ${PORT} --data-dir ${E2E_DATA_DIR} --reset --no-autostart`,
    url: `${BASE_URL}/signin`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: "ignore",
    stderr: "pipe",
  },
});
