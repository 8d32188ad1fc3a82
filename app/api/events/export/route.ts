import { NextResponse } from "next/server";

import { serverConfig } from "@/lib/config/server";
import { toCsvLine, EXPORT_COLUMNS } from "@/lib/events/export";
import { allEvents } from "@/lib/events/store";
import { ExportQuery } from "@/lib/schemas/events";
import { db } from "@/lib/store/db";
import { withAuth } from "@/lib/server/with-auth";

export const dynamic = "force-dynamic";

/** Every event under the filters as CSV or JSON, streamed (investigators and operators). */
export const GET = withAuth(
  ({ query }) => {
    const { format, ...filters } = query;
    const rows = allEvents(db(serverConfig().dataDir), filters);
    const enc = new TextEncoder();
    let first = true;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        const chunk: string[] = [];
        if (first) chunk.push(format === "csv" ? `${EXPORT_COLUMNS.join(",")}\n` : '{"events":[\n');
        for (let i = 0; i < 500; i++) {
          const n = rows.next();
          if (n.done) {
            if (format === "json") chunk.push("\n]}\n");
            controller.enqueue(enc.encode(chunk.join("")));
            controller.close();
            return;
          }
          chunk.push(format === "csv" ? `${toCsvLine(n.value)}\n` : `${first ? "" : ",\n"}${JSON.stringify(n.value)}`);
          first = false;
        }
        controller.enqueue(enc.encode(chunk.join("")));
      },
    });
    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    return new NextResponse(stream, {
      headers: {
        "content-type": format === "csv" ? "text/csv; charset=utf-8" : "application/json",
        "content-disposition": `attachment; filename="keyward-events-${stamp}.${format}"`,
      },
    });
  },
  { permission: "export-events", query: ExportQuery },
);
