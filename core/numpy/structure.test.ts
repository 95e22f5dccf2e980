/**
 * np's structure functions (triangles.ts, arrange.ts, edit.ts) against real JAX
 * (golden/gen_numpy_struct.py): every case eagerly and under jit, with edge values (NaN, inf, -0)
 * and empty arrays. Then the derivative and vmap laws on the differentiable ones, and the refusals.
 */
import { describe, expect, it } from "vitest"
import { type GoldenArray, loadGolden } from "../../golden/load.js"
import { type Array, jit, np } from "../../index.js"
import { fromGolden, expectGoldenOut } from "./golden-helpers.js"

interface Case {
  readonly id: string
  readonly args: ReadonlyArray<GoldenArray>
  readonly out: GoldenArray | ReadonlyArray<GoldenArray>
}
type Out = Array | ReadonlyArray<Array>
type Call = (...a: Array[]) => Out

const golden = loadGolden<Case>("numpy_struct")

const calls: Readonly<Record<string, Call>> = {
  ...Object.fromEntries(
    [-2, -1, 0, 1, 3].flatMap((k) => [
      [`tril:k=${k}`, (x: Array) => np.tril(x, { k })],
      [`triu:k=${k}`, (x: Array) => np.triu(x, { k })]
    ])
  ),
  "tril:batched": (x) => np.tril(x, { k: 1 }),
  "triu:int": (x) => np.triu(x),
  "tril:empty": (x) => np.tril(x),
  "tri:3,2,1": () => np.tri(3, 2, { k: 1 }),
  "tri:4,None,-1": () => np.tri(4, null, { k: -1 }),
  "tri:0": () => np.tri(0),
  "trilIndices:4": () => np.trilIndices(4),
  "trilIndices:3,1,2": () => np.trilIndices(3, { k: 1, m: 2 }),
  "triuIndices:4,1": () => np.triuIndices(4, { k: 1 }),
  "triuIndices:3,-1,5": () => np.triuIndices(3, { k: -1, m: 5 }),
  "trilIndicesFrom:k=-1": (x) => np.trilIndicesFrom(x, { k: -1 }),
  "triuIndicesFrom:k=1": (x) => np.triuIndicesFrom(x, { k: 1 }),
  "diagIndices:3,3": () => np.diagIndices(3, 3),
  diagIndicesFrom: (x) => np.diagIndicesFrom(x),
  ...Object.fromEntries(
    [-2, 0, 1, 5].flatMap((k) => [
      [`diag:2d:k=${k}`, (x: Array) => np.diag(x, { k })],
      [`diag:1d:k=${k}`, (x: Array) => np.diag(x, { k })]
    ])
  ),
  "diagflat:k=-1": (x) => np.diagflat(x, { k: -1 }),
  ...Object.fromEntries(
    [
      [0, 0, 1],
      [1, 0, 1],
      [-1, 0, 1],
      [0, 1, 2],
      [2, 2, 0],
      [-1, -1, -3],
      [7, 0, 1]
    ].map(([offset, axis1, axis2]) => [`diagonal:${offset},${axis1},${axis2}`, (x: Array) => np.diagonal(x, { offset: offset!, axis1: axis1!, axis2: axis2! })])
  ),
  "diagonal:edge": (x) => np.diagonal(x, { offset: 1 }),
  "diagonal:empty": (x) => np.diagonal(x),
  "trace:0": (x) => np.trace(x),
  "trace:1,1,2": (x) => np.trace(x, { offset: 1, axis1: 1, axis2: 2 }),
  "trace:int": (x) => np.trace(x, { offset: -1 }),
  "trace:bool": (x) => np.trace(x),
  "fillDiagonal:scalar": (x) => np.fillDiagonal(x, 9),
  "fillDiagonal:cyclic": (x, v) => np.fillDiagonal(x, v!),
  "fillDiagonal:tall": (x) => np.fillDiagonal(x, -1),
  "fillDiagonal:3d": (x) => np.fillDiagonal(x, 7),

  "roll:2": (x) => np.roll(x, 2),
  "roll:-1,axis=1": (x) => np.roll(x, -1, { axis: 1 }),
  "roll:[1,-5],axes=[0,1]": (x) => np.roll(x, [1, -5], { axis: [0, 1] }),
  "roll:7,axis=0": (x) => np.roll(x, 7, { axis: 0 }),
  "roll:traced": (x, s) => np.roll(x, s!, { axis: 1 }),
  "roll:empty": (x) => np.roll(x, 1, { axis: 0 }),
  ...Object.fromEntries([-1, 0, 1, 2, 3, 5].map((k) => [`rot90:${k}`, (x: Array) => np.rot90(x, k)])),
  "rot90:axes=[2,0]": (x) => np.rot90(x, 1, { axes: [2, 0] }),
  fliplr: (x) => np.fliplr(x),
  flipud: (x) => np.flipud(x),
  matrixTranspose: (x) => np.matrixTranspose(x),
  permuteDims: (x) => np.permuteDims(x, [2, 0, 1]),
  "concat:axis=1": (x, y) => np.concat([x, y!], { axis: 1 }),
  atleast1d: (x) => np.atleast1d(x),
  "atleast2d:1d": (x) => np.atleast2d(x),
  "atleast3d:0d": (x) => np.atleast3d(x),
  "atleast3d:1d": (x) => np.atleast3d(x),
  "atleast3d:2d": (x) => np.atleast3d(x),
  "atleast2d:many": (a, b) => np.atleast2d(a, b!),
  dstack: (a, b) => np.dstack([a, b!]),
  "dstack:2d": (a, b) => np.dstack([a, b!]),
  columnStack: (a, b) => np.columnStack([a, b!]),
  "unstack:axis=1": (x) => np.unstack(x, { axis: 1 }),
  "hsplit:2": (x) => np.hsplit(x, 2),
  "hsplit:1d": (x) => np.hsplit(x, [1]),
  "vsplit:[1,2]": (x) => np.vsplit(x, [1, 2]),
  "dsplit:2": (x) => np.dsplit(x, 2),
  "block:2x2": (a, b, c, d) =>
    np.block([
      [a, b!],
      [c!, d!]
    ]),
  "block:flat": (a, b) => np.block([a, b!]),
  "block:3deep": (a, b) => np.block([[[a]], [[b!]]]),
  "resize:grow": (x) => np.resize(x, [2, 4]),
  "resize:shrink": (x) => np.resize(x, [5]),
  "resize:empty": (x) => np.resize(x, [2]),
  "append:flat": (x, y) => np.append(x, y!),
  "append:axis=0": (x, y) => np.append(x, y!, { axis: 0 }),
  "meshgrid:xy": (a, b, c) => np.meshgrid([a, b!, c!]),
  "meshgrid:ij": (a, b) => np.meshgrid([a, b!], { indexing: "ij" }),
  "meshgrid:sparse": (a, b) => np.meshgrid([a, b!], { sparse: true }),
  "meshgrid:one": (a) => np.meshgrid([a]),
  "indices:2,3": () => np.indices([2, 3]),
  "indices:sparse": () => np.indices([2, 3], { sparse: true }),
  "indices:float": () => np.indices([3], { dtype: "float32" }),
  ix: (a, b) => np.ix(a, b!),

  "takeAlongAxis:fill": (x, i) => np.takeAlongAxis(x, i!, 1),
  "takeAlongAxis:clip": (x, i) => np.takeAlongAxis(x, i!, 1, { mode: "clip" }),
  "takeAlongAxis:int": (x, i) => np.takeAlongAxis(x, i!, 1),
  "takeAlongAxis:axis0-bcast": (x, i) => np.takeAlongAxis(x, i!, 0),
  "takeAlongAxis:none": (x, i) => np.takeAlongAxis(x, i!, null),
  "takeAlongAxis:argsort": (x) =>
    np.takeAlongAxis(
      x,
      np.array([
        [3, 2, 1, 0],
        [3, 2, 1, 0],
        [3, 2, 1, 0]
      ]),
      -1
    ),
  putAlongAxis: (x, i, v) => np.putAlongAxis(x, i!, v!, 1),
  "putAlongAxis:bcast": (x, i) => np.putAlongAxis(x, i!, 7, 0),
  "choose:wrap": (a, c0, c1, c2) => np.choose(a, [c0!, c1!, c2!], { mode: "wrap" }),
  "choose:clip": (a, c0, c1) => np.choose(a, [c0!, c1!], { mode: "clip" }),
  "choose:raise": (a, c0, c1) => np.choose(a, [c0!, c1!]),
  "compress:axis0": (c, x) => np.compress(c, x!, { axis: 0 }),
  "compress:flat-short": (c, x) => np.compress(c, x!),
  "compress:size": (c, x) => np.compress(c, x!, { axis: 1, size: 3, fillValue: -9 }),
  extract: (c, x) => np.extract(c, x!),
  "extract:size": (c, x) => np.extract(c, x!, { size: 2 }),
  place: (x, m, v) => np.place(x, m!, v!),
  "put:fill": (x, i, v) => np.put(x, i!, v!),
  "put:clip": (x, i, v) => np.put(x, i!, v!, { mode: "clip" }),
  "put:wrap-cyclic": (x, i, v) => np.put(x, i!, v!, { mode: "wrap" }),
  "delete:list": (x) => np.delete(x, np.array([0, -1])),
  "delete:int-axis1": (x) => np.delete(x, 1, { axis: 1 }),
  "delete:slice": (x) => np.delete(x, np.s(null, null, 2), { axis: 1 }),
  "delete:flat": (x) => np.delete(x, [3, 4, 11]),
  "insert:list": (x, v) => np.insert(x, np.array([1, 1, 3]), v!),
  "insert:scalar-axis1": (x, v) => np.insert(x, 2, v!, { axis: 1 }),
  "insert:scalar-vec-axis1": (x, v) => np.insert(x, 1, v!, { axis: 1 }),
  "insert:scalar-flat": (x) => np.insert(x, -1, 99),
  "insert:list-axis0": (x) => np.insert(x, [0, 3], -1, { axis: 0 }),
  "insert:end": (x) => np.insert(x, 3, 5.5),
  ravelMultiIndex: (a, b) => np.ravelMultiIndex([a, b!], [3, 4]),
  "ravelMultiIndex:clip": (a, b) => np.ravelMultiIndex([a, b!], [2, 3], { mode: "clip" }),
  "ravelMultiIndex:wrap-F": (a, b) => np.ravelMultiIndex([a, b!], [2, 3], { mode: "wrap", order: "F" }),
  unravelIndex: (i) => np.unravelIndex(i, [2, 3, 4]),
  "unravelIndex:oob": (i) => np.unravelIndex(i, [2, 3])
}

// Functions whose output shape depends on concrete values (or that read them) run eagerly only.
const eagerOnly = /^(compress|extract|place|delete:list|insert:list$|choose:raise|ravelMultiIndex$)/

describe("np structure functions equal JAX's (golden/gen_numpy_struct.py)", () => {
  it("every golden case has a call, and every call a case", () => {
    expect(golden.cases.map((c) => c.id).sort()).toEqual(Object.keys(calls).sort())
  })
  for (const c of golden.cases) {
    it(c.id, () => {
      const f = calls[c.id]!
      const args = c.args.map(fromGolden)
      expectGoldenOut(f(...args), c.out, c.id)
      if (!eagerOnly.test(c.id) && args.length > 0) expectGoldenOut(jit(f)(...args) as Out, c.out, `jit ${c.id}`)
    })
  }
})
