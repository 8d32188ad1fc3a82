import "server-only";

// Runs the kinds' collectors (lib/inventory/kinds) against AWS: each operation a descriptor names is
// sent through the SDK v3 client of its package, paced, counted, and recorded as a scan error when it
// fails. A collector may call only the operations its descriptor declares in `reads` (its IAM read
// permissions), so the permission list cannot drift from the code.
import * as bedrockSdk from "@aws-sdk/client-bedrock";
import * as bedrockAgentSdk from "@aws-sdk/client-bedrock-agent";
import * as agentCoreSdk from "@aws-sdk/client-bedrock-agentcore";
import * as agentCoreControlSdk from "@aws-sdk/client-bedrock-agentcore-control";

import { describeAwsError } from "../server/aws/clients";

import { collectEach, paced, type ScanContext, unchanged } from "./context";
import { recordsFromConfig } from "./config-source";
import { isKnown, KINDS, type KindDescriptor, type ResourceKind } from "./kinds";
import { type AnyOp, type ClientName, type CollectContext, iamAction } from "./kinds/kind";
import type { AgentResource } from "./types.shared";

const SDK: Record<ClientName, Record<string, unknown>> = { bedrock: bedrockSdk, bedrockAgent: bedrockAgentSdk, agentCore: agentCoreSdk, agentCoreControl: agentCoreControlSdk };

type CommandClass = new (input: unknown) => never;

/** The SDK command class of an operation (a kind naming an operation its package lacks is a bug: tested). */
export function commandOf(o: AnyOp): CommandClass {
  const c = SDK[o.client][`${o.name}Command`];
  if (typeof c !== "function") throw new Error(`${o.client} has no ${o.name}Command`);
  return c as CommandClass;
}

export class UndeclaredReadError extends Error {}

function contextFor(kind: KindDescriptor, ctx: ScanContext, parents: AgentResource[]): CollectContext {
  const declared = new Set(kind.reads.map((o) => o.name + "|" + o.client));
  const send = async (o: AnyOp, input: unknown): Promise<unknown> => {
    if (!declared.has(o.name + "|" + o.client)) throw new UndeclaredReadError(`${kind.id} calls ${o.name} but does not declare it in reads`);
    const client = ctx.clients[o.client] as { send(c: unknown): Promise<unknown> };
    return paced(ctx, iamAction(o), () => client.send(new (commandOf(o))(input)));
  };
  const fail = (o: AnyOp, e: unknown) => {
    if (e instanceof UndeclaredReadError) throw e;
    const d = describeAwsError(e);
    ctx.errors.push({ service: kind.service, region: ctx.region, account: ctx.account, operation: o.name, code: d.code, message: d.message });
    return d;
  };
  return {
    account: ctx.account,
    region: ctx.region,
    parents,
    async list(o, input, page) {
      const out = [];
      let token: string | undefined;
      do {
        let r;
        try {
          r = page((await send(o as AnyOp, input(token))) as never);
        } catch (e) {
          fail(o as AnyOp, e);
          return out.length ? out : undefined;
        }
        out.push(...(r.items ?? []));
        token = r.next;
      } while (token);
      return out;
    },
    async get(o, input) {
      try {
        return (await send(o as AnyOp, input)) as never;
      } catch (e) {
        fail(o as AnyOp, e);
        return undefined;
      }
    },
    async attempt(o, input) {
      try {
        return { ok: true, value: (await send(o as AnyOp, input)) as never };
      } catch (e) {
        const d = fail(o as AnyOp, e);
        return { ok: false, code: d.code, message: d.message };
      }
    },
    each: (items, read) => collectEach(ctx, items, read),
    unchanged: (arn, updatedAt) => unchanged(ctx, arn, updatedAt),
    found: (r) => ctx.onResource?.(r),
  };
}

/**
 * Every kind's resources in one account and region, in registry order. Kinds without a parent are
 * read side by side; a child kind starts once its parent's listing is done and reads from it.
 */
export async function collectAll(ctx: ScanContext, kinds: readonly KindDescriptor[] = KINDS): Promise<AgentResource[]> {
  const started = new Map<string, Promise<AgentResource[]>>();
  const run = (k: KindDescriptor): Promise<AgentResource[]> => {
    let p = started.get(k.id);
    if (!p) {
      const parent = k.parent ? kinds.find((x) => x.id === k.parent) : undefined;
      p = (parent ? run(parent) : Promise.resolve([])).then((parents) => {
        // A parent that could not be read in full hides its children: say so rather than list fewer.
        const names = new Set(parent?.reads.map((o) => o.name));
        const missed = ctx.errors.some((e) => e.account === ctx.account && e.region === ctx.region && names.has(e.operation));
        if (parent && missed)
          ctx.errors.push({
            service: k.service,
            region: ctx.region,
            account: ctx.account,
            operation: k.reads[0].name,
            code: "NotAttempted",
            message: `Some ${parent.text[1]} could not be read, so their ${k.text[1]} were not listed.`,
          });
        // Where an AWS Config aggregator records the kind here, its items stand for the listing and reads.
        if (ctx.config && isKnown(k.config)) {
          const got = ctx.config.resources(ctx.account, ctx.region, k.config.type);
          if ("items" in got) {
            const records = recordsFromConfig(k.id, got.items);
            if (records.length === got.items.length) {
              for (const r of records) ctx.onResource?.(r);
              return records;
            }
            ctx.config.summary.fallbacks.push({
              account: ctx.account,
              region: ctx.region,
              type: k.config.type,
              reason: `${got.items.length - records.length} of Config's items lack the fields Keyward reads: the API is read`,
            });
          }
        }
        return k.collect(contextFor(k, ctx, parents));
      });
      started.set(k.id, p);
    }
    return p;
  };
  const found = await Promise.all(kinds.map(run));
  return found.flat();
}

export const KINDS_SCANNED: ResourceKind[] = KINDS.map((k) => k.id);
