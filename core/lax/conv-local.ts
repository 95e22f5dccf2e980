/**
 * `lax.convGeneralDilatedLocal`: the unshared (locally connected) convolution, built as JAX builds
 * it: the input's patches (`convGeneralDilatedPatches`) contracted with a kernel that has its own
 * weights at every output position (`dotGeneral` batched over the output's spatial axes). Both are
 * differentiable, batchable and jittable, so this is too.
 */
import type { Array } from "../array.js"
import { ShapeError } from "../errors.js"
import { checkOptions, optionKeys } from "../options.js"
import { dotGeneral } from "../primitives/dot.js"
import { moveaxis } from "../numpy/shape.js"
import { checkIntList, showShape } from "../shape.js"
import { type ConvDimensionNumbersLike, type ConvPadding, convDimensionNumbers, convGeneralDilatedPatches } from "./conv.js"

export interface ConvGeneralDilatedLocalOptions {
  /** Dilation of the input (transposed convolution), one per spatial axis; default 1s. */
  readonly lhsDilation?: ReadonlyArray<number> | null
  /** Dilation of the filter window (atrous), one per spatial axis; default 1s. */
  readonly rhsDilation?: ReadonlyArray<number> | null
  /** The layouts; default NCHW / OIHW / NCHW (in any rank). */
  readonly dimensionNumbers?: ConvDimensionNumbersLike
}
const LOCAL_KEYS = optionKeys<ConvGeneralDilatedLocalOptions>()("lhsDilation", "rhsDilation", "dimensionNumbers")

/**
 * `lax.conv_general_dilated_local(lhs, rhs, window_strides, padding, filter_shape, ...)`: a
 * convolution whose kernel differs at every output position. The rhs's spatial axes are the
 * output's spatial positions, and its "I" axis holds the input features times the receptive
 * window (feature-major, the window in the rhs string's spatial order), so for NCHW / OIHW /
 * NCHW an rhs is [outFeatures, C * prod(filterShape), outH, outW].
 *
 * @example
 * const x = np.ones([1, 2, 4, 4])                       // NCHW
 * const w = np.ones([3, 2 * 2 * 2, 3, 3])                // O, C*2*2, outH, outW
 * lax.convGeneralDilatedLocal(x, w, [1, 1], "VALID", [2, 2]).shape // [1, 3, 3, 3]
 */
export const convGeneralDilatedLocal = (
  lhs: Array,
  rhs: Array,
  windowStrides: ReadonlyArray<number>,
  padding: ConvPadding,
  filterShape: ReadonlyArray<number>,
  options?: ConvGeneralDilatedLocalOptions
): Array => {
  checkOptions("lax.convGeneralDilatedLocal", options, LOCAL_KEYS)
  if (lhs.ndim < 2 || rhs.ndim !== lhs.ndim) {
    throw new ShapeError(
      `lax.convGeneralDilatedLocal: lhs and rhs need one rank of at least 2, got shapes ${showShape(lhs.shape)} and ${showShape(rhs.shape)}.`
    )
  }
  const fs = checkIntList(filterShape, "lax.convGeneralDilatedLocal: filterShape", { min: 1, length: lhs.ndim - 2 })
  const patches = convGeneralDilatedPatches(lhs, fs, windowStrides, padding, {
    lhsDilation: options?.lhsDilation ?? null,
    rhsDilation: options?.rhsDilation ?? null,
    dimensionNumbers: options?.dimensionNumbers ?? null
  })
  const dn = convDimensionNumbers(lhs.shape, [1, 1, ...fs], options?.dimensionNumbers)
  const outSpatial = dn.outSpec.slice(2)
  // The rhs's spatial axes, taken in the order of the output's (sorted) spatial axes.
  const rhsSpatial = dn.rhsSpec.slice(2)
  const order = outSpatial.map((_, k) => k).sort((a, b) => outSpatial[a]! - outSpatial[b]!)
  const lhsBatch = [...outSpatial].sort((a, b) => a - b)
  const rhsBatch = order.map((k) => rhsSpatial[k]!)
  const out = dotGeneral(patches, rhs, { contracting: [[dn.outSpec[1]!], [dn.rhsSpec[1]!]], batch: [lhsBatch, rhsBatch] })
  return moveaxis(out, [-2, -1], [dn.outSpec[0]!, dn.outSpec[1]!])
}
