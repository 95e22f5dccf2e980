/**
 * Effect's `FileSystem` service on Node's `fs`, for the operations checkpoints need (open, stat,
 * read, write, sync, rename, remove, list a directory); the others fail with a `PlatformError`.
 * Node's modules are reached through `process.getBuiltinModule` rather than imported, so this
 * module (and jaxfx/effects with it) bundles for browsers; there, `nodeFileSystem()` is undefined.
 *
 * Reads open with O_NONBLOCK: a checkpoint path is hostile input, and opening a FIFO for reading
 * would otherwise wait for a writer forever (regular files ignore the flag).
 */
import { ByteSize, Effect, FileSystem, Layer, Option, PlatformError } from "effect"

interface NodeStats {
  isFile(): boolean
  isDirectory(): boolean
  isFIFO(): boolean
  isCharacterDevice(): boolean
  isBlockDevice(): boolean
  isSocket(): boolean
  isSymbolicLink(): boolean
  readonly size: number
  readonly mtimeMs: number
  readonly atimeMs: number
  readonly birthtimeMs: number
  readonly dev: number
  readonly ino: number
  readonly mode: number
  readonly nlink: number
  readonly uid: number
  readonly gid: number
  readonly rdev: number
  readonly blksize: number
  readonly blocks: number
}

interface NodeHandle {
  stat(): Promise<NodeStats>
  read(buffer: Uint8Array, offset: number, length: number, position: number | null): Promise<{ bytesRead: number }>
  write(buffer: Uint8Array, offset: number, length: number, position?: number | null): Promise<{ bytesWritten: number }>
  sync(): Promise<void>
  truncate(length?: number): Promise<void>
  close(): Promise<void>
}

interface NodeFs {
  readonly constants: Readonly<Record<string, number | undefined>>
  readonly promises: {
    open(path: string, flags: string | number, mode?: number): Promise<NodeHandle>
    stat(path: string): Promise<NodeStats>
    lstat(path: string): Promise<NodeStats>
    rename(from: string, to: string): Promise<void>
    rm(path: string, options: { force?: boolean; recursive?: boolean }): Promise<void>
    readdir(path: string): Promise<string[]>
    mkdir(path: string, options: { recursive?: boolean; mode?: number }): Promise<unknown>
    readFile(path: string): Promise<Uint8Array>
    writeFile(path: string, data: Uint8Array, options: { flag?: string; mode?: number }): Promise<void>
  }
}

const nodeFs = (): NodeFs | undefined => {
  const proc = (globalThis as { process?: { getBuiltinModule?: (m: string) => unknown } }).process
  return proc?.getBuiltinModule?.("node:fs") as NodeFs | undefined
}

const TAGS: Readonly<Record<string, PlatformError.SystemErrorTag>> = {
  ENOENT: "NotFound",
  EEXIST: "AlreadyExists",
  EACCES: "PermissionDenied",
  EPERM: "PermissionDenied",
  EBUSY: "Busy",
  EAGAIN: "WouldBlock",
  ETIMEDOUT: "TimedOut",
  EBADF: "BadResource"
}

/** Node's error as a PlatformError whose description is Node's message (it names the code, e.g. ENOENT). */
const failure =
  (method: string, path: string | number) =>
  (e: unknown): PlatformError.PlatformError => {
    const code = (e as { code?: unknown }).code
    return PlatformError.systemError({
      _tag: (typeof code === "string" ? TAGS[code] : undefined) ?? "Unknown",
      module: "FileSystem",
      method,
      description: e instanceof Error ? e.message : String(e),
      pathOrDescriptor: path,
      cause: e
    })
  }

const call = <A>(method: string, path: string | number, f: () => Promise<A>): Effect.Effect<A, PlatformError.PlatformError> =>
  Effect.tryPromise({ try: f, catch: failure(method, path) })

const typeOf = (s: NodeStats): FileSystem.File.Type =>
  s.isFile()
    ? "File"
    : s.isDirectory()
      ? "Directory"
      : s.isSymbolicLink()
        ? "SymbolicLink"
        : s.isFIFO()
          ? "FIFO"
          : s.isCharacterDevice()
            ? "CharacterDevice"
            : s.isBlockDevice()
              ? "BlockDevice"
              : s.isSocket()
                ? "Socket"
                : "Unknown"

const date = (ms: number): Option.Option<Date> => (Number.isFinite(ms) ? Option.some(new Date(ms)) : Option.none())

const info = (s: NodeStats): FileSystem.File.Info => ({
  type: typeOf(s),
  mtime: date(s.mtimeMs),
  atime: date(s.atimeMs),
  birthtime: date(s.birthtimeMs),
  dev: BigInt(s.dev),
  ino: Option.some(BigInt(s.ino)),
  mode: s.mode,
  nlink: Option.some(BigInt(s.nlink)),
  uid: Option.some(s.uid),
  gid: Option.some(s.gid),
  rdev: Option.some(BigInt(s.rdev)),
  size: ByteSize.bytes(s.size),
  blksize: Option.some(ByteSize.bytes(s.blksize)),
  blocks: Option.some(BigInt(s.blocks))
})

const makeFile = (h: NodeHandle, path: string): FileSystem.File => {
  let position = 0n
  const read = (buffer: Uint8Array, options?: FileSystem.File.ReadOptions): Effect.Effect<number, PlatformError.PlatformError> =>
    call("read", path, async () => {
      const at = options?.position ?? position
      const { bytesRead } = await h.read(buffer, 0, buffer.length, Number(at))
      if (options?.position === undefined) position += BigInt(bytesRead)
      return bytesRead
    })
  const write = (buffer: Uint8Array): Effect.Effect<number, PlatformError.PlatformError> =>
    call("write", path, async () => {
      const { bytesWritten } = await h.write(buffer, 0, buffer.length, Number(position))
      position += BigInt(bytesWritten)
      return bytesWritten
    })
  return {
    [FileSystem.FileTypeId]: FileSystem.FileTypeId,
    stat: call("stat", path, () => h.stat()).pipe(Effect.map(info)),
    seek: (offset, from) => Effect.sync(() => (position = from === "start" ? offset : position + offset)),
    sync: call("sync", path, () => h.sync()),
    read,
    readAlloc: (size, options) => {
      const b = new Uint8Array(size)
      return Effect.map(read(b, options), (n) => (n === 0 ? Option.none() : Option.some(b.subarray(0, n))))
    },
    truncate: (length) => call("truncate", path, () => h.truncate(length)),
    write,
    writeAll: (buffer) =>
      Effect.gen(function* () {
        let at = 0
        while (at < buffer.length) at += yield* write(buffer.subarray(at))
      })
  }
}

const makeNode = (fs: NodeFs): FileSystem.FileSystem => {
  const p = fs.promises
  return FileSystem.makeNoop({
    open: (path, options) => {
      const flag = options?.flag ?? "r"
      const nonBlocking = fs.constants.O_NONBLOCK ?? 0
      const flags = flag === "r" ? (fs.constants.O_RDONLY ?? 0) | nonBlocking : flag
      return Effect.acquireRelease(
        call("open", path, () => p.open(path, flags, options?.mode)),
        (h) => Effect.promise(() => h.close().catch(() => undefined))
      ).pipe(Effect.map((h) => makeFile(h, path)))
    },
    stat: (path) => call("stat", path, () => p.stat(path)).pipe(Effect.map(info)),
    lstat: (path) => call("lstat", path, () => p.lstat(path)).pipe(Effect.map(info)),
    exists: (path) =>
      Effect.promise(() =>
        p.stat(path).then(
          () => true,
          () => false
        )
      ),
    rename: (from, to) => call("rename", from, () => p.rename(from, to)),
    remove: (path, options) => call("remove", path, () => p.rm(path, { force: options?.force ?? false, recursive: options?.recursive ?? false })),
    readDirectory: (path) => call("readDirectory", path, () => p.readdir(path)),
    makeDirectory: (path, options) =>
      call("makeDirectory", path, () =>
        p.mkdir(path, { recursive: options?.recursive ?? false, ...(options?.mode === undefined ? {} : { mode: options.mode }) })
      ).pipe(Effect.asVoid),
    readFile: (path) => call("readFile", path, () => p.readFile(path)).pipe(Effect.map((b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength))),
    writeFile: (path, data, options) =>
      call("writeFile", path, () => p.writeFile(path, data, { flag: options?.flag ?? "w", ...(options?.mode === undefined ? {} : { mode: options.mode }) }))
  })
}

let cached: FileSystem.FileSystem | undefined | null = null

/**
 * Node's file system as Effect's `FileSystem` service (checkpoint operations), or undefined
 * outside Node. `codec.save` and `codec.load` use it when no `FileSystem` is provided.
 *
 * @example
 * const params = { w: np.ones([3]), b: np.zeros([1]) }
 * const fs = codec.nodeFileSystem()
 * if (fs !== undefined) yield* codec.save("w.safetensors", params).pipe(Effect.provideService(FileSystem.FileSystem, fs))
 */
export const nodeFileSystem = (): FileSystem.FileSystem | undefined => {
  if (cached === null) {
    const fs = nodeFs()
    cached = fs === undefined ? undefined : makeNode(fs)
  }
  return cached
}

/**
 * A layer providing Effect's `FileSystem` on Node's `fs` (the operations checkpoints need).
 * Fails with a defect outside Node: in a browser provide `codec.layerMemory()` or use
 * `codec.toBytes` / `codec.fromBytes`.
 *
 * @example
 * const template = { w: np.zeros([3]), b: np.zeros([1]) }
 * Effect.runPromise(codec.load("w.safetensors", template).pipe(Effect.provide(codec.layerNode)))
 */
export const layerNode: Layer.Layer<FileSystem.FileSystem> = Layer.sync(FileSystem.FileSystem, () => {
  const fs = nodeFileSystem()
  if (fs === undefined) throw new Error("codec.layerNode: Node's fs is not available here; in a browser use codec.layerMemory() or codec.toBytes/fromBytes.")
  return fs
})
