#!/usr/bin/env node
// The end-to-end tests drive Debian's Chromium (never a downloaded browser build). Before they run:
// use CHROMIUM_PATH or /usr/bin/chromium when it is there; otherwise install Debian's package when
// this process may (root, apt-get present); otherwise stop at once with the one command to run.
import { spawnSync } from "node:child_process";
import { accessSync, constants } from "node:fs";

const path = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const runnable = (p) => {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

if (runnable(path)) process.exit(0);
if (process.env.CHROMIUM_PATH) {
  console.error(`CHROMIUM_PATH is set to ${path}, which is not an executable. Point it at Chromium, or unset it to use Debian's /usr/bin/chromium.`);
  process.exit(1);
}
const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
const haveApt = spawnSync("sh", ["-c", "command -v apt-get"], { stdio: "ignore" }).status === 0;
if (!isRoot || !haveApt) {
  console.error(
    haveApt
      ? "Chromium is not installed. Run:  sudo apt-get install -y chromium   (or set CHROMIUM_PATH to a Chromium executable), then npm test again."
      : "Chromium is not installed and apt-get is not available here. Install Chromium with your package manager and set CHROMIUM_PATH to it.",
  );
  process.exit(1);
}
console.error("Installing Debian's chromium package (the end-to-end tests' browser)…");
const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
for (const args of [
  ["update", "-qq"],
  ["install", "-y", "-qq", "chromium"],
]) {
  const r = spawnSync("apt-get", args, { stdio: ["ignore", "ignore", "inherit"], env });
  if (r.status !== 0) {
    console.error(`apt-get ${args.join(" ")} failed (exit ${r.status}). Install it by hand: apt-get install -y chromium`);
    process.exit(1);
  }
}
if (!runnable(path)) {
  console.error(`apt-get installed chromium, but ${path} is still missing.`);
  process.exit(1);
}
console.error(`Chromium installed at ${path}.`);
