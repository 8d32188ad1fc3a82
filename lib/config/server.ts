import "server-only";

import { loadConfig } from "./load";
import type { KeywardConfigData } from "./schema";

let cached: KeywardConfigData | undefined;

/** The server's configuration, parsed once at first use. */
export function serverConfig(): KeywardConfigData {
  cached ??= loadConfig();
  return cached;
}
