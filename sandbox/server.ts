// The sandbox HTTP endpoint: one port for every service. Requests are authenticated with SigV4,
// routed by the signing name in the credential scope, decoded per the service's wire protocol,
// served by a handler, recorded as CloudTrail events and answered in AWS's format.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

import { AwsError, type CallContext, type Caller } from "./core";
import { FaultEngine } from "./faults";
import type { ServiceModel } from "./protocols/model";
import { validateValue, missingRequired } from "./protocols/shapes";
import {
  decodeJson,
  decodeQuery,
  decodeRest,
  encodeJson,
  encodeJsonError,
  encodeQuery,
  encodeQueryError,
  encodeRest,
  encodeRestError,
  type Decoded,
  type Encoded,
  type RawRequest,
} from "./protocols/wire";
import { handleAdmin } from "./admin";
import { callerFor } from "./principals";
import { SERVICES, type ServiceDef } from "./services";
import { parseAuthorization, parseAmzDate, verifySignature } from "./sigv4";
import type { SandboxState } from "./state";
import { buildRecord, camelParams, recordEvent } from "./trail";

export { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY } from "./defaults";

export interface SandboxOptions {
  /** Validate every response against the SDK output schema; a mismatch answers 500. */
  strict?: boolean;
  /** Apply AWS's published rate limits (LookupEvents 2 TPS...). */
  enforceDefaultLimits?: boolean;
  onChange?: () => void;
  /** Called with each recorded CloudTrail record (persistence). */
  onEvent?: (json: string) => void;
}

export class SandboxServer {
  faults: FaultEngine;
  /** Output-schema violations seen (strict mode answers 500 for them too). */
  violations: { operation: string; problems: string[] }[] = [];
  private server?: Server;
  url = "";

  constructor(
    public state: SandboxState,
    public options: SandboxOptions = {},
  ) {
    this.faults = new FaultEngine(state.faults, Math.random, options.enforceDefaultLimits ?? true);
  }

  async listen(port = 4599, host = "127.0.0.1"): Promise<string> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((e: unknown) => {
        res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ __type: "InternalFailure", message: e instanceof Error ? e.message : String(e) }));
      });
    });
    this.server.keepAliveTimeout = 5000;
    await new Promise<void>((resolve, reject) => {
      this.server!.once("error", reject);
      this.server!.listen(port, host, () => resolve());
    });
    const addr = this.server.address() as AddressInfo;
    this.url = `http://${host}:${addr.port}`;
    return this.url;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url ?? "/", "http://sandbox");
    const query: Record<string, string | string[]> = {};
    for (const [k, v] of url.searchParams) {
      const prev = query[k];
      query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
    const raw: RawRequest = {
      method: req.method ?? "GET",
      path: decodeURIComponent(url.pathname),
      rawPath: url.pathname,
      query,
      headers: req.headers,
      body,
    };
    if (url.pathname.startsWith("/_sandbox/")) {
      const out = await handleAdmin(this, raw);
      return send(res, out, randomUUID());
    }
    const requestId = randomUUID();
    const auth = parseAuthorization(req.headers.authorization);
    const service = auth ? SERVICES.find((s) => s.signingName === auth.service) : undefined;
    const protocol = service?.protocol ?? guessProtocol(raw);
    const fail = (err: AwsError, model?: ServiceModel) => send(res, encodeError(protocol, model, err, requestId), requestId);

    if (!auth) {
      return fail(new AwsError(protocol === "awsQuery" ? "MissingAuthenticationToken" : "MissingAuthenticationTokenException", "Request is missing Authentication Token", 403));
    }
    if (!service) {
      return fail(new AwsError("UnknownServiceException", `The sandbox does not serve the service "${auth.service}".`, 400));
    }
    const cred = this.state.credentials.get(auth.accessKeyId);
    const sessionToken = headerOf(raw, "x-amz-security-token");
    if (!cred || (cred.expiresAt && cred.expiresAt.getTime() < Date.now()) || (cred.sessionToken && cred.sessionToken !== sessionToken)) {
      return fail(
        protocol === "awsQuery"
          ? new AwsError("InvalidClientTokenId", "The security token included in the request is invalid.", 403)
          : new AwsError("UnrecognizedClientException", "The security token included in the request is invalid.", 400),
      );
    }
    const ok = await verifySignature({ auth, secretAccessKey: cred.secretAccessKey, sessionToken, method: raw.method, rawPath: raw.rawPath, query, headers: req.headers, body });
    if (!ok) {
      const msg =
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";
      return fail(protocol === "awsQuery" ? new AwsError("SignatureDoesNotMatch", msg, 403) : new AwsError("InvalidSignatureException", msg, 403));
    }
    const signedAt = parseAmzDate(headerOf(raw, "x-amz-date"));
    if (!signedAt || Math.abs(signedAt.getTime() - Date.now()) > 15 * 60_000) {
      return fail(
        new AwsError(
          protocol === "awsQuery" ? "SignatureDoesNotMatch" : "InvalidSignatureException",
          "Signature expired: the request time is more than 15 minutes from the server time.",
          403,
        ),
      );
    }

    const region = auth.region;
    if (service.signingName === "bedrock-agentcore" && this.state.agentCoreUnavailableIn.includes(region)) {
      // AWS has no AgentCore endpoint in such a region: the connection itself fails.
      req.socket.destroy();
      return;
    }

    let decoded: Decoded;
    try {
      decoded = decode(service, raw);
    } catch (e) {
      if (e instanceof AwsError) return fail(e, service.models[0]);
      throw e;
    }
    const { op, model } = decoded;
    const caller = callerFor(this.state, cred);
    const fault = this.faults.decide(service.signingName, op.name, caller.account, region);
    if (fault.unavailable) {
      req.socket.destroy();
      return;
    }
    if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));

    const ctx: CallContext = {
      state: this.state,
      service: service.signingName,
      operation: op.name,
      region,
      account: caller.account,
      caller,
      requestId,
      now: new Date(),
      sourceIp: remoteIp(req),
      userAgent: String(req.headers["user-agent"] ?? "unknown"),
      trail: {},
    };
    let out: Encoded;
    let error: AwsError | undefined;
    try {
      if (fault.throttled) {
        throw protocol === "awsQuery" ? new AwsError("Throttling", "Rate exceeded", 400) : new AwsError("ThrottlingException", "Rate exceeded", 400);
      }
      if (fault.serverError)
        throw new AwsError(
          protocol === "awsQuery" ? "ServiceUnavailable" : "InternalFailure",
          "The request processing has failed because of an unknown error, exception or failure.",
          500,
        );
      if (fault.accessDenied) {
        const action = `${service.signingName}:${op.name}`;
        throw new AwsError(
          protocol === "awsQuery" ? "AccessDenied" : "AccessDeniedException",
          `User: ${caller.arn} is not authorized to perform: ${action} because no identity-based policy allows the ${action} action`,
          403,
        );
      }
      const missing = missingRequired(op.input, decoded.input);
      if (missing.length) {
        throw new AwsError(
          protocol === "awsQuery" ? "ValidationError" : "ValidationException",
          `${missing.length} validation error${missing.length > 1 ? "s" : ""} detected: ${missing.map((m) => `Value null at '${m.charAt(0).toLowerCase()}${m.slice(1)}' failed to satisfy constraint: Member must not be null`).join("; ")}`,
          400,
        );
      }
      const handler = service.handlersFor(model)[op.name];
      if (!handler) throw new AwsError("UnknownOperationException", `The sandbox does not implement ${op.name}.`, 501);
      const result = await handler(ctx, decoded.input);
      const problems = validateValue(op.output, result);
      if (problems.length) {
        this.violations.push({ operation: `${service.signingName}:${op.name}`, problems });
        if (this.options.strict) throw new AwsError("InternalFailure", `Sandbox response does not match the ${op.name} output schema: ${problems.join("; ")}`, 500);
      }
      out = protocol === "awsJson1_1" ? encodeJson(op, result) : protocol === "restJson1" ? encodeRest(op, result) : encodeQuery(model, op, result, requestId);
    } catch (e) {
      if (!(e instanceof AwsError)) throw e;
      error = e;
      out = encodeError(protocol, model, e, requestId);
    }
    // CloudTrail records every management call (the trail's own LookupEvents included).
    if (!(error && error.code === "ThrottlingException" && op.name === "LookupEvents")) {
      this.record(ctx, decoded, error);
    }
    if (!error || ctx.trail.keyArn) this.options.onChange?.();
    send(res, out, requestId);
  }

  private record(ctx: CallContext, decoded: Decoded, error?: AwsError): void {
    const requestParameters =
      ctx.trail.requestParameters !== undefined
        ? ctx.trail.requestParameters
        : Object.keys(decoded.input).length
          ? camelParams(decoded.input, ["SecretString", "SecretBinary", "Plaintext", "ClientSecret", "clientSecret", "apiKey"])
          : null;
    // KMS logs a denied Decrypt with no request parameters and no resources: the key is only in the message.
    const deniedDecrypt = error?.code === "AccessDeniedException" && ctx.service === "kms" && decoded.op.name === "Decrypt";
    const rec = buildRecord({
      time: ctx.now,
      caller: ctx.caller,
      account: ctx.account,
      region: ctx.region,
      service: ctx.service,
      eventName: decoded.op.name,
      requestParameters: deniedDecrypt ? null : requestParameters,
      responseElements: error ? null : (ctx.trail.responseElements ?? null),
      errorCode: error ? error.code : undefined,
      errorMessage: error ? error.message : undefined,
      requestId: ctx.requestId,
      sourceIp: ctx.sourceIp,
      userAgent: ctx.userAgent,
      resources: deniedDecrypt ? undefined : ctx.trail.resources,
      additionalEventData: ctx.trail.additionalEventData,
    });
    const stored = recordEvent(this.state, rec);
    this.options.onEvent?.(stored.json);
  }
}

function headerOf(req: RawRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function remoteIp(req: IncomingMessage): string {
  const ip = req.socket.remoteAddress ?? "127.0.0.1";
  return ip.startsWith("::ffff:") ? ip.slice(7) : ip;
}

function guessProtocol(raw: RawRequest): ServiceDef["protocol"] {
  if (headerOf(raw, "x-amz-target")) return "awsJson1_1";
  if (String(headerOf(raw, "content-type") ?? "").includes("x-www-form-urlencoded")) return "awsQuery";
  return "restJson1";
}

function decode(service: ServiceDef, raw: RawRequest): Decoded {
  switch (service.protocol) {
    case "awsJson1_1":
      return decodeJson(service.models, raw);
    case "restJson1":
      return decodeRest(service.models, raw);
    case "awsQuery":
      return decodeQuery(service.models, raw);
  }
}

function encodeError(protocol: ServiceDef["protocol"], model: ServiceModel | undefined, err: AwsError, requestId: string): Encoded {
  if (protocol === "awsQuery") return encodeQueryError(model, err, requestId);
  if (protocol === "restJson1") return encodeRestError(model, err);
  return encodeJsonError(model, err);
}

function send(res: ServerResponse, out: Encoded, requestId: string): void {
  res.writeHead(out.status, {
    ...out.headers,
    "x-amzn-requestid": requestId,
    "x-amz-request-id": requestId,
    "content-length": Buffer.byteLength(out.body),
    date: new Date().toUTCString(),
  });
  res.end(out.body);
}

export type { Caller };
