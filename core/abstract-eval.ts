/**
 * A primitive's output types from its input types. Apart from primitive.ts so that trace.ts, which
 * needs it for every bind, does not import the primitive module (which itself binds): no import cycle.
 */
import { ShapedArray } from "./array.js"
import { ValueError } from "./errors.js"
import type { Params, Primitive } from "./primitive.js"
import { describe } from "./shape.js"

/**
 * The outputs of `prim` on inputs of types `avals`: its shape rule, which checks the params (a
 * typed error at bind time, whatever the interpreter), and a check of what the rule returned (a
 * user-defined rule is user code: its avals reach the code generators). Every interpreter and pass
 * asks for a primitive's output types here, never by calling the rule directly.
 */
export const abstractEval = (prim: Primitive, avals: ReadonlyArray<ShapedArray>, params: Params): ReadonlyArray<ShapedArray> => {
  const outs: unknown = prim.shapeRule(avals, params)
  if (!globalThis.Array.isArray(outs) || (!prim.multipleResults && outs.length !== 1)) {
    throw new ValueError(
      `the shape rule of ${prim.name} returned ${describe(outs)}; a shape rule returns a list of ShapedArray ` +
        `(exactly one unless the primitive was defined with multipleResults).`
    )
  }
  for (const o of outs) {
    // The constructor checked shape and dtype; anything else (a look-alike object) is refused.
    if (!(o instanceof ShapedArray)) {
      throw new ValueError(`the shape rule of ${prim.name} returned ${describe(o)} among its outputs; return new ShapedArray(shape, dtype) for each output.`)
    }
  }
  return outs as ReadonlyArray<ShapedArray>
}
