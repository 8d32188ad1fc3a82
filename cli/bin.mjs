#!/usr/bin/env node
// The package's `keyward` bin: runs cli/main.ts through tsx with the server-only boundary resolved
// the way Next.js resolves it on the server.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const r = spawnSync(process.execPath, ["--conditions=react-server", "--import", "tsx", join(root, "cli/main.ts"), ...process.argv.slice(2)], {
  stdio: "inherit",
  env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true", ...process.env },
});
process.exit(r.status ?? 1);
