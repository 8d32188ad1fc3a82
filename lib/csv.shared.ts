// The one CSV writer of every export (the report, the resources table, the events): cells that a
// spreadsheet would run as a formula (=, +, -, @, tab, carriage return first) are prefixed with ',
// control characters from AWS data (terminal escape sequences) are removed, and cells holding a
// comma, quote or line break are quoted.

/** C0 and C1 control characters but tab, line feed and carriage return. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

/** Text from AWS with its control characters removed (for CSV cells and terminal output). */
export function withoutControls(s: string): string {
  return s.replace(CONTROL, "");
}

export function csvCell(v: unknown): string {
  let s = withoutControls(v === null || v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v));
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(cells: unknown[]): string {
  return cells.map(csvCell).join(",");
}
