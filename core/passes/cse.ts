/**
 * Common-subexpression elimination. Two equations with the same primitive, the same inputs and
 * equal params compute the same values (every primitive is pure), so the later one is dropped
 * and its outputs are replaced by the earlier one's everywhere after it (outs included).
 *
 * - Vars are compared by identity (after earlier merges are applied).
 * - Literals are compared by aval (dtype, weak type) and bit pattern: `0.0` and `-0.0` differ,
 *   two NaN literals with the same bits are the same value.
 * - Params are compared structurally (plain objects, arrays, numbers with -0 and NaN told apart);
 *   sub-programs and any other class instance by identity.
 * Effectful equations (debug printing, or a call whose body prints) are never merged.
 * Each sub-program is its own scope: CSE runs inside it, never across the boundary.
 */
import { ShapedArray } from "../array.js"
import { type Atom, type Eqn, Lit, type Var } from "../ir.js"
import { isEffectful, makePass, mapSubPrograms, rebuild, resolve, type Subst, substInputs, withInputs } from "./rewrite.js"

const ids = new WeakMap<object, number>()
let nextId = 0
const idOf = (o: object): number => {
  let id = ids.get(o)
  if (id === undefined) {
    id = nextId++
    ids.set(o, id)
  }
  return id
}

const hex = (bytes: Uint8Array): string => {
  let s = ""
  for (const b of bytes) s += b.toString(16).padStart(2, "0")
  return s
}

const avalKey = (a: ShapedArray): string => `${a.str()}${a.weakType ? "w" : ""}`

/** A literal's identity: its aval and the bytes of its value. */
export const literalKey = (lit: Lit): string => {
  const d = new Float64Array([lit.val])
  return `${avalKey(lit.aval)}=${hex(new Uint8Array(d.buffer))}`
}

const isPlain = (v: object): boolean => {
  const proto: unknown = Object.getPrototypeOf(v)
  return proto === Object.prototype || proto === null
}

/** A canonical string for a params value: equal strings iff structurally equal params. */
export const paramKey = (v: unknown): string => {
  switch (typeof v) {
    case "undefined":
      return "u"
    case "number":
      return Object.is(v, -0) ? "-0" : String(v)
    case "string":
      return JSON.stringify(v)
    case "boolean":
      return v ? "T" : "F"
    case "bigint":
      return `${v}n`
    case "symbol":
      return `sym#${String(v.description)}`
    case "function":
      return `#${idOf(v)}`
  }
  if (v === null || typeof v !== "object") return "n"
  if (globalThis.Array.isArray(v)) return `[${v.map(paramKey).join(",")}]`
  if (v instanceof ShapedArray) return `aval(${avalKey(v)})`
  if (isPlain(v)) {
    const o = v as Readonly<Record<string, unknown>>
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${paramKey(o[k])}`)
      .join(",")}}`
  }
  // Jaxpr, ClosedJaxpr, arrays and other instances: identity.
  return `#${idOf(v)}`
}

const atomKey = (a: Atom): string => (a instanceof Lit ? literalKey(a) : `v${idOf(a)}`)

export const cse = makePass((jaxpr, sub) => {
  const subst: Subst = new Map()
  const seen = new Map<string, ReadonlyArray<Var>>()
  const eqns: Eqn[] = []
  for (const e of jaxpr.eqns) {
    const inputs = substInputs(subst, e)
    const params = mapSubPrograms(e.params, sub)
    if (isEffectful(e)) {
      eqns.push(withInputs(e, inputs, params))
      continue
    }
    const key = `${idOf(e.primitive)}(${inputs.map(atomKey).join(" ")})${paramKey(params)}`
    const prev = seen.get(key)
    if (prev !== undefined && prev.length === e.outVars.length && prev.every((v, i) => v.aval.equals(e.outVars[i]!.aval))) {
      e.outVars.forEach((v, i) => subst.set(v, prev[i]!))
      continue
    }
    seen.set(key, e.outVars)
    eqns.push(withInputs(e, inputs, params))
  }
  return rebuild(
    jaxpr,
    eqns,
    jaxpr.outs.map((a) => resolve(subst, a))
  )
})
