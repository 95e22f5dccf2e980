/**
 * An in-memory `FileSystem` (Effect's service) for checkpoints where there is no disk: browsers,
 * tests. Files are byte arrays keyed by path; a directory is any prefix ending in `/`. It
 * implements what checkpoints need (open, stat, read, write, sync, rename, remove, list, readFile,
 * writeFile); the other operations fail with a `PlatformError`.
 */
import { ByteSize, Effect, FileSystem, Layer, Option, PlatformError } from "effect"

interface Entry {
  bytes: Uint8Array
  mtime: Date
}

const dirOf = (path: string): string => {
  const i = path.lastIndexOf("/")
  return i < 0 ? "." : i === 0 ? "/" : path.slice(0, i)
}

const error = (tag: PlatformError.SystemErrorTag, method: string, path: string, description: string): PlatformError.PlatformError =>
  PlatformError.systemError({ _tag: tag, module: "FileSystem", method, description: `${description}, ${method} '${path}'`, pathOrDescriptor: path })

const info = (e: Entry | undefined): FileSystem.File.Info => ({
  type: e === undefined ? "Directory" : "File",
  mtime: Option.some(e?.mtime ?? new Date(0)),
  atime: Option.none(),
  birthtime: Option.none(),
  dev: 0n,
  ino: Option.none(),
  mode: 0o644,
  nlink: Option.none(),
  uid: Option.none(),
  gid: Option.none(),
  rdev: Option.none(),
  size: ByteSize.bytes(e?.bytes.length ?? 0),
  blksize: Option.none(),
  blocks: Option.none()
})

const makeFile = (entry: Entry, append: boolean): FileSystem.File => {
  let position = append ? BigInt(entry.bytes.length) : 0n
  const read = (buffer: Uint8Array, options?: FileSystem.File.ReadOptions): Effect.Effect<number> =>
    Effect.sync(() => {
      const at = Number(options?.position ?? position)
      const part = entry.bytes.subarray(Math.min(at, entry.bytes.length), Math.min(at + buffer.length, entry.bytes.length))
      buffer.set(part)
      if (options?.position === undefined) position += BigInt(part.length)
      return part.length
    })
  const write = (buffer: Uint8Array): Effect.Effect<number> =>
    Effect.sync(() => {
      const at = Number(position)
      const end = at + buffer.length
      if (end > entry.bytes.length) {
        const grown = new Uint8Array(Math.max(end, entry.bytes.length * 2))
        grown.set(entry.bytes)
        entry.bytes = grown.subarray(0, end)
      }
      entry.bytes.set(buffer, at)
      entry.mtime = new Date()
      position = BigInt(end)
      return buffer.length
    })
  return {
    [FileSystem.FileTypeId]: FileSystem.FileTypeId,
    stat: Effect.sync(() => info(entry)),
    seek: (offset, from) => Effect.sync(() => (position = from === "start" ? offset : position + offset)),
    sync: Effect.void,
    read,
    readAlloc: (size, options) => {
      const b = new Uint8Array(size)
      return Effect.map(read(b, options), (n) => (n === 0 ? Option.none() : Option.some(b.subarray(0, n))))
    },
    truncate: (length) => Effect.sync(() => void (entry.bytes = entry.bytes.slice(0, length ?? 0))),
    write,
    writeAll: (buffer) => Effect.asVoid(write(buffer))
  }
}

/**
 * A new, empty in-memory file system (Effect's `FileSystem` service), optionally with files.
 *
 * @example
 * const template = { w: np.zeros([3]) }
 * const bytes = yield* codec.toBytes({ w: np.ones([3]) }, { format: "json" })
 * const fs = codec.memoryFileSystem({ "ckpt.json": bytes })
 * const back = yield* codec.load("ckpt.json", template).pipe(Effect.provideService(FileSystem.FileSystem, fs))
 */
export const memoryFileSystem = (files?: Readonly<Record<string, Uint8Array>>): FileSystem.FileSystem => {
  const entries = new Map<string, Entry>()
  for (const [path, bytes] of Object.entries(files ?? {})) entries.set(path, { bytes: bytes.slice(), mtime: new Date() })
  const isDirectory = (path: string): boolean => {
    const prefix = path.endsWith("/") ? path : `${path}/`
    return path === "." || path === "/" || [...entries.keys()].some((k) => k.startsWith(prefix))
  }
  return FileSystem.makeNoop({
    open: (path, options) =>
      Effect.suspend(() => {
        const flag = options?.flag ?? "r"
        const existing = entries.get(path)
        if (existing === undefined && isDirectory(path)) {
          return flag.startsWith("r")
            ? Effect.succeed(makeFile({ bytes: new Uint8Array(0), mtime: new Date(0) }, false))
            : Effect.fail(error("BadResource", "open", path, "EISDIR: illegal operation on a directory"))
        }
        if (flag.includes("x") && existing !== undefined) return Effect.fail(error("AlreadyExists", "open", path, "EEXIST: file already exists"))
        if (flag.startsWith("r")) {
          if (existing === undefined) return Effect.fail(error("NotFound", "open", path, "ENOENT: no such file or directory"))
          return Effect.succeed(makeFile(existing, false))
        }
        const entry = flag.startsWith("a") && existing !== undefined ? existing : { bytes: new Uint8Array(0), mtime: new Date() }
        entries.set(path, entry)
        return Effect.succeed(makeFile(entry, flag.startsWith("a")))
      }),
    stat: (path) =>
      Effect.suspend(() => {
        const e = entries.get(path)
        if (e === undefined && !isDirectory(path)) return Effect.fail(error("NotFound", "stat", path, "ENOENT: no such file or directory"))
        return Effect.succeed(info(e))
      }),
    exists: (path) => Effect.sync(() => entries.has(path) || isDirectory(path)),
    rename: (from, to) =>
      Effect.suspend(() => {
        const e = entries.get(from)
        if (e === undefined) return Effect.fail(error("NotFound", "rename", from, "ENOENT: no such file or directory"))
        entries.delete(from)
        entries.set(to, e)
        return Effect.void
      }),
    remove: (path, options) =>
      Effect.suspend(() => {
        if (entries.delete(path) || options?.force === true) return Effect.void
        return Effect.fail(error("NotFound", "remove", path, "ENOENT: no such file or directory"))
      }),
    readDirectory: (path) => Effect.sync(() => [...entries.keys()].filter((k) => dirOf(k) === path).map((k) => k.slice(k.lastIndexOf("/") + 1))),
    makeDirectory: () => Effect.void,
    readFile: (path) =>
      Effect.suspend(() => {
        const e = entries.get(path)
        return e === undefined ? Effect.fail(error("NotFound", "readFile", path, "ENOENT: no such file or directory")) : Effect.succeed(e.bytes.slice())
      }),
    writeFile: (path, data) => Effect.sync(() => void entries.set(path, { bytes: data.slice(), mtime: new Date() }))
  })
}

/**
 * A layer providing a fresh in-memory `FileSystem`: checkpoints in a browser, or in tests.
 *
 * @example
 * const params = { w: np.ones([3]), b: np.zeros([1]) }
 * yield* codec.save("ckpt.safetensors", params).pipe(Effect.provide(codec.layerMemory()))
 */
export const layerMemory = (files?: Readonly<Record<string, Uint8Array>>): Layer.Layer<FileSystem.FileSystem> =>
  Layer.sync(FileSystem.FileSystem, () => memoryFileSystem(files))
