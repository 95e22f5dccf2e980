/**
 * vitest global setup (vitest.config.ts `globalSetup`): the whole run writes its temporary files
 * under one fresh directory (TMPDIR for the test workers), removed at the end, so `npm test`
 * leaves nothing in the system temp dir; the run fails if anything was left there outside the
 * test files' own checks (leak-check.ts). Processes that tests start get a temp dir of their own
 * there, `children` (see `childEnv`), which tools such as tsx fill with caches for the whole run.
 */
import { mkdirSync } from "node:fs"
import { join } from "node:path"
import { isolateTemp, leakError, onlyToolCaches } from "./isolate-temp.js"

export default function setup(): () => void {
  const temp = isolateTemp("jaxfx-run-")
  const children = join(temp.dir, "children")
  mkdirSync(children)
  process.env["JAXFX_CHILD_TMPDIR"] = children
  return () => {
    delete process.env["JAXFX_CHILD_TMPDIR"]
    const e = leakError(
      "the test run",
      // a test file's own dir recreated by a worker device's tsx cache after its check (leak-check.ts)
      temp.finish((path, name) => name === "children" || (name.startsWith("jaxfx-file-") && onlyToolCaches(path)))
    )
    if (e === undefined) return
    // vitest reports an error thrown here but still exits with 0: set the exit code too
    process.exitCode = 1
    throw e
  }
}
