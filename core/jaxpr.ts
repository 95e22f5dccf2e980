/**
 * The staged program ("jaxpr") as data: typed variables, equations, literals, and its printer, in
 * JAX's text form: `{ lambda ; a:f32[]. let b:f32[] = log a; c:f32[] = log 2.0:f32[]; d:f32[] = div b c in (d,) }`.
 * It binds nothing, so the device runtime (which builds one-equation programs) can import it
 * without importing the tracing machinery; ir.ts adds evaluation and exports both.
 */
import type { Array, ArrayImpl, ShapedArray } from "./array.js"
import { hostScalar } from "./devices/host.js"
import { isFloat, storedValues } from "./dtype.js"
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
  constructor(readonly val: number, readonly aval: ShapedArray) {}
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
}

export class Jaxpr {
  constructor(
    readonly constVars: ReadonlyArray<Var>,
    readonly inVars: ReadonlyArray<Var>,
    readonly eqns: ReadonlyArray<Eqn>,
    readonly outs: ReadonlyArray<Atom>
  ) {}

  toString(): string {
    return printJaxpr(this)
  }
}

/** A jaxpr together with the values of its constant variables. */
export class ClosedJaxpr {
  constructor(readonly jaxpr: Jaxpr, readonly consts: ReadonlyArray<Array>) {}
  toString(): string {
    return this.jaxpr.toString()
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
  else if (isFloat(dtype)) s = Object.is(v, -0) ? "-0.0" : Number.isInteger(v) ? `${v}.0` : Number.isFinite(v) ? shortestFloat(v, dtype === "float32") : Number.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf"
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

export const printJaxpr = (jaxpr: Jaxpr): string => {
  const names = new Map<Var, string>()
  let next = 0
  const bindName = (v: Var): string => {
    const n = varName(next++)
    names.set(v, n)
    return n
  }
  const atom = (a: Atom): string => (a instanceof Lit ? formatLiteral(a) : names.get(a) ?? "?")
  const decl = (v: Var): string => `${bindName(v)}:${v.aval.str()}`
  const consts = jaxpr.constVars.map(decl).join(" ")
  const ins = jaxpr.inVars.map(decl).join(" ")
  const eqns = jaxpr.eqns.map((e) => {
    const outs = e.outVars.map(decl).join(" ")
    const ps = e.primitive.printParams ? e.primitive.printParams(e.params as never) : defaultParams(e.params)
    const pstr = ps.length === 0 ? "" : `[${ps.map(([k, v]) => `${k}=${v}`).join(" ")}]`
    return `${outs} = ${e.primitive.name}${pstr} ${e.inputs.map(atom).join(" ")}`.trimEnd()
  })
  const outs = `(${jaxpr.outs.map(atom).join(", ")}${jaxpr.outs.length === 1 ? "," : ""})`
  const body = eqns.length === 0 ? "" : ` ${eqns.join("; ")}`
  return `{ lambda ${consts}; ${ins}. let${body} in ${outs} }`
}

const snake = (k: string): string => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)

const defaultParams = (p: Params): ReadonlyArray<readonly [string, string]> =>
  Object.keys(p)
    .sort()
    .map((k) => [snake(k), formatParam(p[k])] as const)

const formatParam = (v: unknown): string => {
  if (typeof v === "boolean") return v ? "True" : "False"
  if (v === null || v === undefined) return "None"
  if (globalThis.Array.isArray(v)) return `(${v.map(formatParam).join(", ")}${v.length === 1 ? "," : ""})`
  if (v instanceof Jaxpr || v instanceof ClosedJaxpr) return v.toString()
  return String(v)
}

/**
 * A literal for a concrete scalar whose host value is known (arrays made from host data), or
 * undefined: a computed scalar stays a constant input, since reading it could wait on a device.
 */
export const literalOf = (x: ArrayImpl): Lit | undefined => {
  const h = x.host
  return h === undefined || x.ndim !== 0 || x.isDeleted() ? undefined : new Lit(storedValues(h, x.dtype)[0]!, x.aval)
}
