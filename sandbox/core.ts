// Types every service handler shares: the error a handler throws, the caller, and the call context.
import type { SandboxState } from "./state";

/** An error answered in the service's own wire format (code = the AWS error code). */
export class AwsError extends Error {
  constructor(
    public code: string,
    message: string,
    public status?: number,
  ) {
    super(message);
  }
}

export type PrincipalType = "Root" | "IAMUser" | "AssumedRole" | "AWSService";

/** Who made a call, as CloudTrail's userIdentity and IAM evaluation need it. */
export interface Caller {
  type: PrincipalType;
  account: string;
  /** ARN as CloudTrail prints it (assumed-role session ARN for roles). */
  arn: string;
  principalId: string;
  accessKeyId?: string;
  /** For assumed roles: the role's ARN (what policies name). */
  roleArn?: string;
  userName?: string;
  /** Service principal (bedrock.amazonaws.com) for AWSService callers or invokedBy. */
  invokedBy?: string;
  /** Full administrator: the default sandbox credentials. */
  admin?: boolean;
  sessionName?: string;
}

export interface CallContext {
  state: SandboxState;
  service: string;
  operation: string;
  region: string;
  account: string;
  caller: Caller;
  requestId: string;
  now: Date;
  sourceIp: string;
  userAgent: string;
  /** Set by handlers: extra fields for the CloudTrail record of this call. */
  trail: TrailAnnotations;
}

export interface TrailAnnotations {
  resources?: { ARN: string; accountId: string; type: string }[];
  additionalEventData?: Record<string, unknown>;
  requestParameters?: Record<string, unknown> | null;
  responseElements?: Record<string, unknown> | null;
  /** The key used, for GetKeyLastUsage. */
  keyArn?: string;
}

export type Handler = (ctx: CallContext, input: Record<string, unknown>) => Promise<object> | object;
export type ServiceHandlers = Record<string, Handler>;

export function validation(message: string): AwsError {
  return new AwsError("ValidationException", message);
}

export function notFound(code: string, message: string): AwsError {
  return new AwsError(code, message);
}

export function str(input: Record<string, unknown>, name: string): string | undefined {
  const v = input[name];
  return typeof v === "string" ? v : undefined;
}

export function requireStr(input: Record<string, unknown>, name: string, code = "ValidationException"): string {
  const v = str(input, name);
  if (v === undefined || v === "") {
    throw new AwsError(code, `1 validation error detected: Value null at '${name}' failed to satisfy constraint: Member must not be null`);
  }
  return v;
}
