/**
 * JavaScript for one fused kernel (core/kernel IR): nested loops specialized to the kernel's
 * shapes, with every address an incrementally computed affine function of the loop indices.
 *
 *   - Dimensions are collapsed first (size-1 dimensions dropped, neighbours merged where every
 *     access walks them contiguously), so an elementwise chain over contiguous data is one flat loop.
 *   - Each node is emitted at the outermost loop where all it reads is known (loop-invariant code
 *     motion: a broadcast bias is loaded once per row, constants once per call).
 *   - Reductions: the loops keep the domain's row-major order (contiguous reads); the kept
 *     dimensions inside the first reduced one index an accumulator row (the [kept, reduced, kept]
 *     pattern), otherwise the accumulator is a local. The epilogue runs after the reduced loops.
 *   - Per-operation semantics are the eager kernels' own expression templates
 *     (backends/cpu/elementwise.ts), and each node is rounded to its dtype as the eager kernel's
 *     typed-array store would round it (Math.fround for float32, |0 and >>>0 for integers), so
 *     fused elementwise results are bit-for-bit the eager ones. float32 reductions accumulate in
 *     doubles and round once, as the eager reductions do.
 *   - Speed without changing a bit: float32 exp is computed inline (fastmath.ts); a select whose
 *     case needs a costly subexpression computes only the chosen case; a library call on a long
 *     dependent chain runs in a loop of its own over blocks of the innermost loop (fission); a
 *     kernel that reads an operand transposed walks the last two loops in tiles.
 */
import type { DType } from "../../../core/dtype.js"
import { type Affine, argsOf, type Bound, type Kernel, type Node, outputAffine, type ReduceOp } from "../../../core/kernel/ir.js"
import { isLibraryCall, kernelOps } from "../../../core/kernel/ops.js"
import { jsInt, jsNumber } from "../codegen.js"
import { binaryCode, convertCode, integerPowCode, selectCode, unaryCode } from "../elementwise.js"
import { combine, reduceInit } from "../reduce.js"
import { exp32Code, expm132Code, logistic32Code, tanh32Code } from "./fastmath.js"

/** Generated source: `return function (in0.., out0..) {...}` evaluated with helpers `H` and scratch `S`. */
export interface KernelSource {
  readonly source: string
  /** Sizes of the Float64Array scratch rows the kernel uses as `S[j]`. */
  readonly scratch: ReadonlyArray<number>
}

const isFloat = (d: DType): boolean => d === "float32" || d === "float64"
/** float64 sums carry a compensation term (float32 sums accumulate in float64, which is exact enough). */
const compensated = (op: string, d: DType): boolean => op === "sum" && d === "float64"

// What each op costs and whether it is a library call: the kernel-op table (core/kernel/ops.ts).
/** Fission applies to innermost loops of at least FISSION_MIN elements, in blocks of FISSION_BLOCK. */
const FISSION_MIN = 32
const FISSION_BLOCK = 256
/** ... and when the operations on the call's dependent chain weigh at least this much. */
const FISSION_CHAIN = 4
/** Transposed reads (innermost stride >= TILE_STRIDE) walk TILE x TILE tiles. */
const TILE = 32
const TILE_STRIDE = 64

/** Round an expression's value to what a typed array of `d` stores. */
const wrap = (d: DType, e: string): string => {
  switch (d) {
    case "float32":
      return `Math.fround(${e})`
    case "int32":
      return `((${e}) | 0)`
    case "uint32":
      return `((${e}) >>> 0)`
    case "bool":
    case "float64":
      return e
    default:
      // Narrow dtypes never reach the kernels: backends/cpu/narrow.ts computes them in 32 bits.
      throw new Error(`jaxfx internal: ${d} reached the CPU kernel compiler`)
  }
}

// ---------------------------------------------------------------------------------------------
// Collapsing the domain

interface Loop {
  readonly size: number
  readonly reduced: boolean
}

interface Collapsed {
  readonly loops: ReadonlyArray<Loop>
  /** Collapsed strides of each access, in the order they were given. */
  readonly strides: ReadonlyArray<ReadonlyArray<number>>
}

const collapseDomain = (domain: ReadonlyArray<number>, reduced: ReadonlyArray<boolean>, accesses: ReadonlyArray<ReadonlyArray<number>>): Collapsed => {
  const loops: Loop[] = []
  const strides: number[][] = accesses.map(() => [])
  for (let d = 0; d < domain.length; d++) {
    const n = domain[d]!
    if (n === 1) continue
    const last = loops.length - 1
    let merge = last >= 0 && loops[last]!.reduced === reduced[d] && n !== 0 && loops[last]!.size !== 0
    for (let a = 0; merge && a < accesses.length; a++) {
      if (strides[a]![last] !== accesses[a]![d]! * n) merge = false
    }
    if (merge) {
      loops[last] = { size: loops[last]!.size * n, reduced: reduced[d]! }
      for (let a = 0; a < accesses.length; a++) strides[a]![last] = accesses[a]![d]!
    } else {
      loops.push({ size: n, reduced: reduced[d]! })
      for (let a = 0; a < accesses.length; a++) strides[a]!.push(accesses[a]![d]!)
    }
  }
  return { loops, strides }
}

// ---------------------------------------------------------------------------------------------
// Reductions

const initOf = (op: ReduceOp, d: DType): number => {
  switch (op) {
    case "argmax":
      return -Infinity
    case "argmin":
      return Infinity
    default:
      return reduceInit(op, d)
  }
}

// ---------------------------------------------------------------------------------------------
// Node expressions

const nodeExpr = (n: Node, nodes: ReadonlyArray<Node>, v: (id: number) => string): { pre?: string; expr: string } => {
  switch (n.kind) {
    case "const":
      return { expr: jsNumber(n.value) }
    case "unary": {
      const a = nodes[n.args[0]]!
      const code = unaryCode[n.op]!(v(n.args[0]), a.dtype)
      return { expr: wrap(n.dtype, code) }
    }
    case "binary": {
      const a = nodes[n.args[0]]!
      const code = binaryCode[n.op]!(v(n.args[0]), v(n.args[1]), a.dtype)
      return { expr: n.dtype === "bool" ? code : wrap(n.dtype, code) }
    }
    case "select": {
      const pred = nodes[n.args[0]!]!
      const code = selectCode(pred.dtype, n.args.length - 1).replace(/\ba(\d+)\b/g, (_, i: string) => v(n.args[Number(i)]!))
      return { expr: code }
    }
    case "convert": {
      const a = nodes[n.args[0]]!
      return { expr: wrap(n.dtype, convertCode(a.dtype, n.dtype, v(n.args[0]))) }
    }
    case "pow": {
      const code = integerPowCode(n.y, n.dtype)
      if (typeof code === "string") return { expr: wrap(n.dtype, code.replace(/\ba0\b/g, v(n.args[0]))) }
      return { pre: `const a0 = ${v(n.args[0])}; ${code.pre}`, expr: wrap(n.dtype, code.expr) }
    }
    case "load":
    case "index":
    case "inbounds":
    case "reduced":
      throw new Error(`nodeExpr ${n.kind}`)
  }
}

// ---------------------------------------------------------------------------------------------
// The kernel

/**
 * Accesses: one per load/index node, one per bound of a guarded load, one per output, and the
 * accumulator row. Each has an offset and per-loop strides; its address at loop depth k is
 * `p{a}_{k}` (or the offset when no loop up to k moves it).
 */
interface Access {
  readonly offset: number
  strides: ReadonlyArray<number>
}

export const generateKernel = (k: Kernel): KernelSource => {
  const nodes = k.nodes
  const hasRed = k.reductions.length > 0
  const domainSize = k.domain.reduce((a, b) => a * b, 1)
  const keptSize = k.domain.reduce((a, b, d) => (k.reduced[d] ? a : a * b), 1)
  const params = [...k.inputs.map((_, i) => `in${i}`), ...k.outputs.map((_, i) => `out${i}`)]
  // Nothing to write (an empty kept space; or an empty domain without reductions).
  if (keptSize === 0 || (!hasRed && domainSize === 0)) return { source: `return function (${params.join(", ")}) {};`, scratch: [] }

  // ---- accesses, collapsed loops
  const nodeAccess = new Map<number, number>()
  /** Per guarded load / inbounds node: its bounds as (access, size). */
  const nodeBounds = new Map<number, { readonly access: number; readonly size: number }[]>()
  const raw: Affine[] = []
  const addBounds = (i: number, bs: ReadonlyArray<Bound>): void => {
    if (bs.length === 0) return
    nodeBounds.set(
      i,
      bs.map((b) => {
        raw.push(b.at)
        return { access: raw.length - 1, size: b.size }
      })
    )
  }
  nodes.forEach((n, i) => {
    if (n.kind === "load" || n.kind === "index") {
      nodeAccess.set(i, raw.length)
      raw.push(n.at)
    }
    if (n.kind === "load" || n.kind === "inbounds") addBounds(i, n.bounds)
  })
  const outAccess = k.outputs.map((o) => {
    raw.push(outputAffine(k, o.phase))
    return raw.length - 1
  })
  const col = collapseDomain(
    k.domain,
    k.reduced,
    raw.map((a) => a.strides)
  )
  let loops = [...col.loops]
  const accs: Access[] = raw.map((a, i) => ({ offset: a.offset, strides: col.strides[i]! }))
  const ensureLoop = (reduced: boolean): void => {
    loops.push({ size: 1, reduced })
    for (const a of accs) a.strides = [...a.strides, 0]
  }
  if (hasRed && !loops.some((l) => l.reduced)) ensureLoop(true)
  if (loops.length === 0) ensureLoop(false)
  loops = [...loops]
  const m = loops.length
  const f = hasRed ? loops.findIndex((l) => l.reduced) : m
  const innerKept: number[] = []
  for (let d = f + 1; d < m; d++) if (!loops[d]!.reduced) innerKept.push(d)
  const accRow = hasRed && innerKept.length > 0
  let accSize = 1
  let accAccess = -1
  if (accRow) {
    const st = new globalThis.Array<number>(m).fill(0)
    for (let j = innerKept.length - 1; j >= 0; j--) {
      st[innerKept[j]!] = accSize
      accSize *= loops[innerKept[j]!]!.size
    }
    accAccess = accs.length
    accs.push({ offset: 0, strides: st })
  }
  const lastInner = accRow ? innerKept[innerKept.length - 1]! : f - 1

  // ---- levels: the deepest loop each node depends on; whether it depends on a reduction
  const level = new Int32Array(nodes.length)
  const afterRed = new Uint8Array(nodes.length)
  const deepest = (a: number): number => {
    const st = accs[a]!.strides
    let l = -1
    for (let d = 0; d < m; d++) if (st[d] !== 0) l = d
    return l
  }
  nodes.forEach((n, i) => {
    if (n.kind === "load" || n.kind === "index" || n.kind === "inbounds") {
      let l = n.kind === "inbounds" ? -1 : deepest(nodeAccess.get(i)!)
      for (const b of nodeBounds.get(i) ?? []) l = Math.max(l, deepest(b.access))
      level[i] = l
    } else if (n.kind === "const") level[i] = -1
    else if (n.kind === "reduced") {
      level[i] = lastInner
      afterRed[i] = 1
    } else {
      let l = -1
      let r = 0
      for (const a of argsOf(n)) {
        l = Math.max(l, level[a]!)
        r |= afterRed[a]!
      }
      level[i] = l
      afterRed[i] = r
    }
  })

  // ---- which nodes each region needs
  const mainNeed = new Uint8Array(nodes.length)
  const epiNeed = new Uint8Array(nodes.length)
  const mark = (set: Uint8Array, id: number): void => {
    if (set[id]) return
    set[id] = 1
    const n = nodes[id]!
    for (const a of argsOf(n)) mark(set, a)
  }
  for (const r of k.reductions) mark(mainNeed, r.arg)
  k.outputs.forEach((o) => mark(o.phase === "full" ? mainNeed : epiNeed, o.node))

  // ---- lazily computed select cases: a case whose own subtree (nodes used by nothing else, at
  // the select's loop level) contains a costly operation is computed only when chosen.
  const users = new Int32Array(nodes.length)
  nodes.forEach((n) => {
    for (const a of new Set(argsOf(n))) users[a]!++
  })
  for (const o of k.outputs) users[o.node]!++
  for (const r of k.reductions) users[r.arg]!++
  /** owner[i] = the select that computes node i inside one of its branches (-1: none). */
  const owner = new Int32Array(nodes.length).fill(-1)
  const ownerCase = new Int32Array(nodes.length).fill(-1)
  const lazyCases = new Map<number, true>()
  for (let s = nodes.length - 1; s >= 0; s--) {
    const n = nodes[s]!
    if (n.kind !== "select" || n.args.length !== 3 || nodes[n.args[0]!]!.dtype !== "bool") continue
    if (mainNeed[s] === 1 && epiNeed[s] === 1) continue
    const claims: [number, number[]][] = []
    for (const c of [1, 2]) {
      const root = n.args[c]!
      const set = new Set<number>()
      const walk = (id: number): void => {
        const m = nodes[id]!
        if (set.has(id) || level[id] !== level[s] || afterRed[id] !== afterRed[s] || m.kind === "const" || m.kind === "reduced") return
        if (owner[id]! >= 0 && owner[id] !== owner[s]) return
        set.add(id)
        for (const a of argsOf(m)) walk(a)
      }
      if (n.args[3 - c] !== root) walk(root)
      // keep only nodes whose every user is inside the set (or the select itself)
      for (let changed = true; changed;) {
        changed = false
        for (const id of set) {
          let inside = id === root ? 1 : 0
          for (const u of set) {
            const m = nodes[u]!
            if (new Set(argsOf(m)).has(id)) inside++
          }
          if (inside !== users[id] || (id === root && !set.has(root))) {
            set.delete(id)
            changed = true
          }
        }
      }
      if (!set.has(root)) continue
      const costly = [...set].some((id) => {
        const m = nodes[id]!
        return ((m.kind === "unary" || m.kind === "binary") && kernelOps[m.op].costly) || m.kind === "pow"
      })
      if (costly) claims.push([c, [...set]])
    }
    if (claims.length === 0) continue
    lazyCases.set(s, true)
    for (const [c, ids] of claims) {
      for (const id of ids) {
        owner[id] = s
        ownerCase[id] = c
      }
    }
  }

  const scratch: number[] = []

  // ---- fission of the innermost loop around library calls (kernels without reductions)
  interface Fission {
    /** Node ids computed in each stage loop, in order. */
    readonly loops: number[][]
    /** Per node: its stage loop (-1: a leaf, recomputed where read; or not in the innermost loop). */
    readonly stageOf: Int32Array
    /** Per node: its scratch row (-1: none). */
    readonly row: Int32Array
    /** Per stage loop: the nodes it reads (directly, or inside lazily computed select cases). */
    readonly reads: number[][]
  }
  const planFission = (): Fission | null => {
    if (hasRed || m === 0 || loops[m - 1]!.size < FISSION_MIN) return null
    const inner = m - 1
    const isLeaf = (n: Node): boolean => n.kind === "load" || n.kind === "index" || n.kind === "inbounds" || n.kind === "const"
    const isCall = (n: Node): boolean => (n.kind === "unary" || n.kind === "binary") && isLibraryCall(n.op, nodes[n.args[0]]!.dtype)
    const body: number[] = []
    for (let i = 0; i < nodes.length; i++) if (mainNeed[i] === 1 && level[i] === inner && owner[i]! < 0 && !isLeaf(nodes[i]!)) body.push(i)
    // Worth it for one call on a long dependent chain (gelu's tanh): the chain then runs at the
    // call's latency. Independent calls, or a call with little around it, already overlap well.
    const calls = body.filter((i) => isCall(nodes[i]!))
    if (calls.length !== 1) return null
    const call = calls[0]!
    const inBody = new Set(body)
    const weight = (i: number): number => (nodes[i]!.kind === "unary" && (nodes[i] as { op: string }).op === "exp" ? 4 : 1)
    const before = new Set<number>()
    const up = (i: number): void => {
      for (const a of argsOf(nodes[i]!)) if (inBody.has(a) && !before.has(a)) (before.add(a), up(a))
    }
    up(call)
    let chain = 0
    for (const i of before) chain += weight(i)
    for (const i of body) if (i > call && argsOf(nodes[i]!).some((a) => a === call || before.has(a))) chain += weight(i)
    if (chain < FISSION_CHAIN) return null
    // stage = 2 * (calls before it on its path) + (1 if it is a call)
    const stage = new Int32Array(nodes.length).fill(-1)
    /** Whether node `a` is computed inside the lazy cases of select `s`, directly or in a nested lazy select. */
    const within = (a: number, s: number): boolean => {
      for (let o = owner[a]!; o >= 0; o = owner[o]!) if (o === s) return true
      return false
    }
    /**
     * The nodes a node needs where it is emitted: its arguments, and those of the nodes its lazy
     * cases compute (nested lazy selects included: their cases are emitted inside this one's).
     */
    const needs = (id: number): number[] => {
      const out = new Set<number>()
      const seen = new Set<number>()
      const visit = (x: number): void => {
        for (const a of argsOf(nodes[x]!)) {
          if (!within(a, id)) out.add(a)
          else if (!seen.has(a)) (seen.add(a), visit(a))
        }
      }
      visit(id)
      return [...out]
    }
    let maxStage = 0
    for (const id of body) {
      let sIn = 0
      for (const a of needs(id)) {
        const sa = stage[a]!
        if (sa < 0) continue
        sIn = Math.max(sIn, sa % 2 === 1 ? sa + 1 : sa)
      }
      stage[id] = isCall(nodes[id]!) ? sIn + 1 : sIn
      maxStage = Math.max(maxStage, stage[id]!)
    }
    // outputs are written in the last stage
    const last = maxStage % 2 === 1 ? maxStage + 1 : maxStage
    const loopsOf: number[][] = Array.from({ length: last + 1 }, () => [])
    for (const id of body) loopsOf[stage[id]!]!.push(id)
    const reads: number[][] = loopsOf.map((ids) => [...new Set(ids.flatMap(needs))].filter((a) => level[a] === inner))
    reads[last] = [...new Set([...reads[last]!, ...k.outputs.map((o) => o.node).filter((a) => level[a] === inner)])]
    // scratch rows for values read in a later stage than their own
    const row = new Int32Array(nodes.length).fill(-1)
    reads.forEach((rs, li) => {
      for (const a of rs) {
        if (stage[a]! >= 0 && stage[a] !== li && row[a]! < 0) {
          row[a] = scratch.length
          scratch.push(FISSION_BLOCK)
        }
      }
    })
    // drop empty stage loops (keep their order)
    const keep = loopsOf.map((ids, li) => ids.length > 0 || li === last)
    const index = new Int32Array(loopsOf.length)
    let c = 0
    keep.forEach((kp, li) => (index[li] = kp ? c++ : -1))
    const stageOf = new Int32Array(nodes.length).fill(-1)
    for (const id of body) stageOf[id] = index[stage[id]!]!
    return {
      loops: loopsOf.filter((_, li) => keep[li]),
      stageOf,
      row,
      reads: reads.filter((_, li) => keep[li])
    }
  }
  // Tiles for kernels that read an operand transposed (a large stride along the innermost loop).
  const tiled =
    !hasRed &&
    m >= 2 &&
    loops[m - 1]!.size >= 2 * TILE &&
    loops[m - 2]!.size >= 2 * TILE &&
    nodes.some((n, i) => n.kind === "load" && Math.abs(accs[nodeAccess.get(i)!]!.strides[m - 1]!) >= TILE_STRIDE)
  const fission = tiled ? null : planFission()

  // ---- emission
  const L: string[] = []
  const say = (depth: number, s: string): void => {
    L.push(`${"  ".repeat(depth + 2)}${s}`)
  }
  const addr: (string | undefined)[] = new globalThis.Array<string | undefined>(accs.length).fill(undefined)
  const v = (id: number): string => `v${id}`
  /** Index expression of access `a` at the current scope. */
  const at = (a: number): string => addr[a] ?? jsInt(accs[a]!.offset)
  const inBounds = (bs: ReadonlyArray<{ readonly access: number; readonly size: number }>): string =>
    bs.length === 0 ? "true" : `(${bs.map((b) => `${at(b.access)} >= 0 && ${at(b.access)} < ${jsInt(b.size)}`).join(" && ")})`

  const emitNode = (depth: number, id: number): void => {
    const n = nodes[id]!
    switch (n.kind) {
      case "load": {
        const read = `in${n.input}[${at(nodeAccess.get(id)!)}]`
        const bs = nodeBounds.get(id)
        say(depth, `const ${v(id)} = ${bs === undefined ? read : `${inBounds(bs)} ? ${read} : 0`};`)
        return
      }
      case "inbounds":
        say(depth, `const ${v(id)} = ${inBounds(nodeBounds.get(id) ?? [])} ? 1 : 0;`)
        return
      case "index": {
        const e = at(nodeAccess.get(id)!)
        say(depth, `const ${v(id)} = ${n.dtype === "bool" ? `((${e}) & 255)` : wrap(n.dtype, e)};`)
        return
      }
      case "reduced": {
        const r = k.reductions[n.reduction]!
        const isArg = r.op === "argmax" || r.op === "argmin"
        const d = nodes[r.arg]!.dtype
        const acc = accRow ? `${isArg ? "B" : "A"}${n.reduction}[${at(accAccess)}]` : `${isArg ? "b" : "a"}${n.reduction}`
        // a compensated float64 sum adds its running error term once, at the end
        const src = compensated(r.op, d) ? `(${acc} + ${accRow ? `C${n.reduction}[${at(accAccess)}]` : `c${n.reduction}`})` : acc
        say(depth, `const ${v(id)} = ${isArg ? src : isFloat(d) ? wrap(r.dtype, src) : src};`)
        return
      }
      case "unary":
        if (n.op === "exp" && n.dtype === "float32") {
          say(depth, exp32Code(v(n.args[0]), v(id)))
          return
        }
        if (n.op === "expm1" && n.dtype === "float32") {
          say(depth, expm132Code(v(n.args[0]), v(id)))
          return
        }
        if ((n.op === "logistic" || n.op === "tanh") && n.dtype === "float32") {
          // in a block of its own: the statements declare helper names
          say(depth, `let ${v(id)}; { ${(n.op === "logistic" ? logistic32Code : tanh32Code)(v(n.args[0]), "o")} ${v(id)} = o; }`)
          return
        }
        break
      case "select": {
        const lazy = lazyCases.get(id)
        if (lazy === undefined) break
        // Only the chosen case is computed (elementwise operations have no effects).
        say(depth, `let ${v(id)};`)
        say(depth, `if (${v(n.args[0]!)} !== 0) {`)
        emitOwned(depth + 1, id, 2)
        say(depth + 1, `${v(id)} = ${v(n.args[2]!)};`)
        say(depth, "} else {")
        emitOwned(depth + 1, id, 1)
        say(depth + 1, `${v(id)} = ${v(n.args[1]!)};`)
        say(depth, "}")
        return
      }
      default:
    }
    const { pre, expr } = nodeExpr(n, nodes, v)
    if (pre === undefined) say(depth, `const ${v(id)} = ${expr};`)
    else say(depth, `let ${v(id)}; { ${pre} ${v(id)} = ${expr}; }`)
  }

  /** Emit, in order, the nodes of `want` at exactly `lvl` not yet emitted in this scope chain. */
  const emitLevel = (depth: number, lvl: number, want: (id: number) => boolean, done: Uint8Array): number[] => {
    const fresh: number[] = []
    for (let i = 0; i < nodes.length; i++) {
      if (done[i] || level[i] !== lvl || owner[i]! >= 0 || !want(i)) continue
      emitNode(depth, i)
      done[i] = 1
      fresh.push(i)
    }
    return fresh
  }
  const unemit = (done: Uint8Array, ids: ReadonlyArray<number>): void => {
    for (const i of ids) done[i] = 0
  }

  /** Open loop `d`: `for (...) {` and the addresses that move with it. Returns what to restore. */
  /** Loop ranges other than the whole dimension (tiles). */
  const ranges = new Map<number, readonly [string, string]>()
  const openLoop = (depth: number, d: number, from = ranges.get(d)?.[0] ?? "0", to = ranges.get(d)?.[1] ?? jsInt(loops[d]!.size)): (() => void) => {
    say(depth, `for (let i${d} = ${from}; i${d} < ${to}; i${d}++) {`)
    const saved: [number, string | undefined][] = []
    for (let a = 0; a < accs.length; a++) {
      const s = accs[a]!.strides[d]!
      if (s === 0) continue
      const name = `p${a}_${d}`
      const term = s === 1 ? `i${d}` : s === -1 ? `-i${d}` : `i${d} * ${jsInt(s)}`
      const base = at(a)
      say(depth + 1, `const ${name} = ${base === "0" ? term : `${base} + ${term}`};`)
      saved.push([a, addr[a]])
      addr[a] = name
    }
    return () => {
      for (const [a, prev] of saved.reverse()) addr[a] = prev
      say(depth, "}")
    }
  }

  const writeOutputs = (depth: number, phase: "full" | "kept"): void => {
    k.outputs.forEach((o, j) => {
      if (o.phase === phase) say(depth, `out${j}[${at(outAccess[j]!)}] = ${v(o.node)};`)
    })
  }

  // The index along the reduced axis (argmax/argmin reduce one axis, which a refined domain may
  // iterate as several loops): row-major over the reduced loops.
  let redIndexVar = "0"
  for (let d = 0; d < m; d++) {
    if (!loops[d]!.reduced) continue
    redIndexVar = redIndexVar === "0" ? `i${d}` : `(${redIndexVar}) * ${jsInt(loops[d]!.size)} + i${d}`
  }
  const initAccs = (depth: number): void => {
    k.reductions.forEach((r, j) => {
      const d = nodes[r.arg]!.dtype
      const init = jsNumber(initOf(r.op, d))
      const isArg = r.op === "argmax" || r.op === "argmin"
      if (accRow) {
        say(depth, `A${j}.fill(${init});`)
        if (isArg) say(depth, `B${j}.fill(0);`)
        if (compensated(r.op, d)) say(depth, `C${j}.fill(0);`)
      } else {
        say(depth, `let a${j} = ${init};`)
        if (isArg) say(depth, `let b${j} = 0;`)
        if (compensated(r.op, d)) say(depth, `let c${j} = 0;`)
      }
    })
  }
  const combineAccs = (depth: number): void => {
    k.reductions.forEach((r, j) => {
      const d = nodes[r.arg]!.dtype
      const val = v(r.arg)
      const isArg = r.op === "argmax" || r.op === "argmin"
      const accE = accRow ? `A${j}[${at(accAccess)}]` : `a${j}`
      if (isArg) {
        const idx = accRow ? `B${j}[${at(accAccess)}]` : `b${j}`
        const better = r.op === "argmax" ? `${val} > ${accE}` : `${val} < ${accE}`
        if (accRow)
          say(
            depth,
            `{ const q = ${at(accAccess)}; const c = A${j}[q]; if (${val} ${r.op === "argmax" ? ">" : "<"} c || (${val} !== ${val} && c === c)) { A${j}[q] = ${val}; B${j}[q] = ${redIndexVar}; } }`
          )
        else say(depth, `if (${better} || (${val} !== ${val} && ${accE} === ${accE})) { ${accE} = ${val}; ${idx} = ${redIndexVar}; }`)
        return
      }
      if (compensated(r.op, d)) {
        // Neumaier's compensated sum: float64 sums as accurate as the eager pairwise sums, or better
        const step = (a: string, c: string): string =>
          `{ const x = ${val}; const t = ${a} + x; ${c} += (${a} >= 0 ? ${a} : -${a}) >= (x >= 0 ? x : -x) ? (${a} - t) + x : (x - t) + ${a}; ${a} = t; }`
        if (accRow) say(depth, `{ const q = ${at(accAccess)}; let a = A${j}[q]; let c = C${j}[q]; ${step("a", "c")} A${j}[q] = a; C${j}[q] = c; }`)
        else say(depth, step(`a${j}`, `c${j}`))
        return
      }
      if (accRow) say(depth, `{ const q = ${at(accAccess)}; A${j}[q] = ${combine(r.op, d, `A${j}[q]`, val)}; }`)
      else say(depth, `a${j} = ${combine(r.op, d, `a${j}`, val)};`)
    })
  }

  /** The nodes a lazy select computes in the branch of case `c`, in order. */
  function emitOwned(depth: number, s: number, c: number): void {
    for (let i = 0; i < nodes.length; i++) if (owner[i] === s && ownerCase[i] === c) emitNode(depth, i)
  }

  const done = new Uint8Array(nodes.length)
  const inMainOrShared =
    (depth: number) =>
    (id: number): boolean =>
      mainNeed[id] === 1 || (epiNeed[id] === 1 && afterRed[id] === 0 && depth < f)

  const emitMain = (depth: number): void => {
    // depth: -1 (function scope) .. m - 1 (inside loop m - 1)
    const fresh = emitLevel(depth, depth, inMainOrShared(depth), done)
    if (hasRed && depth === f - 1) initAccs(depth)
    if (depth === m - 1) {
      writeOutputs(depth, "full")
      if (hasRed) combineAccs(depth)
    } else if (tiled && depth + 1 === m - 2) {
      // the last two loops in TILE x TILE tiles, so that a transposed operand stays in cache
      const d1 = m - 2
      const d2 = m - 1
      const n1 = jsInt(loops[d1]!.size)
      const n2 = jsInt(loops[d2]!.size)
      const tile = jsInt(TILE)
      say(depth + 1, `for (let t${d1} = 0; t${d1} < ${n1}; t${d1} += ${tile}) {`)
      say(depth + 2, `const u${d1} = t${d1} + ${tile} < ${n1} ? t${d1} + ${tile} : ${n1};`)
      say(depth + 2, `for (let t${d2} = 0; t${d2} < ${n2}; t${d2} += ${tile}) {`)
      say(depth + 3, `const u${d2} = t${d2} + ${tile} < ${n2} ? t${d2} + ${tile} : ${n2};`)
      ranges.set(d1, [`t${d1}`, `u${d1}`])
      ranges.set(d2, [`t${d2}`, `u${d2}`])
      const close = openLoop(depth + 3, d1)
      emitMain(depth + 1)
      close()
      ranges.clear()
      say(depth + 2, "}")
      say(depth + 1, "}")
    } else if (fission !== null && depth + 1 === m - 1) {
      emitFission(depth + 1)
    } else {
      const close = openLoop(depth + 1, depth + 1)
      emitMain(depth + 1)
      close()
    }
    if (hasRed && depth === f - 1) emitEpilogue(depth)
    unemit(done, fresh)
  }

  /**
   * The innermost loop in blocks of FISSION_BLOCK elements, each block in stages: the library
   * calls (Math.tanh, Math.log, ...) run in loops of their own over the block, with the values
   * between stages in scratch rows. A call inside a long fused loop body runs at its latency
   * (the processor cannot overlap elements around it, and every live value is spilled); in a
   * loop of its own it runs at its throughput, like the eager kernel, without the memory traffic.
   */
  function emitFission(d: number): void {
    const plan = fission!
    const n = jsInt(loops[d]!.size)
    const block = jsInt(FISSION_BLOCK)
    const depth = d
    say(depth, `for (let b${d} = 0; b${d} < ${n}; b${d} += ${block}) {`)
    say(depth + 1, `const e${d} = b${d} + ${block} < ${n} ? b${d} + ${block} : ${n};`)
    plan.loops.forEach((ids, li) => {
      const close = openLoop(depth + 1, d, `b${d}`, `e${d}`)
      const inner = depth + 2
      const fresh: number[] = []
      // values of earlier stages, from their scratch rows
      for (const id of plan.reads[li]!) {
        if (plan.stageOf[id]! === li || done[id]) continue
        if (plan.row[id]! >= 0) {
          say(inner, `const ${v(id)} = T${plan.row[id]}[i${d} - b${d}];`)
          done[id] = 1
          fresh.push(id)
        }
      }
      // loads and other leaves this stage reads, recomputed here
      for (const id of plan.reads[li]!) {
        if (done[id] || plan.stageOf[id]! >= 0) continue
        emitNode(inner, id)
        done[id] = 1
        fresh.push(id)
      }
      for (const id of ids) {
        emitNode(inner, id)
        done[id] = 1
        fresh.push(id)
        if (plan.row[id]! >= 0) say(inner, `T${plan.row[id]}[i${d} - b${d}] = ${v(id)};`)
      }
      if (li === plan.loops.length - 1) writeOutputs(inner, "full")
      unemit(done, fresh)
      close()
    })
    say(depth, "}")
  }

  const epiWant = (id: number): boolean => epiNeed[id] === 1
  const emitEpilogue = (depth: number): void => {
    const fresh: number[] = []
    if (!accRow) {
      // every epilogue value is at a level <= f - 1 here
      for (let lvl = -1; lvl <= f - 1; lvl++) fresh.push(...emitLevel(depth, lvl, epiWant, done))
      writeOutputs(depth, "kept")
      unemit(done, fresh)
      return
    }
    const rec = (j: number, dep: number): void => {
      const d = innerKept[j]!
      const close = openLoop(dep + 1, d)
      const inner: number[] = []
      // nodes at loop levels between the previous kept loop and this one (reduced loops carry none)
      for (let lvl = j === 0 ? f : innerKept[j - 1]! + 1; lvl <= d; lvl++) inner.push(...emitLevel(dep + 1, lvl, epiWant, done))
      if (j === innerKept.length - 1) writeOutputs(dep + 1, "kept")
      else rec(j + 1, dep + 1)
      unemit(done, inner)
      close()
    }
    for (let lvl = -1; lvl <= f - 1; lvl++) fresh.push(...emitLevel(depth, lvl, epiWant, done))
    rec(0, depth)
    unemit(done, fresh)
  }

  emitMain(-1)

  const head: string[] = ["const E2F = H.E2F, E2I = H.E2I;"]
  for (let r = 0; r < scratch.length; r++) head.push(`const T${r} = S[${r}];`)
  head.push(`return function (${params.join(", ")}) {`)
  if (accRow) {
    k.reductions.forEach((r, j) => {
      head.push(`  const A${j} = S[${scratch.length}];`)
      scratch.push(accSize)
      if (r.op === "argmax" || r.op === "argmin") {
        head.push(`  const B${j} = S[${scratch.length}];`)
        scratch.push(accSize)
      }
      if (compensated(r.op, nodes[r.arg]!.dtype)) {
        head.push(`  const C${j} = S[${scratch.length}];`)
        scratch.push(accSize)
      }
    })
  }
  const body = L.map((l) => l.slice(2))
  return { source: [...head, ...body, "};"].join("\n"), scratch }
}
