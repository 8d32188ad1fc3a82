// The kind registry: every kind is complete, its knowledge agrees with the rest of Keyward (templates,
// SDK operations, IAM permissions, wizard flows), and the derived tables really come from it.
import { readFileSync } from "node:fs";

import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";

import { testSandbox } from "../../../sandbox/testing/index";
import { correlate, inventoryIndex } from "../../events/correlate";
import type { NormalizedEvent } from "../../events/normalize";
import { getTemplate, TEMPLATES, templatesForKind } from "../../policy/templates";
import { requirementsFor } from "../../posture/requirements";
import { RULES } from "../../posture/rules";
import { pointSdkAtSandbox } from "../../posture/testing";
import { clientsFor } from "../../server/aws/clients";
import { FLOW_KIND } from "../../setup/policy";
import { FLOWS } from "../../setup/types.shared";
import { collectAll, commandOf, UndeclaredReadError } from "../collect";
import type { ScanContext } from "../context";
import { KIND_LABELS, type ResourceKind } from "../types.shared";

import { iamAction, type KindDescriptor, op } from "./kind";

import { isKnown, KEYED_KINDS, kindOf, KINDS } from "./index";

/** The keys of T that may be left out. */
type OptionalKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? K : never }[keyof T];

describe("a kind descriptor", () => {
  it("has every part but its parent required: a kind that leaves one out does not compile", () => {
    expectTypeOf<OptionalKeys<KindDescriptor>>().toEqualTypeOf<"parent">();
    // @ts-expect-error — no impact text: the build fails.
    const incomplete: KindDescriptor<"example"> = { ...kindOf("agentcore-memory"), id: "example", impact: undefined };
    expect(incomplete.id).toBe("example");
  });

  it.each(KINDS.map((k) => [k.id, k] as const))("%s is complete and its knowledge is explicit", (_id, k: KindDescriptor) => {
    expect(k.label.trim()).not.toBe("");
    expect(k.text[0].trim()).not.toBe("");
    expect(k.text[1].trim()).not.toBe("");
    expect(k.doc.url).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
    expect(k.reads.length).toBeGreaterThan(0);
    expect(k.impact.length).toBeGreaterThan(20);
    expect(k.correlation.services.length + k.correlation.contextKeys.length).toBeGreaterThan(0);
    for (const part of [k.key, k.roles, k.secrets, k.policy, k.setup]) if (!isKnown(part)) expect(part.none.trim().length).toBeGreaterThan(10);
    if (k.parent) expect(KINDS.findIndex((x) => x.id === k.parent)).toBeLessThan(KINDS.findIndex((x) => x.id === k.id));
    // A kind with no key of its own must reach one through its secrets, or it would never be checked.
    expect(isKnown(k.key) || isKnown(k.secrets)).toBe(true);
  });

  it("ids are unique and every label is derived from the registry", () => {
    expect(new Set(KINDS.map((k) => k.id)).size).toBe(KINDS.length);
    expect(Object.keys(KIND_LABELS)).toEqual(KINDS.map((k) => k.id));
  });
});

describe("what the descriptors name exists", () => {
  it("every operation a kind reads is a command of its SDK package, and granted by the read policy in docs/iam-policy.json", () => {
    const doc = JSON.parse(readFileSync("docs/iam-policy.json", "utf8")) as { read: { Statement: { Action: string[] }[] } };
    const granted = new Set(doc.read.Statement.flatMap((s) => s.Action));
    for (const k of KINDS)
      for (const o of k.reads) {
        expect(typeof commandOf(o), `${k.id}: ${o.name}`).toBe("function");
        expect(granted.has(iamAction(o)), `${k.id}: ${iamAction(o)} in docs/iam-policy.json`).toBe(true);
      }
  });

  it("a kind's templates exist, and every key or secret policy template belongs to a kind", () => {
    for (const k of KINDS) if (isKnown(k.policy)) for (const id of k.policy.templates) expect(getTemplate(id), `${k.id}: ${id}`).toBeDefined();
    const listed = new Set(KINDS.flatMap((k) => (isKnown(k.policy) ? k.policy.templates : [])));
    expect(TEMPLATES.filter((t) => !listed.has(t.id)).map((t) => t.id)).toEqual([]);
  });

  it("every wizard flow creates exactly one kind, named by that kind's descriptor", () => {
    const claimed = KINDS.flatMap((k) => (isKnown(k.setup) ? [k.setup.flow] : []));
    expect([...claimed].sort()).toEqual([...FLOWS].sort());
    for (const f of FLOWS) expect(kindOf(FLOW_KIND[f]).setup).toMatchObject({ flow: f });
  });
});

describe("the tables derived from the registry", () => {
  const sample = (kind: ResourceKind) => ({
    arn: `arn:aws:${kindOf(kind).arnService}:us-east-1:111122223333:${kind}/x1`,
    kind,
    name: "x1",
    account: "111122223333",
    region: "us-east-1",
    keyArn: "arn:aws:kms:us-east-1:111122223333:key/11111111-2222-3333-4444-555555555555",
    created: "2026-01-01T00:00:00Z",
    roles: ["arn:aws:iam::111122223333:role/R"],
    secrets: [],
    tags: {},
  });

  it("the key rules cover exactly the kinds with a key; the secret rules the kinds with secrets", () => {
    const byId = new Map(RULES.map((r) => [r.id, r]));
    for (const id of ["KW-ENC-01", "KW-KEY-01", "KW-POL-01", "KW-POL-02", "KW-GRT-01"]) expect(byId.get(id)!.appliesTo).toEqual(KEYED_KINDS);
    expect(byId.get("KW-SEC-01")!.appliesTo).toEqual(KINDS.filter((k) => isKnown(k.secrets)).map((k) => k.id));
    expect(byId.get("KW-IAM-01")!.appliesTo).toEqual(KINDS.filter((k) => isKnown(k.roles)).map((k) => k.id));
  });

  it("a kind with a documented policy requires something of its key; one without says why (KW-POL-01 then reports not assessed)", () => {
    for (const k of KINDS) {
      const reqs = requirementsFor(sample(k.id));
      if (!isKnown(k.key)) continue;
      if (isKnown(k.policy)) expect(reqs.length, k.id).toBeGreaterThan(0);
      else expect(reqs).toEqual([]);
      expect(templatesForKind(k.id).length > 0).toBe(isKnown(k.policy));
    }
  });

  it("each kind's encryption-context key ties an event to its resource", () => {
    for (const k of KINDS)
      for (const key of k.correlation.contextKeys) {
        const r = sample(k.id);
        const idx = inventoryIndex([{ arn: r.arn, kind: r.kind, key: { arn: r.keyArn, type: "customer" }, secrets: [] }]);
        const e = { keyArn: r.keyArn, encryptionContext: { [key]: r.arn } } as unknown as NormalizedEvent;
        expect(correlate(e, idx), `${k.id} ${key}`).toEqual({ resourceArn: r.arn, correlation: "encryption context" });
      }
  });
});

describe("the collectors against the sandbox", () => {
  let sb: Awaited<ReturnType<typeof testSandbox>>;
  let restore: () => void;
  beforeAll(async () => {
    sb = await testSandbox();
    restore = pointSdkAtSandbox(sb);
  });
  afterAll(async () => {
    restore();
    await sb.close();
  });
  const ctx = (): ScanContext => ({
    clients: clientsFor({ account: "111122223333", region: "us-east-1" }),
    account: "111122223333",
    region: "us-east-1",
    counter: { calls: 0 },
    errors: [],
  });

  it("every kind reads without error, through only the operations it declares", async () => {
    const c = ctx();
    const found = await collectAll(c);
    expect(c.errors.filter((e) => e.code !== "ValidationException")).toEqual([]);
    for (const k of KINDS.filter((x) => x.id !== "oauth2-credential-provider"))
      expect(
        found.some((r) => r.kind === k.id),
        k.id,
      ).toBe(true);
  });

  it("counts every attempt AWS saw: a call the SDK retried counts as many times as it was sent", async () => {
    await fetch(`${sb.url}/_sandbox/faults`, { method: "PUT", body: JSON.stringify([{ service: "bedrock-agentcore", operation: "ListMemories", errorRate: 1 }]) });
    const saved = process.env.KEYWARD_AWS_MAX_ATTEMPTS;
    process.env.KEYWARD_AWS_MAX_ATTEMPTS = "3";
    try {
      // A region no other test here used, so its clients are built with three attempts.
      const c: ScanContext = {
        clients: clientsFor({ account: "111122223333", region: "eu-west-1" }),
        account: "111122223333",
        region: "eu-west-1",
        counter: { calls: 0 },
        errors: [],
      };
      expect(await collectAll(c, [kindOf("agentcore-memory")])).toEqual([]);
      expect(c.counter.calls).toBe(3);
      expect(c.errors).toMatchObject([{ operation: "ListMemories", code: "InternalFailure" }]);
    } finally {
      process.env.KEYWARD_AWS_MAX_ATTEMPTS = saved;
      await fetch(`${sb.url}/_sandbox/faults`, { method: "DELETE" });
    }
  });

  it("a child kind whose parents could not all be read says so instead of listing fewer", async () => {
    await fetch(`${sb.url}/_sandbox/faults`, { method: "PUT", body: JSON.stringify([{ service: "bedrock", operation: "GetKnowledgeBase", accessDenied: true }]) });
    try {
      const c = ctx();
      const found = await collectAll(c, [kindOf("knowledge-base"), kindOf("knowledge-base-data-source")]);
      expect(found.filter((r) => r.kind === "knowledge-base-data-source")).toEqual([]);
      expect(c.errors).toContainEqual(
        expect.objectContaining({ operation: "ListDataSources", code: "NotAttempted", message: expect.stringContaining("knowledge bases could not be read") }),
      );
    } finally {
      await fetch(`${sb.url}/_sandbox/faults`, { method: "DELETE" });
    }
  });

  it("a collector calling an operation it does not declare fails loudly instead of reading unlisted", async () => {
    const sneaky: KindDescriptor = { ...kindOf("agentcore-memory"), reads: [] };
    await expect(collectAll(ctx(), [sneaky])).rejects.toBeInstanceOf(UndeclaredReadError);
    // The same kind, declaring the call, reads.
    const listed: KindDescriptor = { ...kindOf("agentcore-memory"), reads: [op("agentCoreControl", "ListMemories"), op("agentCoreControl", "GetMemory")] };
    expect((await collectAll(ctx(), [listed])).length).toBeGreaterThan(0);
  });
});
