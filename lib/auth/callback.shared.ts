// Where to go after signing in: only a path of this site. The value is parsed the way a browser
// will follow it (WHATWG URL: backslashes read as slashes, tabs and newlines dropped) against a
// placeholder origin, and kept only if it stays on that origin — so `//host`, `/\host` and
// `/<tab>/host` cannot send a user elsewhere.
const ORIGIN = "https://keyward.invalid";

export function safeCallback(value: string | undefined | null): string {
  if (!value || !value.startsWith("/")) return "/";
  let url: URL;
  try {
    url = new URL(value, ORIGIN);
  } catch {
    return "/";
  }
  if (url.origin !== ORIGIN) return "/";
  return `${url.pathname}${url.search}${url.hash}`;
}
