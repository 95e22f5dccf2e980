/**
 * Type-level pytrees (checked by `npm run typecheck`, which covers this file, and by vitest's
 * expectTypeOf at run time): tree.map, flatten and unflatten keep the types of registered classes
 * and records, so user code needs no casts.
 */
import { describe, expectTypeOf, it } from "vitest"
import { np, tree, type JaxArray } from "../../index.js"

class Point {
  constructor(
    readonly x: JaxArray,
    readonly y: JaxArray
  ) {}
  norm(): JaxArray {
    return np.sqrt(this.x.pow(2).add(this.y.pow(2)))
  }
}
tree.registerNode(Point, { flatten: (p) => [[p.x, p.y], null], unflatten: (_aux, [x, y]) => new Point(x as JaxArray, y as JaxArray) })

describe("tree types", () => {
  const p = new Point(np.array(3, { dtype: "float32" }), np.array(4, { dtype: "float32" }))
  const params = { w: np.ones([2]), layers: [{ b: np.zeros([2]) }] }

  it("tree.map over a registered class takes its array leaves and returns the class", () => {
    const q = tree.map((a: JaxArray) => a.mul(2), p)
    expectTypeOf(q).toEqualTypeOf<Point>()
    expectTypeOf(q.norm()).toEqualTypeOf<JaxArray>()
    expectTypeOf(tree.map((a, b) => a.add(b), p, p)).toEqualTypeOf<Point>()
  })

  it("tree.map over records keeps the record; a new leaf type maps the structure", () => {
    expectTypeOf(tree.map((a) => a.mul(2), params)).toEqualTypeOf<typeof params>()
    expectTypeOf(tree.map((a) => a.shape.length, params)).toEqualTypeOf<{ w: number; layers: { b: number }[] }>()
  })

  it("flatten and unflatten round-trip the type", () => {
    const [leaves, def] = tree.flatten(p)
    expectTypeOf(leaves).toEqualTypeOf<JaxArray[]>()
    expectTypeOf(tree.unflatten(def, leaves)).toEqualTypeOf<Point>()
    const [pl, pdef] = tree.flatten(params)
    expectTypeOf(
      tree.unflatten(
        pdef,
        pl.map((a) => a.mul(2))
      )
    ).toEqualTypeOf<typeof params>()
    expectTypeOf(tree.unflatten(tree.structure(params), pl)).toEqualTypeOf<typeof params>()
    expectTypeOf(tree.unflatten(tree.structure(params as unknown), pl)).toEqualTypeOf<unknown>()
  })
})
