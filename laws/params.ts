/**
 * Arbitraries of static parameters drawn together with the operand shapes they fit: axes,
 * permutations, reshapes, pads, slices and index expressions, broadcasts, concatenations, matmul
 * and einsum operands, and dot_general dimension numbers. The catalog (`catalog.ts`) and the
 * primitive cases (`primitives.test.ts`) draw from them, so the laws cover the parameter space
 * rather than one point of it. Every value is plain data (it prints in a failure report) and
 * valid as JAX defines it (negative axes where NumPy takes them, unique axes, sizes that fit).
 *
 * Sizes come in two kinds. Small shapes (a few elements) serve every law, finite differences
 * included. Large shapes reach the code paths that only large operands take (the thresholds are
 * `large` below): the compiled kernels' tiles, fission blocks and accumulator rows, and the Wasm
 * GEMM's edge tiles, panels and chunks.
 */
import fc from "fast-check"
import type { DotDimensionNumbers } from "../core/primitives/dot.js"
import { sizeOf } from "./arbitraries.js"

/** 0 .. n - 1. */
export const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i)

/**
 * Where the compiled and Wasm kernels change path (backends/cpu/compile/codegen.ts,
 * backends/cpu/wasm/gemm.ts and wasm/index.ts): the large shapes below straddle each.
 */
export const thresholds = {
  /** A kernel with a transposed read (innermost stride >= 64) walks 32 x 32 tiles when both last loops are >= 64. */
  tile: 32,
  tiledFrom: 64,
  /** Fission of the innermost loop around library calls: loops >= 32 elements, in blocks of 256. */
  fissionFrom: 32,
  fissionBlock: 256,
  /** GEMM micro-kernel: 4 rows x 8 columns; float32 chunks of 256 k-steps. */
  gemmRows: 4,
  gemmCols: 8,
  gemmChunk: 256,
  /** B is read in place up to K = 384 (packed above); A^T in place up to 4 panels (N <= 32). */
  gemmDirectK: 384,
  gemmDirectPanels: 4
} as const

// ---------------------------------------------------------------------------------------------
// Shapes

/** A shape of rank in [minRank, maxRank] with dims in [1, maxDim] and at most maxSize elements. */
export const shapeOf = (o: {
  readonly minRank?: number
  readonly maxRank: number
  readonly maxDim?: number
  readonly maxSize?: number
}): fc.Arbitrary<number[]> =>
  fc.array(fc.integer({ min: 1, max: o.maxDim ?? 3 }), { minLength: o.minRank ?? 0, maxLength: o.maxRank }).map((dims) => {
    const out = [...dims]
    const max = o.maxSize ?? 24
    while (sizeOf(out) > max) {
      const k = out.indexOf(Math.max(...out))
      out[k] = out[k]! - 1
    }
    return out
  })

/** Small shapes of rank 0..3 (at most 24 elements). */
export const smallShape = (minRank = 0, maxRank = 3): fc.Arbitrary<number[]> => shapeOf({ minRank, maxRank, maxDim: 4 })

/**
 * Large shapes for elementwise kernels: an innermost loop past a fission block (256) and not a
 * multiple of it, or two loops of at least 64 (tile-sized, with ragged last tiles).
 */
export const largeShape = (): fc.Arbitrary<number[]> =>
  fc.oneof(
    fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: thresholds.fissionBlock - 6, max: thresholds.fissionBlock + 44 })).map(([a, b]) => [a, b]),
    fc.tuple(fc.integer({ min: thresholds.tiledFrom, max: 100 }), fc.integer({ min: thresholds.tiledFrom, max: 100 })).map(([a, b]) => [a, b]),
    fc
      .tuple(fc.integer({ min: 2, max: 3 }), fc.integer({ min: thresholds.tiledFrom, max: 72 }), fc.integer({ min: thresholds.tiledFrom, max: 72 }))
      .map(([a, b, c]) => [a, b, c])
  )

/** Large shapes whose last two dimensions are both at least 64 (a transposed read is tiled). */
export const tiledShape = (): fc.Arbitrary<number[]> =>
  fc.oneof(
    fc.tuple(fc.integer({ min: thresholds.tiledFrom, max: 100 }), fc.integer({ min: thresholds.tiledFrom, max: 100 })).map(([a, b]) => [a, b]),
    fc
      .tuple(fc.integer({ min: 2, max: 3 }), fc.integer({ min: thresholds.tiledFrom, max: 72 }), fc.integer({ min: thresholds.tiledFrom, max: 72 }))
      .map(([a, b, c]) => [a, b, c])
  )

/** Large shapes for reductions: many rows and columns (accumulator rows), or a long middle axis. */
export const largeReductionShape = (): fc.Arbitrary<number[]> =>
  fc.oneof(
    fc.tuple(fc.integer({ min: thresholds.tiledFrom, max: 90 }), fc.integer({ min: thresholds.tiledFrom, max: 90 })).map(([a, b]) => [a, b]),
    fc.tuple(fc.integer({ min: 2, max: 3 }), fc.integer({ min: thresholds.tiledFrom, max: 300 }), fc.integer({ min: 3, max: 5 })).map(([a, b, c]) => [a, b, c]),
    fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: thresholds.fissionBlock, max: 300 })).map(([a, b]) => [a, b])
  )

/** Two shapes that broadcast (NumPy rules): equal rank or not, dims equal or 1. */
export const broadcastPair = (shape: fc.Arbitrary<number[]>): fc.Arbitrary<[number[], number[]]> =>
  shape.chain((full) =>
    fc
      .tuple(
        fc.tuple(fc.nat({ max: full.length }), fc.array(fc.boolean(), { minLength: full.length, maxLength: full.length })),
        fc.tuple(fc.nat({ max: full.length }), fc.array(fc.boolean(), { minLength: full.length, maxLength: full.length }))
      )
      .map(([[da, oa], [db, ob]]) => {
        const cut = (drop: number, ones: boolean[]): number[] => full.slice(drop).map((d, i) => (ones[i + drop] === true ? 1 : d))
        return [cut(da, oa), cut(db, ob)]
      })
  )

// ---------------------------------------------------------------------------------------------
// Axes

/** One axis of a rank-r array, negative or not. */
export const axisOf = (rank: number): fc.Arbitrary<number> => fc.integer({ min: -rank, max: rank - 1 })

/** Distinct axes of a rank-r array, in any order, each possibly written negative. */
export const axesOf = (rank: number, o: { readonly minLength?: number; readonly maxLength?: number } = {}): fc.Arbitrary<number[]> =>
  fc
    .tuple(
      fc.shuffledSubarray(range(rank), { minLength: o.minLength ?? 0, maxLength: o.maxLength ?? rank }),
      fc.array(fc.boolean(), { minLength: rank, maxLength: rank })
    )
    .map(([axes, neg]) => axes.map((a, i) => (neg[i] === true ? a - rank : a)))

/** A reduction's `axis`: null (all), one axis, or a tuple of distinct axes (possibly empty). */
export const axisArg = (rank: number): fc.Arbitrary<number | number[] | null> =>
  rank === 0 ? fc.constantFrom<number[] | null>(null, []) : fc.oneof(fc.constant(null), axisOf(rank), axesOf(rank))

/** A permutation of 0 .. rank - 1. */
export const permutation = (rank: number): fc.Arbitrary<number[]> => fc.shuffledSubarray(range(rank), { minLength: rank, maxLength: rank })

/** An array shape and a drawn parameter for it. */
export interface Shaped<P> {
  readonly shape: ReadonlyArray<number>
  readonly param: P
}

export const withShape = <P>(shape: fc.Arbitrary<number[]>, param: (shape: ReadonlyArray<number>) => fc.Arbitrary<P>): fc.Arbitrary<Shaped<P>> =>
  shape.chain((s) => param(s).map((p) => ({ shape: s, param: p })))

// ---------------------------------------------------------------------------------------------
// Shape changes

const primeFactors = (n: number): number[] => {
  const out: number[] = []
  let m = n
  for (let p = 2; p * p <= m; p++) {
    while (m % p === 0) {
      out.push(p)
      m /= p
    }
  }
  if (m > 1) out.push(m)
  return out
}

/** A new shape of the same size (its prime factors regrouped, 1s added), maybe with one -1. */
export const reshapeOf = (shape: ReadonlyArray<number>): fc.Arbitrary<number[]> => {
  const fs = primeFactors(sizeOf(shape))
  return fc
    .record({
      rank: fc.integer({ min: fs.length === 0 ? 0 : 1, max: 4 }),
      groups: fc.array(fc.nat({ max: 3 }), { minLength: fs.length, maxLength: fs.length }),
      unknown: fc.option(fc.nat({ max: 3 }), { nil: null })
    })
    .map(({ rank, groups, unknown }) => {
      const dims = new Array<number>(rank).fill(1)
      fs.forEach((p, i) => (dims[groups[i]! % rank] = dims[groups[i]! % rank]! * p))
      if (unknown !== null && rank > 0) dims[unknown % rank] = -1
      return dims
    })
}

/** A target shape `shape` broadcasts to: new leading dims, size-1 dims stretched. */
export const broadcastTarget = (shape: ReadonlyArray<number>): fc.Arbitrary<number[]> =>
  fc
    .tuple(
      fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 }),
      fc.array(fc.integer({ min: 1, max: 3 }), { minLength: shape.length, maxLength: shape.length })
    )
    .map(([lead, stretch]) => [...lead, ...shape.map((d, i) => (d === 1 ? stretch[i]! : d))])

/** lax.broadcast_in_dim: an operand shape, a target shape and the (increasing) dims it maps to. */
export interface BroadcastInDimSpec {
  readonly operand: ReadonlyArray<number>
  readonly shape: ReadonlyArray<number>
  readonly broadcastDimensions: ReadonlyArray<number>
}

export const broadcastInDimSpec = (): fc.Arbitrary<BroadcastInDimSpec> =>
  shapeOf({ maxRank: 4, maxDim: 3, maxSize: 24 }).chain((shape) =>
    fc
      .tuple(fc.subarray(range(shape.length)), fc.array(fc.boolean(), { minLength: shape.length, maxLength: shape.length }))
      .map(([dims, ones]) => ({ operand: dims.map((d, i) => (ones[i] === true ? 1 : shape[d]!)), shape, broadcastDimensions: dims }))
  )

/** np.pad widths: one [before, after] per axis (at most the axis size for the reflecting modes). */
export type PadMode = "constant" | "edge" | "reflect" | "symmetric" | "wrap"
export interface PadSpec {
  readonly mode: PadMode
  readonly widths: ReadonlyArray<readonly [number, number]>
}

export const padSpec = (shape: ReadonlyArray<number>): fc.Arbitrary<PadSpec> =>
  fc.constantFrom<PadMode>("constant", "edge", "reflect", "symmetric", "wrap").chain((mode) =>
    fc
      .tuple(
        ...shape.map((n) => {
          const most = mode === "constant" || mode === "edge" ? 2 : mode === "reflect" ? Math.min(2, n - 1) : Math.min(2, n)
          return fc.tuple(fc.integer({ min: 0, max: most }), fc.integer({ min: 0, max: most }))
        })
      )
      .map((widths) => ({ mode, widths }))
  )

/** lax.pad's config per axis: (low, high, interior), all non-negative. */
export const padConfig = (shape: ReadonlyArray<number>): fc.Arbitrary<Array<readonly [number, number, number]>> =>
  fc.tuple(...shape.map(() => fc.tuple(fc.nat({ max: 2 }), fc.nat({ max: 2 }), fc.nat({ max: 2 })))) as fc.Arbitrary<Array<readonly [number, number, number]>>

/** lax.slice per axis: start <= limit <= n and a stride >= 1. */
export interface SliceSpec {
  readonly startIndices: ReadonlyArray<number>
  readonly limitIndices: ReadonlyArray<number>
  readonly strides: ReadonlyArray<number>
}

export const sliceSpec = (shape: ReadonlyArray<number>): fc.Arbitrary<SliceSpec> =>
  fc.tuple(...shape.map((n) => fc.tuple(fc.integer({ min: 0, max: n }), fc.integer({ min: 0, max: n }), fc.integer({ min: 1, max: 3 })))).map((axes) => ({
    startIndices: axes.map(([a, b]) => Math.min(a, b)),
    limitIndices: axes.map(([a, b]) => Math.max(a, b)),
    strides: axes.map(([, , s]) => s)
  }))

// ---------------------------------------------------------------------------------------------
// Joining and splitting

/** Operand shapes for concatenate along `axis` (any sign): equal except along it. */
export interface JoinSpec {
  readonly shapes: ReadonlyArray<ReadonlyArray<number>>
  readonly axis: number
}

export const concatSpec = (maxRank = 3): fc.Arbitrary<JoinSpec> =>
  shapeOf({ minRank: 1, maxRank, maxDim: 3, maxSize: 12 }).chain((base) =>
    fc.tuple(axisOf(base.length), fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 })).map(([axis, sizes]) => {
      const a = axis < 0 ? axis + base.length : axis
      return { axis, shapes: sizes.map((n) => base.map((d, i) => (i === a ? n : d))) }
    })
  )

/** Operand shapes for stack along `axis` in [-(rank + 1), rank]: equal shapes. */
export const stackSpec = (): fc.Arbitrary<JoinSpec> =>
  shapeOf({ maxRank: 2, maxDim: 3, maxSize: 9 }).chain((base) =>
    fc.tuple(fc.integer({ min: -(base.length + 1), max: base.length }), fc.integer({ min: 1, max: 3 })).map(([axis, n]) => ({
      axis,
      shapes: new Array<ReadonlyArray<number>>(n).fill(base)
    }))
  )

/** np.split: a number of equal sections, or sorted split points (may repeat or pass the end). */
export const splitOf = (n: number): fc.Arbitrary<number | number[]> => {
  const divisors = range(n)
    .map((i) => i + 1)
    .filter((k) => n % k === 0)
  return fc.oneof(
    fc.constantFrom(...divisors),
    fc.array(fc.integer({ min: 0, max: n + 1 }), { maxLength: 3 }).map((xs) => [...xs].sort((a, b) => a - b))
  )
}

// ---------------------------------------------------------------------------------------------
// Indexing

/** One item of an index expression (see np.index), for an axis of size n. */
const sliceItem = (n: number): fc.Arbitrary<string> =>
  fc
    .tuple(
      fc.option(fc.integer({ min: -n - 1, max: n + 1 }), { nil: null }),
      fc.option(fc.integer({ min: -n - 1, max: n + 1 }), { nil: null }),
      fc.option(fc.constantFrom(1, -1, 2, -2, 3), { nil: null })
    )
    .map(([a, b, s]) => `${a ?? ""}:${b ?? ""}${s === null ? "" : `:${s}`}`)

export type IndexItemSpec = number | string | null | { readonly indices: ReadonlyArray<number>; readonly shape: ReadonlyArray<number> }

/**
 * A basic or advanced index expression for an array of `shape`: per axis an integer, a slice
 * (negative steps included) or all of it; sometimes a new axis (null), an ellipsis for the
 * trailing axes, or integer index arrays (negative entries wrap) on one or two axes.
 */
export const indexSpec = (shape: ReadonlyArray<number>, o: { readonly advanced?: boolean } = {}): fc.Arbitrary<IndexItemSpec[]> => {
  const r = shape.length
  const perAxis = shape.map((n) =>
    fc.oneof(
      { arbitrary: fc.integer({ min: -n, max: n - 1 }), weight: 2 },
      { arbitrary: sliceItem(n), weight: 3 },
      { arbitrary: fc.constant(":"), weight: 1 },
      ...(o.advanced === false
        ? []
        : [
            {
              arbitrary: fc.array(fc.integer({ min: -n, max: n - 1 }), { minLength: 4, maxLength: 4 }).map((vs) => ({ shape: [] as number[], indices: vs })),
              weight: 1
            }
          ])
    )
  )
  // Index arrays of one expression share a shape (they broadcast together, as JAX requires).
  const arrayShape = fc.constantFrom<number[]>([1], [2], [3], [2, 2], [])
  return fc
    .tuple(fc.tuple(...perAxis), arrayShape, fc.nat({ max: r }), fc.option(fc.nat({ max: r }), { nil: null }), fc.boolean())
    .map(([items, ashape, keep, newAxisAt, ellipsis]) => {
      // At most two index arrays (one group of advanced axes, or two apart: JAX's rules for both).
      let arrays = 0
      const xs: IndexItemSpec[] = (items as IndexItemSpec[]).map((it) => {
        if (typeof it !== "object" || it === null) return it
        return ++arrays > 2 ? ":" : { shape: ashape, indices: it.indices.slice(0, sizeOf(ashape)) }
      })
      // Trailing axes may be left out (implicitly ":"), or stand behind an ellipsis.
      const kept = xs.slice(0, keep)
      const out: IndexItemSpec[] = ellipsis && keep < r ? [...kept, "..."] : kept
      if (newAxisAt !== null) out.splice(Math.min(newAxisAt, out.length), 0, null)
      return out
    })
}

// ---------------------------------------------------------------------------------------------
// Products

/** Operand shapes of np.matmul, and whether each operand is given transposed (x.T in the function). */
export interface MatmulSpec {
  readonly x: ReadonlyArray<number>
  readonly y: ReadonlyArray<number>
  /** Pass x (y) as the transpose of its last two axes: the arrays drawn have those swapped. */
  readonly transposed: readonly [boolean, boolean]
}

export interface MatmulSizes {
  readonly m: fc.Arbitrary<number>
  readonly k: fc.Arbitrary<number>
  readonly n: fc.Arbitrary<number>
  /** Batch dims: at most this many positions (default 2). */
  readonly maxBatch?: number
}

/** Sizes around the GEMM's 4 x 8 micro-tile (ragged rows and columns), small enough for finite differences. */
export const smallMatmulSizes: MatmulSizes = {
  m: fc.oneof({ arbitrary: fc.integer({ min: 1, max: 4 }), weight: 4 }, { arbitrary: fc.constantFrom(5, 7), weight: 1 }),
  k: fc.integer({ min: 1, max: 4 }),
  n: fc.oneof({ arbitrary: fc.integer({ min: 1, max: 4 }), weight: 4 }, { arbitrary: fc.constantFrom(8, 9, 11), weight: 1 })
}

/**
 * Sizes past the GEMM's chunk (256), in-place limit for B (384) and A^T (4 panels), with ragged
 * edges; 341 rows of K = 387 span two row blocks (a block's A part is kept under 512 KiB).
 */
export const largeMatmulSizes: MatmulSizes = {
  m: fc.constantFrom(1, 3, 5, 6, 9, 13, 341),
  k: fc.constantFrom(thresholds.gemmChunk - 1, thresholds.gemmChunk + 1, 300, thresholds.gemmDirectK + 3),
  n: fc.constantFrom(7, thresholds.gemmDirectPanels * thresholds.gemmCols + 1, 37, 41),
  maxBatch: 1
}

const swapLast = (s: ReadonlyArray<number>): number[] => (s.length < 2 ? [...s] : [...s.slice(0, -2), s[s.length - 1]!, s[s.length - 2]!])

/**
 * np.matmul operands: vectors or matrices with broadcast batch dims (either may lack leading ones
 * or have size 1 where the other has more; a batch dim then sits at different positions in the
 * two operands), optionally transposed.
 */
export const matmulSpec = (sizes: MatmulSizes = smallMatmulSizes): fc.Arbitrary<MatmulSpec> =>
  fc
    .record({
      m: sizes.m,
      k: sizes.k,
      n: sizes.n,
      vec: fc.oneof(
        { arbitrary: fc.constant<readonly [boolean, boolean]>([false, false]), weight: 7 },
        { arbitrary: fc.constantFrom<readonly [boolean, boolean]>([true, false], [false, true], [true, true]), weight: 3 }
      ),
      // Mostly batched, often with one operand lacking a leading batch dim (or having size 1 there),
      // so that the shared batch dims sit at different positions in the two operands.
      batch: fc
        .oneof({ arbitrary: fc.constant(0), weight: 1 }, { arbitrary: fc.constant(1), weight: 1 }, { arbitrary: fc.constant(2), weight: 3 })
        .chain((nb) => {
          const n = Math.min(nb, sizes.maxBatch ?? 2)
          const mode = fc.constantFrom("full", "full", "full", "full", "one")
          return fc.array(fc.record({ size: fc.integer({ min: 1, max: 3 }), x: mode, y: mode }), { minLength: n, maxLength: n })
        }),
      lead: fc.constantFrom<readonly [number, number]>([0, 0], [1, 0], [0, 1], [2, 0], [0, 2], [1, 0], [0, 1]),
      transposed: fc.tuple(fc.boolean(), fc.boolean())
    })
    .map(({ m, k, n, vec, batch, lead, transposed }) => {
      const nb = batch.length
      // The operand lacking leading batch dims: at most one of the two (the other keeps them all).
      const [xLead, yLead] = lead[0] >= lead[1] ? [Math.min(lead[0] - lead[1], nb), 0] : [0, Math.min(lead[1] - lead[0], nb)]
      const xb = vec[0] ? [] : batch.slice(xLead).map((b) => (b.x === "one" ? 1 : b.size))
      const yb = vec[1] ? [] : batch.slice(yLead).map((b) => (b.y === "one" ? 1 : b.size))
      const x = vec[0] ? [k] : [...xb, m, k]
      const y = vec[1] ? [k] : [...yb, k, n]
      const t: readonly [boolean, boolean] = [transposed[0] && !vec[0], transposed[1] && !vec[1]]
      return { x: t[0] ? swapLast(x) : x, y: t[1] ? swapLast(y) : y, transposed: t }
    })

/** lax.dot_general operands and dimension numbers: batch, contracting and free dims at any positions. */
export interface DotGeneralSpec {
  readonly lhs: ReadonlyArray<number>
  readonly rhs: ReadonlyArray<number>
  readonly dimensionNumbers: DotDimensionNumbers
}

export const dotGeneralSpec = (): fc.Arbitrary<DotGeneralSpec> =>
  fc
    .record({
      batch: fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 }),
      contract: fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 }),
      lfree: fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 }),
      rfree: fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 }),
      lperm: fc.array(fc.nat(), { minLength: 6, maxLength: 6 }),
      rperm: fc.array(fc.nat(), { minLength: 6, maxLength: 6 }),
      pairs: fc.boolean()
    })
    .map(({ batch, contract, lfree, rfree, lperm, rperm, pairs }) => {
      type Dim = { readonly kind: "b" | "c" | "f"; readonly i: number; readonly size: number }
      const tag = (kind: Dim["kind"], sizes: number[]): Dim[] => sizes.map((size, i) => ({ kind, i, size }))
      // Positions: a permutation of the operand's dims, from the drawn keys (ties in drawn order).
      const place = (dims: Dim[], keys: number[]): Dim[] =>
        dims
          .map((d, j) => ({ d, key: keys[j]! }))
          .sort((a, b) => a.key - b.key)
          .map((x) => x.d)
      const l = place([...tag("b", batch), ...tag("c", contract), ...tag("f", lfree)], lperm)
      const r = place([...tag("b", batch), ...tag("c", contract), ...tag("f", rfree)], rperm)
      const pos = (ds: Dim[], kind: Dim["kind"], i: number): number => ds.findIndex((d) => d.kind === kind && d.i === i)
      // Contracting pairs in either order (the pairing, not the order, is what matters).
      const order = pairs ? range(contract.length).reverse() : range(contract.length)
      return {
        lhs: l.map((d) => d.size),
        rhs: r.map((d) => d.size),
        dimensionNumbers: {
          contracting: [order.map((i) => pos(l, "c", i)), order.map((i) => pos(r, "c", i))],
          batch: [range(batch.length).map((i) => pos(l, "b", i)), range(batch.length).map((i) => pos(r, "b", i))]
        }
      }
    })

/** np.tensordot operands and axes: a count of trailing/leading axes, or two lists. */
export interface TensordotSpec {
  readonly a: ReadonlyArray<number>
  readonly b: ReadonlyArray<number>
  readonly axes: number | readonly [ReadonlyArray<number>, ReadonlyArray<number>]
}

export const tensordotSpec = (): fc.Arbitrary<TensordotSpec> =>
  dotGeneralSpec().chain((d) => {
    const [ca, cb] = d.dimensionNumbers.contracting
    const [ba, bb] = d.dimensionNumbers.batch
    // Batch dims of dot_general are contracted here too (tensordot has none).
    const a = [...ca, ...ba]
    const b = [...cb, ...bb]
    const trailing = a.every((x, i) => x === d.lhs.length - a.length + i) && b.every((x, i) => x === i)
    return fc.boolean().map((asCount) => ({ a: d.lhs, b: d.rhs, axes: asCount && trailing ? a.length : ([a, b] as const) }))
  })

/** An einsum: subscripts and operand shapes (traces, diagonals, batch labels, sums, 1 to 3 operands). */
export interface EinsumSpec {
  readonly subscripts: string
  readonly shapes: ReadonlyArray<ReadonlyArray<number>>
}

export const einsumSpec = (): fc.Arbitrary<EinsumSpec> => {
  const letters = "abcde"
  return fc
    .record({
      sizes: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: letters.length, maxLength: letters.length }),
      operands: fc.array(fc.array(fc.integer({ min: 0, max: letters.length - 1 }), { maxLength: 3 }), { minLength: 1, maxLength: 3 }),
      out: fc.array(fc.boolean(), { minLength: letters.length, maxLength: letters.length }),
      outOrder: fc.array(fc.nat(), { minLength: letters.length, maxLength: letters.length }),
      implicit: fc.boolean(),
      repeats: fc.boolean()
    })
    .map(({ sizes, operands, out, outOrder, implicit, repeats }) => {
      // Repeated labels within an operand (traces, diagonals) only when drawn so.
      const ops = operands.map((o) => (repeats ? o : [...new Set(o)]))
      const used = [...new Set(ops.flat())].sort((a, b) => a - b)
      const output = used.filter((l) => out[l]).sort((a, b) => outOrder[a]! - outOrder[b]! || a - b)
      const lhs = ops.map((o) => o.map((l) => letters[l]).join("")).join(",")
      return {
        subscripts: implicit ? lhs : `${lhs}->${output.map((l) => letters[l]).join("")}`,
        shapes: ops.map((o) => o.map((l) => sizes[l]!))
      }
    })
}
