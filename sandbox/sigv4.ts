// SigV4 verification: the request is signed again with the secret the sandbox holds for the access
// key, using the same signer the SDK uses, over exactly the headers the client said it signed.
import { createHash, createHmac, type Hash, type Hmac } from "node:crypto";

import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";

type SourceData = string | ArrayBuffer | ArrayBufferView;

function bytes(v: SourceData): Buffer {
  if (typeof v === "string") return Buffer.from(v, "utf8");
  if (ArrayBuffer.isView(v)) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  return Buffer.from(v);
}

/** SHA-256 / HMAC-SHA-256 on node:crypto, in the shape the SDK signer expects (fast: no JS hashing). */
class NodeSha256 {
  private h: Hash | Hmac;
  constructor(private secret?: SourceData) {
    this.h = this.make();
  }
  private make(): Hash | Hmac {
    return this.secret !== undefined ? createHmac("sha256", bytes(this.secret)) : createHash("sha256");
  }
  update(data: Uint8Array): void {
    this.h.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.h.digest());
  }
  reset(): void {
    this.h = this.make();
  }
}

export interface ParsedAuth {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

const AUTH_RE = /^AWS4-HMAC-SHA256\s+Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request,\s*SignedHeaders=([^,]+),\s*Signature=([0-9a-f]{64})$/;

export function parseAuthorization(header: string | undefined): ParsedAuth | undefined {
  if (!header) return undefined;
  const m = AUTH_RE.exec(header.trim());
  if (!m) return undefined;
  return {
    accessKeyId: m[1],
    date: m[2],
    region: m[3],
    service: m[4],
    signedHeaders: m[5].split(";"),
    signature: m[6],
  };
}

/** Parses the X-Amz-Date form (20261122T191331Z). */
export function parseAmzDate(v: string | undefined): Date | undefined {
  if (!v) return undefined;
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(v);
  if (!m) return undefined;
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
}

export async function verifySignature(opts: {
  auth: ParsedAuth;
  secretAccessKey: string;
  sessionToken?: string;
  method: string;
  rawPath: string;
  query: Record<string, string | string[]>;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}): Promise<boolean> {
  const headers: Record<string, string> = {};
  for (const name of opts.auth.signedHeaders) {
    const v = opts.headers[name];
    if (v === undefined) return false;
    headers[name] = Array.isArray(v) ? v.join(",") : v;
  }
  const signingDate = parseAmzDate(headers["x-amz-date"]);
  if (!signingDate) return false;
  const host = headers.host ?? "";
  const request = new HttpRequest({
    method: opts.method,
    protocol: "http:",
    hostname: host.split(":")[0],
    port: host.includes(":") ? Number(host.split(":")[1]) : undefined,
    path: opts.rawPath,
    query: opts.query,
    headers,
    body: opts.body.length ? opts.body : undefined,
  });
  const signer = new SignatureV4({
    service: opts.auth.service,
    region: opts.auth.region,
    sha256: NodeSha256,
    credentials: {
      accessKeyId: opts.auth.accessKeyId,
      secretAccessKey: opts.secretAccessKey,
      sessionToken: opts.sessionToken,
    },
    // The path arrives as the client sent it (already escaped once); the SDK signer escaped it
    // again when signing, so do the same here.
    uriEscapePath: true,
    // The SDK for JavaScript signs x-amz-content-sha256; botocore (the AWS CLI) does not.
    applyChecksum: opts.auth.signedHeaders.includes("x-amz-content-sha256"),
  });
  const signed = await signer.sign(request, {
    signingDate,
    signableHeaders: new Set(opts.auth.signedHeaders),
  });
  const auth = String(signed.headers.authorization ?? signed.headers.Authorization ?? "");
  const m = /Signature=([0-9a-f]{64})/.exec(auth);
  return !!m && m[1] === opts.auth.signature;
}
