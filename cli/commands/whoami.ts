import { checkConnection, targetsOf } from "../../lib/server/aws/connection";
import type { Io } from "../main";

import { configOrReport } from "./config";

export async function runWhoami(format: "table" | "json", io: Io): Promise<number> {
  const cfg = configOrReport(io);
  if (!cfg) return 2;
  let targets = targetsOf(cfg);
  if (!targets.length) targets = [{ account: "(default)", region: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? "us-east-1" }];
  const results = await Promise.all(targets.map((t) => checkConnection(t)));
  if (format === "json") {
    io.out(
      JSON.stringify(
        results.map((r) => ({ account: r.account, region: r.region, roleArn: r.roleArn, identity: r.identity, error: r.identityError, services: r.services })),
        null,
        2,
      ),
    );
  } else {
    for (const r of results) {
      const who = r.identity ? r.identity.arn : `ERROR ${r.identityError?.code}: ${r.identityError?.message}`;
      io.out(`${r.account.padEnd(14)} ${r.region.padEnd(16)} ${who}`);
      for (const s of r.services) io.out(`${"".padEnd(31)} ${s.ok ? "ok " : "ERR"} ${s.service}${s.ok ? "" : ` (${s.code}: ${s.message})`}`);
    }
  }
  return results.every((r) => r.identity) ? 0 : 1;
}
