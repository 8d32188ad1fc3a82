// Splits a CloudTrail log file (`{"Records": [ ... ], ...}`) into the text of each record as the
// text streams in, so a file of any size is read in bounded memory: only the record being read is
// held, and each record is handed on as text (the importer decides whether to parse it).
//
// Why not a general streaming JSON parser: the two maintained ones on npm (@streamparser/json 0.0.26
// and stream-json 3.8) build every value token by token and read 16,000–18,000 records/s on this
// project's 2-core reference machine, a third of the import goal. This splitter only tracks nesting
// and strings (strings are skipped with indexOf) and leaves each record to the engine's JSON.parse,
// which is what makes ≥ 50,000 records/s possible. It checks the structure it walks (one top-level
// object, balanced brackets, nothing after it); each record's own syntax is checked by JSON.parse.

/** A record larger than this is refused rather than held in memory. */
export const MAX_RECORD_CHARS = 64 * 1024 * 1024;

export class SplitError extends Error {}

export class RecordSplitter {
  private buf = "";
  private pos = 0;
  private depth = 0;
  private inString = false;
  private stringStart = -1;
  private keyStart = -1;
  private expectKey = false;
  private inRecords = false;
  private elemStart = -1;
  private started = false;
  private finished = false;
  private currentKey: string | null = null;
  /** The top-level keys seen, in order (a log file has Records; a digest file has digestStartTime, logFiles…). */
  readonly topKeys: string[] = [];
  /** Whether the top-level Records value was an array. */
  recordsArray = false;

  /** Feeds the next piece of text; calls `emit` with each complete record's text (trimmed; "null" for a null record). */
  push(chunk: string, emit: (record: string) => void): void {
    if (!this.started && this.buf.length === 0 && chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1); // byte-order mark
    this.buf += chunk;
    const buf = this.buf;
    let i = this.pos;
    const n = buf.length;
    while (i < n) {
      if (this.inString) {
        const j = buf.indexOf('"', i);
        if (j < 0) {
          i = n;
          break;
        }
        let k = j - 1;
        while (k >= this.stringStart && buf.charCodeAt(k) === 92) k--;
        i = j + 1;
        if ((j - 1 - k) % 2 === 1) continue; // an escaped quote
        this.inString = false;
        if (this.keyStart >= 0) {
          this.currentKey = JSON.parse(buf.slice(this.keyStart, j + 1)) as string;
          this.topKeys.push(this.currentKey);
          this.keyStart = -1;
        }
        continue;
      }
      const c = buf.charCodeAt(i);
      if (this.finished) {
        if (c === 32 || c === 10 || c === 13 || c === 9 || c === 0) {
          i++;
          continue;
        }
        throw new SplitError(`unexpected text after the end of the JSON (at character ${i})`);
      }
      switch (c) {
        case 34: // "
          this.inString = true;
          this.stringStart = i;
          if (this.depth === 1 && this.expectKey) this.keyStart = i;
          break;
        case 123: // {
        case 91: // [
          if (this.depth === 0) {
            if (c !== 123) throw new SplitError("not a CloudTrail log file: the JSON is not an object");
            this.started = true;
            this.expectKey = true;
          } else if (this.depth === 1 && c === 91 && this.currentKey === "Records" && !this.recordsArray) {
            this.inRecords = true;
            this.recordsArray = true;
            this.elemStart = i + 1;
          }
          this.depth++;
          break;
        case 125: // }
        case 93: // ]
          if (this.depth === 0) throw new SplitError(`unbalanced ${String.fromCharCode(c)} at character ${i}`);
          if (this.inRecords && this.depth === 2) {
            if (c !== 93) throw new SplitError("the Records array is not closed properly");
            this.flush(i, emit);
            this.inRecords = false;
            this.elemStart = -1;
          }
          this.depth--;
          if (this.depth === 0) this.finished = true;
          break;
        case 44: // ,
          if (this.inRecords && this.depth === 2) {
            this.flush(i, emit);
            this.elemStart = i + 1;
          } else if (this.depth === 1) this.expectKey = true;
          break;
        case 58: // :
          if (this.depth === 1) this.expectKey = false;
          break;
        default:
          if (this.depth === 0 && !(c === 32 || c === 10 || c === 13 || c === 9))
            throw new SplitError(`not a CloudTrail log file: it starts with ${JSON.stringify(buf.slice(i, i + 12))}, not a JSON object`);
      }
      i++;
    }
    // Keep only what is still needed: the record being read, or the string being read.
    let keep = i;
    if (this.elemStart >= 0) keep = Math.min(keep, this.elemStart);
    if (this.inString) keep = Math.min(keep, this.stringStart);
    if (this.keyStart >= 0) keep = Math.min(keep, this.keyStart);
    if (i - keep > MAX_RECORD_CHARS) throw new SplitError(`a record is larger than ${MAX_RECORD_CHARS / 1024 / 1024} MiB`);
    this.buf = buf.slice(keep);
    this.pos = i - keep;
    if (this.elemStart >= 0) this.elemStart -= keep;
    if (this.stringStart >= 0) this.stringStart -= keep;
    if (this.keyStart >= 0) this.keyStart -= keep;
  }

  private flush(end: number, emit: (record: string) => void): void {
    const text = this.buf.slice(this.elemStart, end).trim();
    if (text) emit(text);
  }

  /** Checks that the text ended where the JSON did. */
  end(): void {
    if (!this.started) throw new SplitError(this.buf.trim() ? "not a CloudTrail log file" : "the file is empty");
    if (!this.finished) throw new SplitError("the file ends in the middle of the JSON (truncated?)");
  }
}
