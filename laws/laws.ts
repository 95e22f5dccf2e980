/**
 * The laws of jaxfx's transformations as fast-check properties, and `check`, which runs one and
 * throws a report a person can act on.
 *
 * Each law takes the function under test and one arbitrary per positional argument, and returns
 * a property (usable with `fc.assert` in any test runner, or with `check`). The transformations
 * a law exercises are options (`{ jit, grad, jvp, vjp, vmap }`, default jaxfx's), so a law can be
 * run on a transformation under development, or on a deliberately broken one to see it fail.
 * `programLaws` applies the same laws to random array programs.
 *
 * @example
 * import { arb, check, gradMatchesFiniteDifferences } from "jaxfx/laws"
 * check(gradMatchesFiniteDifferences((x: Array) => np.sum(np.tanh(x)), [arb.array({ shape: [3] })]), { seed: 1 })
 */
import fc from "fast-check"
import { Array, grad, jit, jvp, np, type Tangent, tree, vjp, vmap } from "../index.js"
import { array as arrayArb } from "./arbitraries.js"
import { type Comparison, compareArrays, formatNumber, treeCode, unravel } from "./format.js"
import { type Program, type ProgramOptions, programCase } from "./programs.js"
import { checkOneOf, optionKeys } from "../core/options.js"
import { checkLawOptions, checkProgramOptions } from "./check-options.js"

// ---------------------------------------------------------------------------------------------
// Types

type TreeDef = tree.TreeDef

/** One arbitrary per positional argument of `f`. */
export type Arbitraries<Args extends ReadonlyArray<unknown>> = { readonly [K in keyof Args]: fc.Arbitrary<Args[K]> }

/** A jit-like transformation (jaxfx's `jit` itself, or one under test). */
export type JitLike = <Args extends ReadonlyArray<unknown>, R>(f: (...args: Args) => R) => (...args: Args) => unknown

/** A grad-like transformation: the gradients with respect to `argnums`, one per index. */
export type GradLike = <Args extends ReadonlyArray<unknown>>(
  f: (...args: Args) => Array,
  argnums: ReadonlyArray<number>
) => (...args: Args) => ReadonlyArray<unknown>

/** A jvp-like transformation: `[f(...primals), J · tangents]`. */
export type JvpLike = <Args extends ReadonlyArray<unknown>, R>(
  f: (...args: Args) => R,
  primals: Args,
  tangents: { readonly [K in keyof Args]: Tangent<Args[K]> }
) => readonly [R, Tangent<R>]

/** A vjp-like transformation: `[f(...primals), ct => Jᵀ · ct]` (one cotangent per argument). */
export type VjpLike = <Args extends ReadonlyArray<unknown>, R>(
  f: (...args: Args) => R,
  ...primals: Args
) => readonly [R, (ct: Tangent<R>) => { readonly [K in keyof Args]: Tangent<Args[K]> }]

/** A property of jaxfx's transformations, with what `check` needs for its report. */
export type LawProperty<T> = fc.IPropertyWithHooks<[T]> & {
  /** The law's name, e.g. "gradMatchesFiniteDifferences". */
  readonly law: string
  /** What it is checked on: the function's name, or "random programs". */
  readonly subject: string
}

/**
 * An asynchronous law (one whose subject answers with promises, e.g. a WebGPU device reading
 * back): run it with `checkAsync` (or `fc.assert`, awaited).
 */
export type AsyncLawProperty<T> = fc.IAsyncPropertyWithHooks<[T]> & {
  readonly law: string
  readonly subject: string
}

/**
 * A law did not hold on one case; the message says where and by how much.
 *
 * @example
 * try {
 *   laws.check(laws.jitMatchesEager((x: Array) => x, [arb.array({ shape: [2] })]), { seed: 1, numRuns: 5 })
 * } catch (e) {
 *   // laws.check throws a LawFailure whose report includes each LawViolation's message
 *   if (e instanceof laws.LawFailure) console.log(e.message)
 * }
 */
export class LawViolation extends Error {
  override readonly name = "LawViolation"
}

/**
 * Thrown by `check`: the full report (law, replay line, shrunk inputs, program and jaxpr).
 *
 * @example
 * try {
 *   laws.check(laws.gradMatchesFiniteDifferences((x: Array) => np.sum(np.abs(x)), [arb.array({ shape: [2] })]), { seed: 1, numRuns: 20 })
 * } catch (e) {
 *   if (e instanceof laws.LawFailure) console.log(e.message) // the law, a replay line, the shrunk inputs
 * }
 */
export class LawFailure extends Error {
  override readonly name = "LawFailure"
  constructor(
    readonly report: string,
    readonly law: string,
    readonly seed: number,
    readonly path: string | null,
    readonly counterexample: unknown
  ) {
    super(report)
  }
  /**
   * What test runners serialize (vitest sends errors between processes): the report without the
   * counterexample, whose arrays a generic serializer would walk without end (`x.T.T.T...`).
   */
  toJSON(): { readonly name: string; readonly message: string; readonly law: string; readonly seed: number; readonly path: string | null } {
    return { name: this.name, message: this.message, law: this.law, seed: this.seed, path: this.path }
  }
}

// Internal erased forms: laws call the functions under test with whatever was generated.
/** @internal A function under test, erased (shared with the other law modules; not re-exported). */
export type AnyFn = (...args: ReadonlyArray<unknown>) => unknown
export type ErasedJit = (f: AnyFn) => AnyFn
export type ErasedGrad = (f: AnyFn, argnums: ReadonlyArray<number>) => (...args: ReadonlyArray<unknown>) => ReadonlyArray<unknown>
export type ErasedJvp = (f: AnyFn, primals: ReadonlyArray<unknown>, tangents: ReadonlyArray<unknown>) => readonly [unknown, unknown]
export type ErasedVjp = (f: AnyFn, ...primals: ReadonlyArray<unknown>) => readonly [unknown, (ct: unknown) => ReadonlyArray<unknown>]

export const defaultJit: ErasedJit = (f) => jit(f)
const defaultGrad: ErasedGrad = (f, argnums) =>
  grad(f as (...args: ReadonlyArray<unknown>) => Array, { argnums }) as (...args: ReadonlyArray<unknown>) => ReadonlyArray<unknown>
export const defaultJvp: ErasedJvp = (f, primals, tangents) => jvp(f, primals, tangents as never)
export const defaultVjp: ErasedVjp = (f, ...primals) => vjp(f, ...primals) as readonly [unknown, (ct: unknown) => ReadonlyArray<unknown>]

export const erase = <T>(x: T | undefined, fallback: unknown): never => (x ?? fallback) as never

/** What a law is checked on: a function and its arguments (and the program, for program laws). */
export interface Subject {
  readonly f: AnyFn
  readonly args: ReadonlyArray<unknown>
  readonly program: Program | undefined
}

/**
 * One generated case of a law: the subject and the law's extra data (tangents, scalars).
 *
 * @example
 * // a failing law reports its LawCase: the function's inputs, the extra data and (for program laws) the jaxpr
 * laws.check(laws.jitMatchesEager((x: Array) => np.sin(x), [arb.array({ shape: [3] })]), { seed: 1, numRuns: 10 })
 */
export class LawCase<E = unknown> {
  constructor(
    readonly f: AnyFn,
    readonly args: ReadonlyArray<unknown>,
    readonly extra: E,
    readonly program: Program | undefined,
    private readonly describeExtra: (e: E) => string
  ) {}
  /** Inputs, extra data and (for program laws) the program and its jaxpr. */
  describe(): string {
    const parts: string[] = []
    if (this.program !== undefined) {
      parts.push(`program:\n${indent(this.program.code())}`)
      let jaxpr: string
      try {
        jaxpr = this.program.jaxpr()
      } catch (e) {
        jaxpr = `<makeJaxpr failed: ${errorText(e)}>`
      }
      parts.push(`jaxpr:\n${indent(jaxpr)}`)
    }
    parts.push(`inputs:\n${indent(this.args.map((a, i) => `argument ${i}${this.program === undefined ? "" : ` (x${i})`}: ${treeCode(a)}`).join("\n"))}`)
    const extra = this.describeExtra(this.extra)
    if (extra !== "") parts.push(extra)
    return parts.join("\n")
  }
  [fc.toStringMethod](): string {
    return `\n${this.describe()}\n`
  }
}

/** A tuple of per-argument values, one line (or block) per argument. */
export const perArgument = (label: string, t: unknown): string =>
  globalThis.Array.isArray(t) ? `${label}:\n${indent(t.map((x, i) => `argument ${i}: ${treeCode(x)}`).join("\n"))}` : `${label}: ${treeCode(t)}`

export const indent = (s: string, by = "  "): string =>
  s
    .split("\n")
    .map((l) => by + l)
    .join("\n")
export const errorText = (e: unknown): string => (e instanceof Error ? `${e.name}: ${e.message}` : String(e))

export interface LawDef<E> {
  readonly name: string
  readonly extra: (s: Subject) => fc.Arbitrary<E>
  readonly check: (s: Subject, e: E) => void
  readonly describeExtra: (e: E) => string
}

export const noExtra = (): fc.Arbitrary<null> => fc.constant(null)

export const makeLaw = <E>(def: LawDef<E>, subjects: fc.Arbitrary<Subject>, subject: string): LawProperty<LawCase<E>> => {
  const cases = subjects.chain((s) => def.extra(s).map((e) => new LawCase<E>(s.f, s.args, e, s.program, def.describeExtra)))
  const prop = fc.property(cases, (c) => {
    def.check({ f: c.f, args: c.args, program: c.program }, c.extra)
  })
  return Object.assign(prop, { law: def.name, subject })
}

export const functionSubjects = <Args extends ReadonlyArray<unknown>>(f: (...args: Args) => unknown, arbs: Arbitraries<Args>): fc.Arbitrary<Subject> => {
  const list = arbs as unknown as ReadonlyArray<fc.Arbitrary<unknown>>
  if (list.length === 0) throw new RangeError("laws: give one arbitrary per argument of f (none were given)")
  return fc.tuple(...list).map((args): Subject => ({ f: f as unknown as AnyFn, args, program: undefined }))
}

export const nameOf = (f: (...args: never[]) => unknown): string => (f.name === "" ? "f" : f.name)

/**
 * A generated case that prints itself for reports (`check` and `fc.assert` both use the text):
 * the laws whose cases are not "a function and its arguments" (keys, state programs, devices,
 * primitives) wrap their values in one.
 *
 * @example
 * // keys, state programs and primitives print through their Described wrapper when a law fails
 * laws.check(laws.splitKeysDistinct(arb.key()), { seed: 1, numRuns: 10 })
 */
export class Described<T> {
  constructor(
    readonly value: T,
    private readonly text: (value: T) => string
  ) {}
  describe(): string {
    return this.text(this.value)
  }
  [fc.toStringMethod](): string {
    return `\n${this.describe()}\n`
  }
}

/** @internal A named law over described cases. */
export const lawProperty = <T>(law: string, subject: string, cases: fc.Arbitrary<Described<T>>, run: (value: T) => void): LawProperty<Described<T>> =>
  Object.assign(
    fc.property(cases, (c) => {
      run(c.value)
    }),
    { law, subject }
  )

/** @internal A named asynchronous law over described cases. */
export const asyncLawProperty = <T>(
  law: string,
  subject: string,
  cases: fc.Arbitrary<Described<T>>,
  run: (value: T) => Promise<void>
): AsyncLawProperty<Described<T>> =>
  Object.assign(
    fc.asyncProperty(cases, async (c) => {
      await run(c.value)
    }),
    { law, subject }
  )

// ---------------------------------------------------------------------------------------------
// Helpers on pytrees of arrays

/** A float32/float64 array, or a complex64/complex128 one (the dtypes the laws differentiate). */
export const isFloatArray = (x: unknown): x is Array =>
  x instanceof Array && (x.dtype === "float32" || x.dtype === "float64" || x.dtype === "complex64" || x.dtype === "complex128")

/** The leaves of a tuple of arguments, checked to be float arrays (the laws of differentiation need them). */
export const floatLeaves = (args: ReadonlyArray<unknown>, law: string): [Array[], TreeDef] => {
  const [leaves, def] = tree.flatten(args as unknown[])
  leaves.forEach((l, i) => {
    if (!isFloatArray(l)) {
      throw new TypeError(
        `${law}: every argument leaf must be a float32/float64 Array, but leaf ${i} is ${l instanceof Array ? l.dtype : typeof l}. ` +
          "Close over integer or static arguments (x => f(x, indices)) and pass only the differentiable ones."
      )
    }
  })
  return [leaves as Array[], def]
}

/** Random tangents with the structure, shapes and dtypes of `leaves` (values in [-1, 1]). */
export const tangentsLike = (leaves: ReadonlyArray<Array>, def: TreeDef): fc.Arbitrary<unknown> =>
  fc.tuple(...leaves.map((l) => arrayArb({ shape: l.shape, dtype: l.dtype, min: -1, max: 1 }))).map((ts) => tree.unflatten(def, ts))

/** Leaves of an output (numbers become scalars). */
export const outputLeaves = (out: unknown): [Array[], TreeDef] => {
  const [leaves, def] = tree.flatten(out)
  return [leaves.map((l) => (l instanceof Array ? l : np.asarray(l as number))), def]
}

export const toFloat64 = (t: unknown): unknown => tree.map((l: unknown) => (isFloatArray(l) ? l.astype("float64") : l), t)

/**
 * Sum of a[i] * b[i] over all leaves, in float64, and the sum of |a[i] * b[i]| (its scale). For
 * complex leaves it is the real part, Re(sum a[i] * b[i]): the pairing JAX's transposes are
 * adjoints for (they conjugate nothing).
 */
export const innerProduct = (a: ReadonlyArray<Array>, b: ReadonlyArray<Array>): [number, number] => {
  let s = 0
  let scale = 0
  a.forEach((x, k) => {
    const xd = x.data()
    const yd = b[k]!.data()
    const complex = x.dtype === "complex64" || x.dtype === "complex128"
    for (let i = 0; i < xd.length; i++) {
      // Interleaved (re, im): the imaginary parts' product enters Re(a b) negated.
      const p = complex && i % 2 === 1 ? -xd[i]! * yd[i]! : xd[i]! * yd[i]!
      s += p
      scale += Math.abs(p)
    }
  })
  return [s, scale]
}

const shapeStr = (x: Array): string => `[${x.shape.join(", ")}]`

/** JS-style paths of the leaves of a tree (`.w`, `[0].b`; "" for a lone leaf), in flatten order. */
export const leafPaths = (t: unknown): string[] =>
  tree
    .flattenWithPath(t)[0]
    .map(([path]) =>
      path.map((p) => (typeof p === "number" ? `[${p}]` : /^[A-Za-z_$][\w$]*$/.test(String(p)) ? `.${String(p)}` : `[${JSON.stringify(p)}]`)).join("")
    )

/** Check that two pytrees of arrays have the same structure and leaf shapes; describe the first difference. */
export const sameStructure = (a: unknown, b: unknown, labels: readonly [string, string]): string | undefined => {
  const [la, da] = tree.flatten(a)
  const [lb, db] = tree.flatten(b)
  if (!da.equals(db)) return `structure: ${da.toString()} (${labels[0]}) vs ${db.toString()} (${labels[1]})`
  for (let i = 0; i < la.length; i++) {
    const x = la[i]
    const y = lb[i]
    if (x instanceof Array && y instanceof Array && x.shape.join(",") !== y.shape.join(",")) {
      return `leaf ${i}: shape ${shapeStr(x)} (${labels[0]}) vs ${shapeStr(y)} (${labels[1]})`
    }
  }
  return undefined
}

/** Compare two output pytrees leaf by leaf; throw a LawViolation naming the differences. */
export const compareOutputs = (expected: unknown, actual: unknown, cmp: Comparison, labels: readonly [string, string], what: string): void => {
  const [le, de] = tree.flatten(expected)
  const [la, da] = tree.flatten(actual)
  if (!de.equals(da)) {
    throw new LawViolation(`${what}: output structure ${de.toString()} (${labels[0]}) vs ${da.toString()} (${labels[1]})`)
  }
  const problems: string[] = []
  const paths = leafPaths(expected)
  le.forEach((e, i) => {
    const a = la[i]
    const leafName = `${what}${paths[i] ?? ""}`
    if (!(e instanceof Array) || !(a instanceof Array)) {
      // A JS number on one side (f returned a constant; jit returns it as a scalar Array): compare values.
      const num = (x: unknown): number | undefined =>
        typeof x === "number" || typeof x === "boolean" ? Number(x) : x instanceof Array && x.size === 1 ? x.data()[0]! : undefined
      const ev = num(e)
      const av = num(a)
      const close =
        ev !== undefined &&
        av !== undefined &&
        (Object.is(ev, av) ||
          (Number.isNaN(ev) && Number.isNaN(av)) ||
          (cmp !== "exact" && Math.abs(av - ev) <= (cmp.atol ?? 0) + (cmp.rtol ?? 0) * Math.abs(ev)))
      if (!close && !Object.is(e, a)) problems.push(`${leafName}: ${treeCode(e)} (${labels[0]}) vs ${treeCode(a)} (${labels[1]})`)
      return
    }
    if (cmp === "exact" && e.weakType !== a.weakType && e.dtype === a.dtype) {
      problems.push(`${leafName}: weak type ${e.weakType} (${labels[0]}) vs ${a.weakType} (${labels[1]})`)
    }
    const d = compareArrays(e, a, cmp, { expected: labels[0], actual: labels[1], what: leafName })
    if (d !== undefined) problems.push(d)
  })
  if (problems.length > 0) throw new LawViolation(problems.join("\n"))
}

/** Run a callable, turning an exception into a violation that says which side threw. */
export const attempt = <T>(what: string, thunk: () => T): T => {
  try {
    return thunk()
  } catch (e) {
    if (e instanceof LawViolation) throw e
    throw new LawViolation(`${what} threw ${errorText(e)}`)
  }
}

// ---------------------------------------------------------------------------------------------
// Making a scalar loss of any function (for the gradient laws)

/** Fixed weights in [-1, 1] for an output leaf: cos(1 + 2.3 i), row-major, in the leaf's dtype. */
const weightsFor = (leaf: Array): Array => {
  const values: number[] = []
  for (let i = 0; i < leaf.size; i++) values.push(Math.cos(1 + 2.3 * i))
  return np.reshape(np.asarray(values, { dtype: leaf.dtype }), leaf.shape)
}

/**
 * A scalar function of f's outputs, for the gradient laws: the sum over float output leaves of
 * `sum(leaf * w)`, with fixed weights w in [-1, 1] that differ per element (a plain sum hides
 * errors that cancel, e.g. in the gradient of softmax, whose outputs always sum to 1).
 *
 * @example
 * gradMatchesFiniteDifferences(scalarize(nn.softmax), [arb.array({ shape: [4] })])
 */
export const scalarize = <Args extends ReadonlyArray<unknown>>(f: (...args: Args) => unknown): ((...args: Args) => Array) => {
  const loss = (...args: Args): Array => {
    const [leaves] = tree.flatten(f(...args))
    let total: Array | undefined
    for (const l of leaves) {
      if (!isFloatArray(l)) continue
      const s = np.sum(np.multiply(l, weightsFor(l)))
      total = total === undefined ? s : np.add(total, s)
    }
    if (total === undefined) throw new TypeError(`scalarize(${nameOf(f)}): f returned no float arrays to differentiate`)
    return total
  }
  Object.defineProperty(loss, "name", { value: `scalarize(${nameOf(f)})` })
  return loss
}

// ---------------------------------------------------------------------------------------------
// jit(f) = f

export interface JitLawOptions {
  /** "exact" (default): the same bits, dtypes, shapes and weak types; or `{ rtol, atol }`. */
  readonly tolerance?: Comparison
  /** The jit under test (default jaxfx's `jit`). */
  readonly jit?: JitLike
}
const JIT_LAW_KEYS = optionKeys<JitLawOptions>()("tolerance", "jit")

const jitDef = (o: JitLawOptions): LawDef<null> => {
  const jitFn: ErasedJit = erase(o.jit, defaultJit)
  // One jitted function per f, reused across cases: the cache (and its retracing) is exercised too.
  const cache = new WeakMap<AnyFn, AnyFn>()
  const jitted = (f: AnyFn): AnyFn => {
    let j = cache.get(f)
    if (j === undefined) {
      j = jitFn(f)
      cache.set(f, j)
    }
    return j
  }
  const cmp = o.tolerance ?? "exact"
  return {
    name: "jitMatchesEager",
    extra: noExtra,
    describeExtra: () => "",
    check: ({ f, args }) => {
      const expected = attempt("f (eager)", () => f(...args))
      const actual = attempt("jit(f)", () => jitted(f)(...args))
      compareOutputs(expected, actual, cmp, ["eager", "jit"], "output")
    }
  }
}

/**
 * `jit(f)(...args)` equals `f(...args)`: same output structure, shapes, dtypes and weak types, and
 * the same bits (or within `tolerance`). One jitted function serves every case, so re-tracing on
 * new shapes and dtypes is exercised too.
 *
 * @example
 * laws.check(laws.jitMatchesEager((x: Array) => np.tanh(x).sum(), [arb.array({ shape: [4] })]), { seed: 1, numRuns: 20 })
 */
export const jitMatchesEager = <Args extends ReadonlyArray<unknown>>(
  f: (...args: Args) => unknown,
  arbs: Arbitraries<Args>,
  options: JitLawOptions = {}
): LawProperty<LawCase<null>> => makeLaw(jitDef(checkLawOptions("laws.jitMatchesEager", options, JIT_LAW_KEYS)), functionSubjects(f, arbs), nameOf(f))

// ---------------------------------------------------------------------------------------------
// grad = central finite differences (in float64)

export interface GradLawOptions {
  /** Which arguments to differentiate (default: all). Their leaves must be float arrays. */
  readonly argnums?: ReadonlyArray<number>
  /** Step of the central difference, relative to max(1, |x|) (default 1e-5). */
  readonly eps?: number
  /** Tolerance: |grad - fd| <= atol + rtol * |fd| per element (defaults by the gradient's dtype). */
  readonly rtol?: number
  readonly atol?: number
  /**
   * "input" (default): grad runs on the arguments as given (float32 grads are compared with
   * float64 differences, with float32 tolerances); "float64": grad runs on float64 casts.
   */
  readonly gradDtype?: "input" | "float64"
  /** The grad under test (default jaxfx's `grad`). */
  readonly grad?: GradLike
}
const GRAD_LAW_KEYS = optionKeys<GradLawOptions>()("argnums", "eps", "rtol", "atol", "gradDtype", "grad")
const checkGradLaw = <O extends GradLawOptions>(caller: string, o: O, keys: ReadonlyArray<string>): O => {
  checkOneOf(caller, "gradDtype", checkLawOptions(caller, o, keys).gradDtype, ["input", "float64"])
  return o
}

const gradDefaults = {
  float32: { rtol: 2e-3, atol: 2e-3 },
  float64: { rtol: 1e-5, atol: 1e-6 }
} as const

/** f evaluated in float64 as a JS number (f must return a scalar). */
const scalarValue = (f: AnyFn, args: ReadonlyArray<unknown>): number => {
  const out = f(...args)
  if (typeof out === "number") return out
  if (!(out instanceof Array) || out.size !== 1) {
    throw new TypeError(`gradMatchesFiniteDifferences: f must return a scalar Array, got ${out instanceof Array ? `shape ${shapeStr(out)}` : typeof out}`)
  }
  return out.data()[0]!
}

/** args with one element of one leaf moved by delta (float64). */
const perturbed = (args64: ReadonlyArray<unknown>, def: TreeDef, leaves: ReadonlyArray<Array>, leaf: number, element: number, delta: number): unknown[] => {
  const x = leaves[leaf]!
  const data = Float64Array.from(x.data())
  data[element] = data[element]! + delta
  const moved = np.reshape(np.asarray(data, { dtype: "float64" }), x.shape)
  return tree.unflatten(
    def,
    leaves.map((l, i) => (i === leaf ? moved : l))
  ) as unknown[]
}

/** The finite-difference comparison at one element with step h (undefined: f is not finite there). */
interface FdCheck {
  readonly h: number
  readonly fd: number
  readonly fwd: number
  readonly bwd: number
  readonly lo: number
  readonly hi: number
  readonly distance: number
  readonly allowed: number
  /** The largest change of f over one step: it shrinks with h unless f jumps at x. */
  readonly jump: number
}

const fdCheck = (at: (delta: number) => number, y0: number, h: number, g: number, allowedFor: (fd: number) => number): FdCheck | undefined => {
  const yp = at(h)
  const ym = at(-h)
  if (!Number.isFinite(yp) || !Number.isFinite(ym)) return undefined
  const fd = (yp - ym) / (2 * h)
  // One-sided slopes (widened by their O(h) error estimates when needed). Where f is smooth they
  // bracket f'; at a kink (relu at 0, ties of max) any value between them is a valid
  // (sub)gradient, whichever one the rule chooses.
  const fwd = (yp - y0) / h
  const bwd = (y0 - ym) / h
  const allowed = allowedFor(fd)
  const distanceTo = (lo: number, hi: number): number => (Number.isNaN(g) ? Infinity : g < lo ? lo - g : g > hi ? g - hi : 0)
  let lo = Math.min(fwd, bwd)
  let hi = Math.max(fwd, bwd)
  let distance = distanceTo(lo, hi)
  if (distance > allowed) {
    // Widen each slope by its O(h) error estimate: the same slope with step 2h.
    const finite = (x: number): number => (Number.isFinite(x) ? x : 0)
    const errF = finite(Math.abs(fwd - (at(2 * h) - y0) / (2 * h)))
    const errB = finite(Math.abs(bwd - (y0 - at(-2 * h)) / (2 * h)))
    lo = Math.min(fwd - errF, bwd - errB)
    hi = Math.max(fwd + errF, bwd + errB)
    distance = distanceTo(lo, hi)
  }
  return { h, fd, fwd, bwd, lo, hi, distance, allowed, jump: Math.max(Math.abs(yp - y0), Math.abs(y0 - ym)) }
}

const gradDef = (o: GradLawOptions): LawDef<null> => {
  const gradFn: ErasedGrad = erase(o.grad, defaultGrad)
  const eps = o.eps ?? 1e-5
  return {
    name: "gradMatchesFiniteDifferences",
    extra: noExtra,
    describeExtra: () => "",
    check: ({ f, args }) => {
      const argnums = o.argnums ?? args.map((_, i) => i)
      const diffArgs = argnums.map((i) => args[i])
      floatLeaves(diffArgs, "gradMatchesFiniteDifferences")
      const gArgs = o.gradDtype === "float64" ? args.map(toFloat64) : args
      const grads = attempt("grad(f)", () => gradFn(f, argnums)(...gArgs))
      const args64 = args.map(toFloat64)
      const [leaves64, def64] = tree.flatten(args64)
      const y0 = attempt("f in float64", () => scalarValue(f, args64))
      if (!Number.isFinite(y0)) {
        throw new LawViolation(`f is not finite at these inputs (f = ${y0} in float64): restrict the input range of the arbitraries`)
      }
      // Which flat leaves of args64 belong to each argnum.
      const offsets: number[] = []
      let acc = 0
      args.forEach((a) => {
        offsets.push(acc)
        acc += tree.flatten(a)[0].length
      })
      // Stop at a few mismatches: shrinking re-runs the check many times.
      const maxReported = 4
      const problems: string[] = []
      argnums.forEach((argnum, k) => {
        const g = grads[k]
        const structureDiff = sameStructure(args[argnum], g, ["argument", "gradient"])
        if (structureDiff !== undefined) {
          problems.push(`gradient of argument ${argnum}: ${structureDiff}`)
          return
        }
        const gLeaves = tree.flatten(g)[0] as Array[]
        const gPaths = leafPaths(g)
        gLeaves.forEach((gl, j) => {
          const leafIndex = offsets[argnum]! + j
          const x = leaves64[leafIndex] as Array
          const xd = x.data()
          const gd = gl.data()
          const dtype = o.gradDtype === "float64" ? "float64" : gl.dtype
          const tol = dtype === "float64" ? gradDefaults.float64 : gradDefaults.float32
          const rtol = o.rtol ?? tol.rtol
          const atol = o.atol ?? tol.atol
          for (let e = 0; e < xd.length && problems.length < maxReported; e++) {
            const at = (delta: number): number => scalarValue(f, perturbed(args64, def64, leaves64 as Array[], leafIndex, e, delta))
            const gv = gd[e]!
            const allowedFor = (fd: number): number => atol + rtol * Math.abs(fd)
            // Try the step h, then smaller ones: a kink closer to x than h (shrinking likes to put
            // values on ties) can fool one step size, but a wrong gradient fails at every scale.
            let first: FdCheck | undefined
            let last: FdCheck | undefined
            let ok = false
            for (const scale of [1, 1e-2, 1e-4]) {
              const h = eps * scale * Math.max(1, Math.abs(xd[e]!))
              const r = fdCheck(at, y0, h, gv, allowedFor)
              if (r === undefined || r.distance <= r.allowed) {
                ok = true
                break
              }
              first ??= r
              last = r
            }
            // f jumps at x (sign or floor at an integer, where on its boundary): a step 10⁴ times
            // smaller changes f as much, and no derivative exists to check.
            if (!ok && first !== undefined && last !== undefined && last.jump > 0.5 * first.jump) ok = true
            if (!ok && first !== undefined) {
              {
                const where = x.ndim === 0 ? "" : ` at [${unravel(e, x.shape).join(", ")}]`
                const leafName = gPaths[j] ?? ""
                const r = first
                problems.push(
                  `d f / d args[${argnum}]${leafName}${where}: grad ${formatNumber(gv, gl.dtype)}, central difference ${formatNumber(r.fd)} ` +
                    `(h = ${formatNumber(r.h)}: one-sided slopes ${formatNumber(r.bwd)} and ${formatNumber(r.fwd)}, bracket [${formatNumber(r.lo)}, ${formatNumber(r.hi)}]; ` +
                    `off by ${formatNumber(r.distance)}, allowed ${formatNumber(r.allowed)} = atol ${atol} + rtol ${rtol} × |fd|; also failed with h/100 and h/10000)`
                )
              }
            }
          }
        })
      })
      if (problems.length > 0) {
        throw new LawViolation(problems.join("\n") + (problems.length >= maxReported ? `\n(stopped after ${maxReported} mismatching elements)` : ""))
      }
    }
  }
}

/**
 * `grad(f)` matches central finite differences of f computed in float64 (inputs cast to
 * float64, f run in float64), element by element: |grad - fd| <= atol + rtol·|fd|. f must return
 * a scalar. Defaults: eps 1e-5 (relative to max(1, |x|)); float32 gradients rtol = atol = 2e-3,
 * float64 gradients rtol 1e-5, atol 1e-6. The gradient may lie anywhere between the one-sided
 * differences (f(x+h) - f(x))/h and (f(x) - f(x-h))/h, each widened by its O(h) error estimate
 * (from step 2h), within the tolerance: at kinks any subgradient is accepted, and truncation error
 * causes no false failures. A mismatch is confirmed with steps h/100 and h/10⁴ (a kink closer than
 * h can fool one step), and points where f jumps (its change does not shrink with the step) are
 * skipped. A wrong rule is off by O(|f'|) at every step size.
 *
 * @example
 * const loss = (w: Array) => np.sum(np.tanh(w).mul(w))
 * laws.check(laws.gradMatchesFiniteDifferences(loss, [arb.array({ shape: [3], dtype: "float64" })]), { seed: 1, numRuns: 20 })
 */
export const gradMatchesFiniteDifferences = <Args extends ReadonlyArray<unknown>>(
  f: (...args: Args) => Array | number,
  arbs: Arbitraries<Args>,
  options: GradLawOptions = {}
): LawProperty<LawCase<null>> =>
  makeLaw(gradDef(checkGradLaw("laws.gradMatchesFiniteDifferences", options, GRAD_LAW_KEYS)), functionSubjects(f, arbs), nameOf(f))

// ---------------------------------------------------------------------------------------------
// jvp is linear in the tangent

export interface LinearityOptions {
  /**
   * Normwise tolerance: max|J(a u + b v) - (a Ju + b Jv)| <= atol + rtol * max(|a Ju| + |b Jv|)
   * (defaults: float32 rtol 1e-3, atol 1e-6; float64 rtol 1e-9, atol 1e-12; an output computed from
   * any float32 input gets float32's, since its tangents pass through float32).
   */
  readonly rtol?: number
  readonly atol?: number
  /** The jvp under test (default jaxfx's `jvp`). */
  readonly jvp?: JvpLike
}
const LINEARITY_KEYS = optionKeys<LinearityOptions>()("rtol", "atol", "jvp")

interface LinearityExtra {
  readonly u: unknown
  readonly v: unknown
  readonly a: number
  readonly b: number
}

const scalarArb = fc.integer({ min: -16, max: 16 }).map((k) => k / 8)

const linearTolerance = (dtype: string, o: { readonly rtol?: number; readonly atol?: number }): [number, number] =>
  dtype === "float64" ? [o.rtol ?? 1e-9, o.atol ?? 1e-12] : [o.rtol ?? 1e-3, o.atol ?? 1e-6]

const jvpLinearDef = (o: LinearityOptions): LawDef<LinearityExtra> => {
  const jvpFn: ErasedJvp = erase(o.jvp, defaultJvp)
  return {
    name: "jvpIsLinear",
    extra: ({ args }) => {
      const [leaves, def] = floatLeaves(args, "jvpIsLinear")
      return fc.record({ u: tangentsLike(leaves, def), v: tangentsLike(leaves, def), a: scalarArb, b: scalarArb })
    },
    describeExtra: ({ u, v, a, b }) => `${perArgument("tangent u", u)}\n${perArgument("tangent v", v)}\nscalars: a = ${a}, b = ${b}`,
    check: ({ f, args }, { u, v, a, b }) => {
      const anyFloat32 = tree.flatten(args as unknown[])[0].some((l) => l instanceof Array && l.dtype === "float32")
      const w: unknown = tree.map((x: Array, y: Array) => x.mul(a).add(y.mul(b)), u as Array, v as Array)
      const tu = attempt("jvp(f, x, u)", () => jvpFn(f, args, u as unknown[])[1])
      const tv = attempt("jvp(f, x, v)", () => jvpFn(f, args, v as unknown[])[1])
      const tw = attempt("jvp(f, x, a u + b v)", () => jvpFn(f, args, w as unknown[])[1])
      for (const [t, name] of [
        [tv, "J v"],
        [tw, "J(a u + b v)"]
      ] as const) {
        const d = sameStructure(tu, t, ["J u", name])
        if (d !== undefined) throw new LawViolation(`tangent outputs differ in structure: ${d}`)
      }
      const [lu] = outputLeaves(tu)
      const outPaths = leafPaths(tu)
      const [lv] = outputLeaves(tv)
      const [lw] = outputLeaves(tw)
      let maxScale = 0
      lu.forEach((x, k) => {
        const ud = x.data()
        const vd = lv[k]!.data()
        for (let i = 0; i < ud.length; i++) maxScale = Math.max(maxScale, Math.abs(a * ud[i]!) + Math.abs(b * vd[i]!))
      })
      const problems: string[] = []
      let bad = 0
      lu.forEach((x, k) => {
        const [rtol, atol] = linearTolerance(anyFloat32 ? "float32" : x.dtype, o)
        const allowed = atol + rtol * maxScale
        const ud = x.data()
        const vd = lv[k]!.data()
        const wd = lw[k]!.data()
        for (let i = 0; i < ud.length; i++) {
          const rhs = a * ud[i]! + b * vd[i]!
          const diff = Math.abs(wd[i]! - rhs)
          if (!(diff <= allowed)) {
            bad++
            if (problems.length < 4) {
              const where = x.ndim === 0 ? "" : ` at [${unravel(i, x.shape).join(", ")}]`
              problems.push(
                `output${outPaths[k] ?? ""}${where}: J(a u + b v) = ${formatNumber(wd[i]!, x.dtype)}, a Ju + b Jv = ${formatNumber(rhs)} ` +
                  `(|difference| ${formatNumber(diff)}, allowed ${formatNumber(allowed)} = atol ${atol} + rtol ${rtol} × ${formatNumber(maxScale)})`
              )
            }
          }
        }
      })
      if (problems.length > 0) {
        throw new LawViolation(problems.join("\n") + (bad > problems.length ? `\n... ${bad - problems.length} more elements differ` : ""))
      }
    }
  }
}

/**
 * The jvp is linear in the tangent: `jvp(f, x, a u + b v) = a jvp(f, x, u) + b jvp(f, x, v)`
 * for random tangents u, v (values in [-1, 1]) and scalars a, b in [-2, 2] (multiples of 1/8).
 * Arguments must be pytrees of float arrays.
 *
 * @example
 * laws.check(laws.jvpIsLinear((x: Array) => np.sin(x).mul(x), [arb.array({ shape: [3] })]), { seed: 1, numRuns: 20 })
 */
export const jvpIsLinear = <Args extends ReadonlyArray<unknown>>(
  f: (...args: Args) => unknown,
  arbs: Arbitraries<Args>,
  options: LinearityOptions = {}
): LawProperty<LawCase<LinearityExtra>> =>
  makeLaw(jvpLinearDef(checkLawOptions("laws.jvpIsLinear", options, LINEARITY_KEYS)), functionSubjects(f, arbs), nameOf(f))

// ---------------------------------------------------------------------------------------------
// vjp is the adjoint of jvp

export interface AdjointOptions {
  /**
   * |<v, J u> - <Jᵀ v, u>| <= atol + rtol * max(Σ|v·Ju|, Σ|Jᵀv·u|)
   * (defaults: float32 rtol 1e-4, atol 1e-6; float64 rtol 1e-10, atol 1e-12).
   */
  readonly rtol?: number
  readonly atol?: number
  readonly jvp?: JvpLike
  readonly vjp?: VjpLike
}
const ADJOINT_KEYS = optionKeys<AdjointOptions>()("rtol", "atol", "jvp", "vjp")

interface AdjointExtra {
  readonly u: unknown
  readonly v: unknown
}

const adjointDef = (o: AdjointOptions): LawDef<AdjointExtra> => {
  const jvpFn: ErasedJvp = erase(o.jvp, defaultJvp)
  const vjpFn: ErasedVjp = erase(o.vjp, defaultVjp)
  return {
    name: "vjpIsAdjointOfJvp",
    extra: ({ f, args }) => {
      const [leaves, def] = floatLeaves(args, "vjpIsAdjointOfJvp")
      let out: unknown
      try {
        out = f(...args)
      } catch {
        // f fails here: the check reports it.
        return fc.record({ u: tangentsLike(leaves, def), v: fc.constant(null) })
      }
      const [outLeaves, outDef] = outputLeaves(out)
      return fc.record({
        u: tangentsLike(leaves, def),
        v: tangentsLike(
          outLeaves.map((l) => (l.dtype === "float32" || l.dtype === "float64" ? l : l.astype("float32"))),
          outDef
        )
      })
    },
    describeExtra: ({ u, v }) => `${perArgument("tangent u", u)}\ncotangent v (output):\n${indent(treeCode(v))}`,
    check: ({ f, args }, { u, v }) => {
      const [, ju] = attempt("jvp(f, x, u)", () => jvpFn(f, args, u as unknown[]))
      const [, back] = attempt("vjp(f, x)", () => vjpFn(f, ...args))
      const jtv = attempt("vjp(f, x)[1](v)", () => back(v))
      const dOut = sameStructure(v, ju, ["cotangent v", "J u"])
      if (dOut !== undefined) throw new LawViolation(`J u does not have the structure of the output: ${dOut}`)
      const dIn = sameStructure(u, jtv, ["tangent u", "Jᵀ v"])
      if (dIn !== undefined) throw new LawViolation(`Jᵀ v does not have the structure of the arguments: ${dIn}`)
      const [vl] = outputLeaves(v)
      const [jul] = outputLeaves(ju)
      const [ul] = outputLeaves(u)
      const [jtvl] = outputLeaves(jtv)
      const [lhs, sl] = innerProduct(vl, jul)
      const [rhs, sr] = innerProduct(jtvl, ul)
      const dtype = ul.some((l) => l.dtype === "float32") || jul.some((l) => l.dtype === "float32") ? "float32" : "float64"
      const rtol = o.rtol ?? (dtype === "float64" ? 1e-10 : 1e-4)
      const atol = o.atol ?? (dtype === "float64" ? 1e-12 : 1e-6)
      const allowed = atol + rtol * Math.max(sl, sr)
      const diff = Math.abs(lhs - rhs)
      if (!(diff <= allowed)) {
        throw new LawViolation(
          `<v, J u> = ${formatNumber(lhs)} but <Jᵀ v, u> = ${formatNumber(rhs)} ` +
            `(|difference| ${formatNumber(diff)}, allowed ${formatNumber(allowed)} = atol ${atol} + rtol ${rtol} × ${formatNumber(Math.max(sl, sr))})\n` +
            `J u = ${treeCode(ju)}\nJᵀ v = ${treeCode(jtv)}`
        )
      }
    }
  }
}

/**
 * vjp is the adjoint (transpose) of jvp: `<v, J u> = <Jᵀ v, u>` for a random input tangent u
 * and output cotangent v, with inner products summed over all leaves in float64.
 *
 * @example
 * laws.check(laws.vjpIsAdjointOfJvp((x: Array) => np.cumsum(x), [arb.array({ shape: [4] })]), { seed: 1, numRuns: 20 })
 */
export const vjpIsAdjointOfJvp = <Args extends ReadonlyArray<unknown>>(
  f: (...args: Args) => unknown,
  arbs: Arbitraries<Args>,
  options: AdjointOptions = {}
): LawProperty<LawCase<AdjointExtra>> =>
  makeLaw(adjointDef(checkLawOptions("laws.vjpIsAdjointOfJvp", options, ADJOINT_KEYS)), functionSubjects(f, arbs), nameOf(f))

// ---------------------------------------------------------------------------------------------
// jit and grad commute

export interface CommuteOptions {
  readonly argnums?: ReadonlyArray<number>
  /** "exact" (default) or `{ rtol, atol }`. */
  readonly tolerance?: Comparison
  readonly jit?: JitLike
  readonly grad?: GradLike
}
const COMMUTE_KEYS = optionKeys<CommuteOptions>()("argnums", "tolerance", "jit", "grad")

const commuteDef = (o: CommuteOptions): LawDef<null> => {
  const jitFn: ErasedJit = erase(o.jit, defaultJit)
  const gradFn: ErasedGrad = erase(o.grad, defaultGrad)
  const cmp = o.tolerance ?? "exact"
  const cache = new WeakMap<AnyFn, [AnyFn, AnyFn]>()
  return {
    name: "jitGradCommutes",
    extra: noExtra,
    describeExtra: () => "",
    check: ({ f, args }) => {
      const argnums = o.argnums ?? args.map((_, i) => i)
      floatLeaves(
        argnums.map((i) => args[i]),
        "jitGradCommutes"
      )
      let fns = cache.get(f)
      if (fns === undefined) {
        const jitOfGrad = jitFn(gradFn(f, argnums) as AnyFn)
        const gradOfJit = gradFn(jitFn(f), argnums) as AnyFn
        fns = [jitOfGrad, gradOfJit]
        cache.set(f, fns)
      }
      const [jitOfGrad, gradOfJit] = fns
      const g = attempt("grad(f)", () => gradFn(f, argnums)(...args))
      const jg = attempt("jit(grad(f))", () => jitOfGrad(...args))
      const gj = attempt("grad(jit(f))", () => gradOfJit(...args))
      compareOutputs(g, jg, cmp, ["grad(f)", "jit(grad(f))"], "d f / d args")
      compareOutputs(g, gj, cmp, ["grad(f)", "grad(jit(f))"], "d f / d args")
    }
  }
}

/**
 * jit and grad commute: `jit(grad(f)) = grad(jit(f)) = grad(f)`, bit-exact by default. f must
 * return a scalar.
 *
 * @example
 * laws.check(laws.jitGradCommutes((x: Array) => np.sum(np.exp(x)), [arb.array({ shape: [3], max: 2 })]), { seed: 1, numRuns: 20 })
 */
export const jitGradCommutes = <Args extends ReadonlyArray<unknown>>(
  f: (...args: Args) => Array,
  arbs: Arbitraries<Args>,
  options: CommuteOptions = {}
): LawProperty<LawCase<null>> => makeLaw(commuteDef(checkLawOptions("laws.jitGradCommutes", options, COMMUTE_KEYS)), functionSubjects(f, arbs), nameOf(f))

// ---------------------------------------------------------------------------------------------
// vmap = stacking f over examples

/** A vmap-like transformation over axis 0 of every argument leaf (jaxfx's `vmap`, or one under test). */
export type VmapLike = <Args extends ReadonlyArray<unknown>, R>(f: (...args: Args) => R) => (...args: Args) => unknown

export interface VmapLawOptions {
  /** "exact" (default) or `{ rtol, atol }`. */
  readonly tolerance?: Comparison
  /** Largest batch (default 3). */
  readonly maxBatch?: number
  /** The vmap under test (default jaxfx's `vmap`). */
  readonly vmap?: VmapLike
}
const VMAP_LAW_KEYS = optionKeys<VmapLawOptions>()("tolerance", "maxBatch", "vmap")

interface VmapExtra {
  /** The examples after the first (the subject's arguments), with the same shapes. */
  readonly more: ReadonlyArray<ReadonlyArray<unknown>>
}

export const defaultVmap: ErasedJit = (f) => vmap(f)

const shapesKey = (args: ReadonlyArray<unknown>): string =>
  tree
    .flatten(args as unknown[])[0]
    .map((l) => (l instanceof Array ? `${l.dtype}[${l.shape.join(",")}]` : typeof l))
    .join(";")

/** Stack the leaves of several trees of the same structure along a new axis 0. */
export const stackTrees = (trees: ReadonlyArray<unknown>, what: string): unknown => {
  const flat = trees.map((t) => tree.flatten(t))
  const [first, def] = flat[0]!
  flat.forEach(([, d], i) => {
    if (!d.equals(def)) throw new LawViolation(`${what} ${i} has structure ${d.toString()}, unlike ${def.toString()}`)
  })
  const stacked = first.map((_, j) =>
    np.stack(
      flat.map(([leaves]) => {
        const l = leaves[j]
        if (l instanceof Array) return l
        if (typeof l === "number" || typeof l === "boolean") return np.asarray(l)
        throw new TypeError(`vmapMatchesStack: leaf ${j} of ${what} is a ${typeof l}, not an Array`)
      })
    )
  )
  return tree.unflatten(def, stacked)
}

const vmapDef = (o: VmapLawOptions, more: (s: Subject) => fc.Arbitrary<ReadonlyArray<ReadonlyArray<unknown>>>): LawDef<VmapExtra> => {
  const vmapFn: ErasedJit = erase(o.vmap, defaultVmap)
  const cmp = o.tolerance ?? "exact"
  const cache = new WeakMap<AnyFn, AnyFn>()
  return {
    name: "vmapMatchesStack",
    extra: (s) => more(s).map((m) => ({ more: m })),
    describeExtra: ({ more: m }) =>
      m.length === 0
        ? "batch of 1: the inputs above are the only example"
        : `batch of ${m.length + 1}: the inputs above are example 0, then\n${m.map((ex, i) => perArgument(`example ${i + 1}`, ex)).join("\n")}`,
    check: ({ f, args }, { more: m }) => {
      const examples = [args, ...m]
      const batched = examples[0]!.map((_, k) =>
        stackTrees(
          examples.map((ex) => ex[k]),
          `argument ${k} of example`
        )
      )
      const outs = examples.map((ex, i) => attempt(`f on example ${i}`, () => f(...ex)))
      const expected = stackTrees(outs, "the output of example")
      let v = cache.get(f)
      if (v === undefined) {
        v = vmapFn(f)
        cache.set(f, v)
      }
      const vf = v
      const actual = attempt("vmap(f)", () => vf(...batched))
      compareOutputs(expected, actual, cmp, ["stacked f", "vmap(f)"], `output (batch of ${examples.length})`)
    }
  }
}

/**
 * `vmap(f)` over a batch equals stacking `f` applied to each example. The examples are drawn
 * from `arbs` (one arbitrary per argument, as for the other laws) and batched along a new axis 0;
 * with random shapes, only examples shaped like the first join the batch. Bit-exact by default.
 *
 * @example
 * laws.check(laws.vmapMatchesStack((x: Array) => np.cumsum(x), [arb.array({ shape: [4] })]), { seed: 1, numRuns: 20 })
 */
export const vmapMatchesStack = <Args extends ReadonlyArray<unknown>>(
  f: (...args: Args) => unknown,
  arbs: Arbitraries<Args>,
  options: VmapLawOptions = {}
): LawProperty<LawCase<VmapExtra>> => {
  checkLawOptions("laws.vmapMatchesStack", options, VMAP_LAW_KEYS)
  const list = arbs as unknown as ReadonlyArray<fc.Arbitrary<unknown>>
  const maxBatch = options.maxBatch ?? 3
  const more = (s: Subject) => {
    const key = shapesKey(s.args)
    return fc.array(fc.tuple(...list), { maxLength: maxBatch - 1 }).map((exs) => exs.filter((ex) => shapesKey(ex) === key))
  }
  return makeLaw(vmapDef(options, more), functionSubjects(f, arbs), nameOf(f))
}

// ---------------------------------------------------------------------------------------------
// Pytrees: unflatten(flatten(t)) = t

export interface TreeFunctions {
  readonly flatten: (t: unknown) => [ReadonlyArray<unknown>, TreeDef]
  readonly unflatten: (def: TreeDef, leaves: ReadonlyArray<unknown>) => unknown
}

/** Where two pytrees differ structurally (leaves compared by identity), or undefined. */
const treeDiff = (a: unknown, b: unknown, path: string): string | undefined => {
  const kind = (x: unknown): string =>
    x === null
      ? "null"
      : x === undefined
        ? "undefined"
        : globalThis.Array.isArray(x)
          ? "tuple"
          : x instanceof Array
            ? "leaf"
            : typeof x === "object"
              ? "object"
              : "leaf"
  const ka = kind(a)
  const kb = kind(b)
  if (ka !== kb) return `${path || "root"}: ${ka} vs ${kb}`
  if (ka === "leaf") return Object.is(a, b) ? undefined : `${path || "root"}: a different leaf (${treeCode(a)} vs ${treeCode(b)})`
  if (ka === "tuple") {
    const xa = a as ReadonlyArray<unknown>
    const xb = b as ReadonlyArray<unknown>
    if (xa.length !== xb.length) return `${path || "root"}: tuple of ${xa.length} vs ${xb.length}`
    for (let i = 0; i < xa.length; i++) {
      const d = treeDiff(xa[i], xb[i], `${path}[${i}]`)
      if (d !== undefined) return d
    }
    return undefined
  }
  if (ka === "object") {
    const oa = a as Record<string, unknown>
    const ob = b as Record<string, unknown>
    if (Object.getPrototypeOf(oa) !== Object.getPrototypeOf(ob)) return `${path || "root"}: objects of different classes`
    const keysA = Object.keys(oa).sort()
    const keysB = Object.keys(ob).sort()
    if (keysA.join("\u0000") !== keysB.join("\u0000")) return `${path || "root"}: keys {${keysA.join(", ")}} vs {${keysB.join(", ")}}`
    for (const k of keysA) {
      const d = treeDiff(oa[k], ob[k], `${path}.${k}`)
      if (d !== undefined) return d
    }
  }
  return undefined
}

const treeDef = (o: Partial<TreeFunctions>): LawDef<null> => {
  const flatten = o.flatten ?? ((t: unknown) => tree.flatten(t))
  const unflatten = o.unflatten ?? tree.unflatten
  return {
    name: "treeRoundTrip",
    extra: noExtra,
    describeExtra: () => "",
    check: ({ args }) => {
      const t = args[0]
      const [leaves, def] = attempt("flatten(t)", () => flatten(t))
      if (def.numLeaves !== leaves.length)
        throw new LawViolation(`flatten gave ${leaves.length} leaves but the structure ${def.toString()} has ${def.numLeaves}`)
      const back = attempt("unflatten(def, leaves)", () => unflatten(def, leaves))
      const d = treeDiff(t, back, "")
      if (d !== undefined) throw new LawViolation(`unflatten(flatten(t)) differs from t at ${d}\nstructure: ${def.toString()}`)
      const [leaves2, def2] = attempt("flatten(unflatten(...))", () => flatten(back))
      if (!def2.equals(def)) throw new LawViolation(`the structure changed: ${def.toString()} -> ${def2.toString()}`)
      const moved = leaves.findIndex((l, i) => !Object.is(l, leaves2[i]))
      if (moved >= 0) throw new LawViolation(`leaf ${moved} changed in the round trip`)
    }
  }
}

/**
 * `unflatten(flatten(t))` equals t (same containers, keys and leaves by identity), its structure
 * flattens to an equal TreeDef, and the leaf count matches the TreeDef. The tree functions can be
 * replaced (`{ flatten, unflatten }`) to test another implementation.
 *
 * @example
 * laws.check(laws.treeRoundTrip(arb.pytree(arb.array({ shape: [2] }))), { seed: 1, numRuns: 50 })
 */
export const treeRoundTrip = <T>(trees: fc.Arbitrary<T>, options: Partial<TreeFunctions> = {}): LawProperty<LawCase<null>> =>
  makeLaw(
    treeDef(checkLawOptions("laws.treeRoundTrip", options, optionKeys<TreeFunctions>()("flatten", "unflatten"))),
    trees.map((t): Subject => ({ f: () => t, args: [t], program: undefined })),
    "pytrees"
  )

// ---------------------------------------------------------------------------------------------
// The laws on random programs

export interface ProgramLawOptions {
  /** What programs to generate (see `ProgramOptions`). */
  readonly programs?: ProgramOptions
}

/** A program law's options: its own keys and `programs`, checked one level down. */
const checkProgramLaw = <O extends ProgramLawOptions>(caller: string, o: O, keys: ReadonlyArray<string>): O => {
  checkProgramOptions(`${caller} (programs)`, checkLawOptions(caller, o, keys).programs)
  return o
}

const programSubjects = (o: ProgramOptions): fc.Arbitrary<Subject> =>
  programCase(o).map((c): Subject => ({ f: c.program.run as AnyFn, args: c.args, program: c.program }))

/**
 * The laws applied to random programs (see `programs.programCase`): each returns a property whose
 * cases are a program and its arguments; failures shrink to the smallest failing program, and
 * the report prints it as code and as a jaxpr. Gradient laws use programs summed to a scalar.
 * The finite-difference law runs grad in float64 by default (`gradDtype`), so it checks the
 * rules, not float32 rounding, and uses smooth programs by default (`programs.smooth`): at a
 * point where several kinks tie (min of max of equal values), JAX's tie-splitting gradients are
 * valid generalized gradients that no one-coordinate difference shows. Kinks are checked one at
 * a time on the primitives, and every other law runs on all operations.
 */
export const programLaws = {
  jitMatchesEager: (options: ProgramLawOptions & JitLawOptions = {}): LawProperty<LawCase<null>> =>
    makeLaw(
      jitDef(checkProgramLaw("laws.programLaws.jitMatchesEager", options, [...JIT_LAW_KEYS, "programs"])),
      programSubjects(options.programs ?? {}),
      "random programs"
    ),
  gradMatchesFiniteDifferences: (options: ProgramLawOptions & GradLawOptions = {}): LawProperty<LawCase<null>> =>
    makeLaw(
      gradDef({
        gradDtype: "float64",
        ...checkGradLaw(
          "laws.programLaws.gradMatchesFiniteDifferences",
          checkProgramLaw("laws.programLaws.gradMatchesFiniteDifferences", options, [...GRAD_LAW_KEYS, "programs"]),
          [...GRAD_LAW_KEYS, "programs"]
        )
      }),
      programSubjects({ smooth: true, ...options.programs, output: "scalar" }),
      "random programs"
    ),
  jvpIsLinear: (options: ProgramLawOptions & LinearityOptions = {}): LawProperty<LawCase<LinearityExtra>> =>
    makeLaw(
      jvpLinearDef(checkProgramLaw("laws.programLaws.jvpIsLinear", options, [...LINEARITY_KEYS, "programs"])),
      programSubjects(options.programs ?? {}),
      "random programs"
    ),
  vjpIsAdjointOfJvp: (options: ProgramLawOptions & AdjointOptions = {}): LawProperty<LawCase<AdjointExtra>> =>
    makeLaw(
      adjointDef(checkProgramLaw("laws.programLaws.vjpIsAdjointOfJvp", options, [...ADJOINT_KEYS, "programs"])),
      programSubjects(options.programs ?? {}),
      "random programs"
    ),
  jitGradCommutes: (options: ProgramLawOptions & CommuteOptions = {}): LawProperty<LawCase<null>> =>
    makeLaw(
      commuteDef(checkProgramLaw("laws.programLaws.jitGradCommutes", options, [...COMMUTE_KEYS, "programs"])),
      programSubjects({ ...options.programs, output: "scalar" }),
      "random programs"
    ),
  vmapMatchesStack: (options: ProgramLawOptions & VmapLawOptions = {}): LawProperty<LawCase<VmapExtra>> => {
    checkProgramLaw("laws.programLaws.vmapMatchesStack", options, [...VMAP_LAW_KEYS, "programs"])
    const p = options.programs ?? {}
    const step = p.step ?? 1 / 64
    const more = (s: Subject) =>
      fc.array(
        fc.tuple(
          ...s.args.map((a) => {
            const x = a as Array
            return arrayArb({ shape: x.shape, dtype: x.dtype, min: p.min ?? -2, max: p.max ?? 2, ...(step === 0 ? {} : { step }) })
          })
        ),
        { maxLength: (options.maxBatch ?? 3) - 1 }
      )
    return makeLaw(vmapDef(options, more), programSubjects(p), "random programs")
  }
} as const

// ---------------------------------------------------------------------------------------------
// check

export interface CheckOptions {
  /** fast-check seed (default: random; the report prints it). */
  readonly seed?: number
  /** Number of cases (default 100, fast-check's default). */
  readonly numRuns?: number
  /** Replay a counterexample: the path printed by a failure report (use with its seed). */
  readonly path?: string
  /** Stop the run (generation and shrinking) after this many milliseconds (fast-check's interruptAfterTimeLimit). */
  readonly interruptAfterTimeLimit?: number
}
const CHECK_KEYS = optionKeys<CheckOptions>()("seed", "numRuns", "path", "interruptAfterTimeLimit")

const isLawProperty = (p: unknown): p is LawProperty<unknown> => typeof p === "object" && p !== null && typeof (p as { law?: unknown }).law === "string"

/**
 * Run a property; on failure throw a `LawFailure` whose message is the report: the law, the seed
 * and path to replay it, what went wrong, and the shrunk inputs (and program, with its jaxpr).
 *
 * @example
 * const f = (x: Array) => np.tanh(x).mul(2)
 * check(jitMatchesEager(f, [arb.array()]), { seed: 42, numRuns: 50 })
 */
export const check = <T>(property: fc.IProperty<[T]>, options: CheckOptions = {}): void => {
  checkLawOptions("laws.check", options, CHECK_KEYS)
  const details = fc.check(property, checkParameters<T>(options))
  if (details.failed) throw failureOf(property, details)
}

/**
 * `check` for asynchronous laws (`backendsAgreeAsync` on a device that reads back with promises):
 * resolves when the law holds, rejects with a `LawFailure` report otherwise.
 *
 * @example
 * const [cpu] = cpuDevices()
 * const webgpu = onDevice((await init("webgpu"))[0]!)
 * await checkAsync(backendsAgreeAsync(np.tanh, [arb.array()], { devices: [cpu!, webgpu] }), { seed: 1, numRuns: 20 })
 */
export const checkAsync = async <T>(property: fc.IAsyncProperty<[T]>, options: CheckOptions = {}): Promise<void> => {
  checkLawOptions("laws.checkAsync", options, CHECK_KEYS)
  const details = await fc.check(property, checkParameters<T>(options))
  if (details.failed) throw failureOf(property, details)
}

const checkParameters = <T>(options: CheckOptions): fc.Parameters<[T]> => ({
  ...(options.seed === undefined ? {} : { seed: options.seed }),
  ...(options.numRuns === undefined ? {} : { numRuns: options.numRuns }),
  ...(options.path === undefined ? {} : { path: options.path }),
  ...(options.interruptAfterTimeLimit === undefined ? {} : { interruptAfterTimeLimit: options.interruptAfterTimeLimit })
})

const describeCase = (c: unknown): string => (c instanceof LawCase || c instanceof Described ? c.describe() : fc.stringify(c))

/** The report of a failed run. */
const failureOf = <T>(property: unknown, details: fc.RunDetails<[T]>): LawFailure => {
  const law = isLawProperty(property) ? property.law : "property"
  const subject = isLawProperty(property) ? ` on ${property.subject}` : ""
  const lines: string[] = []
  lines.push(`Law failed: ${law}${subject}`)
  lines.push(
    `  replay: check(property, { seed: ${details.seed}${details.counterexamplePath === null ? "" : `, path: "${details.counterexamplePath}"`} })` +
      `  (or fc.assert with the same seed and path)`
  )
  lines.push(`  found after ${details.numRuns} case(s)${details.numSkips > 0 ? ` and ${details.numSkips} skipped` : ""}, shrunk ${details.numShrinks} time(s)`)
  if (details.counterexample === null) {
    lines.push(
      "",
      details.interrupted ? "The run was interrupted before a counterexample was found." : "No counterexample: too many cases were skipped (fc.pre)."
    )
  } else {
    const err = details.errorInstance
    lines.push("", "What went wrong:", indent(err instanceof LawViolation ? err.message : errorText(err)))
    lines.push("", "Shrunk case:", indent(describeCase(details.counterexample[0])))
  }
  return new LawFailure(lines.join("\n"), law, details.seed, details.counterexamplePath, details.counterexample?.[0])
}
