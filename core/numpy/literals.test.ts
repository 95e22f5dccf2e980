/**
 * JS numbers and lists becoming arrays, against real JAX (golden/array_literals.json, written by
 * golden/array_literals.py): integers that do not fit their dtype are an OverflowError (never
 * wrapped), array casts saturate, TypedArrays keep their values, and a list holding Arrays is a
 * stack of them under grad, jit, vmap and jvp.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { type GoldenArray, goldenValues, loadGolden } from "../../golden/load.js"
import { type Array, DTypeError, grad, jit, jvp, np, OverflowError, ValueError, vmap } from "../../index.js"

interface Case {
  readonly name: string
  readonly raises: "OverflowError" | "ValueError" | null
  readonly value?: GoldenArray
  readonly values?: ReadonlyArray<GoldenArray>
}

const i32 = (v: number | number[]): Array => np.array(v, { dtype: "int32" })
const u32 = (v: number | number[]): Array => np.array(v, { dtype: "uint32" })
const f32 = (v: number | number[]): Array => np.array(v, { dtype: "float32" })

const convolve = (x: Array, w: Array): Array => {
  const output: Array[] = []
  for (let i = 1; i < x.shape[0]! - 1; i++) output.push(np.dot(x.index(np.s(i - 1, i + 2)), w))
  return np.array(output) // JAX 101's jnp.array(output)
}
const xs = np.stack([np.arange(5), np.arange(5)])
const ws = np.stack([f32([2, 3, 4]), f32([2, 3, 4])])

const jaxfx: Readonly<Record<string, () => Array | ReadonlyArray<Array>>> = {
  "array(2**31)": () => np.array(2 ** 31),
  "array(2**31 - 1)": () => np.array(2 ** 31 - 1),
  "array(-2**31)": () => np.array(-(2 ** 31)),
  "array(-2**31 - 1)": () => np.array(-(2 ** 31) - 1),
  "array([1, 2**31])": () => np.array([1, 2 ** 31]),
  "array([[1], [-2**31 - 1]])": () => np.array([[1], [-(2 ** 31) - 1]]),
  "asarray(2**31)": () => np.asarray(2 ** 31),
  "array(-1, uint32)": () => np.array(-1, { dtype: "uint32" }),
  "array([-1], uint32)": () => np.array([-1], { dtype: "uint32" }),
  "array(2**32 - 1, uint32)": () => np.array(2 ** 32 - 1, { dtype: "uint32" }),
  "array(2**32, uint32)": () => np.array(2 ** 32, { dtype: "uint32" }),
  "array(2**31, uint32)": () => np.array(2 ** 31, { dtype: "uint32" }),
  "array(1.7, int32)": () => np.array(1.7, { dtype: "int32" }),
  "array(-0.5, uint32)": () => np.array(-0.5, { dtype: "uint32" }),
  "array(-1.5, uint32)": () => np.array(-1.5, { dtype: "uint32" }),
  "array(1.5e10, int32)": () => np.array(1.5e10, { dtype: "int32" }),
  "array(inf, int32)": () => np.array(Infinity, { dtype: "int32" }),
  "array(nan, int32)": () => np.array(NaN, { dtype: "int32" }),
  "array(2**31, float32)": () => np.array(2 ** 31, { dtype: "float32" }),
  "array(2**31, bool)": () => np.array(2 ** 31, { dtype: "bool" }),
  "array([1.5, 2**31])": () => np.array([1.5, 2 ** 31]),
  "int32 + 2**31": () => i32(1).add(2 ** 31),
  "int32 + -2**31": () => i32(1).add(-(2 ** 31)),
  "int32 + (-2**31 - 1)": () => i32(1).add(-(2 ** 31) - 1),
  "int32 * 2**31 under jit": () => jit((x: Array) => x.mul(2 ** 31))(i32(1)),
  "int32 < 2**31": () => i32(1).lt(2 ** 31),
  "bool + 2**31": () => np.array(true).add(2 ** 31),
  "uint32 + -1": () => u32(1).add(-1),
  "uint32 + 2**31": () => u32(1).add(2 ** 31),
  "uint32 + 2**32": () => u32(1).add(2 ** 32),
  "float32 + 2**31": () => f32(1).add(2 ** 31),
  "maximum(int32, 2**31)": () => np.maximum(i32(1), 2 ** 31),
  "clip(int32, 0, 2**31)": () => np.clip(i32([1]), 0, 2 ** 31),
  "where(bool, int32, 2**31)": () => np.where(np.array([true]), i32([1]), 2 ** 31),
  "where(bool, uint32, -1)": () => np.where(np.array([true, false]), u32([1, 2]), -1),
  "int32.at[0].set(2**31)": () =>
    i32([0, 0])
      .at(0)
      .set(2 ** 31),
  "int32.at[0].add(2**31)": () =>
    i32([0, 0])
      .at(0)
      .add(2 ** 31),
  "uint32.at[0].set(-1)": () => u32([0, 0]).at(0).set(-1),
  "uint32.at[0].set(2**31)": () =>
    u32([0, 0])
      .at(0)
      .set(2 ** 31),
  "uint32.at[0].set(2**32)": () =>
    u32([0, 0])
      .at(0)
      .set(2 ** 32),
  "uint32.at[0].set(-2**31 - 1)": () =>
    u32([0, 0])
      .at(0)
      .set(-(2 ** 31) - 1),
  "pad(int32, constant 2**31)": () => np.pad(i32([1]), 1, { constantValues: 2 ** 31 }),
  "max(int32, initial=2**31)": () => np.max(i32([1]), { initial: 2 ** 31 }),
  "full(2, 2**31)": () => np.full(2, 2 ** 31),
  "full(2, -1, uint32)": () => np.full(2, -1, { dtype: "uint32" }),
  "full(2, 2**31, uint32)": () => np.full(2, 2 ** 31, { dtype: "uint32" }),
  "full(2, 2**32, uint32)": () => np.full(2, 2 ** 32, { dtype: "uint32" }),
  "full_like(int32, 2**31)": () => np.fullLike(i32([1]), 2 ** 31),
  "arange(2**31 - 2, 2**31 + 1)": () => np.arange(2 ** 31 - 2, 2 ** 31 + 1),
  "arange(-2, 2, uint32)": () => np.arange(-2, 2, { dtype: "uint32" }),
  "arange(2**32 - 1, 2**32 + 1, uint32)": () => np.arange(2 ** 32 - 1, 2 ** 32 + 1, { dtype: "uint32" }),
  "float32 array astype int32": () => f32([3e9, -3e9, NaN, Infinity, -1.5]).astype("int32"),
  "float32 array astype uint32": () => f32([3e9, -3e9, NaN, Infinity, -1.5]).astype("uint32"),
  "int32 array astype uint32": () => i32([-1, 5]).astype("uint32"),
  "array(uint8 bytes)": () => np.array(new Uint8Array([0, 1, 255])),
  "array(int8)": () => np.array(new Int8Array([-128, 127])),
  "array(uint16)": () => np.array(new Uint16Array([0, 65535])),
  "array([int32 x, 2**31])": () => np.array([i32(1), 2 ** 31]),
  "array([uint32 x, -1])": () => np.array([u32(1), -1]),
  "array([int32 x, 1.5])": () => np.array([i32(1), 1.5]),
  "array([int32 x, True])": () => np.array([i32(1), true]),
  "array([uint32 x, 1])": () => np.array([u32(1), 1]),
  "array([uint32 x, int32 y])": () => np.array([u32(1), i32(2)]),
  "array([weak int32 x, uint32 y])": () => np.array([np.full([], 1), u32(2)]),
  "array([[1, 2], int32[3, 4]])": () => np.array([[1, 2], i32([3, 4])]),
  "array([int32 x, 1], float32)": () => np.array([i32(1), 1], { dtype: "float32" }),
  "array([float32 x, 2], int32)": () => np.array([f32(1.5), 2], { dtype: "int32" }),
  "grad sum(array([2x, 3x])) at 1.5": () => grad((x: Array) => np.sum(np.array([x.mul(2), x.mul(3)])))(f32(1.5)),
  "jit array([2x, 3x]) at 1.5": () => jit((x: Array) => np.array([x.mul(2), x.mul(3)]))(f32(1.5)),
  "vmap array([[x, 1], [2, x]])": () =>
    vmap((x: Array) =>
      np.array([
        [x, 1],
        [2, x]
      ])
    )(f32([1, 2])),
  "grad sum(array([[x, 1], [2, x*x]])) at 1.5": () =>
    grad((x: Array) =>
      np.sum(
        np.array([
          [x, 1],
          [2, x.mul(x)]
        ])
      )
    )(f32(1.5)),
  "jvp array([x, x*x, 3]) at 2": () => jvp((x: Array) => np.array([x, x.mul(x), 3]), [f32(2)], [f32(1)]),
  "grad of a depth-3 list of rows": () =>
    grad((v: Array) => {
      const [a, b] = v
      return np.sum(np.square(np.array([[[a!, b!]], [[b!.mul(a!), 2]]])))
    })(f32([1.5, -2])),
  "jit(grad) through vmap of a list": () =>
    jit(
      grad((w: Array) => {
        const rows = vmap((x: Array) => np.array([x.mul(w.index(0)), w.index(1), x]))(f32([1, 2, 3]))
        return np.sum(np.square(rows))
      })
    )(f32([0.5, -1])),
  "JAX 101 convolve under vmap": () => vmap(convolve)(xs, ws),
  "JAX 101 convolve under jit(vmap)": () => jit(vmap(convolve))(xs, ws)
}

/**
 * Where jaxfx deliberately differs from JAX, and why. A JS number cannot say whether it is an int
 * or a float, so jaxfx checks an integer literal against the dtype it becomes (never wrapping),
 * where JAX (x64 off) first makes every Python int an int32 and, in `full`, wraps silently.
 */
const deviations: Readonly<Record<string, { readonly raises?: "OverflowError"; readonly value?: GoldenArray; readonly why: string }>> = {
  "uint32 + 2**31": { value: { dtype: "uint32", shape: [], data: [2147483649] }, why: "2**31 fits uint32; JAX refuses it only on its way through int32" },
  "uint32 + 2**32": { raises: "OverflowError", why: "same error, reached by the uint32 range" },
  "float32 + 2**31": { value: { dtype: "float32", shape: [], data: [2147483648] }, why: "2**31 in JS is also the float 2147483648.0, which JAX accepts" },
  "full(2, 2**31)": { raises: "OverflowError", why: "JAX wraps to -2**31 silently" },
  "full(2, 2**32, uint32)": { raises: "OverflowError", why: "JAX wraps to 0 silently" },
  "full_like(int32, 2**31)": { raises: "OverflowError", why: "JAX wraps to -2**31 silently" },
  "arange(2**31 - 2, 2**31 + 1)": { raises: "OverflowError", why: "JAX wraps the last value to -2**31 silently" },
  "arange(2**32 - 1, 2**32 + 1, uint32)": { raises: "OverflowError", why: "JAX wraps the last value to 0 silently" }
}

const expectSame = (got: Array, want: GoldenArray): void => {
  expect(got.dtype).toBe(want.dtype)
  expect(got.shape).toEqual(want.shape)
  expect([...got.data()]).toEqual(goldenValues(want))
}

describe("literals and lists become arrays as in JAX (golden/array_literals.json)", () => {
  const golden = loadGolden<Case>("array_literals")
  it("covers every golden case, and every deviation names one", () => {
    expect(golden.cases.map((c) => c.name).sort()).toEqual(Object.keys(jaxfx).sort())
    for (const name of Object.keys(deviations)) expect(Object.keys(jaxfx)).toContain(name)
  })
  for (const c of golden.cases) {
    const dev = deviations[c.name]
    it(dev === undefined ? c.name : `${c.name} (differs from JAX: ${dev.why})`, () => {
      const raises = dev === undefined ? c.raises : (dev.raises ?? null)
      if (raises !== null) {
        const cls = raises === "OverflowError" ? OverflowError : ValueError
        expect(jaxfx[c.name]!).toThrow(cls)
        return
      }
      const got = jaxfx[c.name]!()
      const want = dev?.value ?? c.value
      if (want === undefined) {
        const gots = got as ReadonlyArray<Array>
        expect(gots.length).toBe(c.values!.length)
        c.values!.forEach((v, i) => expectSame(gots[i]!, v))
      } else {
        expectSame(got as Array, want)
      }
    })
  }
})

describe("integer literals out of range", () => {
  it("the error says what to do and the operand is unchanged", () => {
    const x = i32([1, 2])
    let err: unknown
    try {
      x.at(0).set(2 ** 31)
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(OverflowError)
    expect((err as OverflowError)._tag).toBe("OverflowError")
    expect((err as OverflowError).message).toMatch(/2147483648 does not fit in int32/)
    expect((err as OverflowError).message).toMatch(/dtype: "float32"/)
    expect([...x.data()]).toEqual([1, 2])
  })
  it("TypedArrays without a jaxfx dtype are a DTypeError that says how to convert them", () => {
    expect(() => np.array(new BigInt64Array(2) as never)).toThrow(DTypeError)
    expect(() => np.array(new BigInt64Array(2) as never)).toThrow(/Int32Array.from\(x, Number\)/)
    expect(() => np.array(new DataView(new ArrayBuffer(4)) as never)).toThrow(DTypeError)
  })
  it("every integer in range is kept exactly, and the first one out of range is refused (property)", () => {
    const bounds = { int32: [-(2 ** 31), 2 ** 31 - 1], uint32: [0, 2 ** 32 - 1] } as const
    fc.assert(
      fc.property(fc.constantFrom("int32" as const, "uint32" as const), fc.integer({ min: 0, max: 2 ** 31 - 1 }), (d, k) => {
        const [lo, hi] = bounds[d]
        expect([...np.array([lo + k, hi - k], { dtype: d }).data()]).toEqual([lo + k, hi - k])
        expect([...np.full([1], hi - k, { dtype: d }).data()]).toEqual([hi - k])
        expect(() => np.array([0, hi + 1 + k], { dtype: d })).toThrow(OverflowError)
        expect(() => np.array(lo - 1 - k, { dtype: d })).toThrow(OverflowError)
      }),
      { numRuns: 200, seed: 10 }
    )
  })
})
