// Schema-driven conversion between wire values and the plain JS values service handlers use
// (Date for timestamps, Uint8Array for blobs), and validation of handler outputs against the
// SDK's output schemas.
import type { NormalizedSchema } from "@smithy/core/schema";

import { requiredMembers } from "./model";

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type Value = unknown;

export interface CodecOptions {
  /** restJson1 honours the jsonName trait; awsJson1_1 uses member names as they are. */
  useJsonName: boolean;
}

export function wireName(member: NormalizedSchema, opts: CodecOptions): string {
  const traits = member.getMergedTraits() as { jsonName?: string };
  return opts.useJsonName && traits.jsonName ? traits.jsonName : member.getMemberName();
}

export function parseTimestamp(v: unknown): Date | undefined {
  if (typeof v === "number") return new Date(v * 1000);
  if (typeof v === "string") {
    const n = Number(v);
    const d = Number.isFinite(n) && /^\d+(\.\d+)?$/.test(v) ? new Date(n * 1000) : new Date(v);
    return Number.isNaN(d.getTime()) ? undefined : d;
  }
  return undefined;
}

/** The smithy timestamp schema id: 4 default, 5 date-time, 6 http-date, 7 epoch-seconds. */
export function timestampFormat(schema: NormalizedSchema): number {
  const s = schema.getSchema() as unknown;
  return typeof s === "number" ? s : 4;
}

export class ShapeError extends Error {
  constructor(
    public path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
  }
}

/** Wire JSON → handler value. Throws ShapeError for values of the wrong type. */
export function fromJson(schema: NormalizedSchema, v: unknown, opts: CodecOptions, path = "$"): Value {
  if (v === null || v === undefined) return undefined;
  if (schema.isTimestampSchema()) {
    const d = parseTimestamp(v);
    if (!d) throw new ShapeError(path, "expected a timestamp");
    return d;
  }
  if (schema.isBlobSchema()) {
    if (typeof v !== "string") throw new ShapeError(path, "expected base64 text");
    return new Uint8Array(Buffer.from(v, "base64"));
  }
  if (schema.isListSchema()) {
    if (!Array.isArray(v)) throw new ShapeError(path, "expected a list");
    return v.map((x, i) => fromJson(schema.getValueSchema(), x, opts, `${path}[${i}]`));
  }
  if (schema.isMapSchema()) {
    if (typeof v !== "object" || Array.isArray(v)) throw new ShapeError(path, "expected a map");
    const out: Record<string, Value> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      out[k] = fromJson(schema.getValueSchema(), x, opts, `${path}.${k}`);
    }
    return out;
  }
  if (schema.isStructSchema() || schema.isUnionSchema()) {
    if (typeof v !== "object" || Array.isArray(v)) throw new ShapeError(path, "expected an object");
    const obj = v as Record<string, unknown>;
    const out: Record<string, Value> = {};
    for (const [name, member] of schema.structIterator()) {
      const key = wireName(member, opts);
      if (key in obj) {
        const parsed = fromJson(member, obj[key], opts, `${path}.${key}`);
        if (parsed !== undefined) out[name] = parsed;
      }
    }
    return out;
  }
  if (schema.isBooleanSchema()) {
    if (typeof v !== "boolean") throw new ShapeError(path, "expected a boolean");
    return v;
  }
  if (schema.isNumericSchema()) {
    if (typeof v !== "number") throw new ShapeError(path, "expected a number");
    return v;
  }
  if (schema.isStringSchema()) {
    if (typeof v !== "string") throw new ShapeError(path, "expected a string");
    return v;
  }
  return v; // documents pass through
}

/** Handler value → wire JSON (timestamps as epoch seconds, blobs as base64). */
export function toJson(schema: NormalizedSchema, v: Value, opts: CodecOptions): Json | undefined {
  if (v === undefined || v === null) return undefined;
  if (schema.isTimestampSchema()) {
    const d = v instanceof Date ? v : new Date(v as string);
    const fmt = timestampFormat(schema);
    if (fmt === 5) return d.toISOString();
    if (fmt === 6) return d.toUTCString();
    return Math.round(d.getTime()) / 1000;
  }
  if (schema.isBlobSchema()) return Buffer.from(v as Uint8Array).toString("base64");
  if (schema.isListSchema()) {
    return (v as Value[]).map((x) => toJson(schema.getValueSchema(), x, opts) ?? null);
  }
  if (schema.isMapSchema()) {
    const out: Record<string, Json> = {};
    for (const [k, x] of Object.entries(v as Record<string, Value>)) {
      const j = toJson(schema.getValueSchema(), x, opts);
      if (j !== undefined) out[k] = j;
    }
    return out;
  }
  if (schema.isStructSchema() || schema.isUnionSchema()) {
    const obj = v as Record<string, Value>;
    const out: Record<string, Json> = {};
    for (const [name, member] of schema.structIterator()) {
      if (!(name in obj)) continue;
      const j = toJson(member, obj[name], opts);
      if (j !== undefined) out[wireName(member, opts)] = j;
    }
    return out;
  }
  return v as Json;
}

/**
 * Checks a handler's output against the SDK output schema: no unknown member, every required
 * member present, every value of the declared type. Returns the problems found ([] when valid).
 */
export function validateValue(schema: NormalizedSchema, v: Value, path = "$"): string[] {
  if (v === undefined || v === null) return [];
  const problems: string[] = [];
  if (schema.isTimestampSchema()) {
    if (!(v instanceof Date) || Number.isNaN(v.getTime())) problems.push(`${path}: not a Date`);
  } else if (schema.isBlobSchema()) {
    if (!(v instanceof Uint8Array)) problems.push(`${path}: not bytes`);
  } else if (schema.isListSchema()) {
    if (!Array.isArray(v)) problems.push(`${path}: not a list`);
    else v.forEach((x, i) => problems.push(...validateValue(schema.getValueSchema(), x, `${path}[${i}]`)));
  } else if (schema.isMapSchema()) {
    if (typeof v !== "object" || Array.isArray(v)) problems.push(`${path}: not a map`);
    else for (const [k, x] of Object.entries(v as Record<string, Value>)) problems.push(...validateValue(schema.getValueSchema(), x, `${path}.${k}`));
  } else if (schema.isStructSchema() || schema.isUnionSchema()) {
    if (typeof v !== "object" || Array.isArray(v) || v instanceof Date) {
      problems.push(`${path}: not a structure`);
    } else {
      const obj = v as Record<string, Value>;
      const members = schema.getMemberSchemas();
      for (const key of Object.keys(obj)) {
        if (!(key in members)) problems.push(`${path}.${key}: unknown member`);
      }
      if (!schema.isUnionSchema()) {
        for (const req of requiredMembers(schema)) {
          if (obj[req] === undefined || obj[req] === null) problems.push(`${path}.${req}: required member missing`);
        }
      }
      for (const [name, member] of Object.entries(members)) {
        if (name in obj) problems.push(...validateValue(member, obj[name], `${path}.${name}`));
      }
    }
  } else if (schema.isBooleanSchema()) {
    if (typeof v !== "boolean") problems.push(`${path}: not a boolean`);
  } else if (schema.isNumericSchema()) {
    if (typeof v !== "number") problems.push(`${path}: not a number`);
  } else if (schema.isStringSchema()) {
    if (typeof v !== "string") problems.push(`${path}: not a string`);
  }
  return problems;
}

/** Required members absent anywhere in the input, as paths (`LookupAttributes[0].AttributeValue`). */
export function missingRequired(schema: NormalizedSchema, input: Value, path = ""): string[] {
  if (input === undefined || input === null) return [];
  if (schema.isListSchema() && Array.isArray(input)) {
    return input.flatMap((x, i) => missingRequired(schema.getValueSchema(), x, `${path}[${i}]`));
  }
  if (schema.isMapSchema() && typeof input === "object") {
    return Object.entries(input as Record<string, Value>).flatMap(([k, x]) => missingRequired(schema.getValueSchema(), x, `${path}.${k}`));
  }
  if (!schema.isStructSchema() || typeof input !== "object") return [];
  const obj = input as Record<string, Value>;
  const out = [...requiredMembers(schema)].filter((m) => obj[m] === undefined || obj[m] === null).map((m) => (path ? `${path}.${m}` : m));
  for (const [name, member] of schema.structIterator()) {
    if (obj[name] !== undefined) out.push(...missingRequired(member, obj[name], path ? `${path}.${name}` : name));
  }
  return out;
}
