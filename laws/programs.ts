/**
 * Random array programs: well-typed compositions of jaxfx operations, generated as small
 * expression trees so that fast-check shrinks a failure to the smallest failing program.
 *
 * Generation has two stages. fast-check draws an untyped `RawExpr` (operations with integer
 * "picks" for axes, permutations and reshapes), and `elaborate` types it against the input
 * shapes: picks are taken modulo the valid choices, operands that do not broadcast are summed
 * over the conflicting axes, and operands are guarded into the domain of their operation
 * (`log(x*x + 0.5)`, `arcsin(0.9 * tanh(x))`, exponentials of rescaled inputs), using interval
 * bounds on every intermediate value. Every raw tree therefore elaborates to a program that runs
 * and stays finite, and every shrink of a raw tree (a node replaced by one of its children, an
 * operation by a simpler one) is again a valid program.
 *
 * @example
 * import { programs } from "jaxfx/laws"
 * fc.assert(fc.property(programs.programCase({ output: "scalar" }), ({ program, args }) => {
 *   program.run(...args)        // run it eagerly
 *   program.jaxpr()             // the staged program, printed
 * }))
 */
import fc from "fast-check"
import { type Array, type DType, makeJaxpr, nn, np } from "../index.js"
import { array, broadcastShape, type ShapeOptions, sizeOf } from "./arbitraries.js"
import { checkOneOf, checkOptions, optionKeys } from "../core/options.js"
import { checkProgramOptions, OUTPUTS } from "./check-options.js"
import { arrayCode, formatNumber } from "./format.js"

// ---------------------------------------------------------------------------------------------
// Operations

/** An interval bound on the values of an intermediate. */
type Bounds = readonly [number, number]

/** What an operand must satisfy; the elaborator inserts a guard when its bounds do not show it. */
type Domain = "positive" | "unit" | "exponent" | "moderate" | "small"

interface UnarySpec {
  readonly code: string
  readonly apply: (x: Array) => Array
  readonly bounds: (lo: number, hi: number) => Bounds
  readonly domain?: Domain
  /** Differentiable everywhere (false for kinks such as abs and relu). */
  readonly smooth: boolean
}

const up =
  (f: (x: number) => number) =>
  (lo: number, hi: number): Bounds => [f(lo), f(hi)]
const down =
  (f: (x: number) => number) =>
  (lo: number, hi: number): Bounds => [f(hi), f(lo)]
const absBounds = (lo: number, hi: number): Bounds => (lo >= 0 ? [lo, hi] : hi <= 0 ? [-hi, -lo] : [0, Math.max(-lo, hi)])
const softplus = (x: number): number => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)))
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x))

const unarySpecs = {
  negative: { code: "np.negative", apply: np.negative, bounds: down((x) => -x), smooth: true },
  sin: { code: "np.sin", apply: np.sin, bounds: () => [-1, 1], smooth: true },
  cos: { code: "np.cos", apply: np.cos, bounds: () => [-1, 1], smooth: true },
  tanh: { code: "np.tanh", apply: np.tanh, bounds: up(Math.tanh), smooth: true },
  exp: { code: "np.exp", apply: np.exp, bounds: up(Math.exp), domain: "moderate", smooth: true },
  square: {
    code: "np.square",
    apply: np.square,
    bounds: (lo, hi) => {
      const [a, b] = absBounds(lo, hi)
      return [a * a, b * b]
    },
    smooth: true
  },
  log: { code: "np.log", apply: np.log, bounds: up(Math.log), domain: "positive", smooth: true },
  sqrt: { code: "np.sqrt", apply: np.sqrt, bounds: up(Math.sqrt), domain: "positive", smooth: true },
  sigmoid: { code: "nn.sigmoid", apply: nn.sigmoid, bounds: up(sigmoid), smooth: true },
  arctan: { code: "np.arctan", apply: np.arctan, bounds: up(Math.atan), smooth: true },
  reciprocal: { code: "np.reciprocal", apply: np.reciprocal, bounds: down((x) => 1 / x), domain: "positive", smooth: true },
  softplus: { code: "nn.softplus", apply: nn.softplus, bounds: up(softplus), smooth: true },
  expm1: { code: "np.expm1", apply: np.expm1, bounds: up(Math.expm1), domain: "moderate", smooth: true },
  log1p: { code: "np.log1p", apply: np.log1p, bounds: up(Math.log1p), domain: "positive", smooth: true },
  sinh: { code: "np.sinh", apply: np.sinh, bounds: up(Math.sinh), domain: "moderate", smooth: true },
  cosh: {
    code: "np.cosh",
    apply: np.cosh,
    bounds: (lo, hi) => {
      const [a, b] = absBounds(lo, hi)
      return [Math.cosh(a), Math.cosh(b)]
    },
    domain: "moderate",
    smooth: true
  },
  arcsin: { code: "np.arcsin", apply: np.arcsin, bounds: up(Math.asin), domain: "unit", smooth: true },
  arccos: { code: "np.arccos", apply: np.arccos, bounds: down(Math.acos), domain: "unit", smooth: true },
  tan: { code: "np.tan", apply: np.tan, bounds: up(Math.tan), domain: "small", smooth: true },
  silu: { code: "nn.silu", apply: nn.silu, bounds: (_lo, hi) => [-0.28, Math.max(hi, 0)], smooth: true },
  gelu: { code: "nn.gelu", apply: (x) => nn.gelu(x), bounds: (_lo, hi) => [-0.18, Math.max(hi, 0)], smooth: true },
  abs: { code: "np.abs", apply: np.abs, bounds: absBounds, smooth: false },
  relu: { code: "nn.relu", apply: nn.relu, bounds: (lo, hi) => [Math.max(lo, 0), Math.max(hi, 0)], smooth: false }
} satisfies Record<string, UnarySpec>

/** Unary operations, simplest first (shrinking moves toward the front). */
export type UnaryOp = keyof typeof unarySpecs
export const unaryOps: ReadonlyArray<UnaryOp> = Object.keys(unarySpecs) as UnaryOp[]

const mulBounds = (a: Bounds, b: Bounds): Bounds => {
  const p = [a[0] * b[0], a[0] * b[1], a[1] * b[0], a[1] * b[1]]
  return [Math.min(...p), Math.max(...p)]
}
const corners =
  (f: (x: number, y: number) => number) =>
  (a: Bounds, b: Bounds): Bounds => {
    const p = [f(a[0], b[0]), f(a[0], b[1]), f(a[1], b[0]), f(a[1], b[1])]
    return [Math.min(...p), Math.max(...p)]
  }

interface BinarySpec {
  readonly code: string
  readonly apply: (x: Array | number, y: Array | number) => Array
  readonly bounds: (a: Bounds, b: Bounds) => Bounds
  readonly left?: Domain
  readonly right?: Domain
  readonly smooth: boolean
}

const binarySpecs = {
  add: { code: "np.add", apply: np.add, bounds: (a, b) => [a[0] + b[0], a[1] + b[1]], smooth: true },
  subtract: { code: "np.subtract", apply: np.subtract, bounds: (a, b) => [a[0] - b[1], a[1] - b[0]], smooth: true },
  multiply: { code: "np.multiply", apply: np.multiply, bounds: mulBounds, smooth: true },
  divide: { code: "np.divide", apply: np.divide, bounds: (a, b) => mulBounds(a, [1 / b[1], 1 / b[0]]), right: "positive", smooth: true },
  power: { code: "np.power", apply: np.power, bounds: corners((x, y) => x ** y), left: "positive", right: "exponent", smooth: true },
  arctan2: { code: "np.arctan2", apply: np.arctan2, bounds: corners(Math.atan2), right: "positive", smooth: true },
  maximum: { code: "np.maximum", apply: np.maximum, bounds: (a, b) => [Math.max(a[0], b[0]), Math.max(a[1], b[1])], smooth: false },
  minimum: { code: "np.minimum", apply: np.minimum, bounds: (a, b) => [Math.min(a[0], b[0]), Math.min(a[1], b[1])], smooth: false }
} satisfies Record<string, BinarySpec>

/** Binary operations (NumPy broadcasting), simplest first. */
export type BinaryOp = keyof typeof binarySpecs
export const binaryOps: ReadonlyArray<BinaryOp> = Object.keys(binarySpecs) as BinaryOp[]

interface ReduceSpec {
  readonly code: string
  readonly apply: (x: Array, axis: ReadonlyArray<number>, keepdims: boolean) => Array
  /** Bounds of the result given the input bounds and the number of reduced elements. */
  readonly bounds: (b: Bounds, n: number) => Bounds
  readonly smooth: boolean
}

const reduceSpecs = {
  sum: { code: "np.sum", apply: (x, axis, keepdims) => np.sum(x, { axis, keepdims }), bounds: (b, n) => [b[0] * n, b[1] * n], smooth: true },
  mean: { code: "np.mean", apply: (x, axis, keepdims) => np.mean(x, { axis, keepdims }), bounds: (b) => b, smooth: true },
  prod: {
    code: "np.prod",
    apply: (x, axis, keepdims) => np.prod(x, { axis, keepdims }),
    bounds: (b, n) => {
      let acc: Bounds = [1, 1]
      for (let i = 0; i < n; i++) acc = mulBounds(acc, b)
      return acc
    },
    smooth: true
  },
  logsumexp: {
    code: "nn.logsumexp",
    apply: (x, axis, keepdims) => nn.logsumexp(x, { axis, keepdims }),
    bounds: (b, n) => [b[0], b[1] + Math.log(n)],
    smooth: true
  },
  max: { code: "np.max", apply: (x, axis, keepdims) => np.max(x, { axis, keepdims }), bounds: (b) => b, smooth: false },
  min: { code: "np.min", apply: (x, axis, keepdims) => np.min(x, { axis, keepdims }), bounds: (b) => b, smooth: false }
} satisfies Record<string, ReduceSpec>

/** Reductions over a set of axes, simplest first. */
export type ReduceOp = keyof typeof reduceSpecs
export const reduceOps: ReadonlyArray<ReduceOp> = Object.keys(reduceSpecs) as ReduceOp[]

/** Structural operations: shapes change, values move. `where` selects with a comparison. */
export type StructuralOp = "reshape" | "transpose" | "broadcast" | "matmul" | "where"
export const structuralOps: ReadonlyArray<StructuralOp> = ["reshape", "transpose", "broadcast", "matmul", "where"]

/** Constants for operations with a scalar operand (`x * 2`, `3 ** x`), simplest first. */
const constants = [2, 0.5, -1, 3, 1.5, -0.25] as const

// ---------------------------------------------------------------------------------------------
// Raw (untyped) expressions: what fast-check generates and shrinks

/**
 * An untyped program: operations with integer picks, resolved against the input shapes by
 * `elaborate`. Any value of this type elaborates to a valid program.
 */
export type RawExpr =
  | { readonly tag: "input"; readonly pick: number }
  | { readonly tag: "unary"; readonly op: UnaryOp; readonly x: RawExpr }
  | { readonly tag: "binary"; readonly op: BinaryOp; readonly x: RawExpr; readonly y: RawExpr }
  /** `op(x, c)`, or `op(c, x)` when `left`; c is `constants[pick % n]`. */
  | { readonly tag: "scalar"; readonly op: BinaryOp; readonly pick: number; readonly left: boolean; readonly x: RawExpr }
  | { readonly tag: "reduce"; readonly op: ReduceOp; readonly pick: number; readonly keepdims: boolean; readonly x: RawExpr }
  | { readonly tag: "reshape"; readonly pick: number; readonly x: RawExpr }
  | { readonly tag: "transpose"; readonly pick: number; readonly x: RawExpr }
  | { readonly tag: "broadcast"; readonly pick: number; readonly x: RawExpr }
  | { readonly tag: "matmul"; readonly x: RawExpr; readonly y: RawExpr }
  /** `where(c > 0, x, y)` (or `<` when `less`). */
  | { readonly tag: "where"; readonly less: boolean; readonly c: RawExpr; readonly x: RawExpr; readonly y: RawExpr }

/** The operations a program may use (default: all). */
export interface OpSet {
  readonly unary?: ReadonlyArray<UnaryOp>
  readonly binary?: ReadonlyArray<BinaryOp>
  readonly reduce?: ReadonlyArray<ReduceOp>
  readonly structural?: ReadonlyArray<StructuralOp>
  /** Allow operations with a constant operand (`x * 2`; default true). */
  readonly scalar?: boolean
}

export interface ExprOptions {
  /** Deepest nesting of operations (default 4). */
  readonly maxDepth?: number
  /** Which operations to use (default all). */
  readonly ops?: OpSet
  /** Leave out operations with kinks (abs, relu, maximum, minimum, max/min reductions, where). */
  readonly smooth?: boolean
}
const EXPR_KEYS = optionKeys<ExprOptions>()("maxDepth", "ops", "smooth")
const OPSET_KEYS = optionKeys<OpSet>()("unary", "binary", "reduce", "structural", "scalar")

interface ResolvedOps {
  readonly unary: ReadonlyArray<UnaryOp>
  readonly binary: ReadonlyArray<BinaryOp>
  readonly reduce: ReadonlyArray<ReduceOp>
  readonly structural: ReadonlyArray<StructuralOp>
  readonly scalar: boolean
}

const resolveOps = (o: ExprOptions): ResolvedOps => {
  const ops = checkOptions("programs (ops)", o.ops, OPSET_KEYS) ?? {}
  for (const [kind, known] of [
    ["unary", unaryOps],
    ["binary", binaryOps],
    ["reduce", reduceOps],
    ["structural", structuralOps]
  ] as const) {
    for (const op of ops[kind] ?? []) checkOneOf("programs (ops)", `${kind} operation`, op, known as ReadonlyArray<string>)
  }
  const smooth = o.smooth === true
  const keep = <K extends string>(list: ReadonlyArray<K>, allowed: ReadonlyArray<K> | undefined, isSmooth: (k: K) => boolean): K[] =>
    list.filter((k) => (allowed === undefined || allowed.includes(k)) && (!smooth || isSmooth(k)))
  return {
    unary: keep(unaryOps, ops.unary, (k) => unarySpecs[k].smooth),
    binary: keep(binaryOps, ops.binary, (k) => binarySpecs[k].smooth),
    reduce: keep(reduceOps, ops.reduce, (k) => reduceSpecs[k].smooth),
    structural: keep(structuralOps, ops.structural, (k) => k !== "where"),
    scalar: ops.scalar ?? true
  }
}

type Kind = Exclude<RawExpr["tag"], "input">
const kindWeights: ReadonlyArray<readonly [Kind, number]> = [
  ["unary", 3],
  ["binary", 3],
  ["scalar", 1.5],
  ["reduce", 1.5],
  ["reshape", 1],
  ["transpose", 1],
  ["broadcast", 0.7],
  ["matmul", 1],
  ["where", 0.7]
]

const PICKS = 1 << 10

const generateRaw = (r: fc.Random, ops: ResolvedOps, maxDepth: number): RawExpr => {
  const kinds = kindWeights.filter(([k]) => {
    switch (k) {
      case "unary":
        return ops.unary.length > 0
      case "binary":
        return ops.binary.length > 0
      case "scalar":
        return ops.scalar && ops.binary.length > 0
      case "reduce":
        return ops.reduce.length > 0
      default:
        return ops.structural.includes(k)
    }
  })
  const total = kinds.reduce((s, [, w]) => s + w, 0)
  const pickOf = <T>(xs: ReadonlyArray<T>): T => xs[r.nextInt(0, xs.length - 1)]!
  const go = (depth: number): RawExpr => {
    // The root is always an operation; deeper nodes are leaves more and more often.
    if (kinds.length === 0 || depth >= maxDepth || (depth > 0 && r.nextDouble() < 0.1 + 0.2 * depth)) {
      return { tag: "input", pick: r.nextInt(0, PICKS - 1) }
    }
    let u = r.nextDouble() * total
    let kind: Kind = kinds[0]![0]
    for (const [k, w] of kinds) {
      if (u < w) {
        kind = k
        break
      }
      u -= w
    }
    const pick = r.nextInt(0, PICKS - 1)
    switch (kind) {
      case "unary":
        return { tag: "unary", op: pickOf(ops.unary), x: go(depth + 1) }
      case "binary":
        return { tag: "binary", op: pickOf(ops.binary), x: go(depth + 1), y: go(depth + 1) }
      case "scalar":
        return { tag: "scalar", op: pickOf(ops.binary), pick, left: r.nextBoolean(), x: go(depth + 1) }
      case "reduce":
        return { tag: "reduce", op: pickOf(ops.reduce), pick, keepdims: r.nextBoolean(), x: go(depth + 1) }
      case "reshape":
      case "transpose":
      case "broadcast":
        return { tag: kind, pick, x: go(depth + 1) }
      case "matmul":
        return { tag: "matmul", x: go(depth + 1), y: go(depth + 1) }
      case "where":
        return { tag: "where", less: r.nextBoolean(), c: go(depth + 1), x: go(depth + 1), y: go(depth + 1) }
    }
  }
  return go(0)
}

const childrenOf = (e: RawExpr): RawExpr[] => {
  switch (e.tag) {
    case "input":
      return []
    case "binary":
    case "matmul":
      return [e.x, e.y]
    case "where":
      return [e.c, e.x, e.y]
    default:
      return [e.x]
  }
}

const withChild = (e: RawExpr, i: number, c: RawExpr): RawExpr => {
  switch (e.tag) {
    case "input":
      return e
    case "binary":
    case "matmul":
      return i === 0 ? { ...e, x: c } : { ...e, y: c }
    case "where":
      return i === 0 ? { ...e, c } : i === 1 ? { ...e, x: c } : { ...e, y: c }
    default:
      return { ...e, x: c }
  }
}

/**
 * Number of operations in a raw expression.
 *
 * @example
 * fc.sample(laws.programs.rawExpr(), 2).map(laws.programs.rawSize) // e.g. [3, 0]
 */
export const rawSize = (e: RawExpr): number => (e.tag === "input" ? 0 : 1 + childrenOf(e).reduce((s, c) => s + rawSize(c), 0))

/**
 * Smaller variants of a raw expression, biggest simplifications first: an input leaf, each
 * child in place of the node, each child shrunk, then simpler parameters. Every candidate is
 * strictly smaller (fewer operations, or the same operations with earlier choices), so shrinking
 * terminates.
 */
function* shrinkRaw(e: RawExpr, ops: ResolvedOps): Generator<RawExpr> {
  if (e.tag === "input") {
    if (e.pick !== 0) yield { tag: "input", pick: 0 }
    return
  }
  const kids = childrenOf(e)
  yield { tag: "input", pick: 0 }
  for (const c of kids) if (c.tag !== "input" || kids.length > 1) yield c
  for (let i = 0; i < kids.length; i++) {
    for (const s of shrinkRaw(kids[i]!, ops)) yield withChild(e, i, s)
  }
  // Simpler parameters.
  const earlier = <T>(list: ReadonlyArray<T>, x: T): T[] => list.slice(0, Math.max(0, list.indexOf(x)))
  switch (e.tag) {
    case "unary":
      for (const op of earlier(ops.unary, e.op)) yield { ...e, op }
      break
    case "binary":
      for (const op of earlier(ops.binary, e.op)) yield { ...e, op }
      break
    case "scalar":
      for (const op of earlier(ops.binary, e.op)) yield { ...e, op }
      if (e.left) yield { ...e, left: false }
      if (e.pick !== 0) yield { ...e, pick: 0 }
      break
    case "reduce":
      for (const op of earlier(ops.reduce, e.op)) yield { ...e, op }
      if (e.keepdims) yield { ...e, keepdims: false }
      if (e.pick !== 0) yield { ...e, pick: 0 }
      break
    case "reshape":
    case "transpose":
    case "broadcast":
      if (e.pick !== 0) yield { ...e, pick: 0 }
      break
    case "where":
      if (e.less) yield { ...e, less: false }
      break
    case "matmul":
      break
  }
}

const rawTags = new Set(["input", "unary", "binary", "scalar", "reduce", "reshape", "transpose", "broadcast", "matmul", "where"])
const isRaw = (v: unknown): v is RawExpr => typeof v === "object" && v !== null && rawTags.has((v as { tag?: unknown }).tag as string)

class RawExprArbitrary extends fc.Arbitrary<RawExpr> {
  constructor(
    private readonly ops: ResolvedOps,
    private readonly maxDepth: number
  ) {
    super()
  }
  generate(mrng: fc.Random): fc.Value<RawExpr> {
    return new fc.Value(generateRaw(mrng, this.ops, this.maxDepth), undefined)
  }
  canShrinkWithoutContext(value: unknown): value is RawExpr {
    return isRaw(value)
  }
  shrink(value: RawExpr): fc.Stream<fc.Value<RawExpr>> {
    return new fc.Stream(shrinkRaw(value, this.ops)).map((e) => new fc.Value(e, undefined))
  }
}

/**
 * Untyped expression trees (see `RawExpr`); shrink by replacing nodes with their children.
 *
 * @example
 * const [e] = fc.sample(laws.programs.rawExpr(), 1)
 * laws.programs.elaborate(e!, [{ shape: [3], dtype: "float32" }]).code() // the typed program as code
 */
export const rawExpr = (options: ExprOptions = {}): fc.Arbitrary<RawExpr> => rawExprOf(checkOptions("programs.rawExpr", options, EXPR_KEYS))

const rawExprOf = (options: ExprOptions): fc.Arbitrary<RawExpr> => new RawExprArbitrary(resolveOps(options), options.maxDepth ?? 4)

// ---------------------------------------------------------------------------------------------
// Typed programs

/** One input of a program. */
export interface InputSpec {
  readonly shape: ReadonlyArray<number>
  readonly dtype: DType
}

interface NodeBase {
  readonly shape: ReadonlyArray<number>
  readonly bounds: Bounds
}

/** A typed operation of a program (operands of binary operations may be JS constants). */
export type ProgramNode = NodeBase &
  (
    | { readonly kind: "input"; readonly index: number }
    | { readonly kind: "unary"; readonly op: UnaryOp; readonly x: ProgramNode }
    | { readonly kind: "binary"; readonly op: BinaryOp; readonly x: ProgramNode | number; readonly y: ProgramNode | number }
    | { readonly kind: "reduce"; readonly op: ReduceOp; readonly axes: ReadonlyArray<number>; readonly keepdims: boolean; readonly x: ProgramNode }
    | { readonly kind: "reshape"; readonly x: ProgramNode }
    | { readonly kind: "transpose"; readonly perm: ReadonlyArray<number>; readonly x: ProgramNode }
    | { readonly kind: "broadcast"; readonly x: ProgramNode }
    | { readonly kind: "matmul"; readonly x: ProgramNode; readonly y: ProgramNode }
    | { readonly kind: "where"; readonly less: boolean; readonly c: ProgramNode; readonly x: ProgramNode; readonly y: ProgramNode }
  )

export interface ElaborateOptions {
  /** Bounds on the input values (default [-2, 2]); guards rely on them. */
  readonly inputBounds?: readonly [number, number]
  /** Largest intermediate size; broadcasting beyond it is avoided (default 64). */
  readonly maxIntermediateSize?: number
  /** Magnitude above which intermediates are rescaled by a power of 2 (default 32). */
  readonly growthLimit?: number
  /** "scalar": sum the result to a scalar (for grad); "any" (default): leave it. */
  readonly output?: "any" | "scalar"
}
const ELABORATE_KEYS = optionKeys<ElaborateOptions>()("inputBounds", "maxIntermediateSize", "growthLimit", "output")

const maxAbs = (b: Bounds): number => Math.max(Math.abs(b[0]), Math.abs(b[1]))

const permutations = (n: number): number[][] => {
  if (n === 0) return [[]]
  const out: number[][] = []
  for (const p of permutations(n - 1)) {
    for (let i = 0; i <= p.length; i++) out.push([...p.slice(0, i), n - 1, ...p.slice(i)])
  }
  return out.sort((a, b) => a.join().localeCompare(b.join()))
}

const sameShape = (a: ReadonlyArray<number>, b: ReadonlyArray<number>): boolean => a.length === b.length && a.every((d, i) => d === b[i])

class Elaborator {
  private readonly maxSize: number
  private readonly growthLimit: number
  private readonly inputBounds: Bounds
  constructor(
    private readonly inputs: ReadonlyArray<InputSpec>,
    o: ElaborateOptions
  ) {
    this.maxSize = o.maxIntermediateSize ?? 64
    this.growthLimit = o.growthLimit ?? 32
    this.inputBounds = o.inputBounds ?? [-2, 2]
  }

  // --- node builders (bounds computed here) ---
  unary(op: UnaryOp, x: ProgramNode): ProgramNode {
    const b = unarySpecs[op].bounds(x.bounds[0], x.bounds[1])
    return { kind: "unary", op, x, shape: x.shape, bounds: [Math.min(b[0], b[1]), Math.max(b[0], b[1])] }
  }
  binary(op: BinaryOp, x: ProgramNode | number, y: ProgramNode | number): ProgramNode {
    const bx: Bounds = typeof x === "number" ? [x, x] : x.bounds
    const by: Bounds = typeof y === "number" ? [y, y] : y.bounds
    const sx = typeof x === "number" ? [] : x.shape
    const sy = typeof y === "number" ? [] : y.shape
    return { kind: "binary", op, x, y, shape: broadcastShape(sx, sy)!, bounds: binarySpecs[op].bounds(bx, by) }
  }
  scale(x: ProgramNode, factor: number): ProgramNode {
    return this.binary("multiply", x, factor)
  }
  reduce(op: ReduceOp, x: ProgramNode, axes: ReadonlyArray<number>, keepdims: boolean): ProgramNode {
    const n = axes.reduce((s, a) => s * x.shape[a]!, 1)
    const shape = keepdims ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : x.shape.filter((_, i) => !axes.includes(i))
    return { kind: "reduce", op, axes, keepdims, x, shape, bounds: reduceSpecs[op].bounds(x.bounds, n) }
  }

  // --- guards ---
  /** Rescale by a power of 2 (exact) so that |values| <= limit. */
  limit(x: ProgramNode, limit: number): ProgramNode {
    const m = maxAbs(x.bounds)
    if (m <= limit) return x
    return this.scale(x, 2 ** -Math.ceil(Math.log2(m / limit)))
  }
  guard(x: ProgramNode, d: Domain): ProgramNode {
    switch (d) {
      case "positive":
        return x.bounds[0] >= 0.25 ? x : this.binary("add", this.unary("square", x), 0.5)
      case "unit":
        return x.bounds[0] >= -0.9 && x.bounds[1] <= 0.9 ? x : this.scale(this.unary("tanh", x), 0.9)
      case "exponent":
        return this.limit(x, 2)
      case "moderate":
        return this.limit(x, 8)
      case "small":
        return this.limit(x, 1.25)
    }
  }
  guardConst(c: number, d: Domain | undefined): number {
    switch (d) {
      case "positive":
        return Math.abs(c)
      case "unit":
        return Math.max(-0.9, Math.min(0.9, c))
      case "exponent":
      case "moderate":
      case "small":
        return Math.max(-1, Math.min(1.25, c))
      case undefined:
        return c
    }
  }
  /** Keep intermediates bounded. */
  tame(x: ProgramNode): ProgramNode {
    return this.limit(x, this.growthLimit)
  }

  /** Make y broadcast with the shape s: sum y over conflicting axes, and over axes it would grow s by. */
  conform(y: ProgramNode, s: ReadonlyArray<number>): ProgramNode {
    const n = Math.max(y.shape.length, s.length)
    const axes: number[] = []
    y.shape.forEach((dy, i) => {
      const ds = s[s.length - y.shape.length + i]
      if (dy !== 1 && ds !== undefined && ds !== 1 && ds !== dy) axes.push(i)
    })
    let out = axes.length > 0 ? this.reduce("sum", y, axes, true) : y
    const b = broadcastShape(out.shape, s)!
    if (sizeOf(b) > Math.max(this.maxSize, sizeOf(s)) && n > 0) {
      // Sum out the axes along which y would enlarge s.
      const grow: number[] = []
      out.shape.forEach((dy, i) => {
        const ds = s[s.length - out.shape.length + i]
        if (dy !== 1 && (ds === undefined || ds === 1)) grow.push(i)
      })
      if (grow.length > 0) out = this.reduce("sum", out, grow, true)
    }
    return out
  }

  // --- elaboration ---
  node(e: RawExpr): ProgramNode {
    return this.tame(this.build(e))
  }

  private build(e: RawExpr): ProgramNode {
    switch (e.tag) {
      case "input": {
        const index = e.pick % this.inputs.length
        return { kind: "input", index, shape: this.inputs[index]!.shape, bounds: this.inputBounds }
      }
      case "unary": {
        const spec = unarySpecs[e.op] as UnarySpec
        const x = this.node(e.x)
        return this.unary(e.op, spec.domain === undefined ? x : this.guard(x, spec.domain))
      }
      case "binary": {
        const spec = binarySpecs[e.op] as BinarySpec
        let x = this.node(e.x)
        let y = this.conform(this.node(e.y), x.shape)
        if (spec.left !== undefined) x = this.guard(x, spec.left)
        if (spec.right !== undefined) y = this.guard(y, spec.right)
        return this.binary(e.op, x, y)
      }
      case "scalar": {
        const spec = binarySpecs[e.op] as BinarySpec
        const raw = constants[e.pick % constants.length]!
        const x = this.node(e.x)
        if (e.left) {
          const c = this.guardConst(raw, spec.left)
          return this.binary(e.op, c, spec.right === undefined ? x : this.guard(x, spec.right))
        }
        // x ** c with a positive integer c needs no guard on x (integer_pow).
        const c = this.guardConst(raw, spec.right)
        const intPow = e.op === "power" && Number.isInteger(c) && c > 0
        return this.binary(e.op, spec.left === undefined || intPow ? x : this.guard(x, spec.left), c)
      }
      case "reduce": {
        const x = this.node(e.x)
        const r = x.shape.length
        if (r === 0) return x
        const mask = (e.pick % ((1 << r) - 1)) + 1
        const axes = x.shape.map((_, i) => i).filter((i) => (mask & (1 << i)) !== 0)
        return this.reduce(e.op, x, axes, e.keepdims)
      }
      case "reshape": {
        const x = this.node(e.x)
        const cands = this.reshapes(x.shape)
        if (cands.length === 0) return x
        const shape = cands[e.pick % cands.length]!
        return { kind: "reshape", x, shape, bounds: x.bounds }
      }
      case "transpose": {
        const x = this.node(e.x)
        const r = x.shape.length
        if (r < 2) return x
        const perms = permutations(r).slice(1)
        const perm = perms[e.pick % perms.length]!
        return { kind: "transpose", perm, x, shape: perm.map((p) => x.shape[p]!), bounds: x.bounds }
      }
      case "broadcast": {
        const x = this.node(e.x)
        const cands: number[][] = []
        x.shape.forEach((d, i) => {
          if (d === 1) cands.push(x.shape.map((dd, j) => (j === i ? 2 : dd)))
        })
        if (x.shape.length < 4) cands.push([2, ...x.shape], [3, ...x.shape])
        const ok = cands.filter((s) => sizeOf(s) <= this.maxSize)
        if (ok.length === 0) return x
        return { kind: "broadcast", x, shape: ok[e.pick % ok.length]!, bounds: x.bounds }
      }
      case "matmul":
        return this.matmul(this.node(e.x), this.node(e.y))
      case "where": {
        const x = this.node(e.x)
        const y = this.conform(this.node(e.y), x.shape)
        const xy = broadcastShape(x.shape, y.shape)!
        const c = this.conform(this.node(e.c), xy)
        const shape = broadcastShape(xy, c.shape)!
        return {
          kind: "where",
          less: e.less,
          c,
          x,
          y,
          shape,
          bounds: [Math.min(x.bounds[0], y.bounds[0]), Math.max(x.bounds[1], y.bounds[1])]
        }
      }
    }
  }

  private reshapes(s: ReadonlyArray<number>): number[][] {
    const n = sizeOf(s)
    const out: number[][] = []
    const add = (c: number[]): void => {
      if (!sameShape(c, s) && !out.some((o) => sameShape(o, c))) out.push(c)
    }
    add([n])
    if (s.includes(1)) add(s.filter((d) => d !== 1))
    if (s.length < 4) add([1, ...s])
    for (let a = 2; a <= n / 2; a++) if (n % a === 0) add([a, n / a])
    return out
  }

  private matmulNode(x: ProgramNode, y: ProgramNode): ProgramNode {
    const xs = x.shape
    const ys = y.shape
    let shape: number[]
    if (xs.length === 1 && ys.length === 1) shape = []
    else if (xs.length === 1) shape = [...ys.slice(0, -2), ys[ys.length - 1]!]
    else if (ys.length === 1) shape = xs.slice(0, -1)
    else shape = [...broadcastShape(xs.slice(0, -2), ys.slice(0, -2))!, xs[xs.length - 2]!, ys[ys.length - 1]!]
    const k = xs[xs.length - 1]!
    const p = mulBounds(x.bounds, y.bounds)
    return { kind: "matmul", x, y, shape, bounds: [p[0] * k, p[1] * k] }
  }

  /** x @ y, adapting y (transposing, reshaping, summing batch axes) or falling back to x @ xᵀ. */
  private matmul(x0: ProgramNode, y0: ProgramNode): ProgramNode {
    const x = x0.shape.length === 0 ? ({ kind: "reshape", x: x0, shape: [1], bounds: x0.bounds } as ProgramNode) : x0
    const k = x.shape[x.shape.length - 1]!
    const fitBatch = (y: ProgramNode): ProgramNode => {
      if (x.shape.length < 2 || y.shape.length < 3) return y
      const yb = y.shape.slice(0, -2)
      const xb = x.shape.slice(0, -2)
      const axes: number[] = []
      yb.forEach((d, i) => {
        const dx = xb[xb.length - yb.length + i]
        if (d !== 1 && dx !== undefined && dx !== 1 && dx !== d) axes.push(i)
      })
      return axes.length > 0 ? this.reduce("sum", y, axes, true) : y
    }
    const fits = (y: ProgramNode): boolean => (y.shape.length === 1 && y.shape[0] === k) || (y.shape.length >= 2 && y.shape[y.shape.length - 2] === k)
    const small = (n: ProgramNode): boolean => sizeOf(n.shape) <= this.maxSize
    if (y0.shape.length > 0) {
      if (fits(y0)) {
        const m = this.matmulNode(x, fitBatch(y0))
        if (small(m)) return m
      }
      const r = y0.shape.length
      if (r >= 2 && y0.shape[r - 1] === k) {
        const perm = [...y0.shape.keys()]
        perm[r - 2] = r - 1
        perm[r - 1] = r - 2
        const yt: ProgramNode = { kind: "transpose", perm, x: y0, shape: perm.map((q) => y0.shape[q]!), bounds: y0.bounds }
        const m = this.matmulNode(x, fitBatch(yt))
        if (small(m)) return m
      }
      const n = sizeOf(y0.shape)
      if (n % k === 0) {
        const yr: ProgramNode = { kind: "reshape", x: y0, shape: [k, n / k], bounds: y0.bounds }
        const m = this.matmulNode(x, yr)
        if (small(m)) return m
      }
    }
    // Fallback: the Gram matrix x @ xᵀ (or x · x for a vector).
    if (x.shape.length === 1) return this.matmulNode(x, x)
    const r = x.shape.length
    const perm = [...x.shape.keys()]
    perm[r - 2] = r - 1
    perm[r - 1] = r - 2
    const xt: ProgramNode = { kind: "transpose", perm, x, shape: perm.map((q) => x.shape[q]!), bounds: x.bounds }
    return this.matmulNode(x, xt)
  }
}

/** Evaluate a node with jaxfx operations (eagerly, or under whatever transformation is active). */
const evalNode = (n: ProgramNode, args: ReadonlyArray<Array>): Array => {
  const ev = (m: ProgramNode | number): Array | number => (typeof m === "number" ? m : evalNode(m, args))
  switch (n.kind) {
    case "input":
      return args[n.index]!
    case "unary":
      return unarySpecs[n.op].apply(evalNode(n.x, args))
    case "binary":
      return binarySpecs[n.op].apply(ev(n.x), ev(n.y))
    case "reduce":
      return reduceSpecs[n.op].apply(evalNode(n.x, args), n.axes, n.keepdims)
    case "reshape":
      return np.reshape(evalNode(n.x, args), n.shape)
    case "transpose":
      return np.transpose(evalNode(n.x, args), n.perm)
    case "broadcast":
      return np.broadcastTo(evalNode(n.x, args), n.shape)
    case "matmul":
      return np.matmul(evalNode(n.x, args), evalNode(n.y, args))
    case "where": {
      const c = evalNode(n.c, args)
      return np.where(n.less ? np.less(c, 0) : np.greater(c, 0), evalNode(n.x, args), evalNode(n.y, args))
    }
  }
}

const list = (xs: ReadonlyArray<number>): string => `[${xs.join(", ")}]`

/** The program as TypeScript over jaxfx, one operation per line. */
const printCode = (root: ProgramNode, inputs: ReadonlyArray<InputSpec>): string => {
  const lines: string[] = []
  let next = 0
  const name = (m: ProgramNode | number): string => (typeof m === "number" ? formatNumber(m) : emit(m))
  const emit = (n: ProgramNode): string => {
    let rhs: string
    switch (n.kind) {
      case "input":
        return `x${n.index}`
      case "unary":
        rhs = `${unarySpecs[n.op].code}(${emit(n.x)})`
        break
      case "binary":
        rhs = `${binarySpecs[n.op].code}(${name(n.x)}, ${name(n.y)})`
        break
      case "reduce":
        rhs = `${reduceSpecs[n.op].code}(${emit(n.x)}, { axis: ${list(n.axes)}${n.keepdims ? ", keepdims: true" : ""} })`
        break
      case "reshape":
        rhs = `np.reshape(${emit(n.x)}, ${list(n.shape)})`
        break
      case "transpose":
        rhs = `np.transpose(${emit(n.x)}, ${list(n.perm)})`
        break
      case "broadcast":
        rhs = `np.broadcastTo(${emit(n.x)}, ${list(n.shape)})`
        break
      case "matmul":
        rhs = `np.matmul(${emit(n.x)}, ${emit(n.y)})`
        break
      case "where": {
        const c = emit(n.c)
        const x = emit(n.x)
        const y = emit(n.y)
        rhs = `np.where(${n.less ? "np.less" : "np.greater"}(${c}, 0), ${x}, ${y})`
        break
      }
    }
    const v = `t${next++}`
    lines.push(`  const ${v} = ${rhs}  // [${n.shape.join(",")}]`)
    return v
  }
  const out = emit(root)
  const params = inputs.map((s, i) => `x${i}: Array /* ${s.dtype}[${s.shape.join(",")}] */`).join(", ")
  return `(${params}) => {\n${lines.join("\n")}${lines.length > 0 ? "\n" : ""}  return ${out}\n}`
}

const countOps = (n: ProgramNode): number => {
  switch (n.kind) {
    case "input":
      return 0
    case "unary":
    case "reduce":
    case "reshape":
    case "transpose":
    case "broadcast":
      return 1 + countOps(n.x)
    case "binary":
      return 1 + (typeof n.x === "number" ? 0 : countOps(n.x)) + (typeof n.y === "number" ? 0 : countOps(n.y))
    case "matmul":
      return 1 + countOps(n.x) + countOps(n.y)
    case "where":
      return 1 + countOps(n.c) + countOps(n.x) + countOps(n.y)
  }
}

/**
 * A typed random program: run it, print it as code, or print its jaxpr.
 *
 * @example
 * const [p] = fc.sample(laws.programs.program([{ shape: [2], dtype: "float32" }]), 1)
 * p!.code() // the program as TypeScript
 * p!.run(np.array([1, 2], { dtype: "float32" }))
 */
export class Program {
  /** Run the program on arguments matching `inputs` (eagerly, or under any transformation). */
  readonly run: (...args: ReadonlyArray<Array>) => Array
  constructor(
    /** The untyped expression it was elaborated from (replay it with `elaborate`). */
    readonly expr: RawExpr,
    /** Input shapes and dtypes. */
    readonly inputs: ReadonlyArray<InputSpec>,
    /** The typed operation tree. */
    readonly root: ProgramNode
  ) {
    const program = (...args: ReadonlyArray<Array>): Array => evalNode(root, args)
    this.run = program
  }
  /** Shape of the output. */
  get outShape(): ReadonlyArray<number> {
    return this.root.shape
  }
  /** Number of operations (guards and adapters included). */
  get size(): number {
    return countOps(this.root)
  }
  /** The program as TypeScript over jaxfx. */
  code(): string {
    return printCode(this.root, this.inputs)
  }
  /** The staged program (jaxpr) for the input signature, via `makeJaxpr`. */
  jaxpr(): string {
    const zeros = this.inputs.map((s) => np.zeros(s.shape, { dtype: s.dtype }))
    return makeJaxpr(this.run)(...zeros).toString()
  }
  toString(): string {
    return this.code()
  }
  [fc.toStringMethod](): string {
    return this.code()
  }
}

/**
 * Type a raw expression against input shapes (see the module comment for the rules).
 *
 * @example
 * const [e] = fc.sample(laws.programs.rawExpr(), 1)
 * const p = laws.programs.elaborate(e!, [{ shape: [2, 3], dtype: "float32" }])
 * p.outShape // the result's shape
 */
export const elaborate = (expr: RawExpr, inputs: ReadonlyArray<InputSpec>, options: ElaborateOptions = {}): Program => {
  checkOptions("programs.elaborate", options, ELABORATE_KEYS)
  checkOneOf("programs.elaborate", "output", options.output, OUTPUTS)
  if (inputs.length === 0) throw new RangeError("elaborate: a program needs at least one input")
  const el = new Elaborator(inputs, options)
  let root = el.node(expr)
  if (options.output === "scalar" && root.shape.length > 0)
    root = el.reduce(
      "sum",
      root,
      root.shape.map((_, i) => i),
      false
    )
  return new Program(expr, inputs, root)
}

// ---------------------------------------------------------------------------------------------
// Arbitraries of programs

export interface ProgramOptions extends ExprOptions {
  /** Number of inputs: a count or a range (default 1 to 2). */
  readonly inputs?: number | { readonly min: number; readonly max: number }
  /** Bounds on input shapes (default rank 0-3, dims 1-4, at most 12 elements). */
  readonly shapes?: ShapeOptions
  /** Input dtype (default float32). */
  readonly dtype?: DType
  /** Input value range (default [-2, 2]). */
  readonly min?: number
  readonly max?: number
  /**
   * Input values are multiples of `step` (default 1/64; 0 for any float). Short values in reports,
   * and no near-ties for finite differences to trip on; see `ValueOptions.step`.
   */
  readonly step?: number
  /** "scalar": the program ends in a sum to a scalar (for grad laws). Default "any". */
  readonly output?: "any" | "scalar"
  /** Largest intermediate size (default 64). */
  readonly maxIntermediateSize?: number
}

const elaborateOptions = (o: ProgramOptions): ElaborateOptions => ({
  inputBounds: [o.min ?? -2, o.max ?? 2],
  ...(o.maxIntermediateSize === undefined ? {} : { maxIntermediateSize: o.maxIntermediateSize }),
  ...(o.output === undefined ? {} : { output: o.output })
})

/**
 * Random programs over a fixed input signature.
 *
 * @example
 * fc.sample(laws.programs.program([{ shape: [3], dtype: "float32" }]), 2) // two random programs of f32[3]
 */
export const program = (inputs: ReadonlyArray<InputSpec>, options: ProgramOptions = {}): fc.Arbitrary<Program> => {
  checkProgramOptions("programs.program", options)
  return rawExprOf(options).map((e) => elaborate(e, inputs, elaborateOptions(options)))
}

/**
 * A program together with arguments to run it on.
 *
 * @example
 * const [c] = fc.sample(laws.programs.programCase(), 1)
 * c!.program.run(...c!.args) // run the program on its arguments
 */
export class ProgramCase {
  constructor(
    readonly program: Program,
    readonly args: ReadonlyArray<Array>
  ) {}
  [fc.toStringMethod](): string {
    return `${this.program.code()}\nargs: ${this.args.map((a, i) => `\n  x${i} = ${arrayCode(a)}`).join("")}`
  }
}

/**
 * Random programs with random input shapes and arguments. Programs, shapes and values shrink
 * independently (a program is re-typed against the shrunk shapes).
 *
 * @example
 * fc.assert(fc.property(laws.programs.programCase(), (c) => jit(c.program.run)(...c.args).shape.length >= 0), { seed: 1, numRuns: 10 })
 */
export const programCase = (options: ProgramOptions = {}): fc.Arbitrary<ProgramCase> => {
  checkProgramOptions("programs.programCase", options)
  const n = options.inputs ?? { min: 1, max: 2 }
  const [minN, maxN] = typeof n === "number" ? [n, n] : [n.min, n.max]
  const input = array({
    shape: options.shapes ?? { maxRank: 3, maxDim: 4, maxSize: 12 },
    dtype: options.dtype ?? "float32",
    min: options.min ?? -2,
    max: options.max ?? 2,
    ...(options.step === 0 ? {} : { step: options.step ?? 1 / 64 })
  })
  const eo = elaborateOptions(options)
  return fc.tuple(rawExprOf(options), fc.array(input, { minLength: minN, maxLength: maxN })).map(
    ([e, args]) =>
      new ProgramCase(
        elaborate(
          e,
          args.map((a) => ({ shape: a.shape, dtype: a.dtype })),
          eo
        ),
        args
      )
  )
}
