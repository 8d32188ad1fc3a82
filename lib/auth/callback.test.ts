// The sign-in page's callbackUrl: a path of this site, never another site however it is spelled.
import { describe, expect, it } from "vitest";

import { safeCallback } from "./callback.shared";

describe("safeCallback", () => {
  it("keeps a path of the site, with its query and fragment", () => {
    expect(safeCallback("/keys")).toBe("/keys");
    expect(safeCallback("/resources/detail?arn=arn%3Aaws%3Akms&x=1#f")).toBe("/resources/detail?arn=arn%3Aaws%3Akms&x=1#f");
  });

  it.each([
    ["//evil.example"],
    ["/\\evil.example"],
    ["/\\/evil.example"],
    ["/\t/evil.example"],
    ["/\n/evil.example"],
    [decodeURIComponent("/%09/evil.example")],
    ["https://evil.example/"],
    ["javascript:alert(1)"],
    [" /keys"],
    [""],
    [undefined],
  ])("sends %j home, not elsewhere", (v) => {
    const out = safeCallback(v);
    expect(out).toBe("/");
    // Whatever it returns, a browser following it stays on the site.
    expect(new URL(out, "https://console.example").origin).toBe("https://console.example");
  });
});
