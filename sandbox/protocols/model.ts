// Service models derived from the schemas the AWS SDK v3 client packages export.
// Nothing here is hand-copied: operation names, HTTP bindings, member names, timestamp and blob
// members, error codes and statuses all come from the `Xxx$` schema objects in each client.
import { NormalizedSchema } from "@smithy/core/schema";

export type Protocol = "awsJson1_1" | "restJson1" | "awsQuery";

export interface OperationModel {
  name: string;
  input: NormalizedSchema;
  output: NormalizedSchema;
  /** REST bindings: [method, path template, success status]. */
  http?: { method: string; path: string; code: number };
}

export interface ErrorModel {
  name: string;
  status: number;
  fault: "client" | "server";
  /** awsQuery error code when it differs from the shape name. */
  queryCode?: string;
}

export interface ServiceModel {
  id: string;
  signingName: string;
  protocol: Protocol;
  target?: string;
  xmlNamespace?: string;
  version?: string;
  operations: Map<string, OperationModel>;
  errors: Map<string, ErrorModel>;
}

type StaticArray = readonly unknown[];

function isOperationSchema(v: unknown): v is StaticArray {
  return Array.isArray(v) && v[0] === 9 && typeof v[2] === "string";
}
function isErrorSchema(v: unknown): v is StaticArray {
  return Array.isArray(v) && v[0] === -3 && typeof v[2] === "string";
}

interface ClientLike {
  config: { protocolSettings?: { serviceTarget?: string; xmlNamespace?: string; version?: string } };
  destroy(): void;
}

export function buildServiceModel(opts: {
  id: string;
  signingName: string;
  protocol: Protocol;
  module: Record<string, unknown>;
  clientCtor: new (cfg: { region: string }) => ClientLike;
}): ServiceModel {
  const client = new opts.clientCtor({ region: "us-east-1" });
  const settings = client.config.protocolSettings ?? {};
  client.destroy();
  const operations = new Map<string, OperationModel>();
  const errors = new Map<string, ErrorModel>();
  for (const [exportName, value] of Object.entries(opts.module)) {
    if (!exportName.endsWith("$")) continue;
    if (isOperationSchema(value)) {
      const traits = (value[3] ?? {}) as Record<string, unknown>;
      const httpTrait = Object.values(traits).find((t) => Array.isArray(t) && t.length === 3 && typeof t[0] === "string") as [string, string, number] | undefined;
      const resolve = (ref: unknown) => NormalizedSchema.of((typeof ref === "function" ? (ref as () => unknown)() : ref) as never);
      operations.set(value[2] as string, {
        name: value[2] as string,
        input: resolve(value[4]),
        output: resolve(value[5]),
        http: httpTrait ? { method: httpTrait[0], path: httpTrait[1], code: httpTrait[2] } : undefined,
      });
    } else if (isErrorSchema(value)) {
      const traits = (value[3] ?? {}) as {
        error?: "client" | "server";
        httpError?: number;
        awsQueryError?: [string, number];
      };
      const fault = traits.error ?? "client";
      errors.set(value[2] as string, {
        name: value[2] as string,
        status: traits.httpError ?? traits.awsQueryError?.[1] ?? (fault === "server" ? 500 : 400),
        fault,
        queryCode: traits.awsQueryError?.[0],
      });
    }
  }
  return {
    id: opts.id,
    signingName: opts.signingName,
    protocol: opts.protocol,
    target: settings.serviceTarget,
    xmlNamespace: settings.xmlNamespace,
    version: settings.version,
    operations,
    errors,
  };
}

/** Number of leading members of a structure that are required (the static schema's 7th slot). */
export function requiredCount(struct: NormalizedSchema): number {
  const raw = struct.getSchema() as unknown as StaticArray;
  return Array.isArray(raw) && typeof raw[6] === "number" ? raw[6] : 0;
}

export function requiredMembers(struct: NormalizedSchema): Set<string> {
  const n = requiredCount(struct);
  const names: string[] = [];
  let i = 0;
  for (const [name] of struct.structIterator()) {
    if (i++ >= n) break;
    names.push(name);
  }
  return new Set(names);
}
