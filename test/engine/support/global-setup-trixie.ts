import { setUpEngineRun } from "./global-setup";

/** The engine-trixie project's setup: the suites that run a second time, on the trixie stand-in engine (docker 26.1.5). */
export default function globalSetup(): Promise<void> {
  return setUpEngineRun("trixie");
}
