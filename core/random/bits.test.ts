import { afterEach, describe, expect, it } from "vitest"
import { type GoldenArray, goldenValues, loadGolden } from "../../golden/load.js"
import { jit, random } from "../../index.js"
import { DTypeError } from "../errors.js"

// Real JAX's jax.random.bits (golden/random_bits.py): uint8 / uint16 / uint32, both threefry schemes.
interface Case {
  readonly id: string
  readonly seed: number
  readonly shape: number[]
  readonly dtype: "uint8" | "uint16" | "uint32"
  readonly partitionable: boolean
  readonly out: GoldenArray
}
const golden = loadGolden<Case>("random_bits").cases

afterEach(() => random.threefryPartitionable(true))

describe("random.bits equals JAX's bits", () => {
  for (const c of golden) {
    it(c.id, () => {
      random.threefryPartitionable(c.partitionable)
      const got = random.bits(random.key(c.seed), c.shape, c.dtype)
      expect(got.dtype).toBe(c.dtype)
      expect(got.shape).toEqual(c.shape)
      expect([...got.data()]).toEqual(goldenValues(c.out))
      const j = jit((k: ReturnType<typeof random.key>) => random.bits(k, c.shape, c.dtype))(random.key(c.seed))
      expect([...j.data()]).toEqual(goldenValues(c.out))
    })
  }
  it("uint64 is refused with a typed error (no 64-bit integers without x64)", () => {
    expect(() => random.bits(random.key(0), [2], "uint64" as never)).toThrow(DTypeError)
    expect(() => random.bits(random.key(0), [2], "uint64" as never)).toThrow(/uint64 is not offered/)
    expect(() => random.bits(random.key(0), [2], "int8" as never)).toThrow(/unsigned int dtype/)
  })
})
