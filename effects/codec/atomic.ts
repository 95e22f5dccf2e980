/**
 * Atomic file replacement: write a temporary file in the target's directory, flush it to disk,
 * then rename it over the target. A crash at any point leaves either the old file or the new one,
 * never a truncated mix (rename within one directory is atomic on POSIX file systems and NTFS).
 *
 * A crash can leave the temporary file (`.NAME.PID.HEX.tmp`) behind; the next write to the same
 * target removes such leftovers (see `removeStaleTemporaries`).
 */
import { Effect, type FileSystem, Option } from "effect"
import { CodecError } from "../../index.js"
import { checkOptions, optionKeys } from "../../core/options.js"
import { basename, checkpointFileSystem, dirname, join, reason } from "./file-system.js"

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

interface NodeProcess {
  readonly pid: number
  kill(pid: number, signal: number): void
}

/** Node's process, where there is one (browsers have none: their writers are counted as process 0). */
const nodeProcess = (): NodeProcess | undefined =>
  (globalThis as { process?: Partial<NodeProcess> }).process?.kill === undefined ? undefined : (globalThis as unknown as { process: NodeProcess }).process

const hex = (n: number): string => Array.from(crypto.getRandomValues(new Uint8Array(n)), (b) => b.toString(16).padStart(2, "0")).join("")

/** The temporary file next to `path`: hidden, unique, recognizable (`.name.<pid>.<random>.tmp`). */
export const temporaryPath = (path: string): string => join(dirname(path), `.${basename(path)}.${nodeProcess()?.pid ?? 0}.${hex(6)}.tmp`)

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")

/** Whether a process with this id exists (on this machine); unknown (true) where there are no processes. */
const isAlive = (pid: number): boolean => {
  const proc = nodeProcess()
  if (proc === undefined) return true
  try {
    proc.kill(pid, 0)
    return true
  } catch (e) {
    return (e as { code?: unknown }).code === "EPERM" // exists, owned by another user
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
  Effect.gen(function* () {
    const fs = yield* checkpointFileSystem("codec.removeStaleTemporaries")
    const dir = dirname(path)
    const pattern = new RegExp(`^\\.${escapeRegExp(basename(path))}\\.(\\d+)\\.[0-9a-f]{12}\\.tmp$`)
    const names = yield* fs.readDirectory(dir).pipe(Effect.orElseSucceed((): ReadonlyArray<string> => []))
    const removed: string[] = []
    for (const name of names) {
      const m = pattern.exec(name)
      if (m === null) continue
      const file = join(dir, name)
      const info = yield* fs.stat(file).pipe(Effect.option)
      if (Option.isNone(info) || info.value.type !== "File") continue
      const mtime = Option.getOrElse(info.value.mtime, () => new Date(0)).getTime()
      const stale = !isAlive(Number(m[1])) || Date.now() - mtime > staleAfterMs
      if (
        stale &&
        (yield* fs.remove(file, { force: true }).pipe(
          Effect.as(true),
          Effect.orElseSucceed(() => false)
        ))
      )
        removed.push(name)
    }
    return removed as ReadonlyArray<string>
  }).pipe(Effect.orElseSucceed((): ReadonlyArray<string> => []))

/**
 * Replace `path` with `bytes` atomically. On failure the temporary file is removed and `path` is
 * untouched; the error is a `CodecError` naming the file and the cause. First, the temporaries
 * that crashed writes of `path` left behind are removed (`removeStaleTemporaries`).
 *
 * @example
 * const bytes = new TextEncoder().encode("{}")
 * yield* writeFileAtomic("run/ckpt.safetensors", bytes)
 */
export const writeFileAtomic = (path: string, bytes: Uint8Array, options?: AtomicWriteOptions): Effect.Effect<void, CodecError> => {
  checkOptions("codec.writeFileAtomic", options, optionKeys<AtomicWriteOptions>()("chunkSize", "afterChunk", "staleAfterMs"))
  const failed = `cannot write the checkpoint "${path}"`
  const io = Effect.mapError((e: unknown) => (e instanceof CodecError ? e : new CodecError(`${failed}: ${reason(e)}`)))
  return Effect.gen(function* () {
    const fs = yield* checkpointFileSystem("codec.save")
    yield* removeStaleTemporaries(path, options?.staleAfterMs)
    const tmp = temporaryPath(path)
    const chunk = Math.max(1, options?.chunkSize ?? 1 << 20)
    const write = Effect.scoped(
      Effect.gen(function* () {
        const file: FileSystem.File = yield* fs.open(tmp, { flag: "wx", mode: 0o644 })
        let written = 0
        while (written < bytes.length) {
          written += yield* file.write(bytes.subarray(written, Math.min(bytes.length, written + chunk)))
          const done = written
          if (options?.afterChunk !== undefined) yield* Effect.try({ try: () => options.afterChunk?.(done, bytes.length), catch: (e) => e })
        }
        yield* file.sync
      })
    )
    // On any failure (or interruption) before the rename, the temporary goes.
    yield* Effect.andThen(write, fs.rename(tmp, path)).pipe(
      io,
      Effect.onError(() => fs.remove(tmp, { force: true }).pipe(Effect.ignore))
    )
    // Make the rename itself durable: fsync the directory (best effort; not every platform allows it).
    yield* Effect.scoped(Effect.flatMap(fs.open(dirname(path), { flag: "r" }), (d) => d.sync)).pipe(Effect.ignore)
  })
}
