/**
 * Temporary directories for tests, removed when the test that made them finishes (or, when made
 * outside a test, when the test file finishes). Every test that writes files uses this; the
 * suite's leak check (leak-check.ts) fails a test file that leaves anything in the temp dir.
 * A process that a test starts gets `childEnv()`, whose temp dir is the run's own (tools such as
 * tsx keep caches there).
 *
 *   const dir = tempDir("jaxfx-codec-")
 *   writeFileSync(join(dir, "ckpt.json"), text)   // removed after the test
 *   execFileSync(process.execPath, ["--import", "tsx", script], { env: childEnv() })
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, onTestFinished } from "vitest"

const outsideTests = new Set<string>()
afterAll(() => {
  for (const dir of outsideTests) rmSync(dir, { recursive: true, force: true })
  outsideTests.clear()
})

/** A new empty directory under the OS temp dir, removed when the current test finishes. */
export const tempDir = (prefix = "jaxfx-test-"): string => {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  try {
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
  } catch {
    outsideTests.add(dir) // made outside a test: removed after the file
  }
  return dir
}

/** The environment for a process a test starts: this one's, with the run's temp dir for children (and `extra`). */
export const childEnv = (extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv => ({
  ...process.env,
  TMPDIR: process.env["JAXFX_CHILD_TMPDIR"] ?? tempDir("jaxfx-child-"),
  ...extra
})
