import { describe, expect, it } from "vitest"
import { type Array as JArray, DTypeError, jit, np, ValueError, vmap } from "../../index.js"
import type { DTypeKind, DTypeName } from "../dtypes/index.js"
import { describeGoldenCalls, type GoldenCalls } from "./golden-helpers.js"

const bytes = (b: JArray): Uint8Array => b.data() as Uint8Array
const isd = (d: DTypeName, k: DTypeName | DTypeKind | ReadonlyArray<DTypeName | DTypeKind>): readonly [() => JArray, number] => [
  () => np.array(np.isdtype(d, k)),
  0
]

// Each golden id names the call (golden/numpy_bits.py makes the same one in JAX); tol: relative.
const calls: GoldenCalls = {
  "bitwiseCount int32": [(a) => np.bitwiseCount(a!), 0],
  "bitwiseCount int8": [(a) => np.bitwiseCount(a!), 0],
  "bitwiseCount uint8": [(a) => np.bitwiseCount(a!), 0],
  "bitwiseCount uint32": [(a) => np.bitwiseCount(a!), 0],
  "bitwiseCount bool": [(a) => np.bitwiseCount(a!), 0],
  packbits: [(a) => np.packbits(a!), 0],
  "packbits axis1 little": [(a) => np.packbits(a!, { axis: 1, bitorder: "little" }), 0],
  "packbits axis0": [(a) => np.packbits(a!, { axis: 0 }), 0],
  "packbits bool": [(a) => np.packbits(a!), 0],
  "packbits negative": [(a) => np.packbits(a!), 0],
  unpackbits: [(a) => np.unpackbits(a!), 0],
  "unpackbits axis1": [(a) => np.unpackbits(a!, { axis: 1 }), 0],
  "unpackbits axis0 little": [(a) => np.unpackbits(a!, { axis: 0, bitorder: "little" }), 0],
  "unpackbits count -3": [(a) => np.unpackbits(a!, { count: -3 }), 0],
  "unpackbits count 50": [(a) => np.unpackbits(a!, { count: 50 }), 0],
  "unpackbits axis1 count 5": [(a) => np.unpackbits(a!, { axis: 1, count: 5 }), 0],
  "maskIndices triu 1": [() => np.maskIndices(3, np.triu, 1), 0],
  "maskIndices tril -1": [() => np.maskIndices(4, np.tril, -1), 0],
  "maskIndices triu 0": [() => np.maskIndices(2, np.triu), 0],
  "frombuffer float32": [(b) => np.frombuffer(bytes(b!), { dtype: "float32", count: 3 }), 0],
  "frombuffer int32 offset": [(b) => np.frombuffer(bytes(b!), { dtype: "int32", offset: 12 }), 0],
  "frombuffer uint16": [(b) => np.frombuffer(bytes(b!), { dtype: "uint16" }), 0],
  "frombuffer int8 count": [(b) => np.frombuffer(bytes(b!), { dtype: "int8", count: 5, offset: 2 }), 0],
  "frombuffer float16": [(b) => np.frombuffer(bytes(b!), { dtype: "float16", count: 4 }), 0],
  "frombuffer bool": [(b) => np.frombuffer(bytes(b!), { dtype: "bool", count: 6 }), 0],
  "isdtype float32 real floating": isd("float32", "real floating"),
  "isdtype int8 ('unsigned integer', 'bool')": isd("int8", ["unsigned integer", "bool"]),
  "isdtype uint16 integral": isd("uint16", "integral"),
  "isdtype bool numeric": isd("bool", "numeric"),
  "isdtype int32 int32": isd("int32", "int32"),
  "isdtype float16 ('numeric',)": isd("float16", ["numeric"]),
  "isdtype bfloat16 real floating": isd("bfloat16", "real floating"),
  "isdtype uint8 signed integer": isd("uint8", "signed integer")
}

describeGoldenCalls("np.bitwiseCount/packbits/unpackbits/maskIndices/frombuffer/isdtype equal JAX's", "numpy_bits", calls)

describe("their errors and transformations", () => {
  it("refuses what JAX refuses", () => {
    expect(() => np.packbits(np.array([1.5]))).toThrow(DTypeError)
    expect(() => np.unpackbits(np.array([1]))).toThrow(/uint8/)
    expect(() => np.packbits(np.array([1]), { bitorder: "middle" as never })).toThrow(ValueError)
    expect(() => np.frombuffer(new Uint8Array(3), { dtype: "int32" })).toThrow(/multiple of the element size 4/)
    expect(() => np.frombuffer(new Uint8Array(4), { dtype: "int32", count: 2 })).toThrow(/smaller than requested/)
    expect(() => np.isdtype("int32", "integer" as never)).toThrow(/unknown kind/)
    expect(() => np.bitwiseCount(np.array([1.5]))).toThrow(DTypeError)
  })
  it("pack and unpack round-trip under jit and vmap", () => {
    const bits = np.array(
      [
        [1, 0, 1, 1, 0, 0, 1, 0, 1],
        [0, 1, 1, 0, 1, 0, 0, 1, 0]
      ],
      { dtype: "uint8" }
    )
    const round = (b: JArray) => np.unpackbits(np.packbits(b), { count: 9 })
    expect(jit(round)(bits.index(0)).toJs()).toEqual(bits.index(0).toJs())
    expect(vmap(round)(bits).toJs()).toEqual(bits.toJs())
    expect(
      vmap((x: JArray) => np.bitwiseCount(x))(
        np.array([
          [3, -1],
          [8, 0]
        ])
      ).toJs()
    ).toEqual([
      [2, 1],
      [1, 0]
    ])
  })
})
