// Local users: a JSON file in the data directory with scrypt password hashes. Used by the
// credentials provider, `keyward user add`, and `npm run demo` (which marks its users as demo-only).
import { randomBytes, scryptSync, timingSafeEqual } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

import { z } from "zod";

import { ROLES, type Role } from "./roles.shared";

const UserRecord = z.object({
  email: z.string().email(),
  role: z.enum(ROLES),
  hash: z.string().startsWith("scrypt$"),
  demo: z.boolean().default(false),
  createdAt: z.string(),
});
const UsersFile = z.object({ users: z.array(UserRecord) });
export type UserRecordData = z.output<typeof UserRecord>;

const N = 16384;
const R = 8;
const P = 1;

export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(password, salt, 32, { N, r: R, p: P });
  return `scrypt$${N}$${R}$${P}$${salt.toString("base64")}$${key.toString("base64")}`;
}

export function verifyPassword(password: string, stored: string): boolean {
  const [, n, r, p, salt, hash] = stored.split("$");
  const expected = Buffer.from(hash, "base64");
  const got = scryptSync(password, Buffer.from(salt, "base64"), expected.length, { N: Number(n), r: Number(r), p: Number(p) });
  return got.length === expected.length && timingSafeEqual(got, expected);
}

export function usersFile(dataDir: string): string {
  return join(dataDir, "users.json");
}

export function readUsers(dataDir: string): UserRecordData[] {
  const f = usersFile(dataDir);
  if (!existsSync(f)) return [];
  const parsed = UsersFile.safeParse(JSON.parse(readFileSync(f, "utf8")));
  if (!parsed.success) throw new Error(`${f} is not a valid users file: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  return parsed.data.users;
}

export function writeUsers(dataDir: string, users: UserRecordData[]): void {
  const f = usersFile(dataDir);
  mkdirSync(dirname(f), { recursive: true });
  writeFileSync(`${f}.tmp`, JSON.stringify({ users }, null, 2), { mode: 0o600 });
  renameSync(`${f}.tmp`, f);
  chmodSync(f, 0o600);
}

export function upsertUser(dataDir: string, email: string, role: Role, password: string, demo = false): UserRecordData {
  if (password.length < 12) throw new Error("passwords need at least 12 characters");
  const users = readUsers(dataDir).filter((u) => u.email.toLowerCase() !== email.toLowerCase());
  const rec: UserRecordData = { email: email.toLowerCase(), role, hash: hashPassword(password), demo, createdAt: new Date().toISOString() };
  users.push(rec);
  writeUsers(dataDir, users);
  return rec;
}

export function findUser(dataDir: string, email: string): UserRecordData | undefined {
  return readUsers(dataDir).find((u) => u.email === email.toLowerCase());
}
