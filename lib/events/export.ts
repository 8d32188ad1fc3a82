// CSV for event exports (the API and the CLI): one header, RFC 4180 quoting, formula-leading cells
// neutralized so a spreadsheet never evaluates a value from a log.
import { csvCell } from "../csv.shared";

import type { EventRow } from "./names.shared";

export const EXPORT_COLUMNS = [
  "eventTime",
  "eventName",
  "eventSource",
  "account",
  "region",
  "principalArn",
  "principalType",
  "callerAccount",
  "invokedBy",
  "sourceIPAddress",
  "userAgent",
  "keyArn",
  "secretArn",
  "resourceArn",
  "correlation",
  "otherService",
  "errorCode",
  "errorMessage",
  "encryptionContext",
  "eventID",
  "idDerived",
] as const;

export { csvCell };

export function toCsvLine(e: EventRow): string {
  return EXPORT_COLUMNS.map((c) => csvCell(e[c])).join(",");
}
