/**
 * `jit` and `makeJaxpr`. jit traces a function once per input signature (tree structure, shapes,
 * dtypes, weak types, static values) into a jaxpr, caches it, and calls it through the `jit`
 * primitive, which the backend compiles. The cache is visible: how many traces, and why each
 * re-trace happened. It keeps the `cacheSize` most recently used signatures (64 by default) and
 * releases the compiled program of each one it drops (its pooled buffers and unshared kernels).
 */
import { consumeDonated, donatedIndices } from "./donate.js"
import type { Effect } from "effect/Effect"
import { Array, ArrayImpl, ShapedArray } from "../array.js"
import { ValueError } from "../errors.js"
import { checkOptions, optionKeys } from "../options.js"
import type { ClosedJaxpr, Jaxpr } from "../ir.js"
import { traceToJaxpr } from "../interpreters/stage.js"
import { checkCapacity, Lru } from "../lru.js"
import { constant } from "../primitives/common.js"
import { callJit, callJitNow, hoistConsts, releaseJit } from "../primitives/call.js"
import { currentLevel, Tracer } from "../trace.js"
import { argIndices } from "../shape.js"
import { flatten, type TreeDef, unflatten } from "../tree.js"
import type { TreeNode } from "../tree/treedef.js"
import { checkClaim, type TransformExtension, type WithArrayErrors, withExtension } from "./extension.js"
import { jitDisabled, registerJitCache } from "./jit-control.js"
import { matchLeaves } from "./jit-recent.js"
import { type Shardings, withShardings } from "../parallel/sharded-jit.js"

export interface JitOptions {
  /** Positional arguments that are compile-time constants (JS values, hashed into the cache key). */
  readonly staticArgnums?: number | ReadonlyArray<number>
  /** Fields of a trailing options-object argument that are static (JAX's static_argnames). */
  readonly staticArgnames?: ReadonlyArray<string>
  /** Name shown in the jaxpr (default: the function's name). */
  readonly name?: string
  /**
   * How many signatures stay compiled (default 64; Infinity for no bound). Past it, the least
   * recently used one is dropped and its compiled program released; seeing it again re-traces.
   */
  readonly cacheSize?: number
  /**
   * Positional arguments the call consumes (JAX's donate_argnums): their arrays are deleted after
   * the call, and using one is a DeviceError that names the call.
   */
  readonly donateArgnums?: number | ReadonlyArray<number>
  /**
   * How the arguments are laid out over a mesh (JAX's in_shardings): a NamedSharding for every
   * argument, or one entry per positional argument (null: the argument's own sharding, else
   * replicated). With shardings, the program is partitioned over the mesh and runs on all its devices.
   */
  readonly inShardings?: Shardings
  /** How the results are laid out (JAX's out_shardings): one for all, or one entry per output (null: as computed). */
  readonly outShardings?: Shardings
}
const JIT_KEYS = optionKeys<JitOptions>()("staticArgnums", "staticArgnames", "name", "cacheSize", "donateArgnums", "inShardings", "outShardings")
/** makeJaxpr's options: the static arguments (it traces once and caches nothing). */
export type MakeJaxprOptions = Pick<JitOptions, "staticArgnums" | "staticArgnames">
const MAKE_JAXPR_KEYS = optionKeys<MakeJaxprOptions>()("staticArgnums", "staticArgnames")

/** Signatures a jitted function keeps compiled unless `cacheSize` says otherwise. */
export const DEFAULT_JIT_CACHE_SIZE = 64
/** Re-trace reasons kept (the most recent ones). */
const RETRACE_LOG_LIMIT = 100

export interface JitCacheInfo {
  /** How many times the function was traced. */
  readonly traces: number
  /** For the most recent traces after the first (up to 100): why the cached programs did not apply. */
  readonly retraceReasons: ReadonlyArray<string>
  /** Cached signatures. */
  readonly size: number
  /** The most signatures kept (the `cacheSize` option). */
  readonly maxSize: number
  /** Signatures dropped because the cache was full (each released its compiled program). */
  readonly evictions: number
}

/**
 * What a jitted function returns: JS numbers and booleans anywhere in the result (tuples, lists,
 * plain records) become Arrays, as the program's outputs are arrays; an Effect gains jaxfx's errors.
 */
export type JitResult<R> =
  R extends Effect<unknown, unknown, unknown>
    ? WithArrayErrors<R>
    : R extends number | boolean
      ? Array
      : R extends Array
        ? R
        : R extends ReadonlyArray<unknown>
          ? { -readonly [K in keyof R]: JitResult<R[K]> }
          : R extends (...args: never[]) => unknown
            ? R
            : R extends object
              ? MethodKeys<R> extends never
                ? { [K in keyof R]: JitResult<R[K]> }
                : R
              : R

/** The keys of an object type whose values are functions: class instances (registered pytree nodes such as key arrays) keep their own type. */
type MethodKeys<R> = { [K in keyof R]-?: R[K] extends (...args: never[]) => unknown ? K : never }[keyof R]

export interface Jitted<Args extends ReadonlyArray<unknown>, R> {
  (...args: Args): JitResult<R>
  /** The cache: trace count and the reason for each re-trace. */
  readonly cache: JitCacheInfo
  /** Trace (or fetch from the cache) and return the staged program for these arguments. */
  lower(...args: Args): ClosedJaxpr
  /** Forget every signature, release their compiled programs, and empty the re-trace log. */
  clearCache(): void
}

/** Parameter names of a function, from its source (for messages); `arg{i}` where unknown. */
export const paramNames = (f: (...args: never[]) => unknown): string[] => {
  const src = Function.prototype.toString.call(f)
  const m = /^\s*(?:async\s*)?(?:function\b[^(]*)?\(([^)]*)\)/.exec(src) ?? /^\s*(?:async\s*)?([A-Za-z_$][\w$]*)\s*=>/.exec(src)
  if (m === null) return []
  return m[1]!.split(",").map((p, i) => {
    const id = /^\s*(?:\.\.\.)?([A-Za-z_$][\w$]*)/.exec(p)
    return id === null ? `arg${i}` : id[1]!
  })
}

const isPlainObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === "object" && x !== null && (Object.getPrototypeOf(x) === Object.prototype || Object.getPrototypeOf(x) === null)

// Identity keys for static values that are objects or functions.
const objectIds = new WeakMap<object, number>()
let nextObjectId = 0
const staticKey = (x: unknown): string => {
  if (x === null || x === undefined || typeof x === "number" || typeof x === "boolean" || typeof x === "bigint") return `${typeof x}:${String(x)}`
  if (typeof x === "string") return `string:${JSON.stringify(x)}`
  if (globalThis.Array.isArray(x)) return `[${x.map(staticKey).join(",")}]`
  if (isPlainObject(x))
    return `{${Object.keys(x)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${staticKey(x[k])}`)
      .join(",")}}`
  if (x instanceof Array) {
    throw new ValueError("jit: a static argument must be hashable JS data, not an Array; pass arrays as traced arguments instead.")
  }
  const o = x as object
  let id = objectIds.get(o)
  if (id === undefined) {
    id = nextObjectId++
    objectIds.set(o, id)
  }
  return `obj#${id}`
}

const leafAval = (x: unknown, where: () => string): ShapedArray => {
  if (x instanceof Array) return x.aval
  if (typeof x === "number") return new ShapedArray([], Number.isInteger(x) ? "int32" : "float32", true)
  if (typeof x === "boolean") return new ShapedArray([], "bool", false)
  throw new ValueError(
    `jit: ${where()} is a ${typeof x}, which cannot be traced. Traced arguments are pytrees of Arrays and numbers; ` +
      "mark it static with jit(f, { staticArgnums: [...] }) (or staticArgnames for fields of an options object)."
  )
}

const leafArray = (x: unknown): Array => {
  if (x instanceof Array) return x
  if (typeof x === "boolean") return constant(x ? 1 : 0, "bool", [])
  const n = x as number
  return constant(n, Number.isInteger(n) ? "int32" : "float32", [], true)
}

interface Split {
  readonly dynamic: unknown[]
  readonly statics: unknown[]
  readonly rebuild: (dynamic: ReadonlyArray<unknown>) => unknown[]
}

const splitArgs = (args: ReadonlyArray<unknown>, staticNums: ReadonlyArray<number>, staticNames: ReadonlyArray<string>): Split => {
  const n = args.length
  const isStatic = new Set(staticNums.map((i) => (i < 0 ? i + n : i)))
  const lastIsOptions = staticNames.length > 0 && n > 0 && isPlainObject(args[n - 1]) && !isStatic.has(n - 1)
  const dynamic: unknown[] = []
  const statics: unknown[] = []
  args.forEach((a, i) => {
    if (isStatic.has(i)) statics.push(a)
    else if (i === n - 1 && lastIsOptions) {
      const o = a as Record<string, unknown>
      const dyn: Record<string, unknown> = {}
      const st: Record<string, unknown> = {}
      for (const k of Object.keys(o)) (staticNames.includes(k) ? st : dyn)[k] = o[k]
      dynamic.push(dyn)
      statics.push(st)
    } else dynamic.push(a)
  })
  const rebuild = (dyn: ReadonlyArray<unknown>): unknown[] => {
    let d = 0
    let s = 0
    return args.map((_, i) => {
      if (isStatic.has(i)) return statics[s++]
      if (i === n - 1 && lastIsOptions) return { ...(dyn[d++] as object), ...(statics[s++] as object) }
      return dyn[d++]
    })
  }
  return { dynamic, statics, rebuild }
}

/** The traced part of a call: its leaves, structure, and a label per leaf for messages. */
interface Flat {
  readonly split: Split
  readonly leaves: unknown[]
  readonly def: TreeDef
  readonly labels: string[]
}

const flattenCall = (
  args: ReadonlyArray<unknown>,
  staticNums: ReadonlyArray<number>,
  staticNames: ReadonlyArray<string>,
  params: ReadonlyArray<string>
): Flat => {
  const split = splitArgs(args, staticNums, staticNames)
  const [leaves, def] = flatten(split.dynamic)
  let labels: string[] | undefined
  // Labels are for messages only: built on demand, off the per-call path.
  const getLabels = (): string[] => {
    if (labels !== undefined) return labels
    const statics = new Set(staticNums.map((j) => (j < 0 ? j + args.length : j)))
    const dynIdx = args.map((_, i) => i).filter((i) => !statics.has(i))
    labels = []
    split.dynamic.forEach((d, k) => {
      const name = params[dynIdx[k]!]
      const argName = `argument ${dynIdx[k]}${name === undefined ? "" : ` (${name})`}`
      const n = flatten(d)[0].length
      for (let j = 0; j < n; j++) labels!.push(n === 1 ? argName : `${argName} (leaf ${j})`)
    })
    return labels
  }
  return {
    split,
    leaves,
    def,
    get labels() {
      return getLabels()
    }
  }
}

interface Entry {
  readonly jaxpr: Jaxpr
  readonly consts: ReadonlyArray<Array>
  readonly closed: ClosedJaxpr
  readonly outDef: TreeDef
}

interface Signature {
  readonly treeKey: string
  readonly avals: ReadonlyArray<ShapedArray>
  readonly staticKeys: ReadonlyArray<string>
  readonly key: string
}

const describeAval = (a: ShapedArray): string => `${a.str()}${a.weakType ? " (weak)" : ""}`

/** Why `sig` missed the cache, compared with the previous signature. */
const retraceReason = (prev: Signature, sig: Signature, dynNames: ReadonlyArray<string>, staticNames: ReadonlyArray<string>): string => {
  if (prev.treeKey !== sig.treeKey) return `the tree structure of the arguments changed: ${prev.treeKey} -> ${sig.treeKey}`
  for (let i = 0; i < sig.staticKeys.length; i++) {
    if (prev.staticKeys[i] !== sig.staticKeys[i]) {
      return `static argument ${staticNames[i] ?? i} changed: ${prev.staticKeys[i]} -> ${sig.staticKeys[i]}`
    }
  }
  for (let i = 0; i < sig.avals.length; i++) {
    const a = prev.avals[i]!
    const b = sig.avals[i]!
    if (a.dtype !== b.dtype) return `${dynNames[i]} changed dtype: ${describeAval(a)} -> ${describeAval(b)}`
    if (a.shape.join(",") !== b.shape.join(",")) return `${dynNames[i]} changed shape: ${describeAval(a)} -> ${describeAval(b)}`
    if (a.weakType !== b.weakType) return `${dynNames[i]} changed weak type: ${describeAval(a)} -> ${describeAval(b)}`
  }
  return "the previous signature was dropped from the cache"
}

/**
 * jit with shardings and static or donated arguments: one partitioned program per value of the
 * static arguments (inShardings/outShardings name the other, dynamic, arguments, as in JAX); the
 * donated arguments' arrays (their shards) are consumed by the call.
 */
const shardedJit = (
  f: (...a: unknown[]) => unknown,
  plain: (...a: unknown[]) => unknown,
  rest: Omit<JitOptions, "inShardings" | "outShardings">,
  opts: { readonly inShardings: Shardings | undefined; readonly outShardings: Shardings | undefined; readonly name: string }
): ((...a: unknown[]) => unknown) => {
  const staticNums = argIndices(rest.staticArgnums ?? [], "jit: staticArgnums")
  const staticNames = [...(rest.staticArgnames ?? [])]
  const donated = donatedIndices(rest.donateArgnums, staticNums, "jit")
  const who = `jit(${opts.name})`
  const consume = (args: ReadonlyArray<unknown>, out: unknown): void => {
    if (donated.length === 0 || flatten(args)[0].some((l) => l instanceof Tracer)) return
    // A result block that is an argument's block (the program returned it) keeps that argument.
    const kept = new Set<unknown>()
    for (const o of flatten(out)[0]) if (o instanceof ArrayImpl && !o.isDeleted()) for (const sh of o.addressableShards) kept.add(sh.data)
    for (const i of donated)
      for (const l of flatten(args[i])[0]) if (l instanceof ArrayImpl && !l.isDeleted() && !l.addressableShards.some((sh) => kept.has(sh.data))) l.donate(who)
  }
  if (staticNums.length === 0 && staticNames.length === 0) {
    const one = withShardings(f, plain, opts)
    return (...args: unknown[]) => {
      const out = one(...args)
      consume(args, out)
      return out
    }
  }
  // One partitioned program per static values; it takes the dynamic arguments.
  const perStatics = new Map<string, (...dyn: unknown[]) => unknown>()
  return (...args: unknown[]) => {
    const split = splitArgs(args, staticNums, staticNames)
    const key = split.statics.map(staticKey).join(";")
    let g = perStatics.get(key)
    if (g === undefined) {
      const { rebuild } = split
      g = withShardings(
        (...dyn: unknown[]) => f(...rebuild(dyn)),
        (...dyn: unknown[]) => plain(...rebuild(dyn)),
        opts
      )
      perStatics.set(key, g)
    }
    const out = g(...split.dynamic)
    consume(args, out)
    return out
  }
}

/**
 * Compile `f`: trace it once per input signature into a jaxpr and run the compiled program.
 * Static arguments (`staticArgnums`, `staticArgnames`) are part of the signature. The
 * `cacheSize` (default 64) most recently used signatures stay compiled; `clearCache()` releases all.
 *
 * @example
 * const selu = (x: Array, alpha = 1.67, lmbda = 1.05) => np.where(x.gt(0), x, np.exp(x).sub(1).mul(alpha)).mul(lmbda)
 * const seluJit = jit(selu)
 * seluJit(np.arange(5).astype("float32"))
 * const perLength = jit(selu, { cacheSize: 8 }) // many input lengths: keep the 8 most recent compiled
 */
export const jit = <Args extends ReadonlyArray<unknown>, R>(f: (...args: Args) => R, opts: JitOptions = {}): Jitted<Args, R> => {
  checkOptions("jit", opts, JIT_KEYS)
  const name = opts.name ?? (f.name || "<lambda>")
  if (opts.inShardings !== undefined || opts.outShardings !== undefined) {
    const { inShardings, outShardings, ...rest } = opts
    const plain = jit(f, rest)
    const sharded = shardedJit(f as unknown as (...a: unknown[]) => unknown, plain as unknown as (...a: unknown[]) => unknown, rest, {
      inShardings,
      outShardings,
      name
    })
    Object.defineProperty(sharded, "cache", { get: () => plain.cache })
    return Object.assign(sharded, { lower: plain.lower, clearCache: plain.clearCache }) as unknown as Jitted<Args, R>
  }
  const staticNums = argIndices(opts.staticArgnums ?? [], "jit: staticArgnums")
  const staticNames = [...(opts.staticArgnames ?? [])]
  const donated = donatedIndices(opts.donateArgnums, staticNums, "jit")
  const params = paramNames(f)
  const cacheSize = checkCapacity(opts.cacheSize ?? DEFAULT_JIT_CACHE_SIZE, "jit's cacheSize option")
  // A dropped program may still be running (a callback it makes can call this function): the
  // backend's release lets that call finish and the next one compile again.
  const cache = new Lru<string, Entry>(cacheSize, (e, key) => {
    dropped.set(key, true)
    if (recent?.entry === e) recent = undefined
    releaseJit(e.jaxpr)
  })
  /**
   * The last call's program and argument avals when its arguments were all concrete Arrays (and
   * nothing is static): a loop feeding the function its own results (whose avals are the program's
   * output avals, the same objects each call) runs it without flattening or building a key.
   */
  let recent: { readonly root: TreeNode; readonly avals: ReadonlyArray<ShapedArray>; readonly entry: Entry } | undefined
  const plainCall = staticNums.length === 0 && staticNames.length === 0
  // Recently dropped signatures, to say so when one comes back (the cache is too small for the workload).
  const dropped = new Lru<string, true>(RETRACE_LOG_LIMIT)
  let traces = 0
  const reasons: string[] = []
  let last: Signature | undefined

  const signature = (args: ReadonlyArray<unknown>): [Signature, Flat] => {
    const flat = flattenCall(args, staticNums, staticNames, params)
    const avals = flat.leaves.map((l, i) => leafAval(l, () => flat.labels[i] ?? `leaf ${i}`))
    const staticKeys = flat.split.statics.map(staticKey)
    const treeKey = flat.def.cacheKey()
    const key = `${treeKey}|${avals.map((a) => `${a.str()}${a.weakType ? "w" : ""}`).join(";")}|${staticKeys.join(";")}`
    return [{ treeKey, avals, staticKeys, key }, flat]
  }

  const trace = (sig: Signature, flat: Flat): Entry => {
    const [closed, outDef] = traceToJaxpr(
      sig.avals,
      (tracers) => {
        const out = f(...(flat.split.rebuild(unflatten(flat.def, tracers) as unknown[]) as unknown as Args))
        checkClaim(out)
        const [outLeaves, od] = flatten(out)
        return [outLeaves.map(leafArray), od]
      },
      flat.labels
    )
    const { jaxpr, consts } = hoistConsts(closed.jaxpr, closed.consts)
    traces++
    return { jaxpr, consts, closed, outDef }
  }

  const lookup = (args: ReadonlyArray<unknown>): [Entry, Flat] => {
    const [sig, flat] = signature(args)
    let entry = cache.get(sig.key)
    if (entry === undefined) {
      if (last !== undefined) {
        const staticLabels = staticNums
          .map((i) => `${i}${params[i] === undefined ? "" : ` (${params[i]})`}`)
          .concat(staticNames.length > 0 ? [`options {${staticNames.join(", ")}}`] : [])
        const again = dropped.has(sig.key)
          ? `; this signature was compiled before and dropped from the cache (cacheSize ${cacheSize}): raise cacheSize if this repeats`
          : ""
        reasons.push(retraceReason(last, sig, flat.labels, staticLabels) + again)
        if (reasons.length > RETRACE_LOG_LIMIT) reasons.shift()
      }
      entry = trace(sig, flat)
      cache.set(sig.key, entry)
    }
    last = sig
    return [entry, flat]
  }

  // A function returning an Effect program (state, randomness) is compiled by the extension.
  let delegated: ReturnType<TransformExtension["jit"]> | undefined
  const jitted = (...args: Args): JitResult<R> => {
    if (jitDisabled()) return f(...args) as JitResult<R>
    if (delegated !== undefined) return delegated(...args) as JitResult<R>
    const r = recent
    if (r !== undefined && currentLevel() === 0) {
      const leaves = matchLeaves(args, r.root, r.avals)
      if (leaves !== undefined) {
        const { jaxpr, consts, outDef } = r.entry
        const out = unflatten(outDef, callJitNow(jaxpr, name, consts.length === 0 ? leaves : [...consts, ...leaves])) as JitResult<R>
        if (donated.length > 0) consumeDonated(args, donated, out, `jit(${name})`)
        return out
      }
    }
    return withExtension(
      () => {
        const [entry, flat] = lookup(args)
        const outs = callJit(entry.jaxpr, name, [...entry.consts, ...flat.leaves.map(leafArray)], entry.consts.length)
        recent =
          plainCall && flat.leaves.every((l) => l instanceof ArrayImpl)
            ? { root: flat.def.root, avals: (flat.leaves as ArrayImpl[]).map((a) => a.aval), entry }
            : undefined
        const out = unflatten(entry.outDef, outs) as JitResult<R>
        if (donated.length > 0) consumeDonated(args, donated, out, `jit(${name})`)
        return out
      },
      (e) => {
        delegated = e.jit(f as (...a: never[]) => unknown, opts as Readonly<Record<string, unknown>>)
        return delegated(...args) as JitResult<R>
      }
    )
  }
  Object.defineProperty(jitted, "cache", {
    get: (): JitCacheInfo => ({ traces, retraceReasons: [...reasons], size: cache.size, maxSize: cacheSize, evictions: cache.evictions })
  })
  const result = Object.assign(jitted, {
    lower: (...args: Args): ClosedJaxpr => lookup(args)[0].closed,
    clearCache: () => {
      cache.clear()
      dropped.clear()
      reasons.length = 0
      last = undefined
      recent = undefined
      delegated?.clearCache?.()
    }
  }) as unknown as Jitted<Args, R>
  registerJitCache(result)
  return result
}

/**
 * `makeJaxpr(f)(...args)`: the staged program of `f` for these arguments, printable in JAX's
 * jaxpr text form. Side effects in `f` happen once, at trace time.
 *
 * @example
 * makeJaxpr((x: Array) => np.log2(x))(np.array(3.0)).toString()
 * // { lambda ; a:f32[]. let
 * //     b:f32[] = log a
 * //     c:f32[] = log 2.0:f32[]
 * //     d:f32[] = div b c
 * //   in (d,) }
 * makeJaxpr((x: Array) => np.log2(x))(np.array(3.0)).toString({ compact: true })
 * // { lambda ; a:f32[]. let b:f32[] = log a; c:f32[] = log 2.0:f32[]; d:f32[] = div b c in (d,) }
 */
export const makeJaxpr = <Args extends ReadonlyArray<unknown>>(
  f: (...args: Args) => unknown,
  opts: MakeJaxprOptions = {}
): ((...args: Args) => ClosedJaxpr) => {
  checkOptions("makeJaxpr", opts, MAKE_JAXPR_KEYS)
  return (...args: Args): ClosedJaxpr => {
    const staticNums = argIndices(opts.staticArgnums ?? [], "jit: staticArgnums")
    const flat = flattenCall(args, staticNums, [...(opts.staticArgnames ?? [])], paramNames(f))
    const avals = flat.leaves.map((l, i) => leafAval(l, () => flat.labels[i] ?? `leaf ${i}`))
    const [closed] = traceToJaxpr(
      avals,
      (tracers) => {
        const out = f(...(flat.split.rebuild(unflatten(flat.def, tracers) as unknown[]) as unknown as Args))
        return [flatten(out)[0].map(leafArray), undefined]
      },
      flat.labels
    )
    return closed
  }
}
