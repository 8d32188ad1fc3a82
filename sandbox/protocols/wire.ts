// The three wire protocols Keyward's services speak: awsJson1_1 (KMS, Secrets Manager,
// CloudTrail), restJson1 (Bedrock Agent, AgentCore) and awsQuery (STS, IAM). Each decodes a request
// into (operation, input) and encodes results and errors as AWS does.
import type { NormalizedSchema } from "@smithy/core/schema";

import { AwsError } from "../core";

import type { OperationModel, ServiceModel } from "./model";
import { fromJson, parseTimestamp, ShapeError, timestampFormat, toJson, type Value } from "./shapes";

export interface RawRequest {
  method: string;
  path: string; // decoded-once path without query
  rawPath: string;
  query: Record<string, string | string[]>;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface Encoded {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface Decoded {
  op: OperationModel;
  model: ServiceModel;
  input: Record<string, Value>;
}

function header(req: RawRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function parseJsonBody(req: RawRequest): Record<string, unknown> {
  if (!req.body.length) return {};
  try {
    const v = JSON.parse(req.body.toString("utf8")) as unknown;
    if (typeof v !== "object" || v === null || Array.isArray(v)) throw new Error("not an object");
    return v as Record<string, unknown>;
  } catch {
    throw new AwsError("SerializationException", "Start of structure or map found where not expected.", 400);
  }
}

function decodeStruct(schema: NormalizedSchema, obj: Record<string, unknown>, useJsonName: boolean): Record<string, Value> {
  try {
    return (fromJson(schema, obj, { useJsonName }) ?? {}) as Record<string, Value>;
  } catch (e) {
    if (e instanceof ShapeError) throw new AwsError("SerializationException", `Invalid value at ${e.path}: ${e.message}`, 400);
    throw e;
  }
}

// ---------------------------------------------------------------- awsJson1_1

export function decodeJson(models: ServiceModel[], req: RawRequest): Decoded {
  const target = header(req, "x-amz-target") ?? "";
  const dot = target.lastIndexOf(".");
  const prefix = target.slice(0, dot);
  const opName = target.slice(dot + 1);
  for (const model of models) {
    // The JS SDK sends the short target (CloudTrail_20131101), botocore its model's full targetPrefix
    // (com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101); AWS accepts both.
    if (model.target && prefix !== model.target && !prefix.endsWith(`.${model.target}`)) continue;
    const op = model.operations.get(opName);
    if (op) return { op, model, input: decodeStruct(op.input, parseJsonBody(req), false) };
  }
  throw new AwsError("UnknownOperationException", `The operation ${target || "(missing X-Amz-Target)"} is not supported by this endpoint.`, 400);
}

export function encodeJson(op: OperationModel, output: object): Encoded {
  const body = toJson(op.output, output as Value, { useJsonName: false }) ?? {};
  return { status: 200, headers: { "content-type": "application/x-amz-json-1.1" }, body: JSON.stringify(body) };
}

export function encodeJsonError(model: ServiceModel | undefined, err: AwsError): Encoded {
  const status = err.status ?? model?.errors.get(err.code)?.status ?? 400;
  return {
    status,
    headers: { "content-type": "application/x-amz-json-1.1", "x-amzn-errortype": err.code },
    body: JSON.stringify({ __type: err.code, message: err.message }),
  };
}

// ---------------------------------------------------------------- restJson1

interface Route {
  op: OperationModel;
  model: ServiceModel;
  method: string;
  segments: string[];
  literalCount: number;
  query: Record<string, string>; // literal query in the template (rare)
}

const routeCache = new WeakMap<ServiceModel[], Route[]>();

function routesFor(models: ServiceModel[]): Route[] {
  let routes = routeCache.get(models);
  if (routes) return routes;
  routes = [];
  for (const model of models) {
    for (const op of model.operations.values()) {
      if (!op.http) continue;
      const [pathPart, queryPart] = op.http.path.split("?");
      const segments = pathPart.split("/").filter((s, i, a) => s !== "" || i === a.length - 1);
      const query: Record<string, string> = {};
      if (queryPart) for (const kv of queryPart.split("&")) query[kv.split("=")[0]] = kv.split("=")[1] ?? "";
      routes.push({ op, model, method: op.http.method, segments, literalCount: segments.filter((s) => !s.startsWith("{")).length, query });
    }
  }
  // Most literal segments first so /memories/create wins over /memories/{memoryId}.
  routes.sort((a, b) => b.literalCount - a.literalCount || b.segments.length - a.segments.length);
  routeCache.set(models, routes);
  return routes;
}

function matchRoute(route: Route, segs: string[]): Record<string, string> | undefined {
  const labels: Record<string, string> = {};
  const tpl = route.segments;
  let i = 0;
  for (let t = 0; t < tpl.length; t++, i++) {
    const s = tpl[t];
    if (s.startsWith("{") && s.endsWith("+}")) {
      labels[s.slice(1, -2)] = segs.slice(i).join("/");
      return labels;
    }
    if (i >= segs.length) return undefined;
    if (s.startsWith("{")) {
      if (segs[i] === "") return undefined;
      labels[s.slice(1, -1)] = segs[i];
    } else if (s !== segs[i]) return undefined;
  }
  return i === segs.length ? labels : undefined;
}

function splitPath(path: string): string[] {
  const segs = path.split("/");
  segs.shift(); // leading slash
  return segs;
}

function scalarFrom(schema: NormalizedSchema, raw: string): Value {
  if (schema.isBooleanSchema()) return raw === "true";
  if (schema.isNumericSchema()) return Number(raw);
  if (schema.isTimestampSchema()) return parseTimestamp(raw);
  return raw;
}

export function decodeRest(models: ServiceModel[], req: RawRequest): Decoded {
  const rawSegs = splitPath(req.rawPath);
  let methodMismatch = false;
  for (const route of routesFor(models)) {
    const labels = matchRoute(route, rawSegs);
    if (!labels) continue;
    if (route.method !== req.method) {
      methodMismatch = true;
      continue;
    }
    const { op, model } = route;
    const input: Record<string, Value> = {};
    const bodyMembers: Record<string, unknown> = {};
    let payloadMember: [string, NormalizedSchema] | undefined;
    for (const [name, member] of op.input.structIterator()) {
      const t = member.getMergedTraits() as { httpLabel?: unknown; httpQuery?: string; httpHeader?: string; httpPayload?: unknown; httpQueryParams?: unknown };
      if (t.httpLabel) {
        const v = labels[name];
        if (v !== undefined) input[name] = scalarFrom(member, decodeURIComponent(v));
      } else if (t.httpQuery) {
        const v = req.query[t.httpQuery];
        if (v !== undefined) {
          input[name] = member.isListSchema() ? (Array.isArray(v) ? v : [v]).map((x) => scalarFrom(member.getValueSchema(), x)) : scalarFrom(member, Array.isArray(v) ? v[0] : v);
        }
      } else if (t.httpHeader) {
        const v = header(req, t.httpHeader.toLowerCase());
        if (v !== undefined) input[name] = scalarFrom(member, v);
      } else if (t.httpPayload) {
        payloadMember = [name, member];
      } else if (!t.httpQueryParams) {
        bodyMembers[name] = member;
      }
    }
    const body = req.body.length ? parseJsonBody(req) : {};
    if (payloadMember) {
      const [name, member] = payloadMember;
      input[name] = member.isStructSchema() ? decodeStruct(member, body, true) : req.body.toString("utf8");
    } else {
      const decoded = decodeStruct(op.input, body, true);
      for (const k of Object.keys(bodyMembers)) if (decoded[k] !== undefined) input[k] = decoded[k];
    }
    return { op, model, input };
  }
  if (methodMismatch) throw new AwsError("MethodNotAllowedException", "The requested method is not allowed for this resource.", 405);
  throw new AwsError("UnknownOperationException", `No operation matches ${req.method} ${req.rawPath}.`, 404);
}

export function encodeRest(op: OperationModel, output: object): Encoded {
  const headers: Record<string, string> = { "content-type": "application/json" };
  let status = op.http?.code ?? 200;
  const bodyObj: Record<string, Value> = {};
  const out = output as Record<string, Value>;
  let payload: string | undefined;
  for (const [name, member] of op.output.structIterator()) {
    const v = out[name];
    if (v === undefined || v === null) continue;
    const t = member.getMergedTraits() as { httpHeader?: string; httpResponseCode?: unknown; httpPayload?: unknown };
    if (t.httpHeader) {
      headers[t.httpHeader.toLowerCase()] = member.isTimestampSchema() ? (v as Date).toUTCString() : String(v);
    } else if (t.httpResponseCode) status = Number(v);
    else if (t.httpPayload) payload = JSON.stringify(toJson(member, v, { useJsonName: true }));
    else bodyObj[name] = v;
  }
  const body = payload ?? JSON.stringify(toJson(op.output, bodyObj, { useJsonName: true }) ?? {});
  return { status, headers, body };
}

export function encodeRestError(model: ServiceModel | undefined, err: AwsError): Encoded {
  const status = err.status ?? model?.errors.get(err.code)?.status ?? 400;
  return {
    status,
    headers: { "content-type": "application/json", "x-amzn-errortype": err.code },
    body: JSON.stringify({ message: err.message }),
  };
}

// ---------------------------------------------------------------- awsQuery

function parseForm(body: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of new URLSearchParams(body.toString("utf8"))) out.set(k, v);
  return out;
}

function queryValue(schema: NormalizedSchema, form: Map<string, string>, prefix: string): Value {
  if (schema.isListSchema()) {
    const items: Value[] = [];
    const flattened = !!(schema.getMergedTraits() as { xmlFlattened?: unknown }).xmlFlattened;
    for (let i = 1; ; i++) {
      const p = flattened ? `${prefix}.${i}` : `${prefix}.member.${i}`;
      const v = queryValue(schema.getValueSchema(), form, p);
      if (v === undefined) break;
      items.push(v);
    }
    if (!items.length && form.get(prefix) === "") return [];
    return items.length ? items : undefined;
  }
  if (schema.isMapSchema()) {
    const out: Record<string, Value> = {};
    for (let i = 1; ; i++) {
      const k = form.get(`${prefix}.entry.${i}.key`);
      if (k === undefined) break;
      out[k] = queryValue(schema.getValueSchema(), form, `${prefix}.entry.${i}.value`);
    }
    return Object.keys(out).length ? out : undefined;
  }
  if (schema.isStructSchema()) {
    const out: Record<string, Value> = {};
    for (const [name, member] of schema.structIterator()) {
      const t = member.getMergedTraits() as { xmlName?: string; awsQueryName?: string };
      const v = queryValue(member, form, `${prefix ? `${prefix}.` : ""}${t.xmlName ?? name}`);
      if (v !== undefined) out[name] = v;
    }
    return prefix && !Object.keys(out).length ? undefined : out;
  }
  const raw = form.get(prefix);
  if (raw === undefined) return undefined;
  if (schema.isBlobSchema()) return new Uint8Array(Buffer.from(raw, "base64"));
  return scalarFrom(schema, raw);
}

export function decodeQuery(models: ServiceModel[], req: RawRequest): Decoded {
  const form = req.method === "POST" ? parseForm(req.body) : new Map(Object.entries(req.query).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  const action = form.get("Action") ?? "";
  for (const model of models) {
    const op = model.operations.get(action);
    if (!op) continue;
    if (model.version && form.get("Version") && form.get("Version") !== model.version) {
      throw new AwsError("InvalidParameterValue", `Could not find operation ${action} for version ${form.get("Version")}`, 400);
    }
    return { op, model, input: (queryValue(op.input, form, "") ?? {}) as Record<string, Value> };
  }
  throw new AwsError("InvalidAction", `Could not find operation ${action || "(none)"} for version ${form.get("Version") ?? "(none)"}`, 400);
}

function xmlEscape(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function toXml(schema: NormalizedSchema, v: Value): string {
  if (v === undefined || v === null) return "";
  if (schema.isListSchema()) {
    const member = schema.getValueSchema();
    return (v as Value[]).map((x) => `<member>${toXml(member, x)}</member>`).join("");
  }
  if (schema.isMapSchema()) {
    return Object.entries(v as Record<string, Value>)
      .map(([k, x]) => `<entry><key>${xmlEscape(k)}</key><value>${toXml(schema.getValueSchema(), x)}</value></entry>`)
      .join("");
  }
  if (schema.isStructSchema()) {
    let out = "";
    const obj = v as Record<string, Value>;
    for (const [name, member] of schema.structIterator()) {
      if (obj[name] === undefined || obj[name] === null) continue;
      const tag = (member.getMergedTraits() as { xmlName?: string }).xmlName ?? name;
      out += `<${tag}>${toXml(member, obj[name])}</${tag}>`;
    }
    return out;
  }
  if (schema.isTimestampSchema()) {
    const d = v as Date;
    return timestampFormat(schema) === 7 ? String(d.getTime() / 1000) : d.toISOString();
  }
  if (schema.isBlobSchema()) return Buffer.from(v as Uint8Array).toString("base64");
  return xmlEscape(String(v));
}

export function encodeQuery(model: ServiceModel, op: OperationModel, output: object, requestId: string): Encoded {
  const result = op.output.isUnitSchema() ? "" : `<${op.name}Result>${toXml(op.output, output as Value)}</${op.name}Result>`;
  const body = `<${op.name}Response xmlns="${model.xmlNamespace ?? ""}">${result}<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${op.name}Response>`;
  return { status: 200, headers: { "content-type": "text/xml" }, body };
}

export function encodeQueryError(model: ServiceModel | undefined, err: AwsError, requestId: string): Encoded {
  const known = model?.errors.get(err.code);
  const code = known?.queryCode ?? err.code;
  const status = err.status ?? known?.status ?? 400;
  const type = status >= 500 ? "Receiver" : "Sender";
  const body = `<ErrorResponse xmlns="${model?.xmlNamespace ?? ""}"><Error><Type>${type}</Type><Code>${xmlEscape(code)}</Code><Message>${xmlEscape(err.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
  return { status, headers: { "content-type": "text/xml" }, body };
}
