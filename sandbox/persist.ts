// State-dir persistence: resources and settings as a JSON snapshot, recorded events as NDJSON
// appended as they happen. Generated traffic is not stored: it is regenerated from the seed.
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import type { SandboxState } from "./state";
import { recordEvent } from "./trail";

const SNAPSHOT = "snapshot.json";
const EVENTS = "events.ndjson";
const META = "meta.json";

const PERSISTED: (keyof SandboxState)[] = [
  "credentials",
  "roles",
  "users",
  "policies",
  "keys",
  "aliases",
  "secrets",
  "agents",
  "knowledgeBases",
  "memories",
  "gateways",
  "credentialProviders",
  "tokenVaults",
  "workloadIdentities",
  "recommendations",
  "keyedResources",
  "trails",
  "faults",
  "clientTokens",
  "counter",
];

function replacer(this: unknown, key: string, value: unknown): unknown {
  const raw = (this as Record<string, unknown>)[key];
  if (raw instanceof Map) return { $map: [...raw.entries()] };
  if (raw instanceof Date) return { $date: raw.toISOString() };
  if (raw instanceof Uint8Array) return { $buf: Buffer.from(raw).toString("base64") };
  return value;
}

function reviver(_key: string, value: unknown): unknown {
  if (value && typeof value === "object") {
    const v = value as Record<string, unknown>;
    if (Array.isArray(v.$map)) return new Map(v.$map as [unknown, unknown][]);
    if (typeof v.$date === "string") return new Date(v.$date);
    if (typeof v.$buf === "string") return Buffer.from(v.$buf, "base64");
  }
  return value;
}

export interface Meta {
  scenario: string;
  trafficEnd: string;
  /** SHA-256 of the scenario the state was built from: a state saved from another version is not restored. */
  digest?: string;
}

/** Removes the saved state (snapshot and events) of a directory, keeping the directory. */
export function discardState(dir: string): void {
  for (const f of [SNAPSHOT, EVENTS, META]) rmSync(join(dir, f), { force: true });
}

export function readMeta(dir: string): Meta | undefined {
  const f = join(dir, META);
  return existsSync(f) ? (JSON.parse(readFileSync(f, "utf8")) as Meta) : undefined;
}

export function writeMeta(dir: string, meta: Meta): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, META), JSON.stringify(meta, null, 2));
}

export function saveSnapshot(dir: string, state: SandboxState): void {
  mkdirSync(dir, { recursive: true });
  const out: Record<string, unknown> = {};
  for (const k of PERSISTED) out[k] = state[k];
  const tmp = join(dir, `${SNAPSHOT}.tmp`);
  writeFileSync(tmp, JSON.stringify(out, replacer));
  renameSync(tmp, join(dir, SNAPSHOT));
}

export function appendEvent(dir: string, json: string): void {
  appendFileSync(join(dir, EVENTS), `${json}\n`);
}

/** Overlays a saved snapshot and the recorded events onto a freshly built state. */
export function restore(dir: string, state: SandboxState): boolean {
  const f = join(dir, SNAPSHOT);
  if (!existsSync(f)) return false;
  const saved = JSON.parse(readFileSync(f, "utf8"), reviver) as Record<string, unknown>;
  for (const k of PERSISTED) if (k in saved) (state as unknown as Record<string, unknown>)[k] = saved[k];
  const ev = join(dir, EVENTS);
  if (existsSync(ev)) {
    for (const line of readFileSync(ev, "utf8").split("\n")) if (line.trim()) recordEvent(state, JSON.parse(line) as Record<string, unknown>);
  }
  return true;
}
