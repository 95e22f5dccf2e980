/**
 * The orthogonal initializers of jax.nn.initializers. `orthogonal` reshapes the weight shape to a
 * matrix [prod(other axes), shape[columnAxis]] and fills it with a uniformly distributed
 * (semi-)orthogonal matrix, JAX's way (jax.random.orthogonal): the Q of a QR factorization of a
 * standard normal matrix, each column's sign set by R's diagonal (which makes the distribution
 * uniform and the result independent of the QR's sign convention). `deltaOrthogonal` puts an
 * orthogonal matrix at the centre of a convolution kernel and zeros elsewhere.
 */
import type { Array } from "../../array.js"
import { ValueError } from "../../errors.js"
import { zeros } from "../../numpy/creation.js"
import { moveaxis, reshape, transpose } from "../../numpy/shape.js"
import { multiply, sign } from "../../numpy/math.js"
import { checkOptions, optionKeys } from "../../options.js"
import { constant } from "../../primitives/common.js"
import { pad } from "../../primitives/shape-ops.js"
import type { KeyArray } from "../../random/keys.js"
import * as random from "../../random/random.js"
import { normalizeAxis, showShape } from "../../shape.js"
import { householderQr } from "./qr.js"
import { floatDtype, type Initializer, type InitializerOptions, initShape, roundTo } from "./types.js"

/** A uniformly distributed [n, m] matrix with orthonormal rows (n <= m) or columns (n >= m), as jax.random.orthogonal(key, n, (), dtype, m). */
const semiOrthogonal = (key: KeyArray, n: number, m: number, dtype: "float32" | "float64"): Array => {
  const z = random.normal(key, [Math.max(n, m), Math.min(n, m)], dtype)
  const [q, d] = householderQr(z)
  const x = multiply(q, sign(d))
  return n < m ? transpose(x) : x
}

export interface OrthogonalOptions extends InitializerOptions {
  /** The axis whose vectors are orthonormal (default -1). */
  readonly columnAxis?: number | undefined
}

const orthogonalKeys = optionKeys<OrthogonalOptions>()("dtype", "columnAxis")

const checkScale = (what: string, scale: unknown): void => {
  if (typeof scale !== "number" || Number.isNaN(scale)) throw new ValueError(`nn.initializers.${what}: scale must be a number, got ${String(scale)}.`)
}

/**
 * Builds an initializer of (semi-)orthogonal matrices times `scale` (default 1): the slices along
 * `columnAxis` (default -1) are orthonormal, or the other way round when there are more columns
 * than rows. Needs at least 2 axes.
 *
 * @example
 * const w = nn.initializers.orthogonal()(random.key(0), [4, 4])
 * np.matmul(w.T, w) // the identity, to float32 rounding
 */
export const orthogonal = (scale = 1.0, options?: OrthogonalOptions): Initializer => {
  checkOptions("nn.initializers.orthogonal", options, orthogonalKeys)
  checkScale("orthogonal", scale)
  const dflt = options?.dtype ?? "float32"
  const columnAxis = options?.columnAxis ?? -1
  return (key, shapeArg, dtype = dflt) => {
    const d = floatDtype("orthogonal", dtype)
    const shape = initShape("orthogonal", shapeArg)
    if (shape.length < 2) throw new ValueError(`nn.initializers.orthogonal: needs at least a 2-D shape, got ${showShape(shape)}.`)
    const axis = normalizeAxis(columnAxis, shape.length, "nn.initializers.orthogonal: columnAxis")
    if (shape.some((s) => s === 0)) return zeros(shape, { dtype: d })
    const nCols = shape[axis]!
    const rest = shape.filter((_, i) => i !== axis)
    const nRows = rest.reduce((p, s) => p * s, 1)
    const q = reshape(semiOrthogonal(key, nRows, nCols, d), [...rest, nCols])
    return multiply(constant(roundTo(d, scale), d), moveaxis(q, -1, axis))
  }
}

/**
 * Builds a delta-orthogonal initializer for convolution kernels (3-D, 4-D or 5-D, spatial axes
 * first, then input and output channels with inputs <= outputs): an orthogonal
 * [inputs, outputs] matrix (times `scale`) at the spatial centre ((k - 1) / 2 rounded down on each
 * spatial axis), zeros elsewhere.
 *
 * @example
 * nn.initializers.deltaOrthogonal()(random.key(0), [3, 3, 4]) // w[1] orthogonal, w[0] = w[2] = 0
 */
export const deltaOrthogonal = (scale = 1.0, options?: OrthogonalOptions): Initializer => {
  checkOptions("nn.initializers.deltaOrthogonal", options, orthogonalKeys)
  checkScale("deltaOrthogonal", scale)
  const ortho = orthogonal(scale, options)
  const dflt = options?.dtype ?? "float32"
  return (key, shapeArg, dtype = dflt) => {
    const d = floatDtype("deltaOrthogonal", dtype)
    const shape = initShape("deltaOrthogonal", shapeArg)
    if (shape.length < 3 || shape.length > 5) {
      throw new ValueError(`nn.initializers.deltaOrthogonal: needs a 3-D, 4-D or 5-D shape (spatial axes, then in and out channels), got ${showShape(shape)}.`)
    }
    const fanIn = shape[shape.length - 2]!
    const fanOut = shape[shape.length - 1]!
    if (fanOut < fanIn) throw new ValueError(`nn.initializers.deltaOrthogonal: fan_in (${fanIn}) must be less or equal than fan_out (${fanOut}).`)
    const spatial = shape.slice(0, -2)
    const m = ortho(key, [fanIn, fanOut], d)
    const centred = reshape(m, [...spatial.map(() => 1), fanIn, fanOut])
    const config = [...spatial.map((k) => [Math.floor((k - 1) / 2), k - 1 - Math.floor((k - 1) / 2), 0] as const), [0, 0, 0] as const, [0, 0, 0] as const]
    return pad(centred, constant(0, d), config)
  }
}
