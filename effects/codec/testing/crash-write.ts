/**
 * Test helper run as a child process: starts an atomic write of `bytes` bytes to the target
 * path and kills its own process (SIGKILL, no cleanup) once `crashAfter` bytes are written.
 *
 *   node --import tsx effects/codec/testing/crash-write.ts <target> <bytes> <crashAfter>
 */
import { Effect } from "effect"
import { writeFileAtomic } from "../atomic.js"

const [target, size, crashAfter] = process.argv.slice(2)
if (target === undefined || size === undefined || crashAfter === undefined) {
  throw new Error("usage: crash-write.ts <target> <bytes> <crashAfter>")
}
const bytes = new Uint8Array(Number(size)).fill(0x5a)
await Effect.runPromise(
  writeFileAtomic(target, bytes, {
    chunkSize: 1 << 16,
    afterChunk: (written) => {
      if (written >= Number(crashAfter)) process.kill(process.pid, "SIGKILL")
    }
  })
)
