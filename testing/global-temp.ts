/**
 * vitest global setup (vitest.config.ts `globalSetup`): the whole run writes its temporary files
 * under one fresh directory (TMPDIR for the test workers and the processes they start), removed
 * at the end, so `npm test` leaves nothing in the system temp dir; the run fails if anything was
 * left there outside the test files' own checks (leak-check.ts).
 */
import { isolateTemp, leakError } from "./isolate-temp.js"

export default function setup(): () => void {
  const temp = isolateTemp("jaxfx-run-")
  return () => {
    const e = leakError("the test run", temp.finish())
    if (e === undefined) return
    // vitest reports an error thrown here but still exits with 0: set the exit code too
    process.exitCode = 1
    throw e
  }
}
