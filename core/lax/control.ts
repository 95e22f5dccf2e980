/**
 * Structured control flow over pytrees: `cond`, `switch`, `whileLoop`, `forILoop`, `scan`. The
 * functions are traced into sub-programs (so they work under jit, grad and jvp); operands and
 * carries are pytrees of Arrays and JS numbers.
 */
import { Array, ShapedArray } from "../array.js"
import { ShapeError, TreeError, ValueError } from "../errors.js"
import { checkOptions } from "../options.js"
import { traceToJaxpr } from "../interpreters/stage.js"
import { bind } from "../trace.js"
import { constant } from "../primitives/common.js"
import { hoistConsts } from "../primitives/call.js"
import { condP, scanP, whileP } from "../primitives/control.js"
import { add, convertElementType, lt } from "../primitives/elementwise.js"
import { flatten, type TreeDef, unflatten } from "../tree.js"
import type { Jaxpr } from "../ir.js"

const toArray = (x: unknown, what: string): Array => {
  if (x instanceof Array) return x
  if (typeof x === "number") return constant(x, Number.isInteger(x) ? "int32" : "float32", [], true)
  if (typeof x === "boolean") return constant(x ? 1 : 0, "bool", [])
  throw new ValueError(`${what}: ${typeof x} leaves cannot be traced; operands and carries must be pytrees of Arrays and numbers`)
}

const flatArrays = (x: unknown, what: string): [Array[], TreeDef] => {
  const [leaves, def] = flatten(x)
  return [leaves.map((l) => toArray(l, what)), def]
}

interface Traced {
  readonly jaxpr: Jaxpr
  readonly consts: ReadonlyArray<Array>
  readonly outDef: TreeDef
}

/** Trace `f` on the leaves' avals; outputs flattened. Optionally cast outputs to given avals. */
const traceFn = (
  avals: ReadonlyArray<ShapedArray>,
  f: (leaves: ReadonlyArray<Array>) => unknown,
  what: string,
  castTo?: ReadonlyArray<ShapedArray>
): Traced => {
  const [closed, outDef] = traceToJaxpr(avals, (xs) => {
    const [outs, def] = flatArrays(f(xs), what)
    const cast =
      castTo === undefined
        ? outs
        : outs.map((o, i) => {
            const t = castTo[i]
            if (t === undefined || (o.dtype === t.dtype && o.weakType === t.weakType)) return o
            return convertElementType(o, t.dtype, t.weakType)
          })
    return [cast, def]
  })
  const { jaxpr, consts } = hoistConsts(closed.jaxpr, closed.consts)
  return { jaxpr, consts, outDef }
}

const describe = (avals: ReadonlyArray<ShapedArray>): string => `(${avals.map((a) => a.str()).join(", ")})`

/** Carries keep one type through a loop: strong unless every appearance is weak. */
const loopCarryAvals = (init: ReadonlyArray<Array>): ShapedArray[] => init.map((x) => new ShapedArray(x.shape, x.dtype, false))

const checkCarry = (what: string, initDef: TreeDef, outDef: TreeDef, init: ReadonlyArray<ShapedArray>, outs: ReadonlyArray<ShapedArray>): void => {
  if (!initDef.equals(outDef)) {
    throw new TreeError(
      `${what}: the body must return a carry with the structure of the initial value: got ${outDef.toString()}, expected ${initDef.toString()}`
    )
  }
  init.forEach((a, i) => {
    const b = outs[i]!
    if (a.dtype !== b.dtype || a.shape.join(",") !== b.shape.join(",")) {
      throw new ShapeError(
        `${what}: the body must keep the carry's shapes and dtypes: carry leaf ${i} is ${a.str()} but the body returns ${b.str()}. ` +
          "Cast or reshape inside the body so the carry type stays fixed."
      )
    }
  })
}

// ---------------------------------------------------------------------------------------------

const switchImpl = <Ops extends ReadonlyArray<unknown>, R>(
  index: Array | number | boolean,
  branches: ReadonlyArray<(...ops: Ops) => R>,
  operands: Ops,
  what: string
): R => {
  if (branches.length === 0) throw new ValueError(`${what} needs at least one branch`)
  const [leaves, def] = flatArrays(operands, what)
  const avals = leaves.map((l) => l.aval)
  const traced = branches.map((b) => traceFn(avals, (xs) => b(...(unflatten(def, xs) as unknown as Ops)), what))
  const outAvals = traced.map((t) => t.jaxpr.outs.map((o) => o.aval))
  traced.forEach((t, i) => {
    if (!t.outDef.equals(traced[0]!.outDef)) {
      throw new TreeError(
        `${what}: branches must return the same structure; branch 0 returns ${traced[0]!.outDef.toString()} and branch ${i} ${t.outDef.toString()}`
      )
    }
    const a = outAvals[0]!
    const b = outAvals[i]!
    if (a.some((x, j) => x.dtype !== b[j]!.dtype || x.shape.join(",") !== b[j]!.shape.join(","))) {
      throw new ShapeError(`${what}: branches must return the same shapes and dtypes; branch 0 returns ${describe(a)} and branch ${i} ${describe(b)}`)
    }
  })
  // Weak types differ between branches: make those outputs strong in every branch.
  const joined = outAvals[0]!.map(
    (a, j) =>
      new ShapedArray(
        a.shape,
        a.dtype,
        outAvals.every((o) => o[j]!.weakType)
      )
  )
  const final = outAvals.some((o) => o.some((a, j) => a.weakType !== joined[j]!.weakType))
    ? branches.map((b) => traceFn(avals, (xs) => b(...(unflatten(def, xs) as unknown as Ops)), what, joined))
    : traced
  const idx = typeof index === "number" ? constant(index, "int32", []) : typeof index === "boolean" ? constant(index ? 1 : 0, "int32", []) : index
  if (idx.ndim !== 0) throw new ShapeError(`${what}: the index/predicate must be a scalar, got shape ${idx.shape.join("x")}`)
  const i32 = idx.dtype === "int32" ? idx : convertElementType(idx, "int32")
  const outs = bind(condP, [i32, ...final.flatMap((t) => t.consts), ...leaves], {
    branches: final.map((t) => t.jaxpr),
    constCounts: final.map((t) => t.consts.length)
  })
  return unflatten(final[0]!.outDef, outs) as R
}

/**
 * `lax.cond(pred, trueFun, falseFun, ...operands)`: run one branch, chosen by a scalar predicate
 * that may be traced (both branches are staged; they must return the same types).
 *
 * @example
 * const x = np.array(3, { dtype: "float32" })
 * lax.cond(x.gt(0), (x: Array) => x.mul(2), (x: Array) => x.neg(), x)
 */
export const cond = <Ops extends ReadonlyArray<unknown>, R>(
  pred: Array | boolean,
  trueFun: (...ops: Ops) => R,
  falseFun: (...ops: Ops) => R,
  ...operands: Ops
): R => switchImpl(pred, [falseFun, trueFun], operands, "lax.cond")

/**
 * `lax.switch(index, branches, ...operands)`: run `branches[index]` (index clamped to range).
 *
 * @example
 * const x = np.array(3, { dtype: "float32" })
 * lax.switch(np.array(1), [(x: Array) => x, (x: Array) => x.mul(2)], x)
 */
const switch_ = <Ops extends ReadonlyArray<unknown>, R>(index: Array | number, branches: ReadonlyArray<(...ops: Ops) => R>, ...operands: Ops): R =>
  switchImpl(index, branches, operands, "lax.switch")
export { switch_ as switch }

/**
 * `lax.whileLoop(condFun, bodyFun, init)`: `while (condFun(c)) c = bodyFun(c)`, staged. Forward
 * mode differentiates through it; reverse mode needs `scan` or `forILoop` with static bounds.
 *
 * @example
 * lax.whileLoop((c: Array) => c.lt(10), (c: Array) => c.add(1), np.array(0))
 */
export const whileLoop = <C>(condFun: (c: C) => Array | boolean, bodyFun: (c: C) => C, init: C): C => {
  const [leaves0, def] = flatArrays(init, "lax.whileLoop")
  const carryAvals = loopCarryAvals(leaves0)
  const leaves = leaves0.map((l, i) => (l.weakType ? convertElementType(l, carryAvals[i]!.dtype, false) : l))
  const c = traceFn(carryAvals, (xs) => condFun(unflatten(def, xs) as C), "lax.whileLoop cond")
  const pred = c.jaxpr.outs
  if (pred.length !== 1 || pred[0]!.aval.ndim !== 0 || pred[0]!.aval.dtype !== "bool") {
    throw new ValueError(`lax.whileLoop: condFun must return a scalar bool, got ${describe(pred.map((o) => o.aval))}`)
  }
  const b = traceFn(carryAvals, (xs) => bodyFun(unflatten(def, xs) as C), "lax.whileLoop body", carryAvals)
  checkCarry(
    "lax.whileLoop",
    def,
    b.outDef,
    carryAvals,
    b.jaxpr.outs.map((o) => o.aval)
  )
  const outs = bind(whileP, [...c.consts, ...b.consts, ...leaves], {
    condJaxpr: c.jaxpr,
    bodyJaxpr: b.jaxpr,
    condNconsts: c.consts.length,
    bodyNconsts: b.consts.length
  })
  return unflatten(def, outs) as C
}

const SCAN_KEYS = ["length", "reverse"]

/**
 * `lax.scan(f, init, xs, { length, reverse })`: `f(carry, x) -> [carry, y]` over the leading axis
 * of `xs`, returning the final carry and the stacked ys. Differentiable in both modes.
 *
 * @example
 * const [total, partial] = lax.scan((c: Array, x: Array) => [c.add(x), c.add(x)], np.array(0), np.arange(5))
 */
export const scan = <C, X, Y>(
  f: (carry: C, x: X) => readonly [C, Y],
  init: C,
  xs: X,
  opts: { readonly length?: number; readonly reverse?: boolean } = {}
): [C, Y] => {
  checkOptions("lax.scan", opts, SCAN_KEYS)
  const [carry0, cDef] = flatArrays(init, "lax.scan")
  const [xLeaves, xDef] = flatArrays(xs, "lax.scan")
  const lengths = new Set(xLeaves.map((x) => (x.ndim === 0 ? -1 : x.shape[0]!)))
  if (lengths.has(-1)) throw new ShapeError("lax.scan: every xs leaf needs a leading axis to scan over; got a scalar")
  if (opts.length !== undefined) lengths.add(opts.length)
  if (lengths.size > 1) throw new ShapeError(`lax.scan: xs leaves and length disagree on the scan length: ${[...lengths].join(", ")}`)
  const length = lengths.size === 1 ? [...lengths][0]! : undefined
  if (length === undefined) throw new ValueError("lax.scan: with no xs, pass { length }")
  const carryAvals = loopCarryAvals(carry0)
  const carry = carry0.map((l, i) => (l.weakType ? convertElementType(l, carryAvals[i]!.dtype, false) : l))
  const xRows = xLeaves.map((x) => new ShapedArray(x.shape.slice(1), x.dtype, x.weakType))
  let yDef: TreeDef | undefined
  const body = traceFn(
    [...carryAvals, ...xRows],
    (ins) => {
      const out = f(unflatten(cDef, ins.slice(0, carry.length)) as C, unflatten(xDef, ins.slice(carry.length)) as X)
      if (!globalThis.Array.isArray(out) || out.length !== 2) throw new ValueError("lax.scan: f must return a pair [carry, y]")
      const [cOut, cOutDef] = flatArrays(out[0], "lax.scan")
      const [yOut, yd] = flatArrays(out[1], "lax.scan")
      checkCarry(
        "lax.scan",
        cDef,
        cOutDef,
        carryAvals,
        cOut.map((o) => o.aval)
      )
      yDef = yd
      return [...cOut.map((o, i) => (o.weakType !== carryAvals[i]!.weakType ? convertElementType(o, o.dtype, false) : o)), ...yOut]
    },
    "lax.scan"
  )
  const outs = bind(scanP, [...body.consts, ...carry, ...xLeaves], {
    jaxpr: body.jaxpr,
    numConsts: body.consts.length,
    numCarry: carry.length,
    length,
    reverse: opts.reverse === true
  })
  return [unflatten(cDef, outs.slice(0, carry.length)) as C, unflatten(yDef!, outs.slice(carry.length)) as Y]
}

/**
 * `lax.forILoop(lower, upper, body, init)`: `for (i = lower; i < upper; i++) c = body(i, c)`. With
 * JS-number bounds it is a `scan` (reverse-mode differentiable); with traced bounds a `whileLoop`.
 *
 * @example
 * lax.forILoop(0, 5, (i: Array, c: Array) => c.add(i), np.array(0))
 */
export const forILoop = <C>(lower: number | Array, upper: number | Array, body: (i: Array, c: C) => C, init: C): C => {
  if (typeof lower === "number" && typeof upper === "number") {
    if (!Number.isInteger(lower) || !Number.isInteger(upper)) throw new ValueError(`lax.forILoop: bounds must be integers, got ${lower} and ${upper}`)
    const n = Math.max(0, upper - lower)
    const [out] = scan(
      (c: readonly [Array, C]) => [[add(c[0], constant(1, "int32", [])), body(c[0], c[1])] as const, null] as const,
      [constant(lower, "int32", []), init] as const,
      null,
      { length: n }
    )
    return out[1]
  }
  const lo = toArray(lower, "lax.forILoop")
  const hi = toArray(upper, "lax.forILoop")
  const [, , out] = whileLoop(
    (c: readonly [Array, Array, C]) => lt(c[0], c[1]),
    (c: readonly [Array, Array, C]) => [add(c[0], constant(1, c[0].dtype, [])), c[1], body(c[0], c[2])] as const,
    [convertElementType(lo, "int32"), convertElementType(hi, "int32"), init] as const
  )
  return out
}
