/**
 * Laws for the extension points: derivative rules written by hand (`customJvp`, `customVjp`) and
 * primitives defined by users (`definePrimitive` with jvp, transpose and batching rules).
 *
 * - `customRuleMatchesFiniteDifferences(f, arbs)`: the custom rule of f against central
 *   differences of f itself (in float64): `J u` from a customJvp rule element by element, or
 *   `<Jᵀ v, u>` from a customVjp rule.
 * - `customJvpVjpAgree(f, arbs)`: forward and reverse mode of f agree (`<v, J u> = <Jᵀ v, u>`) and
 *   return f's value; for a customJvp function the reverse mode is jaxfx's transposition of the
 *   rule, for a customVjp function the forward side is the jvp of a function you name.
 * - `primitiveRulesHold(prim, arbs)`: a primitive's jvp rule against finite differences of its
 *   implementation, its transpose rule against the adjoint identity with its jvp, and its batching
 *   rule against a loop over examples (with the batch dimension anywhere, and unbatched operands).
 *
 * @example
 * const softplus = customJvp((x: Array) => nn.softplus(x))
 * softplus.defjvp(([x], [t]) => [softplus(x), t.mul(nn.sigmoid(x))])
 * laws.check(laws.customRuleMatchesFiniteDifferences(softplus, [arb.array({ shape: [3] })]), { seed: 1 })
 */
import fc from "fast-check"
import { type Params, type Primitive, UndefPrimal, Zero } from "../core/primitive.js"
import { evalPrimitive } from "../core/trace.js"
import { type Array, np, tree } from "../index.js"
import { array as arrayArb } from "./arbitraries.js"
import { type Comparison, formatNumber, treeCode, unravel } from "./format.js"
import { checkLawOptions } from "./check-options.js"
import { checkOneOf, optionKeys } from "../core/options.js"
import {
  type AnyFn,
  type Arbitraries,
  attempt,
  compareOutputs,
  defaultJvp,
  defaultVjp,
  Described,
  erase,
  type ErasedJvp,
  type ErasedVjp,
  errorText,
  floatLeaves,
  indent,
  innerProduct,
  isFloatArray,
  type JvpLike,
  lawProperty,
  type LawProperty,
  LawViolation,
  nameOf,
  outputLeaves,
  perArgument,
  sameStructure,
  toFloat64,
  type VjpLike
} from "./laws.js"

type TreeDef = ReturnType<typeof tree.flatten>[1]

/** A float array (without narrowing the other case away, as the type guard would). */
const isFloat = (x: Array): boolean => x.dtype === "float32" || x.dtype === "float64" || x.dtype === "complex64" || x.dtype === "complex128"

/** What jaxfx says when forward mode meets a customVjp function. */
const isForwardModeRefusal = (e: unknown): boolean => e instanceof Error && /forward-mode differentiation/.test(e.message)

/** Random cotangents shaped like f's outputs (float32 in place of integer outputs). */
const cotangentsOf = (f: AnyFn, args: ReadonlyArray<unknown>): fc.Arbitrary<unknown> => {
  let out: unknown
  try {
    out = f(...args)
  } catch {
    return fc.constant(null)
  }
  const [leaves, def] = outputLeaves(out)
  return directions(
    leaves.map((l) => (isFloat(l) ? l : l.astype("float32"))),
    def
  )
}

/**
 * Random directions shaped like `leaves`: multiples of 1/4 in [-1, 1], so a failure shrinks to
 * simple tangents, never to tiny ones whose effect hides under the absolute tolerance.
 */
const directions = (leaves: ReadonlyArray<Array>, def: TreeDef): fc.Arbitrary<unknown> =>
  fc.tuple(...leaves.map((l) => arrayArb({ shape: l.shape, dtype: l.dtype, min: -1, max: 1, step: 1 / 4 }))).map((ts) => tree.unflatten(def, ts))

/** `args + delta * u` over the float leaves (in the args' dtypes). */
const moved = (leaves: ReadonlyArray<Array>, def: TreeDef, u: ReadonlyArray<Array>, delta: number): unknown[] =>
  tree.unflatten(
    def,
    leaves.map((l, i) => l.add(u[i]!.astype(l.dtype).mul(delta)))
  ) as unknown[]

/** The central difference of f along u, per output leaf, as float64 values. */
const directionalDifference = (f: AnyFn, leaves: ReadonlyArray<Array>, def: TreeDef, u: ReadonlyArray<Array>, h: number): Float64Array[] => {
  const [yp] = outputLeaves(f(...moved(leaves, def, u, h)))
  const [ym] = outputLeaves(f(...moved(leaves, def, u, -h)))
  return yp.map((p, k) => {
    const pd = p.data()
    const md = ym[k]!.data()
    const out = new Float64Array(pd.length)
    for (let i = 0; i < pd.length; i++) out[i] = (pd[i]! - md[i]!) / (2 * h)
    return out
  })
}

const maxAbs = (xs: ReadonlyArray<ArrayLike<number>>): number => {
  let m = 0
  for (const x of xs) for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]!))
  return m
}

/** The step of a central difference: eps times the size of the inputs (at least eps). */
const stepFor = (leaves: ReadonlyArray<Array>, eps: number): number => eps * Math.max(1, maxAbs(leaves.map((l) => l.data())))

/** Elementwise mismatches of `actual` against the differences `fd` (normwise tolerance per leaf); empty when they agree. */
const mismatches = (
  actual: ReadonlyArray<Array>,
  fd: ReadonlyArray<Float64Array>,
  rtol: number,
  atol: number,
  label: string,
  paths: ReadonlyArray<string>
): string[] => {
  const out: string[] = []
  actual.forEach((a, k) => {
    const ad = a.data()
    const fk = fd[k]!
    const allowed = atol + rtol * Math.max(maxAbs([fk]), maxAbs([ad]))
    for (let i = 0; i < ad.length && out.length < 4; i++) {
      const diff = Math.abs(ad[i]! - fk[i]!)
      if (!(diff <= allowed)) {
        const where = a.ndim === 0 ? "" : ` at [${unravel(i, a.shape).join(", ")}]`
        out.push(
          `${label}${paths[k] ?? ""}${where}: ${formatNumber(ad[i]!, a.dtype)}, central difference ${formatNumber(fk[i]!)} (|difference| ${formatNumber(diff)}, allowed ${formatNumber(allowed)})`
        )
      }
    }
  })
  return out
}

const leafNames = (t: unknown): string[] => {
  const [leaves] = tree.flatten(t)
  return leaves.length === 1 ? [""] : leaves.map((_, i) => ` (leaf ${i})`)
}

// ---------------------------------------------------------------------------------------------
// A custom rule against finite differences

export interface CustomRuleOptions {
  /**
   * Which rule to check: "jvp" (a customJvp function: `J u` against the directional difference,
   * element by element), "vjp" (a customVjp function: `<Jᵀ v, u>` against `<v, difference>`), or
   * "auto" (default): jvp, or vjp when f refuses forward mode.
   */
  readonly mode?: "auto" | "jvp" | "vjp"
  /** "float64" (default): the rule and the differences run on float64 casts; "input": the rule runs in the inputs' dtype. */
  readonly dtype?: "float64" | "input"
  /** Step of the central difference, relative to max(1, max |x|) (default 1e-5; retried at 1/100 of it). */
  readonly eps?: number
  /** Normwise tolerance (defaults: float64 rtol 1e-6, atol 1e-9; float32 rtol 2e-3, atol 2e-4). */
  readonly rtol?: number
  readonly atol?: number
  /** The jvp and vjp under test (default jaxfx's). */
  readonly jvp?: JvpLike
  readonly vjp?: VjpLike
}

interface RuleCase {
  readonly args: ReadonlyArray<unknown>
  readonly u: unknown
  readonly v: unknown
}

const describeRuleCase = ({ args, u, v }: RuleCase): string =>
  [perArgument("inputs", args as unknown[]), perArgument("tangent u", u), `cotangent v (output): ${treeCode(v)}`].join("\n")

const ruleCases = <Args extends ReadonlyArray<unknown>>(f: AnyFn, arbs: Arbitraries<Args>, law: string): fc.Arbitrary<Described<RuleCase>> => {
  const list = arbs as unknown as ReadonlyArray<fc.Arbitrary<unknown>>
  if (list.length === 0) throw new RangeError(`${law}: give one arbitrary per argument of f (none were given)`)
  return fc
    .tuple(...list)
    .chain((args) => {
      const [leaves, def] = floatLeaves(args, law)
      return fc.record({ args: fc.constant(args as ReadonlyArray<unknown>), u: directions(leaves, def), v: cotangentsOf(f, args) })
    })
    .map((c) => new Described<RuleCase>(c, describeRuleCase))
}

const tolerances = (dtype: string, o: { readonly rtol?: number; readonly atol?: number }): [number, number] =>
  dtype === "float64" ? [o.rtol ?? 1e-6, o.atol ?? 1e-9] : [o.rtol ?? 2e-3, o.atol ?? 2e-4]

const primalTolerance = (dtype: string): Comparison => (dtype === "float64" ? { rtol: 1e-9, atol: 1e-12 } : { rtol: 1e-5, atol: 1e-7 })

/** The inputs of one custom-rule case: x (in float64 unless asked), the tangent cast to x's dtypes, f(x) and the dtype that sets tolerances. */
const prepareRuleCase = (g: AnyFn, args: ReadonlyArray<unknown>, u: unknown, dtypeOption: "float64" | "input" | undefined, law: string) => {
  const x = dtypeOption === "input" ? [...args] : (args.map(toFloat64) as unknown[])
  const [xLeaves, def] = floatLeaves(x, law)
  const [uLeaves] = tree.flatten(u) as [Array[], TreeDef]
  const uCast = tree.unflatten(
    def,
    uLeaves.map((l, i) => l.astype(xLeaves[i]!.dtype))
  ) as unknown[]
  const value = attempt("f(x)", () => g(...x))
  const [outLeaves] = outputLeaves(value)
  const dtype: "float32" | "float64" = outLeaves.some((l) => l.dtype === "float32") || xLeaves.some((l) => l.dtype === "float32") ? "float32" : "float64"
  return { x, xLeaves, def, uLeaves, uCast, value, outLeaves, dtype }
}

/**
 * The custom derivative rule of f (a `customJvp` or `customVjp` function) matches central
 * differences of f's own value, along a random direction u: for a customJvp rule, `J u` element
 * by element; for a customVjp rule, `<Jᵀ v, u> = <v, (f(x + h u) - f(x - h u)) / 2h>` for a random
 * cotangent v. The rule's primal output must equal f(x) too. Arguments must be float arrays
 * (pytrees of them); by default everything runs in float64, so the rule is checked, not rounding.
 *
 * @example
 * const softplus = customJvp((x: Array) => nn.softplus(x))
 * softplus.defjvp(([x], [t]) => [softplus(x), t.mul(nn.sigmoid(x))])
 * laws.check(laws.customRuleMatchesFiniteDifferences(softplus, [arb.array({ shape: [3] })]), { seed: 1 })
 */
export const customRuleMatchesFiniteDifferences = <Args extends ReadonlyArray<unknown>>(
  f: (...args: Args) => unknown,
  arbs: Arbitraries<Args>,
  options: CustomRuleOptions = {}
): LawProperty<Described<RuleCase>> => {
  checkLawOptions("laws.customRuleMatchesFiniteDifferences", options, optionKeys<CustomRuleOptions>()("mode", "dtype", "eps", "rtol", "atol", "jvp", "vjp"))
  checkOneOf("laws.customRuleMatchesFiniteDifferences", "mode", options.mode, ["auto", "jvp", "vjp"])
  checkOneOf("laws.customRuleMatchesFiniteDifferences", "dtype", options.dtype, LAW_DTYPES)
  const g = f as unknown as AnyFn
  const jvpFn: ErasedJvp = erase(options.jvp, defaultJvp)
  const vjpFn: ErasedVjp = erase(options.vjp, defaultVjp)
  const eps = options.eps ?? 1e-5
  const law = "customRuleMatchesFiniteDifferences"
  return lawProperty(law, nameOf(f), ruleCases(g, arbs, law), ({ args, u, v }) => {
    const { x, xLeaves, def, uLeaves, uCast, value, outLeaves, dtype } = prepareRuleCase(g, args, u, options.dtype, law)
    const [rtol, atol] = tolerances(dtype, options)
    let mode = options.mode ?? "auto"
    let jvpOut: readonly [unknown, unknown] | undefined
    if (mode !== "vjp") {
      try {
        jvpOut = jvpFn(g, x, uCast)
        mode = "jvp"
      } catch (e) {
        if (mode === "auto" && isForwardModeRefusal(e)) mode = "vjp"
        else throw new LawViolation(`jvp(f, x, u) threw ${errorText(e)}`)
      }
    }
    const h0 = stepFor(xLeaves, eps)
    if (mode === "jvp") {
      const [y, ju] = jvpOut!
      compareOutputs(value, y, primalTolerance(dtype), ["f(x)", "the rule's primal output"], "output")
      const d = sameStructure(value, ju, ["f(x)", "J u"])
      if (d !== undefined) throw new LawViolation(`the rule's tangent does not have the structure of f's output: ${d}`)
      const [juLeaves] = outputLeaves(ju)
      const paths = leafNames(ju)
      let problems: string[] = []
      for (const h of [h0, h0 / 100]) {
        const fd = attempt("f(x ± h u)", () => directionalDifference(g, xLeaves, def, uLeaves, h))
        const p = mismatches(juLeaves, fd, rtol, atol, "J u", paths)
        if (p.length === 0) return
        if (problems.length === 0) problems = p.map((s) => `${s}; h = ${formatNumber(h)}`)
      }
      throw new LawViolation(`the jvp rule disagrees with central differences of f along u (also with h/100):\n${problems.join("\n")}`)
    }
    // vjp: <Jᵀ v, u> = <v, fd>
    const [y, back] = attempt("vjp(f, x)", () => vjpFn(g, ...x))
    compareOutputs(value, y, primalTolerance(dtype), ["f(x)", "the rule's primal output"], "output")
    const [vLeaves, vDef] = outputLeaves(v)
    const vCast = tree.unflatten(
      vDef,
      vLeaves.map((l, i) => l.astype(outLeaves[i]?.dtype ?? l.dtype))
    )
    const jtv = attempt("vjp(f, x)[1](v)", () => back(vCast))
    const dIn = sameStructure(x, jtv, ["x", "Jᵀ v"])
    if (dIn !== undefined) throw new LawViolation(`the rule's cotangents do not have the structure of the arguments: ${dIn}`)
    const [jtvLeaves] = outputLeaves(jtv)
    const [lhs, sl] = innerProduct(jtvLeaves, uLeaves)
    let first: string | undefined
    for (const h of [h0, h0 / 100]) {
      const fd = attempt("f(x ± h u)", () => directionalDifference(g, xLeaves, def, uLeaves, h))
      let rhs = 0
      let sr = 0
      vLeaves.forEach((vl, k) => {
        const vd = vl.data()
        const fk = fd[k]!
        for (let i = 0; i < vd.length; i++) {
          rhs += vd[i]! * fk[i]!
          sr += Math.abs(vd[i]! * fk[i]!)
        }
      })
      const allowed = atol + rtol * Math.max(sl, sr)
      const diff = Math.abs(lhs - rhs)
      if (diff <= allowed) return
      first ??=
        `<Jᵀ v, u> = ${formatNumber(lhs)} from the rule, but <v, central difference along u> = ${formatNumber(rhs)} ` +
        `(h = ${formatNumber(h)}; |difference| ${formatNumber(diff)}, allowed ${formatNumber(allowed)})\nJᵀ v = ${treeCode(jtv)}`
    }
    throw new LawViolation(`the vjp rule disagrees with central differences of f (also with h/100):\n${first!}`)
  })
}

// ---------------------------------------------------------------------------------------------
// The jvp and vjp of a custom function agree

export interface JvpVjpOptions {
  /**
   * Whose jvp is the forward side (default f). A customVjp function refuses forward mode: name
   * the undecorated function (or a customJvp version of it) here.
   */
  readonly forward?: (...args: never[]) => unknown
  /** "float64" (default) or "input". */
  readonly dtype?: "float64" | "input"
  /** |<v, J u> - <Jᵀ v, u>| <= atol + rtol · scale (defaults: float64 1e-9, 1e-12; float32 1e-4, 1e-6). */
  readonly rtol?: number
  readonly atol?: number
  readonly jvp?: JvpLike
  readonly vjp?: VjpLike
}

/**
 * Forward and reverse mode of a custom function agree: `<v, J u> = <Jᵀ v, u>` with J u from
 * `jvp(forward ?? f)` and Jᵀ v from `vjp(f)`, and both return f's value. For a customJvp function
 * this checks that the rule is linear in the tangent and transposes (jaxfx derives its vjp by
 * transposing the rule); for a customVjp function it checks the backward rule against the forward
 * mode of `forward`.
 *
 * @example
 * const softplus = customJvp((x: Array) => nn.softplus(x))
 * softplus.defjvp(([x], [t]) => [softplus(x), t.mul(nn.sigmoid(x))])
 * laws.check(laws.customJvpVjpAgree(softplus, [arb.array({ shape: [3] })]), { seed: 1 })
 */
export const customJvpVjpAgree = <Args extends ReadonlyArray<unknown>>(
  f: (...args: Args) => unknown,
  arbs: Arbitraries<Args>,
  options: JvpVjpOptions = {}
): LawProperty<Described<RuleCase>> => {
  checkLawOptions("laws.customJvpVjpAgree", options, optionKeys<JvpVjpOptions>()("forward", "dtype", "rtol", "atol", "jvp", "vjp"))
  checkOneOf("laws.customJvpVjpAgree", "dtype", options.dtype, LAW_DTYPES)
  const g = f as unknown as AnyFn
  const fwd = (options.forward ?? f) as unknown as AnyFn
  const jvpFn: ErasedJvp = erase(options.jvp, defaultJvp)
  const vjpFn: ErasedVjp = erase(options.vjp, defaultVjp)
  const law = "customJvpVjpAgree"
  return lawProperty(law, nameOf(f), ruleCases(g, arbs, law), ({ args, u, v }) => {
    const { x, xLeaves, def, uLeaves, uCast, value, outLeaves, dtype } = prepareRuleCase(g, args, u, options.dtype, law)
    let forward: readonly [unknown, unknown]
    try {
      forward = jvpFn(fwd, x, uCast)
    } catch (e) {
      if (isForwardModeRefusal(e) && options.forward === undefined) {
        throw new LawViolation(
          `${nameOf(f)} has no forward-mode rule (it is a customVjp function): pass { forward: f's undecorated function } to compare its vjp with that jvp`
        )
      }
      throw new LawViolation(`jvp(f, x, u) threw ${errorText(e)}`)
    }
    const [y1, ju] = forward
    const [y2, back] = attempt("vjp(f, x)", () => vjpFn(g, ...x))
    compareOutputs(value, y1, primalTolerance(dtype), ["f(x)", "jvp's primal output"], "output")
    compareOutputs(value, y2, primalTolerance(dtype), ["f(x)", "vjp's primal output"], "output")
    const [vLeaves, vDef] = outputLeaves(v)
    const vCast = tree.unflatten(
      vDef,
      vLeaves.map((l, i) => l.astype(outLeaves[i]?.dtype ?? l.dtype))
    )
    const jtv = attempt("vjp(f, x)[1](v)", () => back(vCast))
    const dOut = sameStructure(value, ju, ["f(x)", "J u"])
    if (dOut !== undefined) throw new LawViolation(`J u does not have the structure of the output: ${dOut}`)
    const dIn = sameStructure(x, jtv, ["x", "Jᵀ v"])
    if (dIn !== undefined) throw new LawViolation(`Jᵀ v does not have the structure of the arguments: ${dIn}`)
    const [lhs, sl] = innerProduct(vLeaves, outputLeaves(ju)[0])
    const [rhs, sr] = innerProduct(outputLeaves(jtv)[0], uLeaves)
    const rtol = options.rtol ?? (dtype === "float64" ? 1e-9 : 1e-4)
    const atol = options.atol ?? (dtype === "float64" ? 1e-12 : 1e-6)
    const allowed = atol + rtol * Math.max(sl, sr)
    const diff = Math.abs(lhs - rhs)
    if (!(diff <= allowed)) {
      throw new LawViolation(
        `<v, J u> = ${formatNumber(lhs)} (forward mode) but <Jᵀ v, u> = ${formatNumber(rhs)} (reverse mode) ` +
          `(|difference| ${formatNumber(diff)}, allowed ${formatNumber(allowed)})\nJ u = ${treeCode(ju)}\nJᵀ v = ${treeCode(jtv)}`
      )
    }
  })
}

// ---------------------------------------------------------------------------------------------
// A primitive's rules

/** The rules `primitiveRulesHold` checks. */
export type PrimitiveRule = "jvp" | "transpose" | "batch"
const PRIMITIVE_RULES: ReadonlyArray<PrimitiveRule> = ["jvp", "transpose", "batch"]
const LAW_DTYPES = ["float64", "input"] as const

export interface PrimitiveLawOptions<P> {
  /** The primitive's params: fixed, or an arbitrary of them (default `{}`). */
  readonly params?: P | fc.Arbitrary<P>
  /** The inputs in which the primitive is linear, for the transpose rule (default: all). */
  readonly linear?: ReadonlyArray<number>
  /** Which rules to check (default: every rule the primitive defines). A listed rule it lacks is a failure. */
  readonly rules?: ReadonlyArray<PrimitiveRule>
  /** "float64" (default): jvp and transpose run on float64 casts of float inputs; "input": as generated. */
  readonly dtype?: "float64" | "input"
  /** Step of the central differences (default 1e-5, relative to the inputs; retried at 1/100). */
  readonly eps?: number
  /** Tolerance of the jvp check (normwise; defaults float64 rtol 1e-6, atol 1e-9). */
  readonly rtol?: number
  readonly atol?: number
  /** Largest batch for the batching rule (default 3). */
  readonly maxBatch?: number
  /** How batched results must match the loop: "exact" (default) or `{ rtol, atol }`. */
  readonly batchTolerance?: Comparison
}
const PRIMITIVE_LAW_KEYS = optionKeys<PrimitiveLawOptions<unknown>>()("params", "linear", "rules", "dtype", "eps", "rtol", "atol", "maxBatch", "batchTolerance")

interface PrimitiveCase<P> {
  readonly args: ReadonlyArray<Array>
  readonly params: P
  /** Tangents of the float inputs (null for the others). */
  readonly tangents: ReadonlyArray<Array | null>
  /** Cotangents of the outputs. */
  readonly cotangents: ReadonlyArray<Array>
  /** More examples for the batching rule (the inputs above are example 0). */
  readonly more: ReadonlyArray<ReadonlyArray<Array>>
  /** Batch dimension per input (null: unbatched). */
  readonly dims: ReadonlyArray<number | null>
  /** Why the primitive itself failed on these inputs and params (null: it ran). */
  readonly failed: string | null
}

const paramsText = (p: unknown): string => {
  try {
    return JSON.stringify(p)
  } catch {
    return String(p)
  }
}

const describePrimitiveCase =
  <P>(name: string) =>
  (c: PrimitiveCase<P>): string => {
    const lines = [
      `primitive: ${name}, params ${paramsText(c.params)}`,
      `inputs:\n${indent(c.args.map((a, i) => `input ${i}: ${treeCode(a)}`).join("\n"))}`,
      `tangents:\n${indent(c.tangents.map((t, i) => `input ${i}: ${t === null ? "(not differentiable)" : treeCode(t)}`).join("\n"))}`,
      `output cotangents:\n${indent(c.cotangents.map((t, i) => `output ${i}: ${treeCode(t)}`).join("\n"))}`,
      `batch: ${c.more.length + 1} example(s), batch dimension per input [${c.dims.map((d) => (d === null ? "unbatched" : String(d))).join(", ")}]`
    ]
    c.more.forEach((ex, j) => lines.push(`example ${j + 1}:\n${indent(ex.map((a, i) => `input ${i}: ${treeCode(a)}`).join("\n"))}`))
    return lines.join("\n")
  }

const instantiateZero = (x: Array | Zero | null, like: { readonly shape: ReadonlyArray<number>; readonly dtype: Array["dtype"] }): Array =>
  x instanceof Zero ? np.zeros(x.aval.shape, { dtype: x.aval.dtype }) : x === null ? np.zeros(like.shape, { dtype: like.dtype }) : x

const shapeKey = (xs: ReadonlyArray<Array>): string => xs.map((x) => `${x.dtype}[${x.shape.join(",")}]`).join(";")

const primitiveCases = <P>(
  prim: Primitive<P & Params>,
  arbs: ReadonlyArray<fc.Arbitrary<Array>>,
  o: PrimitiveLawOptions<P>
): fc.Arbitrary<Described<PrimitiveCase<P>>> => {
  const paramsArb: fc.Arbitrary<P> = o.params instanceof fc.Arbitrary ? o.params : fc.constant((o.params ?? {}) as P)
  const maxBatch = o.maxBatch ?? 3
  return fc
    .tuple(fc.tuple(...arbs), paramsArb)
    .chain(([args, params]) => {
      let outs: ReadonlyArray<Array> = []
      let failed: string | null = null
      try {
        outs = evalPrimitive(prim as unknown as Primitive, args, params as unknown as Params)
      } catch (e) {
        failed = errorText(e)
      }
      const key = shapeKey(args)
      return fc.record({
        args: fc.constant(args as ReadonlyArray<Array>),
        params: fc.constant(params),
        tangents: fc.tuple(
          ...args.map((a) => (isFloatArray(a) ? arrayArb({ shape: a.shape, dtype: a.dtype, min: -1, max: 1, step: 1 / 4 }) : fc.constant(null)))
        ),
        cotangents: fc.tuple(...outs.map((y) => arrayArb({ shape: y.shape, dtype: isFloatArray(y) ? y.dtype : "float32", min: -1, max: 1, step: 1 / 4 }))),
        more: fc.array(fc.tuple(...arbs), { maxLength: Math.max(0, maxBatch - 1) }).map((exs) => exs.filter((ex) => shapeKey(ex) === key)),
        dims: fc.tuple(...args.map((a) => fc.option(fc.nat({ max: a.ndim }), { nil: null }))),
        failed: fc.constant(failed)
      })
    })
    .map((c) => {
      const dims = c.dims.every((d) => d === null) ? c.dims.map((_, i) => (i === 0 ? 0 : null)) : c.dims
      return new Described<PrimitiveCase<P>>({ ...c, dims }, describePrimitiveCase(prim.name))
    })
}

/**
 * A primitive's rules agree with its implementation (`evalPrimitive`: its impl or backend kernel):
 * - jvp: the primal outputs equal the primitive's, and the tangents match central differences of
 *   the implementation along random tangents (in float64 by default);
 * - transpose: for the inputs it is linear in (`linear`), the cotangents it returns have the
 *   inputs' shapes and satisfy `<ct, J u> = <Tᵀ ct, u>` with J u from the jvp rule (or, without
 *   one, the primitive applied to u);
 * - batch: with the batch dimension at a random position of each input (or unbatched), the
 *   batched outputs, moved to axis 0, equal the primitive applied to each example, stacked.
 *
 * @example
 * const scale = definePrimitive<Record<string, never>>("doc_scale3", ([x]) => [x!])
 * const scale3 = (x: Array) => bind1(scale, [x], {})
 * scale.impl = ([x]) => [lax.mul(x!, np.fullLike(x!, 3))]
 * scale.jvp = ([x], [t]) => [[scale3(x!)], [scale3(t!)]]
 * scale.transpose = ([ct]) => [ct instanceof Zero ? ct : scale3(ct!)]
 * scale.batch = ([x], [d]) => [[scale3(x!)], [d!]]
 * laws.check(laws.primitiveRulesHold(scale, [arb.array({ shape: [3] })]), { seed: 1, numRuns: 20 })
 */
export const primitiveRulesHold = <P extends Params, Args extends ReadonlyArray<Array>>(
  prim: Primitive<P>,
  arbs: Arbitraries<Args>,
  options: PrimitiveLawOptions<P> = {}
): LawProperty<Described<PrimitiveCase<P>>> => {
  checkLawOptions("laws.primitiveRulesHold", options, PRIMITIVE_LAW_KEYS)
  checkOneOf("laws.primitiveRulesHold", "dtype", options.dtype, LAW_DTYPES)
  for (const r of options.rules ?? []) checkOneOf("laws.primitiveRulesHold", "rule", r, PRIMITIVE_RULES)
  const list = arbs as unknown as ReadonlyArray<fc.Arbitrary<Array>>
  if (list.length === 0) throw new RangeError(`primitiveRulesHold(${prim.name}): give one arbitrary per input`)
  const p = prim as unknown as Primitive
  const wanted = options.rules ?? (["jvp", "transpose", "batch"] as const).filter((r) => p[r] !== undefined)
  return lawProperty("primitiveRulesHold", prim.name, primitiveCases(prim, list, options), (c) => {
    if (c.failed !== null) {
      throw new LawViolation(`${prim.name} itself fails on these inputs and params (${c.failed}): give arbitraries and params it accepts`)
    }
    for (const rule of wanted) {
      if (p[rule] === undefined)
        throw new LawViolation(`${prim.name} has no ${rule} rule (define ${prim.name}.${rule}, or leave "${rule}" out of options.rules)`)
    }
    const problems: string[] = []
    const run = (rule: PrimitiveRule, body: () => void): void => {
      if (!wanted.includes(rule)) return
      try {
        body()
      } catch (e) {
        problems.push(`${rule} rule: ${e instanceof LawViolation ? e.message : `threw ${errorText(e)}`}`)
      }
    }
    run("jvp", () => checkJvpRule(p, c, options))
    run("transpose", () => checkTransposeRule(p, c, options))
    run("batch", () => checkBatchRule(p, c, options))
    if (problems.length > 0) throw new LawViolation(problems.join("\n"))
  })
}

const castFloat = (x: Array, o: { readonly dtype?: "float64" | "input" }): Array =>
  o.dtype !== "input" && isFloatArray(x) ? x.astype(x.dtype === "complex64" || x.dtype === "complex128" ? "complex128" : "float64") : x

const checkJvpRule = (p: Primitive, c: PrimitiveCase<unknown>, o: PrimitiveLawOptions<unknown>): void => {
  const params = c.params as Params
  const xs = c.args.map((a) => castFloat(a, o))
  const ts = xs.map((x, i) => {
    const t = c.tangents[i]
    return t === null || t === undefined ? np.zerosLike(x) : t.astype(x.dtype)
  })
  const [outs, touts] = p.jvp!(xs, ts, params)
  const expected = evalPrimitive(p, xs, params)
  if (outs.length !== expected.length || touts.length !== expected.length) {
    throw new LawViolation(`returned ${outs.length} primal outputs and ${touts.length} tangents; the primitive has ${expected.length} outputs`)
  }
  const dtype = xs.some((x) => x.dtype === "float32") ? "float32" : "float64"
  compareOutputs([...expected], [...outs], primalTolerance(dtype), ["the primitive", "the rule's primal output"], "primal output")
  const tangents = touts.map((t, k) => instantiateZero(t, expected[k]!))
  tangents.forEach((t, k) => {
    const y = expected[k]!
    if (t.shape.join(",") !== y.shape.join(","))
      throw new LawViolation(`tangent ${k} has shape [${t.shape.join(", ")}], output ${k} has shape [${y.shape.join(", ")}]`)
  })
  const floatIdx = xs.flatMap((x, i) => (isFloatArray(x) ? [i] : []))
  const floatOuts = expected.flatMap((y, k) => (isFloatArray(y) ? [k] : []))
  // Non-float outputs have zero tangents.
  expected.forEach((y, k) => {
    if (!isFloat(y) && tangents[k]!.data().some((v) => v !== 0)) throw new LawViolation(`output ${k} is ${y.dtype}, but its tangent is not zero`)
  })
  // With no float input nothing can vary: every output tangent, float or not, must be zero.
  if (floatIdx.length === 0) {
    tangents.forEach((t, k) => {
      if (t.data().some((v) => v !== 0)) throw new LawViolation(`no input is a float, but the tangent of output ${k} is not zero`)
    })
    return
  }
  if (floatOuts.length === 0) return
  const [rtol, atol] = [o.rtol ?? (dtype === "float64" ? 1e-6 : 2e-3), o.atol ?? (dtype === "float64" ? 1e-9 : 2e-4)]
  const h0 = (o.eps ?? 1e-5) * Math.max(1, maxAbs(floatIdx.map((i) => xs[i]!.data())))
  const at = (delta: number): ReadonlyArray<Array> =>
    evalPrimitive(
      p,
      xs.map((x, i) => (isFloatArray(x) ? x.add(ts[i]!.mul(delta)) : x)),
      params
    )
  let first: string[] = []
  for (const h of [h0, h0 / 100]) {
    const yp = at(h)
    const ym = at(-h)
    const fd = floatOuts.map((k) => {
      const a = yp[k]!.data()
      const b = ym[k]!.data()
      const d = new Float64Array(a.length)
      for (let i = 0; i < a.length; i++) d[i] = (a[i]! - b[i]!) / (2 * h)
      return d
    })
    const bad = mismatches(
      floatOuts.map((k) => tangents[k]!),
      fd,
      rtol,
      atol,
      "tangent",
      floatOuts.map((k) => ` ${k}`)
    )
    if (bad.length === 0) return
    if (first.length === 0) first = bad.map((s) => `${s}; h = ${formatNumber(h)}`)
  }
  throw new LawViolation(`tangents disagree with central differences of the primitive (also with h/100):\n${first.join("\n")}`)
}

const checkTransposeRule = (p: Primitive, c: PrimitiveCase<unknown>, o: PrimitiveLawOptions<unknown>): void => {
  const params = c.params as Params
  const xs = c.args.map((a) => castFloat(a, o))
  const linear = o.linear ?? xs.map((_, i) => i)
  for (const i of linear) {
    if (i < 0 || i >= xs.length) throw new RangeError(`primitiveRulesHold: linear input ${i} does not exist (${xs.length} inputs)`)
    if (!isFloatArray(xs[i])) throw new LawViolation(`input ${i} is listed as linear but is ${xs[i]!.dtype}; list only float inputs in options.linear`)
  }
  const us = linear.map((i) => (c.tangents[i] ?? np.zerosLike(xs[i]!)).astype(xs[i]!.dtype))
  // J u: the jvp rule's tangents with u on the linear inputs, or the primitive applied to u.
  let ju: Array[]
  if (p.jvp !== undefined) {
    const ts = xs.map((x, i) => {
      const k = linear.indexOf(i)
      return k >= 0 ? us[k]! : np.zerosLike(x)
    })
    const [outs, touts] = p.jvp(xs, ts, params)
    ju = touts.map((t, k) => instantiateZero(t, outs[k]!))
  } else {
    ju = [
      ...evalPrimitive(
        p,
        xs.map((x, i) => (linear.includes(i) ? us[linear.indexOf(i)]! : x)),
        params
      )
    ]
  }
  const cts = c.cotangents.map((ct, k) => ct.astype(ju[k]?.dtype ?? ct.dtype))
  const targs = xs.map((x, i) => (linear.includes(i) ? new UndefPrimal(x.aval) : x))
  const back = p.transpose!(cts, targs, params)
  if (back.length !== xs.length) throw new LawViolation(`returned ${back.length} cotangents for ${xs.length} inputs`)
  const tcts = linear.map((i) => {
    const t = back[i]
    const x = xs[i]!
    if (t === null || t === undefined) throw new LawViolation(`returned null for linear input ${i}: return its cotangent (or a Zero)`)
    const a = instantiateZero(t, x)
    if (a.shape.join(",") !== x.shape.join(",")) {
      throw new LawViolation(
        `the cotangent of input ${i} has shape [${a.shape.join(", ")}], but input ${i} has shape [${x.shape.join(", ")}] (a broadcast operand needs its cotangent summed back)`
      )
    }
    if (a.dtype !== x.dtype) throw new LawViolation(`the cotangent of input ${i} is ${a.dtype}, but input ${i} is ${x.dtype}`)
    return a
  })
  const [lhs, sl] = innerProduct(cts, ju)
  const [rhs, sr] = innerProduct(tcts, us)
  const dtype = xs.some((x) => x.dtype === "float32") ? "float32" : "float64"
  const allowed = (dtype === "float64" ? 1e-12 : 1e-6) + (dtype === "float64" ? 1e-9 : 1e-4) * Math.max(sl, sr)
  const diff = Math.abs(lhs - rhs)
  if (!(diff <= allowed)) {
    throw new LawViolation(
      `<ct, J u> = ${formatNumber(lhs)} but <transpose(ct), u> = ${formatNumber(rhs)} (|difference| ${formatNumber(diff)}, allowed ${formatNumber(allowed)})\n` +
        `transpose(ct) = ${tcts.map((t, k) => `input ${linear[k]}: ${treeCode(t)}`).join("; ")}`
    )
  }
}

const checkBatchRule = (p: Primitive, c: PrimitiveCase<unknown>, o: PrimitiveLawOptions<unknown>): void => {
  const params = c.params as Params
  const examples = [c.args, ...c.more]
  const n = examples.length
  const inputs = c.args.map((a, i) => {
    const d = c.dims[i]
    return d === null || d === undefined
      ? a
      : np.stack(
          examples.map((ex) => ex[i]!),
          d
        )
  })
  const [outs, outDims] = p.batch!(inputs, c.dims, params, n)
  const perExample = examples.map((ex) =>
    evalPrimitive(
      p,
      ex.map((a, i) => (c.dims[i] === null ? c.args[i]! : a)),
      params
    )
  )
  if (outs.length !== perExample[0]!.length || outDims.length !== outs.length) {
    throw new LawViolation(`returned ${outs.length} outputs and ${outDims.length} batch dimensions; the primitive has ${perExample[0]!.length} outputs`)
  }
  const actual = outs.map((y, k) => {
    const d = outDims[k]
    if (d === null || d === undefined) return np.broadcastTo(np.expandDims(y, 0), [n, ...y.shape])
    if (d < 0 || d >= y.ndim) throw new LawViolation(`output ${k} has batch dimension ${d}, but it has rank ${y.ndim}`)
    return np.moveaxis(y, d, 0)
  })
  const expected = perExample[0]!.map((_, k) =>
    np.stack(
      perExample.map((outsJ) => outsJ[k]!),
      0
    )
  )
  compareOutputs(expected, actual, o.batchTolerance ?? "exact", ["loop over examples", "batch rule"], `output (batch of ${n}, batch dims moved to 0)`)
}
