import { createInterface } from "node:readline";
import { Writable } from "node:stream";

import { isRole, ROLES } from "../../lib/auth/roles.shared";
import { upsertUser } from "../../lib/auth/users";
import { UsageError, type Io } from "../main";

import { configOrReport } from "./config";

async function readPassword(prompt: string, fromStdin: boolean): Promise<string> {
  if (fromStdin || !process.stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString("utf8").split("\n")[0].trim();
  }
  // Prompt without echoing what is typed.
  const muted = new Writable({ write: (_c, _e, cb) => cb() });
  process.stdout.write(prompt);
  const rl = createInterface({ input: process.stdin, output: muted, terminal: true });
  const answer = await new Promise<string>((resolve) => rl.question("", resolve));
  rl.close();
  process.stdout.write("\n");
  return answer;
}

export async function runUserAdd(email: string, role: string | undefined, fromStdin: boolean, io: Io): Promise<number> {
  if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw new UsageError(`not an email address: ${email}`);
  if (!isRole(role)) throw new UsageError(`--role must be one of ${ROLES.join(", ")}`);
  const cfg = configOrReport(io);
  if (!cfg) return 2;
  const password = await readPassword(`Password for ${email}: `, fromStdin);
  if (!fromStdin && process.stdin.isTTY) {
    const again = await readPassword("Repeat the password: ", false);
    if (again !== password) {
      io.err("The passwords do not match; nothing was changed.");
      return 1;
    }
  }
  if (password.length < 12) {
    io.err("Passwords need at least 12 characters; nothing was changed.");
    return 1;
  }
  upsertUser(cfg.dataDir, email, role, password);
  io.out(`${email} can now sign in as ${role} (users file: ${cfg.dataDir}/users.json).`);
  return 0;
}
