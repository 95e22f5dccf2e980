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
  /**
   * Restore TMPDIR, remove `dir`, and return the names of what was left in it (sorted), less
   * tools' caches and the names `ignore` accepts (it sees the entry's path before removal).
   */
  readonly finish: (ignore?: (path: string, name: string) => boolean) => string[]
}

// tsx-<uid> is tsx's compile cache, made by worker devices that load .ts sources: not ours.
const toolCache = (name: string): boolean => /^tsx-\d+$/.test(name)

/**
 * Whether `dir` holds nothing but tools' caches: a test file's temp dir that a worker device
 * recreated after the file was done (tsx makes its cache directory again before each write, and
 * the worker threads of a finished file live on in the test process).
 */
export const onlyToolCaches = (dir: string): boolean => {
  try {
    return readdirSync(dir).every(toolCache)
  } catch {
    return true // gone already
  }
}

export const isolateTemp = (prefix: string): IsolatedTemp => {
  const outer = process.env["TMPDIR"]
  const dir = mkdtempSync(join(tmpdir(), prefix))
  process.env["TMPDIR"] = dir
  return {
    dir,
    finish: (ignore) => {
      if (outer === undefined) delete process.env["TMPDIR"]
      else process.env["TMPDIR"] = outer
      const left = readdirSync(dir)
        .filter((n) => !toolCache(n) && !(ignore?.(join(dir, n), n) ?? false))
        .sort()
      try {
        rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 })
      } catch (e) {
        // A worker device still writing tsx's cache refills the tree while it is removed
        // (ENOTEMPTY); what is left is such a cache, which the run's check accepts and removes.
        if ((e as { code?: string }).code !== "ENOTEMPTY" || !onlyToolCaches(dir)) throw e
      }
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
