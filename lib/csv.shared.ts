// The one CSV writer of every export (the report, the resources table, the events): cells that a
// spreadsheet would run as a formula (=, +, -, @, tab, carriage return first) are prefixed with ',
// control characters from AWS data (terminal escape sequences) are removed, and cells holding a
// comma, quote or line break are quoted.

/** Whether a character is a C0 or C1 control character other than tab, line feed and carriage return. */
function isControl(code: number): boolean {
  return (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || (code >= 0x7f && code <= 0x9f);
}

/** Text from AWS with its control characters removed (for CSV cells and terminal output). */
export function withoutControls(s: string): string {
  let out = "";
  for (const ch of s) if (!isControl(ch.charCodeAt(0))) out += ch;
  return out;
}

export function csvCell(v: unknown): string {
  let s = withoutControls(v === null || v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v));
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(cells: unknown[]): string {
  return cells.map(csvCell).join(",");
}
