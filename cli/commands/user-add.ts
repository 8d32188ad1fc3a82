import { createInterface } from "node:readline";
import { Writable } from "node:stream";

import { isRole, ROLES } from "../../lib/auth/roles.shared";
import { upsertUser } from "../../lib/auth/users";
import { ConfigError, loadConfig } from "../../lib/config/load";
import { UsageError } from "../main";

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

export async function runUserAdd(email: string, role: string | undefined, fromStdin: boolean, io: { out: (s: string) => void; err: (s: string) => void }): Promise<number> {
  if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw new UsageError(`not an email address: ${email}`);
  if (!isRole(role)) throw new UsageError(`--role must be one of ${ROLES.join(", ")}`);
  let cfg;
  try {
    cfg = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      io.err(e.message);
      return 2;
    }
    throw e;
  }
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
