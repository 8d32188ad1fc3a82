import { isServer, QueryClient } from "@tanstack/react-query";

function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: { staleTime: 30_000, retry: (count, error) => count < 2 && !(error instanceof ApiError && error.status < 500) },
    },
  });
}

let browserClient: QueryClient | undefined;

/** A new client per server request; one shared client in the browser (TanStack's pattern). */
export function getQueryClient(): QueryClient {
  if (isServer) return makeQueryClient();
  browserClient ??= makeQueryClient();
  return browserClient;
}

export class ApiError extends Error {
  constructor(
    public status: number,
    message: string,
    public body?: unknown,
  ) {
    super(message);
  }
}

/** fetch JSON from Keyward's API; non-2xx responses become ApiError with the server's message. */
export async function apiFetch<T>(url: string, init?: RequestInit): Promise<T> {
  const r = await fetch(url, { ...init, headers: { "content-type": "application/json", ...(init?.headers ?? {}) } });
  const text = await r.text();
  const body = text ? (JSON.parse(text) as unknown) : undefined;
  if (!r.ok) throw new ApiError(r.status, (body as { error?: string } | undefined)?.error ?? `Request failed (${r.status})`, body);
  return body as T;
}
