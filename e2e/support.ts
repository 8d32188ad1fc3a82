import { readFileSync } from "node:fs";
import { join } from "node:path";

export const DATA_DIR = ".data/e2e";
export type DemoRole = "viewer" | "investigator" | "operator";

export function demoPassword(role: DemoRole): string {
  const creds = JSON.parse(readFileSync(join(DATA_DIR, "demo-credentials.json"), "utf8")) as Record<DemoRole, string>;
  return creds[role];
}

export const email = (role: DemoRole) => `${role}@keyward.local`;
export const storageState = (role: DemoRole) => join(DATA_DIR, "auth", `${role}.json`);
