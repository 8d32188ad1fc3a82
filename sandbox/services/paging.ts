// The one pagination mechanism of the sandbox's services: an opaque token that encodes the offset of
// the next page (each service keeps its own parameter names, limits and error wording).
import { AwsError } from "../core";

export function offsetPage<T>(items: readonly T[], token: string | undefined, size: number, badToken: AwsError): { items: T[]; next?: string } {
  const start = token ? Number(Buffer.from(token, "base64").toString()) : 0;
  if (!Number.isInteger(start) || start < 0 || start > items.length) throw badToken;
  const slice = items.slice(start, start + size);
  const end = start + slice.length;
  return { items: slice, next: end < items.length ? Buffer.from(String(end)).toString("base64") : undefined };
}

/** A page of query results whose token is bound to the query it came from (Athena, CloudTrail Lake). */
export function queryPage<T>(queryId: string, rows: readonly T[], token: string | undefined, size: number, badToken: AwsError): { items: T[]; next?: string } {
  let start = 0;
  if (token) {
    try {
      const t = JSON.parse(Buffer.from(token, "base64url").toString()) as { q: string; o: number };
      if (t.q !== queryId || !Number.isInteger(t.o) || t.o < 0) throw new Error("another query");
      start = t.o;
    } catch {
      throw badToken;
    }
  }
  const items = rows.slice(start, start + size);
  return { items, next: start + size < rows.length ? Buffer.from(JSON.stringify({ q: queryId, o: start + size })).toString("base64url") : undefined };
}
