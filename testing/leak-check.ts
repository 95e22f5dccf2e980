/**
 * vitest setup file (vitest.config.ts `setupFiles`): each test file runs with its own empty temp
 * dir, and fails if anything is left in it when the file is done (what was left is removed). So
 * a test that leaks a temporary file fails, and names its file.
 */
import { afterAll } from "vitest"
import { isolateTemp, leakError } from "./isolate-temp.js"

const temp = isolateTemp("jaxfx-file-")

afterAll(() => {
  const e = leakError("this test file", temp.finish())
  if (e !== undefined) throw e
})
