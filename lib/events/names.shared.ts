// The CloudTrail events the timeline collects (safe for the browser).
export const KMS_EVENT_NAMES = [
  "GenerateDataKey",
  "GenerateDataKeyWithoutPlaintext",
  "Decrypt",
  "Encrypt",
  "ReEncrypt",
  "DescribeKey",
  "CreateGrant",
  "RetireGrant",
  "RevokeGrant",
  "PutKeyPolicy",
  "DisableKey",
  "EnableKey",
  "ScheduleKeyDeletion",
  "CancelKeyDeletion",
] as const;
export const SECRETS_EVENT_NAMES = ["GetSecretValue", "PutResourcePolicy", "RotateSecret"] as const;
/** Trail changes that can blind KMS auditing (KW-DET-08). */
export const TRAIL_EVENT_NAMES = ["PutEventSelectors", "StopLogging", "DeleteTrail", "UpdateTrail"] as const;
export const EVENT_NAMES = [...KMS_EVENT_NAMES, ...SECRETS_EVENT_NAMES, ...TRAIL_EVENT_NAMES] as const;
export type EventName = (typeof EVENT_NAMES)[number];

export const EVENT_SOURCE_OF: Record<EventName, string> = Object.fromEntries([
  ...KMS_EVENT_NAMES.map((n) => [n, "kms.amazonaws.com"]),
  ...SECRETS_EVENT_NAMES.map((n) => [n, "secretsmanager.amazonaws.com"]),
  ...TRAIL_EVENT_NAMES.map((n) => [n, "cloudtrail.amazonaws.com"]),
]) as Record<EventName, string>;

export type Correlation = "encryption context" | "secret" | "service + key" | "key only" | "other use";

/** One event as the API and the page see it (no raw record). */
export interface EventRow {
  eventID: string;
  eventTime: string;
  account: string;
  region: string;
  eventSource: string;
  eventName: string;
  principalArn: string | null;
  principalType: string | null;
  /** The caller's account (userIdentity.accountId or its ARN's), null for AWS services acting on their own. */
  callerAccount: string | null;
  invokedBy: string | null;
  sourceIPAddress: string | null;
  userAgent: string | null;
  keyArn: string | null;
  secretArn: string | null;
  encryptionContext: Record<string, string> | null;
  resourceArn: string | null;
  correlation: Correlation | null;
  /** For "other use": the service the call served. */
  otherService: string | null;
  /** The record had no eventID; eventID is a hash of the record. */
  idDerived: boolean;
  errorCode: string | null;
  errorMessage: string | null;
}
