/**
 * A private temp dir: point TMPDIR (which `os.tmpdir()` reads, in this process and in the
 * processes it starts) at a fresh directory, and later restore it, remove the directory and say
 * what was left in it. The suite's leak check (leak-check.ts, global-temp.ts) is built on this.
 */
import { mkdtempSync, readdirSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

export interface IsolatedTemp {
  readonly dir: string
  /** Restore TMPDIR, remove `dir`, and return the names of what was left in it (sorted). */
  readonly finish: () => string[]
}

export const isolateTemp = (prefix: string): IsolatedTemp => {
  const outer = process.env["TMPDIR"]
  const dir = mkdtempSync(join(tmpdir(), prefix))
  process.env["TMPDIR"] = dir
  return {
    dir,
    finish: () => {
      if (outer === undefined) delete process.env["TMPDIR"]
      else process.env["TMPDIR"] = outer
      // tsx-<uid> is tsx's compile cache, made by worker devices that load .ts sources: not ours
      const left = readdirSync(dir)
        .filter((n) => !/^tsx-\d+$/.test(n))
        .sort()
      // A worker device may still be writing tsx's cache while the tree is removed (ENOTEMPTY):
      // Node retries such removals when asked to.
      rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 })
      return left
    }
  }
}

/** The error for temporary files left behind by `who`, or undefined when none were. */
export const leakError = (who: string, left: ReadonlyArray<string>): Error | undefined =>
  left.length === 0
    ? undefined
    : new Error(
        `${who} left ${left.length} entries in the temp dir (${left.slice(0, 5).join(", ")}${left.length > 5 ? ", ..." : ""}); make temporary files with tempDir() from testing/temp-dir.ts`
      )
