/**
 * The jax.nn functions beyond their golden values (golden.test.ts) and laws (laws/catalog.ts):
 * dtypes, the clip in standardize's fast variance, dotProductAttention's reference semantics on
 * small hand-checked cases, jit/vmap agreement with masks and lengths, and the typed errors for
 * bad arguments and options.
 */
import { describe, expect, it } from "vitest"
import { type Array, grad, jit, nn, np, random, vmap } from "../../index.js"
import { tagOf } from "../test-helpers.js"

const f32 = (v: Parameters<typeof np.asarray>[0]): Array => np.asarray(v, { dtype: "float32" })
const vals = (a: Array): number[] => [...a.data()].map(Number)

describe("dtypes", () => {
  it("hardTanh and identity keep integer dtypes; the others compute in float32", () => {
    expect(nn.hardTanh(np.array([-3, 0, 2])).dtype).toBe("int32")
    expect(vals(nn.hardTanh(np.array([-3, 0, 2])))).toEqual([-1, 0, 1])
    expect(nn.identity(np.array([1, 2])).dtype).toBe("int32")
    for (const f of [nn.celu, nn.mish, nn.softSign, nn.squareplus, nn.hardSigmoid, nn.hardSilu, nn.sparsePlus, nn.sparseSigmoid, nn.log1mexp]) {
      expect(f(np.array([1, 2])).dtype, f.name).toBe("float32")
    }
    expect(nn.celu(np.array([1], { dtype: "float64" })).dtype).toBe("float64")
    expect(nn.hardSwish).toBe(nn.hardSilu)
  })
})

describe("standardize", () => {
  it("clips the one-pass variance at 0, so a constant row of large values gives finite numbers, not NaN", () => {
    // mean(x²) - mean(x)² rounds to a negative number far below -epsilon for this row in float32
    const row = f32([[123.4, 123.4, 123.4]])
    const meanSq = np.mean(np.square(row), { axis: -1 }).item()
    const sqMean = np.square(np.mean(row, { axis: -1 })).item()
    expect(meanSq - sqMean).toBeLessThan(-1e-5)
    vals(nn.standardize(row)).forEach((v) => expect(Number.isFinite(v)).toBe(true))
    // the stable algorithm has no such problem
    expect(vals(nn.standardize(row, { algorithm: "stable" }))).toEqual([0, 0, 0])
  })

  it("normalizes along the given axes to mean 0 and variance 1 (up to epsilon)", () => {
    const x = random.normal(random.key(3), [3, 4, 5]).mul(3).add(2)
    const y = nn.standardize(x, { axis: [1, 2], epsilon: 0 })
    vals(np.mean(y, { axis: [1, 2] })).forEach((m) => expect(Math.abs(m)).toBeLessThan(1e-5))
    vals(np.var(y, { axis: [1, 2] })).forEach((v) => expect(v).toBeCloseTo(1, 4))
  })
})

describe("dotProductAttention", () => {
  it("with one key it returns that key's value whatever the logits", () => {
    const q = random.normal(random.key(0), [2, 3, 2, 4])
    const k = random.normal(random.key(1), [2, 1, 2, 4])
    const v = random.normal(random.key(2), [2, 1, 2, 4])
    const out = nn.dotProductAttention(q, k, v)
    expect(vals(out)).toEqual(vals(np.broadcastTo(v, [2, 3, 2, 4])))
  })

  it("causal: the first query sees only the first key; float64 reference for the last one", () => {
    const q = f32([[[[1, 0]], [[0, 1]], [[1, 1]]]]) // [1, 3, 1, 2]
    const k = f32([[[[1, 0]], [[0, 2]], [[1, -1]]]])
    const v = f32([[[[1, 2]], [[3, 4]], [[5, 6]]]])
    const out = nn.dotProductAttention(q, k, v, { isCausal: true })
    expect(vals(out).slice(0, 2)).toEqual([1, 2])
    // last query: logits [1, 2, 0] / sqrt(2)
    const e = [1, 2, 0].map((l) => Math.exp(l / Math.SQRT2))
    const z = e[0]! + e[1]! + e[2]!
    const want = [(e[0]! * 1 + e[1]! * 3 + e[2]! * 5) / z, (e[0]! * 2 + e[1]! * 4 + e[2]! * 6) / z]
    vals(out)
      .slice(4)
      .forEach((o, i) => expect(o).toBeCloseTo(want[i]!, 5))
  })

  it("grouped-query heads equal full attention with each key/value head repeated", () => {
    const q = random.normal(random.key(4), [2, 3, 4, 2])
    const k = random.normal(random.key(5), [2, 3, 2, 2])
    const v = random.normal(random.key(6), [2, 3, 2, 2])
    const grouped = nn.dotProductAttention(q, k, v, { isCausal: true })
    const full = nn.dotProductAttention(q, np.repeat(k, 2, 2), np.repeat(v, 2, 2), { isCausal: true })
    vals(grouped).forEach((g, i) => expect(g).toBeCloseTo(vals(full)[i]!, 6))
  })

  it("jit and vmap over a batch agree with eager, with masks and sequence lengths", () => {
    const q = random.normal(random.key(7), [3, 2, 4, 2, 2])
    const k = random.normal(random.key(8), [3, 2, 4, 1, 2])
    const f = (q: Array, k: Array) =>
      nn.dotProductAttention(q, k, k, { isCausal: true, keyValueSeqLengths: np.array([2, 4]), querySeqLengths: np.array([3, 1]), localWindowSize: [2, 0] })
    const eager = [0, 1, 2].map((i) => vals(f(q.index(i), k.index(i))))
    expect(vals(vmap(f)(q, k))).toEqual(eager.flat())
    expect(vals(jit(f)(q.index(1), k.index(1)))).toEqual(eager[1])
    // rows past the query length are zero, and so is their gradient
    const g = grad((q: Array) => np.sum(f(q, k.index(0))))(q.index(0))
    expect(vals(g.index(1, "1:"))).toEqual(new globalThis.Array(3 * 4).fill(0))
  })

  it("returnResidual gives the logsumexp of the scaled logits, shape [B, T, N]", () => {
    const q = random.normal(random.key(9), [1, 2, 1, 3])
    const k = random.normal(random.key(10), [1, 4, 1, 3])
    const [out, lse] = nn.dotProductAttention(q, k, k, { returnResidual: true })
    expect(out.shape).toEqual([1, 2, 1, 3])
    expect(lse.shape).toEqual([1, 2, 1])
    const logits = np.einsum("tqh,sh->ts", q.reshape([2, 1, 3]), k.reshape([4, 3])).div(Math.sqrt(3))
    vals(lse).forEach((l, i) => expect(l).toBeCloseTo(vals(nn.logsumexp(logits.index(i)))[0]!, 5))
  })

  it("bad arguments are typed errors", () => {
    const q = np.zeros([1, 2, 4, 3])
    const k = np.zeros([1, 2, 2, 3])
    expect(tagOf(() => nn.dotProductAttention(q, k, k.astype("float64")), "dtypes differ")).toBe("DTypeError")
    expect(tagOf(() => nn.dotProductAttention(q, np.zeros([1, 2, 3, 3]), np.zeros([1, 2, 3, 3])), "4 heads over 3")).toBe("ShapeError")
    expect(tagOf(() => nn.dotProductAttention(q, k, np.zeros([1, 3, 2, 3])), "value shape")).toBe("ShapeError")
    expect(tagOf(() => nn.dotProductAttention(np.zeros([1, 2, 4, 5]), k, k), "head size")).toBe("ShapeError")
    expect(tagOf(() => nn.dotProductAttention(q, k, k, { mask: np.ones([1, 1, 2, 2]) }), "float mask")).toBe("DTypeError")
    expect(tagOf(() => nn.dotProductAttention(q, k, k, { bias: np.ones([1, 3, 2, 2]) }), "3 bias heads")).toBe("ShapeError")
    expect(tagOf(() => nn.dotProductAttention(q, k, k, { keyValueSeqLengths: f32([1]) }), "float lengths")).toBe("DTypeError")
    expect(tagOf(() => nn.dotProductAttention(q, k, k, { querySeqLengths: np.array([1, 2]) }), "lengths per batch row")).toBe("ShapeError")
    expect(tagOf(() => nn.dotProductAttention(q, k, k, { implementation: "cudnn" }), "cudnn")).toBe("ValueError")
    expect(tagOf(() => nn.dotProductAttention(q, k, k, { localWindowSize: 1.5 }), "window")).toBe("ValueError")
    expect(tagOf(() => nn.dotProductAttention(q, k, k, { causal: true } as never), "typo")).toBe("ValueError")
    expect(tagOf(() => nn.dotProductAttention(np.zeros([1, 1, 2, 4, 3]), k, k), "rank 5")).toBe("ShapeError")
  })
})

describe("errors", () => {
  it("glu needs an even axis; options are checked", () => {
    expect(tagOf(() => nn.glu(np.zeros([2, 3])), "odd axis")).toBe("ValueError")
    expect(tagOf(() => nn.glu(np.zeros([2, 4]), { axes: 0 } as never), "typo")).toBe("ValueError")
    expect(tagOf(() => nn.standardize(np.zeros([2]), { algorithm: "exact" } as never), "algorithm")).toBe("ValueError")
    expect(tagOf(() => nn.standardize(np.zeros([2]), { eps: 1 } as never), "typo")).toBe("ValueError")
    expect(tagOf(() => nn.standardize(np.zeros([2, 3]), { where: np.ones([2, 3, 1]) }), "where grows x")).toBe("ShapeError")
    expect(tagOf(() => nn.logmeanexp(np.zeros([2]), { keepDims: true } as never), "typo")).toBe("ValueError")
  })
})
