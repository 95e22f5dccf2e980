/**
 * `debug.print`: print values from inside transformed code at run time. Python's `print` (and
 * `console.log`) inside jit sees tracers at trace time; this stages an effectful primitive that
 * prints the concrete values each time the compiled program runs.
 */
import type { Array } from "../array.js"
import { ValueError } from "../errors.js"
import { definePrimitive } from "../primitive.js"
import { describe } from "../shape.js"
import { bind } from "../trace.js"
import { moveBatchAxis } from "../interpreters/batch.js"

export interface DebugPrintParams {
  readonly fmt: string
  /** Where the text goes (console.log by default); tests pass their own. */
  readonly sink: (line: string) => void
  readonly [k: string]: unknown
}

/**
 * Fill `{}` (in order) and `{0}`, `{1}`, ... placeholders with the values' NumPy str.
 *
 * @example
 * debug.formatPrint("x = {}, y = {1}", [np.array([1, 2]), np.array(3)]) // "x = [1 2], y = 3"
 */
export const formatPrint = (fmt: string, values: ReadonlyArray<Array>): string => {
  let next = 0
  return fmt.replace(/\{(\d*)\}/g, (_, d: string) => {
    const i = d === "" ? next++ : Number(d)
    const v = values[i]
    return v === undefined ? `{${d}}` : v.str()
  })
}

export const debugPrintP = definePrimitive<DebugPrintParams>(
  "debug_print",
  (_avals, { fmt, sink }) => {
    if (typeof fmt !== "string") throw new ValueError(`debug.print: the format must be a string, got ${describe(fmt)}.`)
    if (typeof sink !== "function") throw new ValueError(`debug.print: the sink must be a function, got ${describe(sink)}.`)
    return []
  },
  true
)
debugPrintP.effectful = true
debugPrintP.printParams = (p) => [["fmt", JSON.stringify(p.fmt)]]
debugPrintP.impl = (args, { fmt, sink }) => {
  sink(formatPrint(fmt, args))
  return []
}
// Under differentiation, print the primal values (as JAX does) and produce no tangents.
debugPrintP.jvp = (primals, _tangents, params) => {
  bind(debugPrintP, primals, params)
  return [[], []]
}

/**
 * Print `fmt` with `{}` placeholders filled by the values, when the (possibly jit-compiled) code
 * runs — not at trace time.
 *
 * @example
 * jit((x: Array) => { debug.print("x = {}", x); return x.mul(2) })(np.arange(3))  // prints x = [0 1 2]
 */
export const print = (fmt: string, ...values: ReadonlyArray<Array>): void => {
  bind(debugPrintP, values, { fmt, sink: defaultSink })
}

let defaultSink: (line: string) => void = (line) => console.log(line)

/**
 * Redirect `debug.print` output (returns the previous sink).
 *
 * @example
 * const lines: string[] = []
 * const previous = debug.setPrintSink((line) => lines.push(line))
 * debug.print("x = {}", np.array([1, 2]))
 * debug.setPrintSink(previous) // lines is ["x = [1 2]"]
 */
export const setPrintSink = (sink: (line: string) => void): ((line: string) => void) => {
  const prev = defaultSink
  defaultSink = sink
  return prev
}

// Under vmap, print the whole batch at once.
debugPrintP.batch = (args, dims, params, size) => {
  bind(
    debugPrintP,
    args.map((a, i) => moveBatchAxis(a, dims[i] ?? null, 0, size)),
    params
  )
  return [[], []]
}
