import { ConfigError, loadConfig } from "../../lib/config/load";
import type { KeywardConfigData } from "../../lib/config/schema";
import type { Io } from "../main";

/** The configuration, or undefined after printing why it is invalid (the command then exits 2). */
export function configOrReport(io: Io): KeywardConfigData | undefined {
  try {
    return loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      io.err(e.message);
      return undefined;
    }
    throw e;
  }
}
