/**
 * The types a user of the Effect layer sees (checked by `npm run typecheck`, which covers this
 * file, and by expectTypeOf): transform's params record is keyed by the declared paths, optim's
 * updates are typed as the params tree.
 */
import { Effect } from "effect"
import { describe, expect, expectTypeOf, it } from "vitest"
import { grad, np, random, type Array as JaxfxArray, type JaxArray } from "../index.js"
import { Init, module, optim, Param, type Params, transform, withParamPaths } from "./index.js"

const linear = (x: JaxArray) =>
  module("linear")(
    Effect.gen(function* () {
      const w = yield* Param.get("w", [x.shape[1]!, 3], Init.normal(0.1))
      return np.matmul(x, w)
    })
  )

describe("effects types", () => {
  const x = np.ones([2, 4])

  it("withParamPaths types transform's params by the model's paths", () => {
    const model = transform(withParamPaths<"linear/w">()(linear))
    const params = model.init(random.key(0), x)
    expectTypeOf(params).toEqualTypeOf<Params<"linear/w">>()
    expectTypeOf(params["linear/w"]).toEqualTypeOf<JaxArray>()
    expect(params["linear/w"].shape).toEqual([4, 3])
    // @ts-expect-error: a record without the model's paths
    expect(() => model.apply({ "linear/v": x }, null, x)).toThrow(/"linear\/w" is missing/)
    expectTypeOf(transform(linear).init(random.key(0), x)).toEqualTypeOf<Params<string>>()
  })

  it("optim.applyUpdates takes updates typed as the params", () => {
    const params = { w: np.ones([3]), b: np.zeros([]) }
    const loss = (p: typeof params) => np.sum(p.w.mul(2)).add(p.b)
    const opt = optim.sgd(0.1)
    const [updates] = opt.update(grad(loss)(params), opt.init(params))
    expectTypeOf(optim.applyUpdates(params, updates)).toEqualTypeOf<typeof params>()
    // @ts-expect-error: updates must have the params' structure
    expect(() => optim.applyUpdates(params, { w: np.ones([3]) })).toThrow()
  })

  it("JaxArray is jaxfx's Array under a name that leaves the global Array alone", () => {
    expectTypeOf<JaxArray>().toEqualTypeOf<JaxfxArray>()
    const xs: Array<number> = [1, 2]
    expect(np.array(xs)).toBeInstanceOf(np.array(0).constructor)
  })
})
