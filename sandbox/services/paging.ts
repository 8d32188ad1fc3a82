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
