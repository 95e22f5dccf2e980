/** Shapes: sizes, strides, NumPy broadcasting and axis normalization. */
import { ShapeError } from "./errors.js"

export type Shape = ReadonlyArray<number>

export const showShape = (s: Shape): string => `(${s.join(", ")}${s.length === 1 ? "," : ""})`

export const sizeOf = (s: Shape): number => {
  let n = 1
  for (const d of s) n *= d
  return n
}

/** Row-major (C order) strides in elements. */
export const stridesOf = (s: Shape): Array<number> => {
  const out = new Array<number>(s.length)
  let acc = 1
  for (let i = s.length - 1; i >= 0; i--) {
    out[i] = acc
    acc *= s[i]!
  }
  return out
}

export const shapeEqual = (a: Shape, b: Shape): boolean => {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/** NumPy broadcasting of any number of shapes; a ShapeError names every shape when they clash. */
export const broadcastShapes = (...shapes: ReadonlyArray<Shape>): Array<number> => {
  let rank = 0
  for (const s of shapes) rank = Math.max(rank, s.length)
  const out = new Array<number>(rank).fill(1)
  for (const s of shapes) {
    const off = rank - s.length
    for (let i = 0; i < s.length; i++) {
      const d = s[i]!
      const o = out[off + i]!
      if (d === o || d === 1) continue
      if (o === 1) out[off + i] = d
      else {
        throw new ShapeError(
          `shapes ${shapes.map(showShape).join(" and ")} cannot be broadcast together: ` +
            `dimension ${i - s.length} is ${o} in one and ${d} in another. ` +
            `Reshape one of them (e.g. with expandDims) so that each dimension is equal or 1.`
        )
      }
    }
  }
  return out
}

/** Normalize a possibly negative axis against a rank, with a ShapeError when out of range. */
export const normalizeAxis = (axis: number, rank: number, what = "axis"): number => {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new ShapeError(`${what} ${axis} is out of bounds for an array of rank ${rank}; use an axis in [${-rank}, ${rank - 1}].`)
  }
  return axis < 0 ? axis + rank : axis
}

/** Normalize an axis option (number, list or undefined = all axes), sorted and de-duplicated. */
export const normalizeAxes = (axis: number | ReadonlyArray<number> | null | undefined, rank: number): Array<number> => {
  if (axis === undefined || axis === null) return Array.from({ length: rank }, (_, i) => i)
  const list = typeof axis === "number" ? [axis] : axis
  const out = list.map((a) => normalizeAxis(a, rank))
  if (new Set(out).size !== out.length) throw new ShapeError(`repeated axis in ${JSON.stringify(list)}; give each axis once.`)
  return out.sort((a, b) => a - b)
}
