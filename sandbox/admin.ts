// Sandbox-only admin routes (/_sandbox/...): health and identity, and faults at runtime. They exist
// only on the sandbox endpoint, which listens on loopback.
import { z } from "zod";

import type { Encoded, RawRequest } from "./protocols/wire";
import { FaultSpec } from "./scenario/schema";
import type { SandboxServer } from "./server";

const FaultList = z.array(FaultSpec);

function json(status: number, body: unknown): Encoded {
  return { status, headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
}

export async function handleAdmin(server: SandboxServer, req: RawRequest): Promise<Encoded> {
  const s = server.state;
  if (req.path === "/_sandbox/health" && req.method === "GET") {
    let events = 0;
    for (const l of s.events.values()) events += l.length;
    return json(200, { ok: true, scenario: s.scenarioName, account: s.account, regions: s.regions, keys: s.keys.size, events });
  }
  if (req.path === "/_sandbox/faults") {
    if (req.method === "GET") return json(200, { faults: server.faults.faults });
    if (req.method === "PUT" || req.method === "POST") {
      let body: unknown;
      try {
        body = JSON.parse(req.body.toString("utf8") || "null");
      } catch {
        return json(400, { error: "body is not JSON" });
      }
      const parsed = FaultList.safeParse(body);
      if (!parsed.success) {
        return json(422, {
          error: "invalid faults",
          issues: parsed.error.issues.map((i) => ({ path: `$${i.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("")}`, message: i.message })),
        });
      }
      const next = req.method === "PUT" ? parsed.data : [...server.faults.faults, ...parsed.data];
      server.faults.set(next);
      s.faults = next;
      return json(200, { faults: next });
    }
    if (req.method === "DELETE") {
      server.faults.set([]);
      s.faults = [];
      return json(200, { faults: [] });
    }
  }
  return json(404, { error: `no admin route ${req.method} ${req.path}` });
}
