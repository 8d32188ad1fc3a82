// Every CSV export goes through one writer: no cell runs as a formula in a spreadsheet, no terminal
// escape sequence from AWS data survives, and quoting keeps cells whole.
import { describe, expect, it } from "vitest";

import { toCsv } from "./posture/report";
import type { ScanResult } from "./inventory/types.shared";
import { csvCell, csvLine, withoutControls } from "./csv.shared";

describe("the CSV writer", () => {
  it.each([
    ['=HYPERLINK("https://evil.example")', '"\'=HYPERLINK(""https://evil.example"")"'],
    ["+1+1", "'+1+1"],
    ["-2", "'-2"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\t=1", "'\t=1"],
    ["plain", "plain"],
    ["a,b", '"a,b"'],
    ["line\nbreak", '"line\nbreak"'],
    ["\u001b[31mred\u001b[0m", "[31mred[0m"],
    [null, ""],
    [{ a: 1 }, '"{""a"":1}"'],
  ])("%j → %j", (input, out) => {
    expect(csvCell(input)).toBe(out);
  });

  it("removes control characters but keeps tabs and line breaks", () => {
    expect(withoutControls("a\u0007b\u009bc\td\ne")).toBe("abc\td\ne");
    expect(csvLine(["x", "=1", 2])).toBe("x,'=1,2");
  });

  it("the report's CSV uses it", () => {
    const r = {
      resources: [],
      findings: [{ ruleId: "KW-KEY-01", severity: "high", title: "=cmd|' /C calc'!A0", resourceArn: "arn:aws:bedrock:us-east-1:1:agent/\u001b]0;x\u0007A", evidence: {} }],
    } as unknown as ScanResult;
    const line = toCsv(r).split("\n")[1];
    expect(line).toContain("'=cmd|' /C calc'!A0");
    expect(withoutControls(line)).toBe(line);
    expect(line).not.toContain("\u001b");
  });
});
