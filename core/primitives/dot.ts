/**
 * dot_general: contraction over paired dimensions with batch dimensions (XLA's DotGeneral).
 * Output dimensions: batch dims, then lhs free dims, then rhs free dims (each in order).
 */
import { type Array, ShapedArray } from "../array.js"
import { DTypeError, ShapeError } from "../errors.js"
import { definePrimitive } from "../primitive.js"
import { checkAxes, describe, showShape } from "../shape.js"
import { bind1 } from "../trace.js"
import { range } from "./common.js"
import { transpose } from "./shape-ops.js"
import { batchFirst } from "./layout.js"
import { defBilinear } from "./rules.js"

export interface DotDimensionNumbers {
  readonly contracting: readonly [ReadonlyArray<number>, ReadonlyArray<number>]
  readonly batch: readonly [ReadonlyArray<number>, ReadonlyArray<number>]
}
export interface DotParams {
  readonly dimensionNumbers: DotDimensionNumbers
  readonly [k: string]: unknown
}

const freeDims = (rank: number, contract: ReadonlyArray<number>, batch: ReadonlyArray<number>): number[] =>
  range(rank).filter((d) => !contract.includes(d) && !batch.includes(d))

const list = (xs: ReadonlyArray<number>): string => `[${xs.join(", ")}]`

/** Checks dimension numbers against the operand ranks: distinct axes in range, contracting and batch disjoint. */
const checkDimensionNumbers = (dn: unknown, xRank: number, yRank: number): DotDimensionNumbers => {
  const pair = (v: unknown, what: string): readonly [number[], number[]] => {
    if (!globalThis.Array.isArray(v) || v.length !== 2) {
      throw new ShapeError(`dot_general: dimensionNumbers.${what} must be a pair [lhs axes, rhs axes], got ${describe(v)}.`)
    }
    return [checkAxes(v[0], xRank, `dot_general: lhs ${what} dimensions`), checkAxes(v[1], yRank, `dot_general: rhs ${what} dimensions`)]
  }
  if (typeof dn !== "object" || dn === null) {
    throw new ShapeError(`dot_general: dimensionNumbers must be { contracting: [lhs, rhs], batch: [lhs, rhs] }, got ${describe(dn)}.`)
  }
  const { contracting, batch } = dn as DotDimensionNumbers
  const c = pair(contracting, "contracting")
  const b = pair(batch, "batch")
  for (const side of [0, 1] as const) {
    const shared = c[side].filter((d) => b[side].includes(d))
    if (shared.length > 0) {
      throw new ShapeError(
        `dot_general: ${side === 0 ? "lhs" : "rhs"} axis ${shared[0]} is both a contracting and a batch dimension; an axis is one or the other.`
      )
    }
  }
  return { contracting: c, batch: b }
}

export const dotGeneralP = definePrimitive<DotParams>("dot_general", ([x, y], { dimensionNumbers }) => {
  const checked = checkDimensionNumbers(dimensionNumbers, x!.ndim, y!.ndim)
  const [xc, yc] = checked.contracting
  const [xb, yb] = checked.batch
  if (x!.dtype !== y!.dtype) throw new DTypeError(`dot_general needs operands of one dtype, got ${x!.dtype} and ${y!.dtype}`)
  if (x!.dtype === "bool") throw new DTypeError("dot_general does not take bool operands; cast with astype first")
  const bad = (why: string) =>
    new ShapeError(
      `dot_general of shapes ${showShape(x!.shape)} and ${showShape(y!.shape)} with contracting ${list(xc)}/${list(yc)}, batch ${list(xb)}/${list(yb)}: ${why}`
    )
  if (xc.length !== yc.length || xb.length !== yb.length) throw bad("the dimension lists must pair up")
  xc.forEach((d, i) => {
    if (x!.shape[d] === undefined || y!.shape[yc[i]!] === undefined) throw bad("a dimension is out of range")
    if (x!.shape[d] !== y!.shape[yc[i]!]) throw bad(`contracted sizes differ (${x!.shape[d]} vs ${y!.shape[yc[i]!]})`)
  })
  xb.forEach((d, i) => {
    if (x!.shape[d] === undefined || y!.shape[yb[i]!] === undefined) throw bad("a dimension is out of range")
    if (x!.shape[d] !== y!.shape[yb[i]!]) throw bad(`batch sizes differ (${x!.shape[d]} vs ${y!.shape[yb[i]!]})`)
  })
  const shape = [...xb.map((d) => x!.shape[d]!), ...freeDims(x!.ndim, xc, xb).map((d) => x!.shape[d]!), ...freeDims(y!.ndim, yc, yb).map((d) => y!.shape[d]!)]
  return [new ShapedArray(shape, x!.dtype, x!.weakType && y!.weakType)]
})
dotGeneralP.printParams = ({ dimensionNumbers: { contracting, batch } }) => [
  ["dimension_numbers", `((${list(contracting[0])}, ${list(contracting[1])}), (${list(batch[0])}, ${list(batch[1])}))`],
  ["precision", "None"],
  ["preferred_element_type", "None"]
]
/**
 * `lax.dot_general`: a tensor contraction of `x` and `y` over the `contracting` axis pairs, batched over the `batch` axis pairs; the result has the batch axes, then x's free axes, then y's. Operands share a dtype (`np.matmul`, `np.einsum` promote and call it).
 *
 * @example
 * const a = np.ones([2, 3, 4])
 * const b = np.ones([2, 4, 5])
 * lax.dotGeneral(a, b, { contracting: [[2], [1]], batch: [[0], [0]] }).shape // [2, 3, 5]
 */
export const dotGeneral = (x: Array, y: Array, dimensionNumbers: DotDimensionNumbers): Array => bind1(dotGeneralP, [x, y], { dimensionNumbers })

/**
 * Cotangent of one operand: contract the cotangent's dims that belong to the other operand's free
 * dims with those free dims, then permute into the operand's layout.
 */
const transposeOperand = (
  ct: Array,
  other: Array,
  myRank: number,
  mine: { readonly c: ReadonlyArray<number>; readonly b: ReadonlyArray<number> },
  theirs: { readonly c: ReadonlyArray<number>; readonly b: ReadonlyArray<number> },
  otherFreeFirst: boolean,
  myFreeCount: number
): Array => {
  const nb = mine.b.length
  const otherFree = freeDims(other.ndim, theirs.c, theirs.b)
  // Positions of the two free groups in the cotangent.
  const otherFreeInCt = range(otherFree.length).map((i) => nb + (otherFreeFirst ? 0 : myFreeCount) + i)
  const res = dotGeneral(ct, other, { contracting: [otherFreeInCt, otherFree], batch: [range(nb), theirs.b] })
  // res dims: batch, my free dims, then the other's contracting dims in ascending order.
  const sortedTheirC = [...theirs.c].sort((a, b) => a - b)
  const resToMine = [...mine.b, ...freeDims(myRank, mine.c, mine.b), ...sortedTheirC.map((d) => mine.c[theirs.c.indexOf(d)]!)]
  const perm = range(myRank).map((i) => resToMine.indexOf(i))
  return transpose(res, perm)
}

// Bilinear: the jvp is dot(tx, y) + dot(x, ty); each operand's cotangent contracts the output's with the other.
defBilinear(
  dotGeneralP,
  (
    ct,
    x,
    y,
    {
      dimensionNumbers: {
        contracting: [xc, yc],
        batch: [xb, yb]
      }
    }
  ) => transposeOperand(ct, y, x.aval.ndim, { c: xc, b: xb }, { c: yc, b: yb }, false, freeDims(x.aval.ndim, xc, xb).length),
  (
    ct,
    x,
    y,
    {
      dimensionNumbers: {
        contracting: [xc, yc],
        batch: [xb, yb]
      }
    }
  ) => transposeOperand(ct, x, y.aval.ndim, { c: yc, b: yb }, { c: xc, b: xb }, true, freeDims(y.aval.ndim, yc, yb).length)
)

// ---------------------------------------------------------------------------------------------
// Batching: both operands batched -> a new leading batch dimension of the contraction; one
// batched -> its batch dimension is a free dimension of that operand.

dotGeneralP.batch = ([x, y], [dx = null, dy = null], { dimensionNumbers }) => {
  const [xc, yc] = dimensionNumbers.contracting
  const [xb, yb] = dimensionNumbers.batch
  const up = (ds: ReadonlyArray<number>) => ds.map((d) => d + 1)
  if (dx !== null && dy !== null) {
    const out = dotGeneral(batchFirst(x!, dx), batchFirst(y!, dy), {
      contracting: [up(xc), up(yc)],
      batch: [
        [0, ...up(xb)],
        [0, ...up(yb)]
      ]
    })
    return [[out], [0]]
  }
  if (dx !== null) {
    const out = dotGeneral(batchFirst(x!, dx), y!, { contracting: [up(xc), yc], batch: [up(xb), yb] })
    // dimension 0 of x is its first free dimension: it lands right after the batch dimensions
    return [[out], [xb.length]]
  }
  const out = dotGeneral(x!, batchFirst(y!, dy!), { contracting: [xc, up(yc)], batch: [xb, up(yb)] })
  const xFree = x!.ndim - xc.length - xb.length
  return [[out], [xb.length + xFree]]
}
