import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { type Array, DTypeError, grad, IndexError, jit, lax, np, ShapeError } from "../../index.js"

// ---------------------------------------------------------------------------------------------
// Host helpers and independent references

interface Host {
  readonly shape: ReadonlyArray<number>
  readonly data: ReadonlyArray<number>
}
const sizeOf = (s: ReadonlyArray<number>): number => s.reduce((a, b) => a * b, 1)
const stridesOf = (s: ReadonlyArray<number>): number[] => {
  const out = s.map(() => 1)
  for (let i = s.length - 2; i >= 0; i--) out[i] = out[i + 1]! * s[i + 1]!
  return out
}
const unravel = (flat: number, shape: ReadonlyArray<number>): number[] => {
  const st = stridesOf(shape)
  return shape.map((d, i) => Math.floor(flat / st[i]!) % d)
}
const ravelIdx = (idx: ReadonlyArray<number>, shape: ReadonlyArray<number>): number => {
  const st = stridesOf(shape)
  return idx.reduce((acc, v, i) => acc + v * st[i]!, 0)
}
/** Build a host array whose element at each multi-index is `at(index)`. */
const build = (shape: ReadonlyArray<number>, at: (idx: number[]) => number): Host => ({
  shape,
  data: globalThis.Array.from({ length: sizeOf(shape) }, (_, f) => at(unravel(f, shape)))
})
const get = (h: Host, idx: ReadonlyArray<number>): number => h.data[ravelIdx(idx, h.shape)]!

const fill = (shape: ReadonlyArray<number>, seed: number): Host => {
  let s = seed >>> 0
  return {
    shape,
    data: globalThis.Array.from({ length: sizeOf(shape) }, () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0
      return (s % 19) - 9
    })
  }
}
const toDev = (h: Host): Array => np.reshape(np.asarray(Float64Array.from(h.data)), h.shape)
const vals = (x: Array): number[] => [...x.data()]
const expectHost = (got: Array, want: Host): void => {
  expect([...got.shape]).toEqual([...want.shape])
  expect(vals(got)).toEqual([...want.data])
}
const shapeArb = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 })
const iota = (n: number): Array => np.asarray(Int32Array.from({ length: n }, (_, i) => i))

// ---------------------------------------------------------------------------------------------

describe("reshape and axes", () => {
  it("reshape infers one -1 and names both shapes when it cannot", () => {
    const x = iota(12)
    expect(np.reshape(x, [3, -1]).shape).toEqual([3, 4])
    expect(np.reshape(x, [-1]).shape).toEqual([12])
    expect(np.reshape(x, [2, -1, 3]).shape).toEqual([2, 2, 3])
    expect(vals(np.reshape(x, [3, 4]))).toEqual(vals(x))
    expect(np.reshape(np.asarray([5]), []).shape).toEqual([])
    expect(() => np.reshape(x, [5, -1])).toThrow(ShapeError)
    expect(() => np.reshape(x, [5, -1])).toThrow(/\(12,\).*\(5, -1\)/)
    expect(() => np.reshape(x, [-1, -1])).toThrow(ShapeError)
    expect(() => np.reshape(x, [5, 2])).toThrow(/\(12,\).*\(5, 2\)/)
    expect(np.ravel(np.reshape(x, [3, 4])).shape).toEqual([12])
  })

  it("transpose (default reverses), swapaxes and moveaxis match a host permutation", () => {
    fc.assert(
      fc.property(
        shapeArb.chain((s) =>
          fc.tuple(
            fc.constant(s),
            fc.shuffledSubarray(
              s.map((_, i) => i),
              { minLength: s.length, maxLength: s.length }
            )
          )
        ),
        ([shape, perm]) => {
          const h = fill(shape, 5)
          const x = toDev(h)
          expectHost(
            np.transpose(x, perm),
            build(
              perm.map((p) => shape[p]!),
              (idx) =>
                get(
                  h,
                  perm.map((_, i) => idx[perm.indexOf(i)]!)
                )
            )
          )
          const rev = [...perm.keys()].reverse()
          expectHost(
            np.transpose(x),
            build(
              rev.map((p) => shape[p]!),
              (idx) => get(h, [...idx].reverse())
            )
          )
          // moveaxis(x, 0, -1) puts axis 0 last.
          const moved = np.moveaxis(x, 0, -1)
          expectHost(
            moved,
            build([...shape.slice(1), shape[0]!], (idx) => get(h, [idx[idx.length - 1]!, ...idx.slice(0, -1)]))
          )
          const sw = np.swapaxes(x, 0, -1)
          const swapped = (idx: number[]): number[] => {
            const c = [...idx]
            const t = c[0]!
            c[0] = c[c.length - 1]!
            c[c.length - 1] = t
            return c
          }
          expectHost(
            sw,
            build(swapped([...shape]), (idx) => get(h, swapped(idx)))
          )
        }
      ),
      { seed: 7, numRuns: 30 }
    )
  })

  it("moveaxis with several axes keeps the others in order", () => {
    const x = np.zeros([2, 3, 4, 5])
    expect(np.moveaxis(x, [0, 1], [-1, -2]).shape).toEqual([4, 5, 3, 2])
    expect(np.moveaxis(x, [3, 0], [0, 1]).shape).toEqual([5, 2, 3, 4])
    expect(() => np.moveaxis(x, [0, 1], [2])).toThrow(ShapeError)
    expect(() => np.transpose(x, [0, 1])).toThrow(/\(2, 3, 4, 5\)/)
    expect(() => np.transpose(x, [0, 0, 1, 2])).toThrow(ShapeError)
  })

  it("squeeze and expandDims", () => {
    const x = np.zeros([1, 3, 1, 2])
    expect(np.squeeze(x).shape).toEqual([3, 2])
    expect(np.squeeze(x, 0).shape).toEqual([3, 1, 2])
    expect(np.squeeze(x, [0, -2]).shape).toEqual([3, 2])
    expect(() => np.squeeze(x, 1)).toThrow(/size 3/)
    expect(np.expandDims(np.zeros([3]), 0).shape).toEqual([1, 3])
    expect(np.expandDims(np.zeros([3]), -1).shape).toEqual([3, 1])
    expect(np.expandDims(np.zeros([3, 4]), [0, 2]).shape).toEqual([1, 3, 1, 4])
    expect(np.expandDims(np.zeros([3, 4]), [-1, 0]).shape).toEqual([1, 3, 4, 1])
    expect(() => np.expandDims(np.zeros([3]), 3)).toThrow(ShapeError)
  })

  it("broadcastTo and broadcastArrays", () => {
    expect(np.broadcastTo(np.asarray([1, 2, 3]), [2, 3]).toJs()).toEqual([
      [1, 2, 3],
      [1, 2, 3]
    ])
    expect(np.broadcastTo(np.asarray([[1], [2]]), [2, 2]).toJs()).toEqual([
      [1, 1],
      [2, 2]
    ])
    expect(() => np.broadcastTo(np.zeros([3]), [2, 4])).toThrow(/\(3,\).*\(2, 4\)/)
    expect(() => np.broadcastTo(np.zeros([2, 3]), [3])).toThrow(ShapeError)
    const [a, b] = np.broadcastArrays(np.asarray([[1], [2]]), np.asarray([1.5, 2.5, 3.5])) as [Array, Array]
    expect(a.shape).toEqual([2, 3])
    expect(b.shape).toEqual([2, 3])
    expect(a.dtype).toBe("int32")
    expect(b.toJs()).toEqual([
      [1.5, 2.5, 3.5],
      [1.5, 2.5, 3.5]
    ])
    expect(() => np.broadcastArrays(np.zeros([2]), np.zeros([3]))).toThrow(ShapeError)
  })
})

describe("joining and splitting", () => {
  const a = np.asarray([
    [1, 2],
    [3, 4]
  ])
  const b = np.asarray([[5, 6]])
  it("concatenate along an axis, flattened, and with promotion", () => {
    expect(np.concatenate([a, b]).toJs()).toEqual([
      [1, 2],
      [3, 4],
      [5, 6]
    ])
    expect(np.concatenate([a, np.transpose(b)], { axis: 1 }).toJs()).toEqual([
      [1, 2, 5],
      [3, 4, 6]
    ])
    expect(np.concatenate([a, np.transpose(b)], -1).toJs()).toEqual([
      [1, 2, 5],
      [3, 4, 6]
    ])
    expect(vals(np.concatenate([a, b], null))).toEqual([1, 2, 3, 4, 5, 6])
    expect(vals(np.concatenate([a, b], { axis: null }))).toEqual([1, 2, 3, 4, 5, 6])
    const mixed = np.concatenate([np.asarray([1, 2]), np.asarray([0.5])])
    expect(mixed.dtype).toBe("float32")
    expect(vals(mixed)).toEqual([1, 2, 0.5])
    expect(() => np.concatenate([a, b], 1)).toThrow(/\(2, 2\).*\(1, 2\)/)
    expect(() => np.concatenate([np.asarray(1), np.asarray(2)])).toThrow(ShapeError)
  })

  it("stack, hstack, vstack", () => {
    expect(np.stack([np.asarray([1, 2]), np.asarray([3, 4])]).toJs()).toEqual([
      [1, 2],
      [3, 4]
    ])
    expect(np.stack([np.asarray([1, 2]), np.asarray([3, 4])], 1).toJs()).toEqual([
      [1, 3],
      [2, 4]
    ])
    expect(np.stack([np.asarray([1, 2]), np.asarray([3, 4])], { axis: -1 }).toJs()).toEqual([
      [1, 3],
      [2, 4]
    ])
    expect(np.stack([np.asarray(1), np.asarray(2)]).toJs()).toEqual([1, 2])
    expect(() => np.stack([np.zeros([2]), np.zeros([3])])).toThrow(/\(2,\).*\(3,\)/)
    expect(vals(np.hstack([np.asarray([1, 2]), np.asarray([3])]))).toEqual([1, 2, 3])
    expect(np.hstack([a, np.transpose(b)]).toJs()).toEqual([
      [1, 2, 5],
      [3, 4, 6]
    ])
    expect(np.vstack([np.asarray([1, 2]), np.asarray([3, 4])]).toJs()).toEqual([
      [1, 2],
      [3, 4]
    ])
    expect(np.vstack([a, b]).shape).toEqual([3, 2])
  })

  it("split into equal sections or at points (NumPy slice rules)", () => {
    const x = iota(6)
    expect(np.split(x, 3).map(vals)).toEqual([
      [0, 1],
      [2, 3],
      [4, 5]
    ])
    expect(np.split(x, [1, 4]).map(vals)).toEqual([[0], [1, 2, 3], [4, 5]])
    expect(np.split(x, [-2]).map(vals)).toEqual([
      [0, 1, 2, 3],
      [4, 5]
    ])
    expect(np.split(x, [4, 2, 10]).map(vals)).toEqual([[0, 1, 2, 3], [], [2, 3, 4, 5], []])
    const m = np.reshape(iota(12), [3, 4])
    const cols = np.split(m, 2, { axis: 1 })
    expect(cols.map((c) => c.toJs())).toEqual([
      [
        [0, 1],
        [4, 5],
        [8, 9]
      ],
      [
        [2, 3],
        [6, 7],
        [10, 11]
      ]
    ])
    expect(np.split(m, [1], 0).map((c) => c.shape)).toEqual([
      [1, 4],
      [2, 4]
    ])
    expect(() => np.split(x, 4)).toThrow(/\(6,\).*4 equal sections/)
    expect(np.arraySplit(iota(7), 3).map(vals)).toEqual([
      [0, 1, 2],
      [3, 4],
      [5, 6]
    ])
  })

  it("split and concatenate round-trip on random shapes", () => {
    fc.assert(
      fc.property(shapeArb, fc.nat(3), fc.array(fc.integer({ min: -5, max: 6 }), { maxLength: 3 }), (shape, ax, points) => {
        const axis = ax % shape.length
        const h = fill(shape, 9)
        const x = toDev(h)
        const pieces = np.split(x, points, axis)
        expect(pieces.length).toBe(points.length + 1)
        // NumPy: pieces are x[p_k : p_{k+1}] along the axis with Python slice bounds.
        const n = shape[axis]!
        const clamp = (i: number) => Math.min(n, Math.max(0, i < 0 ? i + n : i))
        const bounds = [0, ...points, n]
        pieces.forEach((p, k) => {
          const s = clamp(bounds[k]!)
          const e = Math.max(s, clamp(bounds[k + 1]!))
          const want = build(
            shape.map((d, i) => (i === axis ? e - s : d)),
            (idx) =>
              get(
                h,
                idx.map((v, i) => (i === axis ? v + s : v))
              )
          )
          expectHost(p, want)
        })
        const sorted = points.map((p) => (p < 0 ? p + n : p)).every((p, i, ps) => p >= 0 && p <= n && (i === 0 || p >= ps[i - 1]!))
        if (sorted) expectHost(np.concatenate(pieces, axis), h)
      }),
      { seed: 13, numRuns: 30 }
    )
  })
})

describe("tile, repeat, flip", () => {
  it("tile aligns reps and shape from the right", () => {
    expect(vals(np.tile(np.asarray([1, 2]), 2))).toEqual([1, 2, 1, 2])
    expect(np.tile(np.asarray([1, 2]), [2, 2]).toJs()).toEqual([
      [1, 2, 1, 2],
      [1, 2, 1, 2]
    ])
    expect(np.tile(np.asarray([[1], [2]]), 2).toJs()).toEqual([
      [1, 1],
      [2, 2]
    ])
    expect(np.tile(np.asarray([[1, 2]]), [2, 1, 1]).shape).toEqual([2, 1, 2])
    fc.assert(
      fc.property(shapeArb, fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 4 }), (shape, reps) => {
        const h = fill(shape, 3)
        const rank = Math.max(shape.length, reps.length)
        const s = [...globalThis.Array<number>(rank - shape.length).fill(1), ...shape]
        const r = [...globalThis.Array<number>(rank - reps.length).fill(1), ...reps]
        const want = build(
          s.map((d, i) => d * r[i]!),
          (idx) =>
            h.data[
              ravelIdx(
                idx.map((v, i) => v % s[i]!),
                s
              )
            ]!
        )
        expectHost(np.tile(toDev(h), reps), want)
      }),
      { seed: 17, numRuns: 30 }
    )
  })

  it("repeat with one count, per-element counts, and flattening", () => {
    expect(vals(np.repeat(np.asarray([1, 2]), 2))).toEqual([1, 1, 2, 2])
    expect(
      vals(
        np.repeat(
          np.asarray([
            [1, 2],
            [3, 4]
          ]),
          2
        )
      )
    ).toEqual([1, 1, 2, 2, 3, 3, 4, 4])
    expect(
      np
        .repeat(
          np.asarray([
            [1, 2],
            [3, 4]
          ]),
          2,
          1
        )
        .toJs()
    ).toEqual([
      [1, 1, 2, 2],
      [3, 3, 4, 4]
    ])
    expect(
      np
        .repeat(
          np.asarray([
            [1, 2],
            [3, 4]
          ]),
          [1, 2],
          { axis: 0 }
        )
        .toJs()
    ).toEqual([
      [1, 2],
      [3, 4],
      [3, 4]
    ])
    expect(vals(np.repeat(np.asarray([1, 2, 3]), np.asarray([0, 2, 1])))).toEqual([2, 2, 3])
    expect(np.repeat(np.asarray([1, 2]), [0, 0]).shape).toEqual([0])
    expect(np.repeat(np.asarray([1, 2]), 0).shape).toEqual([0])
    expect(() => np.repeat(np.asarray([1, 2, 3]), [1, 2])).toThrow(/\(3,\)/)
    fc.assert(
      fc.property(shapeArb, fc.nat(3), fc.integer({ min: 0, max: 3 }), (shape, ax, k) => {
        const axis = ax % shape.length
        const h = fill(shape, 4)
        const want = build(
          shape.map((d, i) => (i === axis ? d * k : d)),
          (idx) =>
            get(
              h,
              idx.map((v, i) => (i === axis ? Math.floor(v / k) : v))
            )
        )
        expectHost(np.repeat(toDev(h), k, axis), want)
      }),
      { seed: 19, numRuns: 30 }
    )
  })

  it("flip reverses the given axes (default all)", () => {
    const m = np.asarray([
      [1, 2, 3],
      [4, 5, 6]
    ])
    expect(np.flip(m).toJs()).toEqual([
      [6, 5, 4],
      [3, 2, 1]
    ])
    expect(np.flip(m, 0).toJs()).toEqual([
      [4, 5, 6],
      [1, 2, 3]
    ])
    expect(np.flip(m, -1).toJs()).toEqual([
      [3, 2, 1],
      [6, 5, 4]
    ])
    expect(np.flip(m, [0, 1]).toJs()).toEqual([
      [6, 5, 4],
      [3, 2, 1]
    ])
  })
})

describe("pad", () => {
  it("constant mode with every padWidth form", () => {
    expect(vals(np.pad(np.asarray([1, 2]), 1))).toEqual([0, 1, 2, 0])
    expect(vals(np.pad(np.asarray([1, 2]), [1, 2]))).toEqual([0, 1, 2, 0, 0])
    expect(vals(np.pad(np.asarray([1, 2]), [[2, 0]]))).toEqual([0, 0, 1, 2])
    expect(
      np
        .pad(
          np.asarray([[1]]),
          [
            [1, 0],
            [0, 1]
          ],
          { constantValues: 7 }
        )
        .toJs()
    ).toEqual([
      [7, 7],
      [1, 7]
    ])
    expect(np.pad(np.asarray([[1]]), 1, { mode: "constant", constantValues: [2, 3] }).toJs()).toEqual([
      [2, 2, 3],
      [2, 1, 3],
      [2, 3, 3]
    ])
    expect(() =>
      np.pad(np.zeros([2, 2]), [
        [1, 1],
        [1, 1],
        [1, 1]
      ])
    ).toThrow(/\(2, 2\)/)
    expect(() => np.pad(np.zeros([2]), -1)).toThrow(ShapeError)
  })

  it("edge, reflect, symmetric and wrap modes (NumPy's results)", () => {
    const x = np.asarray([1, 2, 3])
    expect(vals(np.pad(x, 2, { mode: "edge" }))).toEqual([1, 1, 1, 2, 3, 3, 3])
    expect(vals(np.pad(x, 2, { mode: "reflect" }))).toEqual([3, 2, 1, 2, 3, 2, 1])
    expect(vals(np.pad(x, 2, { mode: "symmetric" }))).toEqual([2, 1, 1, 2, 3, 3, 2])
    expect(vals(np.pad(x, 2, { mode: "wrap" }))).toEqual([2, 3, 1, 2, 3, 1, 2])
    expect(
      np
        .pad(
          np.asarray([
            [1, 2],
            [3, 4]
          ]),
          [
            [1, 0],
            [0, 1]
          ],
          { mode: "edge" }
        )
        .toJs()
    ).toEqual([
      [1, 2, 2],
      [1, 2, 2],
      [3, 4, 4]
    ])
  })
})

describe("take", () => {
  const m = np.asarray([
    [1, 2, 3],
    [4, 5, 6]
  ])
  it("flattens by default, takes along an axis, wraps negatives", () => {
    expect(vals(np.take(m, [2, 0]))).toEqual([3, 1])
    expect(np.take(m, [2, 0], { axis: 1 }).toJs()).toEqual([
      [3, 1],
      [6, 4]
    ])
    expect(np.take(m, np.asarray([[1], [0]]), { axis: 0 }).shape).toEqual([2, 1, 3])
    expect(np.take(m, -1, { axis: 1 }).toJs()).toEqual([3, 6])
    expect(np.take(m, np.asarray([-1, -3]), { axis: 1 }).toJs()).toEqual([
      [3, 1],
      [6, 4]
    ])
    expect(np.take(m, 1, { axis: 0 }).shape).toEqual([3])
  })

  it("out-of-bounds modes: fill (default), clip, wrap", () => {
    const f = np.asarray([1.5, 2.5, 3.5])
    expect(vals(np.take(f, [0, 3, -4]))).toEqual([1.5, NaN, NaN])
    expect(vals(np.take(m, [0, 7]))).toEqual([1, -2147483648])
    expect(vals(np.take(f, [5], { fillValue: -1 }))).toEqual([-1])
    expect(vals(np.take(f, [5, -1], { mode: "clip" }))).toEqual([3.5, 1.5])
    expect(vals(np.take(f, [4, -1, -5], { mode: "wrap" }))).toEqual([2.5, 3.5, 2.5])
    expect(() => np.take(f, np.asarray([0.5]))).toThrow(DTypeError)
    expect(() => np.take(np.zeros([0]), [0])).toThrow(IndexError)
    expect(np.take(f, np.asarray(Int32Array.from([]))).shape).toEqual([0])
  })

  it("matches a host gather on random shapes", () => {
    fc.assert(
      fc.property(shapeArb, fc.nat(3), fc.array(fc.integer({ min: -4, max: 3 }), { minLength: 1, maxLength: 4 }), (shape, ax, idx) => {
        const axis = ax % shape.length
        const n = shape[axis]!
        const h = fill(shape, 6)
        const want = build(
          shape.map((d, i) => (i === axis ? idx.length : d)),
          (p) => {
            const j = idx[p[axis]!]!
            const k = j < 0 ? j + n : j
            return k >= 0 && k < n
              ? get(
                  h,
                  p.map((v, i) => (i === axis ? k : v))
                )
              : NaN
          }
        )
        expectHost(np.take(toDev(h), idx, { axis }), want)
      }),
      { seed: 23, numRuns: 30 }
    )
  })
})

describe("isclose, allclose, arrayEqual", () => {
  it("follows |a - b| <= atol + rtol |b| with inf and nan rules", () => {
    const a = np.asarray([1, 1 + 1e-6, 1.1, Infinity, -Infinity, Infinity, NaN, NaN], { dtype: "float64" })
    const b = np.asarray([1, 1, 1, Infinity, -Infinity, -Infinity, 1, NaN], { dtype: "float64" })
    expect(vals(np.isclose(a, b))).toEqual([1, 1, 0, 1, 1, 0, 0, 0])
    expect(vals(np.isclose(a, b, { equalNan: true }))).toEqual([1, 1, 0, 1, 1, 0, 0, 1])
    expect(np.isclose(a, b).dtype).toBe("bool")
    expect(vals(np.isclose(np.asarray([1.0, 2.0]), 1.05, { atol: 0.1 }))).toEqual([1, 0])
    expect(vals(np.isclose(np.asarray([1, 2]), np.asarray([1, 3])))).toEqual([1, 0])
  })

  it("allclose and arrayEqual return bool scalar Arrays (JAX's), usable under jit", () => {
    expect(np.allclose(np.asarray([1, 2]), np.asarray([1, 2 + 1e-7])).toJs()).toBe(true)
    expect(np.allclose(np.asarray([1, 2]), np.asarray([1, 2.1])).toJs()).toBe(false)
    expect(np.allclose(np.asarray([1, 2]), np.asarray([1, 2.1]), { rtol: 0.1 }).toJs()).toBe(true)
    expect(np.allclose(np.asarray([[1], [1]]), np.asarray([1, 1, 1])).toJs()).toBe(true)
    expect(np.allclose(np.asarray([NaN]), np.asarray([NaN])).toJs()).toBe(false)
    expect(np.allclose(np.asarray([NaN]), np.asarray([NaN]), { equalNan: true }).toJs()).toBe(true)
    expect(() => np.allclose(np.zeros([2]), np.zeros([3]))).toThrow(ShapeError)
    expect(np.arrayEqual(np.asarray([1, 2]), np.asarray([1.0, 2.0])).toJs()).toBe(true)
    expect(np.arrayEqual(np.asarray([1, 2]), np.asarray([1, 3])).toJs()).toBe(false)
    expect(np.arrayEqual(np.asarray([1, 2]), np.asarray([[1, 2]])).toJs()).toBe(false)
    expect(np.arrayEqual(np.asarray([NaN]), np.asarray([NaN])).toJs()).toBe(false)
    expect(np.arrayEqual(np.asarray([NaN]), np.asarray([NaN]), { equalNan: true }).toJs()).toBe(true)
    const t = np.arrayEqual(np.asarray([1, 2]), np.asarray([1, 2]))
    expect([t.dtype, t.shape]).toEqual(["bool", []])
    expect(jit((a: Array, b: Array) => np.allclose(a, b))(np.asarray([1, 2]), np.asarray([1, 2.5])).toJs()).toBe(false)
    expect(jit((a: Array, b: Array) => np.arrayEqual(a, b))(np.asarray([1, 2]), np.asarray([1, 2])).toJs()).toBe(true)
    expect(
      np
        .arrayEquiv(
          np.asarray([1, 2]),
          np.asarray([
            [1, 2],
            [1, 2]
          ])
        )
        .toJs()
    ).toBe(true)
    expect(
      np
        .arrayEquiv(
          np.asarray([1, 2]),
          np.asarray([
            [1, 2],
            [1, 3]
          ])
        )
        .toJs()
    ).toBe(false)
    expect(np.arrayEquiv(np.asarray([1, 2]), np.asarray([1, 2, 3])).toJs()).toBe(false)
    expect(np.arrayEqual(np.zeros([0]), np.zeros([0])).toJs()).toBe(true)
  })
})

// ---------------------------------------------------------------------------------------------
// grad against central finite differences in float64

const checkGrad = (f: (x: Array) => Array, shape: ReadonlyArray<number>, seed: number): void => {
  const x0 = fill(shape, seed).data.map((v, i) => v / 3 + 0.1 * i)
  const out = f(toDev({ shape, data: x0 }))
  const w = toDev({ shape: out.shape, data: fill(out.shape, seed + 1).data.map((v) => v + 0.5) })
  const loss = (x: Array): Array =>
    lax.reduceSum(
      lax.mul(f(x), w),
      out.shape.map((_, i) => i)
    )
  const g = vals(grad(loss)(toDev({ shape, data: x0 })))
  const h = 1e-6
  x0.forEach((_, i) => {
    const xp = x0.map((v, j) => (j === i ? v + h : v))
    const xm = x0.map((v, j) => (j === i ? v - h : v))
    const fd = (loss(toDev({ shape, data: xp })).item() - loss(toDev({ shape, data: xm })).item()) / (2 * h)
    expect(Math.abs(g[i]! - fd)).toBeLessThan(1e-6 * (1 + Math.abs(fd)))
  })
}

describe("grad through shape functions (float64 finite differences)", () => {
  const c = toDev(fill([2, 3], 50))
  it("concatenate and stack", () => {
    checkGrad((x) => np.concatenate([x, c, x], 0), [1, 3], 1)
    checkGrad((x) => np.concatenate([c, x], { axis: null }), [2, 2], 2)
    checkGrad((x) => np.stack([x, c, x], 1), [2, 3], 3)
  })
  it("split (each piece weighted differently)", () => {
    checkGrad(
      (x) => {
        const [p, q, r] = np.split(x, [1, 3], 1) as [Array, Array, Array]
        return np.concatenate([lax.mul(p, np.asarray(2, { dtype: "float64" })), q, lax.mul(r, r)], 1)
      },
      [2, 4],
      4
    )
  })
  it("pad in every mode", () => {
    checkGrad(
      (x) =>
        np.pad(
          x,
          [
            [1, 2],
            [0, 1]
          ],
          { constantValues: 3 }
        ),
      [2, 3],
      5
    )
    checkGrad((x) => np.pad(x, 2, { mode: "edge" }), [2, 3], 6)
    checkGrad(
      (x) =>
        np.pad(
          x,
          [
            [1, 1],
            [2, 1]
          ],
          { mode: "reflect" }
        ),
      [2, 3],
      7
    )
    checkGrad((x) => np.pad(x, 2, { mode: "wrap" }), [3], 8)
  })
  it("take, tile, repeat, flip", () => {
    checkGrad((x) => np.take(x, [2, 0, 2, -1], { axis: 1 }), [2, 3], 9)
    checkGrad(
      (x) =>
        np.take(
          x,
          np.asarray([
            [0, 5],
            [3, 3]
          ])
        ),
      [2, 3],
      10
    )
    checkGrad((x) => np.tile(x, [2, 1, 2]), [2, 3], 11)
    checkGrad((x) => np.repeat(x, 3, 0), [2, 2], 12)
    checkGrad((x) => np.repeat(x, [2, 0, 1], 1), [2, 3], 13)
    checkGrad((x) => np.flip(x, 1), [2, 3], 14)
    checkGrad((x) => np.transpose(np.reshape(x, [3, -1])), [2, 3], 15)
  })
})
