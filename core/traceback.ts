/**
 * Traceback filtering, as JAX's `jax_traceback_filtering`: the stack of a jaxfx error leaves out
 * jaxfx's own frames (the interpreters, primitives and rules between your function and the check
 * that failed), so its first frames are your lines, and it looks deeper than V8's 10 frames so
 * that your line is there even under nested transformations. A last line says frames were
 * removed. `config.update("jaxTracebackFiltering", "off")` (or `JAX_TRACEBACK_FILTERING=off`)
 * keeps every frame.
 *
 *   grad(loss)(x)   // ShapeError: add: shapes (3,) and (4,) cannot be broadcast together ...
 *                   //     at loss (/home/me/train.ts:3:15)   <- the user's line comes first
 */
import { defineSetting } from "./config.js"
import { setStackFilter } from "./error-hooks.js"
import { ValueError } from "./errors.js"

const modes = ["auto", "off", "remove_frames", "quiet_remove_frames"] as const
export type TracebackFiltering = (typeof modes)[number]

const checkMode = (v: unknown, source: string): TracebackFiltering => {
  if (typeof v === "string" && (modes as ReadonlyArray<string>).includes(v)) return v as TracebackFiltering
  throw new ValueError(`${source}: expected one of ${modes.map((m) => `"${m}"`).join(", ")}, got ${JSON.stringify(v)}.`)
}

const setting = defineSetting<TracebackFiltering>({
  name: "jaxTracebackFiltering",
  env: "JAX_TRACEBACK_FILTERING",
  initial: "auto",
  describe: 'whether stacks of jaxfx errors leave out jaxfx\'s own frames: "auto" and "remove_frames" (with a note), "quiet_remove_frames" (without), "off"',
  check: checkMode,
  parse: checkMode
})

// The package's root (this file is <root>/core/traceback.ts in the sources; in the built package
// it is bundled into <root>/dist/*.js), as a path and as a URL.
const rootUrl = new URL("../", import.meta.url).href
const rootPath = rootUrl.startsWith("file://") ? decodeURIComponent(new URL(rootUrl).pathname) : rootUrl
const internalDirs = ["core/", "backends/", "effects/", "laws/", "dist/", "index.ts", "index.js"]

/** Whether a stack line is a frame of jaxfx's own code (tests beside the code are the user's). */
export const isInternalFrame = (line: string): boolean => {
  if (!/^\s+at /.test(line) || /\.test\.[tj]s:/.test(line)) return false
  for (const root of [rootPath, rootUrl]) {
    const i = line.indexOf(root)
    if (i >= 0) {
      const rest = line.slice(i + root.length)
      if (internalDirs.some((d) => rest.startsWith(d))) return true
    }
  }
  return false
}

const NOTE = `    (jaxfx removed its internal frames from this stack; config.update("jaxTracebackFiltering", "off") or JAX_TRACEBACK_FILTERING=off keeps them)`

/** The stack text without jaxfx's frames, at most `limit` frames, with a note if `note`. */
export const filterStack = (stack: string, limit: number, note: boolean): string => {
  const lines = stack.split("\n")
  const first = lines.findIndex((l) => /^\s+at /.test(l))
  if (first < 0) return stack
  const frames = lines.slice(first)
  const kept = frames.filter((l) => !isInternalFrame(l)).slice(0, limit)
  if (kept.length === frames.length) return stack
  return [...lines.slice(0, first), ...kept, ...(note ? [NOTE] : [])].join("\n")
}

type CaptureStackTrace = (target: object, ctor?: AnyCtor) => void
type AnyCtor = abstract new (...args: never) => unknown

setStackFilter((error, ctor) => {
  const mode = setting.get()
  const E = Error as unknown as { captureStackTrace?: CaptureStackTrace; stackTraceLimit?: number }
  if (mode === "off" || typeof E.captureStackTrace !== "function") return
  const limit = typeof E.stackTraceLimit === "number" ? E.stackTraceLimit : 10
  // Capture deeper than V8's limit (the user's frame can sit below many of jaxfx's), then format
  // and filter only when the stack is read.
  E.stackTraceLimit = Math.max(limit, 200)
  try {
    E.captureStackTrace(error, ctor)
  } finally {
    E.stackTraceLimit = limit
  }
  const own = Object.getOwnPropertyDescriptor(error, "stack")
  const raw = (): string => String((own?.get ? own.get.call(error) : own?.value) ?? "")
  Object.defineProperty(error, "stack", {
    configurable: true,
    enumerable: false,
    get(): string {
      const filtered = filterStack(raw(), limit, mode !== "quiet_remove_frames")
      Object.defineProperty(error, "stack", { configurable: true, enumerable: false, writable: true, value: filtered })
      return filtered
    },
    set(value: unknown) {
      Object.defineProperty(error, "stack", { configurable: true, enumerable: false, writable: true, value })
    }
  })
})
