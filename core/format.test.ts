/**
 * Expected strings are NumPy's / JAX's known outputs (written by hand from NumPy's printing rules
 * and documented examples), not produced by this code.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { ShapedArray } from "./array.js"
import { type DType, typedArrayCtor } from "./dtype.js"
import { array2string, formatArray } from "./format.js"

const show = (values: ReadonlyArray<number>, shape: ReadonlyArray<number>, dtype: DType, weakType = false): string =>
  formatArray(typedArrayCtor(dtype).from(values), new ShapedArray(shape, dtype, weakType))

const range = (n: number): Array<number> => Array.from({ length: n }, (_, i) => i)

describe("formatArray: the examples from the JAX tutorials", () => {
  it("prints int32 vectors", () => {
    expect(show([0, 1, 2], [3], "int32")).toBe("Array([0, 1, 2], dtype=int32)")
    expect(show(range(10), [10], "int32")).toBe("Array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], dtype=int32)")
  })
  it("prints float scalars", () => {
    expect(show([30], [], "float32")).toBe("Array(30., dtype=float32)")
    expect(show([-0.20584226], [], "float32")).toBe("Array(-0.20584226, dtype=float32)")
  })
  it("prints integral floats with a trailing point", () => {
    expect(show([2, 4, 6, 8], [4], "float32")).toBe("Array([2., 4., 6., 8.], dtype=float32)")
  })
  it("prints float32 values with the digits of float32, not float64", () => {
    expect(show([-0.20000005, -0.19999981, -0.19999981, -0.19999981], [4], "float32")).toBe(
      "Array([-0.20000005, -0.19999981, -0.19999981, -0.19999981], dtype=float32)"
    )
    expect(show([0.1, 0.2, 0.3], [3], "float32")).toBe("Array([0.1, 0.2, 0.3], dtype=float32)")
    expect(show([1 / 3], [1], "float32")).toBe("Array([0.33333334], dtype=float32)")
    expect(show([Math.PI], [], "float32")).toBe("Array(3.1415927, dtype=float32)")
  })
  it("prints booleans", () => {
    expect(show([1, 0], [2], "bool")).toBe("Array([ True, False], dtype=bool)")
    expect(show([1], [], "bool")).toBe("Array(True, dtype=bool)")
    expect(show([0], [], "bool")).toBe("Array(False, dtype=bool)")
  })
  it("prints matrices with the continuation indent", () => {
    expect(show([1, 2, 3, 4], [2, 2], "int32")).toBe("Array([[1, 2],\n       [3, 4]], dtype=int32)")
    expect(show([11, 20, 29, 11, 20, 29], [2, 3], "float32")).toBe("Array([[11., 20., 29.],\n       [11., 20., 29.]], dtype=float32)")
  })
  it("marks weak types", () => {
    expect(show([1.5], [], "float32", true)).toBe("Array(1.5, dtype=float32, weak_type=True)")
    expect(show([1], [], "int32", true)).toBe("Array(1, dtype=int32, weak_type=True)")
  })
})

describe("formatArray: NumPy's float rules", () => {
  it("pads fractional parts on the right", () => {
    expect(show([1.5, 2.25], [2], "float32")).toBe("Array([1.5 , 2.25], dtype=float32)")
    expect(show([1.5, 2.25, 3, 4], [2, 2], "float32")).toBe("Array([[1.5 , 2.25],\n       [3.  , 4.  ]], dtype=float32)")
  })
  it("aligns signs and integer parts on the left", () => {
    expect(show([-1, 2], [2], "float32")).toBe("Array([-1.,  2.], dtype=float32)")
    expect(show([1, 1000], [2], "float32")).toBe("Array([   1., 1000.], dtype=float32)")
    expect(show([0.5, -12.25], [2], "float64")).toBe("Array([  0.5 , -12.25], dtype=float64)")
  })
  it("cuts float64 at 8 fractional digits (precision=8)", () => {
    expect(show([0.1 + 0.2], [1], "float64")).toBe("Array([0.3], dtype=float64)")
    expect(show([1 / 3], [1], "float64")).toBe("Array([0.33333333], dtype=float64)")
    expect(show([Math.PI], [], "float64")).toBe("Array(3.14159265, dtype=float64)")
    expect(show([0.123456789], [1], "float64")).toBe("Array([0.12345679], dtype=float64)")
  })
  it("prints zeros and negative zero", () => {
    expect(show([0, 0], [2], "float32")).toBe("Array([0., 0.], dtype=float32)")
    expect(show([-0], [1], "float32")).toBe("Array([-0.], dtype=float32)")
    expect(show([-0], [], "float64")).toBe("Array(-0., dtype=float64)")
  })
  it("prints nan and inf", () => {
    expect(show([NaN, Infinity, -Infinity], [3], "float32")).toBe("Array([ nan,  inf, -inf], dtype=float32)")
    expect(show([1, NaN], [2], "float32")).toBe("Array([ 1., nan], dtype=float32)")
    expect(show([NaN], [], "float32")).toBe("Array(nan, dtype=float32)")
    expect(show([1.5, Infinity], [2], "float64")).toBe("Array([1.5, inf], dtype=float64)")
  })
  it("switches to scientific notation like NumPy", () => {
    // min nonzero < 1e-4
    expect(show([1e-5, 1], [2], "float32")).toBe("Array([1.e-05, 1.e+00], dtype=float32)")
    // max >= 1e8
    expect(show([1e8], [1], "float32")).toBe("Array([1.e+08], dtype=float32)")
    expect(show([1e16], [1], "float64")).toBe("Array([1.e+16], dtype=float64)")
    // max / min > 1e3; fractional digits padded with zeros to the longest
    expect(show([0.001, 1.5], [2], "float32")).toBe("Array([1.0e-03, 1.5e+00], dtype=float32)")
    expect(show([-1e-5, 1], [2], "float64")).toBe("Array([-1.e-05,  1.e+00], dtype=float64)")
    expect(show([1e-5, NaN], [2], "float32")).toBe("Array([1.e-05,    nan], dtype=float32)")
    // three-digit exponents widen all exponents
    expect(show([1e-100, 1], [2], "float64")).toBe("Array([1.e-100, 1.e+000], dtype=float64)")
  })
  it("keeps positional notation up to the thresholds", () => {
    expect(show([1e7], [1], "float32")).toBe("Array([10000000.], dtype=float32)")
    expect(show([0.001, 1], [2], "float64")).toBe("Array([0.001, 1.   ], dtype=float64)")
  })
})

describe("formatArray: integers", () => {
  it("right-aligns to the widest element", () => {
    expect(show([-1, 10], [2], "int32")).toBe("Array([-1, 10], dtype=int32)")
    expect(show([-10, 1], [2], "int32")).toBe("Array([-10,   1], dtype=int32)")
    expect(show([4294967295, 0], [2], "uint32")).toBe("Array([4294967295,          0], dtype=uint32)")
  })
})

describe("formatArray: layout", () => {
  it("wraps long rows at 75 characters like numpy's arange(30)", () => {
    expect(show(range(30), [30], "int32")).toBe(
      "Array([ 0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14, 15, 16,\n" +
        "       17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29], dtype=int32)"
    )
  })
  it("separates the dtype with spaces when it does not fit on the line (JAX's rule)", () => {
    expect(show([0.9653214, 0.31468165, 0.63302994, 0.90845, 0.28363466], [5], "float32")).toBe(
      "Array([0.9653214 , 0.31468165, 0.63302994, 0.90845   , 0.28363466],      dtype=float32)"
    )
  })
  it("prints 3-d arrays with blank lines between blocks", () => {
    expect(show(range(8), [2, 2, 2], "int32")).toBe("Array([[[0, 1],\n        [2, 3]],\n\n       [[4, 5],\n        [6, 7]]], dtype=int32)")
  })
  it("summarizes more than 1000 elements with edgeitems=3", () => {
    expect(show(range(2000), [2000], "int32")).toBe("Array([   0,    1,    2, ..., 1997, 1998, 1999], dtype=int32)")
    expect(show(range(2000), [2000], "float32")).toBe(
      "Array([0.000e+00, 1.000e+00, 2.000e+00, ..., 1.997e+03, 1.998e+03,\n" + "       1.999e+03], dtype=float32)"
    )
    const row = "[0, 0, 0, ..., 0, 0, 0]"
    expect(show(new Array<number>(10000).fill(0), [100, 100], "int32")).toBe(
      `Array([${row},\n` + `       ${row},\n` + `       ${row},\n` + "       ...,\n" + `       ${row},\n` + `       ${row},\n` + `       ${row}], dtype=int32)`
    )
  })
  it("does not summarize exactly 1000 elements", () => {
    const s = show(range(1000), [1000], "int32")
    expect(s).not.toContain("...")
    expect(s.startsWith("Array([  0,   1,   2,")).toBe(true)
    // The last line is too long for the dtype: JAX's __repr__ then separates it with
    // ' ' * len('Array(') instead of a newline.
    expect(s.endsWith("998, 999],      dtype=int32)")).toBe(true)
    const lines = s.split("\n")
    expect(lines.length).toBe(77) // 76 full lines of 13 numbers, then 12
    for (const line of lines.slice(0, -1)) expect(line.length).toBeLessThanOrEqual(75)
  })
  it("prints empty arrays with their shape", () => {
    expect(show([], [0], "float32")).toBe("Array([], shape=(0,), dtype=float32)")
    expect(show([], [2, 0], "int32")).toBe("Array([], shape=(2, 0), dtype=int32)")
  })
})

describe("array2string", () => {
  it("uses NumPy's defaults (space separator, no prefix)", () => {
    expect(array2string(Int32Array.from([0, 1, 2]), [3], "int32")).toBe("[0 1 2]")
    expect(array2string(Float32Array.from([1.5, 2.25]), [2], "float32")).toBe("[1.5  2.25]")
    expect(array2string(Int32Array.from([1, 2, 3, 4]), [2, 2], "int32")).toBe("[[1 2]\n [3 4]]")
  })
})

describe("shortest round-trip digits (properties)", () => {
  // With a large precision, positional printing of a 0-d array is the shortest round-trip form.
  const scalar = (x: number, dtype: "float32" | "float64"): string => array2string(typedArrayCtor(dtype).from([x]), [], dtype, { print: { precision: 400 } })
  const jsFixed = (x: number): string => {
    const s = String(x)
    return s.includes(".") ? s : s + "."
  }

  it("float64: matches JavaScript's shortest representation", () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-3, max: 1e7, noNaN: true }), (x) => {
        expect(scalar(x, "float64")).toBe(jsFixed(x))
      }),
      { seed: 42, numRuns: 500 }
    )
  })

  it("float32: round-trips in float32 and no shorter decimal does", () => {
    fc.assert(
      fc.property(fc.float({ min: Math.fround(1e-3), max: Math.fround(1e7), noNaN: true }), (x) => {
        const s = scalar(x, "float32")
        expect(Math.fround(Number(s))).toBe(x)
        const digits = s.replace(".", "").replace(/^0+/, "").replace(/0+$/, "").length
        if (digits > 1) {
          // no decimal with one digit less rounds to x (check the candidates around x)
          const shorter = Number(x.toPrecision(digits - 1))
          const ulp = Number(`1e${Math.floor(Math.log10(shorter)) - (digits - 2)}`)
          for (const c of [shorter - ulp, shorter, shorter + ulp]) {
            expect(Math.fround(Number(c.toPrecision(digits - 1)))).not.toBe(x)
          }
        }
      }),
      { seed: 42, numRuns: 500 }
    )
  })
})
