import { kindOf } from "../../inventory/kinds";
import type { ResourceKind } from "../../inventory/types.shared";
import { keyOrSkip, KEYED_KINDS, type RuleDefinition } from "../rule";

/** What the kind's resources lose with the key. */
const impact = (kind: ResourceKind) => kindOf(kind).impact;

export const keyRules: RuleDefinition[] = [
  {
    id: "KW-KEY-01",
    title: "Key is disabled",
    severity: "high",
    appliesTo: KEYED_KINDS,
    rationale: "A disabled key cannot encrypt or decrypt: the service fails every operation that needs the resource's data.",
    source: "seed 001 (behaviour when a key becomes unavailable); seed 002",
    remediation:
      "If the key was disabled by mistake: aws kms enable-key --key-id KEY. If on purpose, retire the resource or move it to a new key (memories: new memory + migration).",
    references: ["Prowler: kms_cmk_are_used"],
    check(ctx) {
      const k = keyOrSkip(ctx);
      if (Array.isArray(k)) return k;
      return k.state === "Disabled" ? [{ fail: true, keyArn: k.arn, evidence: { keyState: k.state, impact: impact(ctx.resource.kind) } }] : [];
    },
  },
  {
    id: "KW-KEY-02",
    title: "Key is pending deletion",
    severity: "critical",
    appliesTo: KEYED_KINDS,
    rationale: "When the waiting period ends the key is deleted and everything encrypted under it is unrecoverable.",
    source: "seed 001; seed 002; AWS KMS ScheduleKeyDeletion",
    remediation: "aws kms cancel-key-deletion --key-id KEY, then aws kms enable-key --key-id KEY (cancelling leaves the key disabled).",
    references: ["AWS Config: kms-cmk-not-scheduled-for-deletion", "Prowler: kms_cmk_not_deleted_unintentionally"],
    check(ctx) {
      const k = keyOrSkip(ctx);
      if (Array.isArray(k)) return k;
      return k.state === "PendingDeletion" ? [{ fail: true, keyArn: k.arn, evidence: { keyState: k.state, deletionDate: k.deletionDate, impact: impact(ctx.resource.kind) } }] : [];
    },
  },
  {
    id: "KW-KEY-03",
    title: "Key is not a symmetric encryption key",
    severity: "high",
    appliesTo: KEYED_KINDS,
    rationale: "Bedrock and AgentCore only support symmetric ENCRYPT_DECRYPT keys; an asymmetric or HMAC key cannot produce data keys.",
    source: "seed 001 (symmetric keys only)",
    remediation: "Create a SYMMETRIC_DEFAULT key and set it on the resource (memories: new memory + migration).",
    references: [],
    check(ctx) {
      const k = keyOrSkip(ctx);
      if (Array.isArray(k)) return k;
      return k.spec !== "SYMMETRIC_DEFAULT" || k.usage !== "ENCRYPT_DECRYPT" ? [{ fail: true, keyArn: k.arn, evidence: { keySpec: k.spec, keyUsage: k.usage } }] : [];
    },
  },
  {
    id: "KW-KEY-04",
    title: "Key is in another region than the resource",
    severity: "high",
    appliesTo: KEYED_KINDS,
    rationale: "The key must be in the same AWS Region as the resource; a key elsewhere is refused by the service.",
    source: "seed 001 (same Region)",
    remediation: "Create a key in the resource's region (or a multi-Region replica) and set it on the resource.",
    references: [],
    check(ctx) {
      const arn = ctx.resource.keyArn;
      if (!arn) return [];
      const region = arn.split(":")[3];
      return region && region !== ctx.resource.region ? [{ fail: true, keyArn: arn, evidence: { keyRegion: region, resourceRegion: ctx.resource.region } }] : [];
    },
  },
  {
    id: "KW-KEY-05",
    title: "Automatic key rotation is off",
    severity: "low",
    appliesTo: KEYED_KINDS,
    rationale: "Yearly automatic rotation limits the data any one key version protects; it is transparent to Bedrock and AgentCore.",
    source: "AWS KMS best practices",
    remediation: "aws kms enable-key-rotation --key-id KEY (optionally --rotation-period-in-days).",
    references: ["AWS Config: cmk-backing-key-rotation-enabled", "Prowler: kms_cmk_rotation_enabled"],
    check(ctx) {
      const k = keyOrSkip(ctx);
      if (Array.isArray(k)) return k;
      if (k.type !== "customer" || k.spec !== "SYMMETRIC_DEFAULT" || k.state === "PendingDeletion") return [];
      if (k.rotation === null || k.rotation === undefined) return [{ notAssessed: `GetKeyRotationStatus failed (${k.readErrors.GetKeyRotationStatus ?? "unknown"})` }];
      return k.rotation ? [] : [{ fail: true, keyArn: k.arn, evidence: { rotationEnabled: false } }];
    },
  },
  {
    id: "KW-KEY-06",
    title: "Key not found or not readable",
    severity: "medium",
    appliesTo: KEYED_KINDS,
    rationale: "Keyward cannot describe the key the resource names: it was deleted, is in an account Keyward cannot read, or its policy does not let Keyward read it.",
    source: "AWS KMS DescribeKey",
    remediation: "Check the key ARN on the resource; grant Keyward's role kms:DescribeKey and kms:GetKeyPolicy in the key policy, or replace a deleted key.",
    references: [],
    check(ctx) {
      if (!ctx.resource.keyArn || ctx.resource.keyReadError) return [];
      const k = ctx.key;
      if (k?.found) return [];
      return [{ fail: true, keyArn: ctx.resource.keyArn, evidence: { keyArn: ctx.resource.keyArn, error: k?.readErrors.DescribeKey ?? "not read" } }];
    },
  },
];
