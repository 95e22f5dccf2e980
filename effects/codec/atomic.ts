/**
 * Atomic file replacement: write a temporary file in the target's directory, flush it to disk,
 * then rename it over the target. A crash at any point leaves either the old file or the new one,
 * never a truncated mix (rename within one directory is atomic on POSIX file systems and NTFS).
 *
 * A crash can leave the temporary file (`.NAME.PID.HEX.tmp`) behind; the next write to the same
 * target removes such leftovers (see `removeStaleTemporaries`).
 */
import { randomBytes } from "node:crypto"
import { type FileHandle, open, readdir, rename, rm, stat } from "node:fs/promises"
import { basename, dirname, join } from "node:path"
import { Effect } from "effect"
import { CodecError } from "../../index.js"
import { checkOptions, optionKeys } from "../../core/options.js"

export interface AtomicWriteOptions {
  /** Bytes per write call. Default 1 MiB. */
  readonly chunkSize?: number
  /**
   * Called after each chunk reaches the temporary file (for progress, and for tests that fail
   * or crash the process mid-write).
   */
  readonly afterChunk?: (written: number, total: number) => void
  /**
   * A temporary of the same target written by a live process counts as stale (and is removed)
   * once it has not been modified for this long. Default one hour.
   */
  readonly staleAfterMs?: number
}

const reason = (e: unknown): string => (e instanceof Error ? e.message : String(e))

const io = <A>(what: string, f: () => Promise<A>): Effect.Effect<A, CodecError> =>
  Effect.tryPromise({ try: f, catch: (e) => new CodecError(`${what}: ${reason(e)}`) })

/** The temporary file next to `path`: hidden, unique, recognizable (`.name.<pid>.<random>.tmp`). */
export const temporaryPath = (path: string): string =>
  join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`)

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")

/** Whether a process with this id exists (on this machine). */
const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM" // exists, owned by another user
  }
}

export const STALE_AFTER_MS = 60 * 60 * 1000

/**
 * Remove the temporaries that interrupted writes of `path` left next to it: files named like
 * `temporaryPath(path)` (`.NAME.PID.HEX.tmp`, for this NAME only) whose writer process no longer
 * runs, or which nobody has written to for `staleAfterMs` (default one hour; a live writer
 * touches its temporary with every chunk, and a process id may have been reused). Temporaries of
 * running writers, of other targets and all other files are left alone, so concurrent writers
 * of one target do not disturb each other. Best effort: a file that cannot be removed is skipped.
 * Returns the names removed.
 *
 * @example
 * yield* removeStaleTemporaries("run/ckpt.safetensors")  // after a crash mid-save
 */
export const removeStaleTemporaries = (path: string, staleAfterMs: number = STALE_AFTER_MS): Effect.Effect<ReadonlyArray<string>> =>
  Effect.promise(async () => {
    const dir = dirname(path)
    const pattern = new RegExp(`^\\.${escapeRegExp(basename(path))}\\.(\\d+)\\.[0-9a-f]{12}\\.tmp$`)
    const names = await readdir(dir).catch(() => [] as string[])
    const removed: string[] = []
    for (const name of names) {
      const m = pattern.exec(name)
      if (m === null) continue
      const file = join(dir, name)
      const info = await stat(file).catch(() => undefined)
      if (info === undefined || !info.isFile()) continue
      const stale = !isAlive(Number(m[1])) || Date.now() - info.mtimeMs > staleAfterMs
      if (stale && (await rm(file, { force: true }).then(() => true, () => false))) removed.push(name)
    }
    return removed
  })

/**
 * Replace `path` with `bytes` atomically. On failure the temporary file is removed and `path` is
 * untouched; the error is a `CodecError` naming the file and the cause. First, the temporaries
 * that crashed writes of `path` left behind are removed (`removeStaleTemporaries`).
 *
 * @example
 * yield* writeFileAtomic("run/ckpt.safetensors", bytes)
 */
export const writeFileAtomic = (
  path: string,
  bytes: Uint8Array,
  options?: AtomicWriteOptions
): Effect.Effect<void, CodecError> => {
  checkOptions("codec.writeFileAtomic", options, optionKeys<AtomicWriteOptions>()("chunkSize", "afterChunk", "staleAfterMs"))
  return Effect.scoped(
    Effect.gen(function* () {
      yield* removeStaleTemporaries(path, options?.staleAfterMs)
      const tmp = temporaryPath(path)
      const failed = `cannot write the checkpoint "${path}"`
      const state = { closed: false, committed: false }
      const handle: FileHandle = yield* Effect.acquireRelease(
        io(failed, () => open(tmp, "wx", 0o644)),
        (fh) =>
          Effect.promise(async () => {
            if (!state.closed) await fh.close().catch(() => undefined)
            if (!state.committed) await rm(tmp, { force: true }).catch(() => undefined)
          })
      )
      const chunk = Math.max(1, options?.chunkSize ?? 1 << 20)
      yield* io(failed, async () => {
        let written = 0
        while (written < bytes.length) {
          const end = Math.min(bytes.length, written + chunk)
          const { bytesWritten } = await handle.write(bytes, written, end - written)
          written += bytesWritten
          options?.afterChunk?.(written, bytes.length)
        }
        await handle.sync()
        state.closed = true
        await handle.close()
      })
      yield* io(failed, () => rename(tmp, path))
      state.committed = true
      // Make the rename itself durable: fsync the directory (best effort; not every platform allows it).
      yield* Effect.promise(async () => {
        try {
          const dir = await open(dirname(path), "r")
          try {
            await dir.sync()
          } finally {
            await dir.close()
          }
        } catch {
          // ignore
        }
      })
    })
  )
}
