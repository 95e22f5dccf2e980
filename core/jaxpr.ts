/**
 * The staged program ("jaxpr") as data: typed variables, equations, literals, and its printer, in
 * JAX's text form and layout: `{ lambda ; a:f32[]. let b:f32[] = log a; c:f32[] = log 2.0:f32[]; d:f32[] = div b c in (d,) }`
 * on one line when it fits in 80 columns, else one equation per line as JAX prints it.
 * It binds nothing, so the device runtime (which builds one-equation programs) can import it
 * without importing the tracing machinery; ir.ts adds evaluation and exports both.
 */
import type { Array, ArrayImpl, ShapedArray } from "./array.js"
import { hostScalar } from "./devices/host.js"
import { isComplex, isFloat, storedValues } from "./dtype.js"
import { ValueError } from "./errors.js"
import * as pp from "./pretty.js"
import type { Params, Primitive } from "./primitive.js"

export class Var {
  constructor(readonly aval: ShapedArray) {}
}

/**
 * A scalar constant written inline in the program. Its value is a host number (already rounded to
 * its dtype): passes, printers and code generators read it without touching device memory.
 */
export class Lit {
  private arr: ArrayImpl | undefined
  constructor(
    readonly val: number,
    readonly aval: ShapedArray
  ) {}
  /** The literal as a concrete array on the host CPU device (made on first use). */
  get value(): ArrayImpl {
    return (this.arr ??= hostScalar(this.val, this.aval))
  }
}

export type Atom = Var | Lit

export interface Eqn {
  readonly primitive: Primitive
  readonly inputs: ReadonlyArray<Atom>
  readonly params: Params
  readonly outVars: ReadonlyArray<Var>
  /** The `namedScope` path the equation was staged in ("layer1/inner"); absent outside any scope. */
  readonly nameStack?: string
}

/**
 * A jaxpr: JAX's typed intermediate language for a traced function, its constant and input
 * variables, the equations binding primitives to variables, and its outputs. `makeJaxpr` returns
 * one (inside a `ClosedJaxpr`); `toString()` prints it as JAX does.
 *
 * @example
 * const closed = makeJaxpr((x: Array) => np.sin(x).mul(2))(np.array(1, { dtype: "float32" }))
 * closed.jaxpr.eqns.map((e) => e.primitive.name) // ["sin", "mul"]
 * closed.jaxpr.inVars.length // 1
 */
export class Jaxpr {
  constructor(
    readonly constVars: ReadonlyArray<Var>,
    readonly inVars: ReadonlyArray<Var>,
    readonly eqns: ReadonlyArray<Eqn>,
    readonly outs: ReadonlyArray<Atom>
  ) {}

  /**
   * The program as JAX prints it: one line when it fits in 80 columns, else one equation per
   * line; `{ compact: true }` for one line always.
   *
   * @example
   * ```ts
   * import { makeJaxpr, np, type JaxArray } from "jaxfx"
   * const j = makeJaxpr((x: JaxArray) => np.sin(x).mul(2))(np.array(1, { dtype: "float32" }))
   * j.toString()                     // "{ lambda ; a:f32[]. let b:f32[] = sin a; c:f32[] = mul b 2.0:f32[] in (c,) }"
   * j.toString({ compact: true })    // the same on one line, whatever its length
   * ```
   */
  toString(options: PrintOptions = {}): string {
    return printJaxpr(this, options)
  }
}

/**
 * A jaxpr together with the values of its constant variables.
 *
 * @example
 * const closed = makeJaxpr((x: Array) => x.add(1))(np.array([1, 2]))
 * closed.toString() // "{ lambda ; a:i32[2]. let b:i32[2] = add a 1:i32[] in (b,) }", as JAX prints it
 */
export class ClosedJaxpr {
  constructor(
    readonly jaxpr: Jaxpr,
    readonly consts: ReadonlyArray<Array>
  ) {}
  /** The program as JAX prints it (see `Jaxpr.toString`). */
  toString(options: PrintOptions = {}): string {
    return this.jaxpr.toString(options)
  }
}

// ---------------------------------------------------------------------------------------------
// Printing

const varName = (n: number): string => {
  // a..z, ba..bz, ca.. (JAX's alphabetic encoding, where 'a' is the zero digit after the first)
  let s = ""
  let k = n
  do {
    s = String.fromCharCode(97 + (k % 26)) + s
    k = Math.floor(k / 26)
  } while (k > 0)
  return s
}

const formatLiteral = (x: Lit): string => {
  const v = x.val
  const dtype = x.aval.dtype
  let s: string
  if (dtype === "bool") s = v !== 0 ? "True" : "False"
  else if (isFloat(dtype))
    s = Object.is(v, -0)
      ? "-0.0"
      : Number.isInteger(v)
        ? `${v}.0`
        : Number.isFinite(v)
          ? shortestFloat(v, dtype === "float32")
          : Number.isNaN(v)
            ? "nan"
            : v > 0
              ? "inf"
              : "-inf"
  else s = String(v)
  return `${s}:${x.aval.str()}`
}

const shortestFloat = (v: number, f32: boolean): string => {
  if (!f32) return String(v)
  for (let p = 1; p <= 9; p++) {
    const s = v.toPrecision(p)
    if (Math.fround(Number(s)) === v) return String(Number(s))
  }
  return String(v)
}

/** How `Jaxpr.toString` lays a program out. */
export interface PrintOptions {
  /** One line, without JAX's spacing of empty parts (`let in`): the form tests and logs compare. Default false. */
  readonly compact?: boolean
  /** The line width JAX's layout fills (default 80, as JAX's). */
  readonly width?: number
  /** Each equation on its own line with its `namedScope` path as a comment (`# [layer1/inner]`), as JAX's `pretty_print(name_stack=True)`. */
  readonly nameStack?: boolean
}

const printOptionNames = new Set(["compact", "width", "nameStack"])

/** A printed param: text, or programs (laid out as nested jaxprs). */
export type ParamText = string | Jaxpr | ClosedJaxpr | ReadonlyArray<Jaxpr | ClosedJaxpr>

export const printJaxpr = (jaxpr: Jaxpr, options: PrintOptions = {}): string => {
  for (const k of Object.keys(options)) {
    if (!printOptionNames.has(k)) throw new ValueError(`Jaxpr.toString: unknown option "${k}"; the options are compact, width and nameStack.`)
  }
  if (options.nameStack === true) return withNameStacks(jaxpr)
  const compact = options.compact === true
  return pp.format(jaxprDoc(jaxpr, compact), compact ? Infinity : (options.width ?? 80))
}

/**
 * JAX's `pretty_print(name_stack=True)`: one equation per line, each padded to the longest and
 * followed by `# [its name stack]`.
 */
const withNameStacks = (jaxpr: Jaxpr): string => {
  const parts: Parts = { head: "", eqns: [], outs: "" }
  jaxprDoc(jaxpr, true, parts)
  if (parts.eqns.length === 0) return printJaxpr(jaxpr)
  const width = Math.max(...parts.eqns.map((l) => l.length))
  const body = parts.eqns.map((l, i) => `    ${l.padEnd(width)} # [${jaxpr.eqns[i]?.nameStack ?? ""}]`)
  return [`${parts.head}. let`, ...body, `  in ${parts.outs} }`].join("\n")
}

/** The top-level pieces of a printed jaxpr, one line each (for `withNameStacks`). */
interface Parts {
  head: string
  eqns: string[]
  outs: string
}

// JAX's layout (jax/_src/core.py pp_jaxpr_skeleton, pp_eqn, pp_vars, pp_kv_pairs): the whole
// program is a group, so a short one prints on one line; a long one puts each equation on its own
// line and breaks params whose group does not fit.
const jaxprDoc = (jaxpr: Jaxpr, compact: boolean, parts?: Parts): pp.Doc => {
  const names = new Map<Var, string>()
  let next = 0
  const bindName = (v: Var): string => {
    const n = varName(next++)
    names.set(v, n)
    return n
  }
  const vars = (docs: ReadonlyArray<pp.Doc>, sep = ""): pp.Doc => pp.nest(2, pp.group(pp.join(pp.concat([pp.text(sep), pp.group(pp.brk())]), docs)))
  const atom = (a: Atom): pp.Doc => pp.text(a instanceof Lit ? formatLiteral(a) : (names.get(a) ?? "?"))
  const decl = (v: Var): pp.Doc => pp.text(`${bindName(v)}:${v.aval.str()}`)
  const consts = vars(jaxpr.constVars.map(decl))
  const ins = vars(jaxpr.inVars.map(decl))
  const eqns = jaxpr.eqns.map((e) => {
    const args = e.inputs.map(atom)
    const outs = e.outVars.map(decl)
    const ps: ReadonlyArray<readonly [string, ParamText]> = e.primitive.printParams ? e.primitive.printParams(e.params as never) : defaultParams(e.params)
    const kv =
      ps.length === 0
        ? pp.nil
        : pp.group(
            pp.concat([
              pp.nest(
                2,
                pp.concat([
                  pp.text("["),
                  pp.brk(""),
                  pp.join(
                    pp.brk(),
                    ps.map(([k, v]) => pp.concat([pp.text(`${k}=`), paramDoc(v, compact)]))
                  )
                ])
              ),
              pp.brk(""),
              pp.text("]")
            ])
          )
    const rhs = [pp.text(e.primitive.name), kv, args.length === 0 && compact ? pp.nil : pp.concat([pp.text(" "), vars(args)])]
    return outs.length === 0 ? pp.concat(rhs) : pp.concat([vars(outs), pp.text(" = "), ...rhs])
  })
  const outs = pp.concat([pp.text("("), vars(jaxpr.outs.map(atom), ","), pp.text(jaxpr.outs.length === 1 ? ",)" : ")")])
  if (parts !== undefined) {
    parts.head = pp.format(pp.concat([pp.text("{ lambda "), consts, pp.text("; "), ins]), Infinity)
    parts.eqns = eqns.map((e) => pp.format(e, Infinity))
    parts.outs = pp.format(outs, Infinity)
  }
  return pp.concat([
    pp.group(
      pp.nest(
        2,
        pp.concat([
          pp.text("{ lambda "),
          consts,
          pp.text("; "),
          ins,
          pp.text(". let"),
          eqns.length === 0 && compact ? pp.nil : pp.nest(2, pp.concat([pp.brk(), pp.join(pp.brk("; "), eqns)])),
          pp.brk(),
          pp.text("in "),
          outs
        ])
      )
    ),
    pp.text(" }")
  ])
}

const paramDoc = (v: ParamText, compact: boolean): pp.Doc => {
  if (typeof v === "string") return pp.text(v)
  if (v instanceof Jaxpr) return jaxprDoc(v, compact)
  if (v instanceof ClosedJaxpr) return jaxprDoc(v.jaxpr, compact)
  return pp.group(
    pp.concat([
      pp.nest(
        2,
        pp.concat([
          pp.text("("),
          pp.brk(""),
          pp.join(
            pp.brk(),
            v.map((j) => paramDoc(j, compact))
          )
        ])
      ),
      pp.brk(""),
      pp.text(")")
    ])
  )
}

const snake = (k: string): string => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)

const isProgram = (v: unknown): v is Jaxpr | ClosedJaxpr => v instanceof Jaxpr || v instanceof ClosedJaxpr

const defaultParams = (p: Params): ReadonlyArray<readonly [string, ParamText]> =>
  Object.keys(p)
    .sort()
    .map((k) => {
      const v = p[k]
      if (isProgram(v)) return [snake(k), v] as const
      if (globalThis.Array.isArray(v) && v.length > 0 && v.every(isProgram)) return [snake(k), v as ReadonlyArray<Jaxpr | ClosedJaxpr>] as const
      return [snake(k), formatParam(v)] as const
    })

const formatParam = (v: unknown): string => {
  if (typeof v === "boolean") return v ? "True" : "False"
  if (v === null || v === undefined) return "None"
  if (globalThis.Array.isArray(v)) return `(${v.map(formatParam).join(", ")}${v.length === 1 ? "," : ""})`
  if (isProgram(v)) return v.toString({ compact: true })
  return String(v)
}

/**
 * A literal for a concrete scalar whose host value is known (arrays made from host data), or
 * undefined: a computed scalar stays a constant input, since reading it could wait on a device.
 */
export const literalOf = (x: ArrayImpl): Lit | undefined => {
  const h = x.host
  // A literal holds one number: a complex scalar is one only when its imaginary part is +0.
  if (h === undefined || x.ndim !== 0 || x.isDeleted() || (isComplex(x.dtype) && !Object.is(h[1], 0))) return undefined
  return new Lit(storedValues(h, x.dtype)[0]!, x.aval)
}
