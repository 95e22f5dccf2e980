/**
 * Temporary directories for tests, removed when the test that made them finishes (or, when made
 * outside a test, when the test file finishes). Every test that writes files uses this; the
 * suite's leak check (leak-check.ts) fails a test file that leaves anything in the temp dir.
 *
 *   const dir = tempDir("jaxfx-codec-")
 *   writeFileSync(join(dir, "ckpt.json"), text)   // removed after the test
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
