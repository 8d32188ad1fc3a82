// The import's writer thread: receives batches of prepared event rows and writes them on its own
// connection to the store, so that reading and parsing log files (main thread) and SQLite's writes
// (here) use both cores. Replies to each batch with how many rows were new; `null` closes it.
import { parentPort, workerData } from "node:worker_threads";

import Database from "better-sqlite3";

import { prepareWriter, writeRows } from "./write-rows.mjs";

const d = new Database(workerData.file);
d.pragma("journal_mode = WAL");
d.pragma("busy_timeout = 5000");
const w = prepareWriter(d);

parentPort.on("message", (m) => {
  if (m === null) {
    d.close();
    parentPort.postMessage({ closed: true });
    return;
  }
  try {
    parentPort.postMessage({ inserted: writeRows(d, w, m.rows) });
  } catch (e) {
    parentPort.postMessage({ error: e instanceof Error ? e.message : String(e) });
  }
});
