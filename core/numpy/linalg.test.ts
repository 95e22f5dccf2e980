import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { type Array, grad, lax, np, ShapeError, ValueError } from "../../index.js"

// ---------------------------------------------------------------------------------------------
// Independent host references: flat JS data with a shape, nested loops.

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

/** Einstein summation by definition: loop over every assignment of every label. */
const refEinsum = (spec: string, ...ops: ReadonlyArray<Host>): Host => {
  const [lhs, out] = spec.split("->") as [string, string]
  const terms = lhs.split(",")
  const size = new Map<string, number>()
  terms.forEach((t, i) => [...t].forEach((l, d) => size.set(l, ops[i]!.shape[d]!)))
  const labels = [...size.keys()]
  const outShape = [...out].map((l) => size.get(l)!)
  const res = new globalThis.Array<number>(sizeOf(outShape)).fill(0)
  const outStr = stridesOf(outShape)
  const opStr = ops.map((o) => stridesOf(o.shape))
  const val = new Map<string, number>()
  const loop = (k: number): void => {
    if (k === labels.length) {
      let p = 1
      terms.forEach((t, i) => {
        let off = 0
        ;[...t].forEach((l, d) => (off += val.get(l)! * opStr[i]![d]!))
        p *= ops[i]!.data[off]!
      })
      let o = 0
      ;[...out].forEach((l, d) => (o += val.get(l)! * outStr[d]!))
      res[o] = res[o]! + p
      return
    }
    const l = labels[k]!
    for (let v = 0; v < size.get(l)!; v++) {
      val.set(l, v)
      loop(k + 1)
    }
  }
  loop(0)
  return { shape: outShape, data: res }
}

/** Host broadcast of `x` to `target` (NumPy trailing alignment). */
const refBroadcast = (x: Host, target: ReadonlyArray<number>): Host => {
  const off = target.length - x.shape.length
  const xs = stridesOf(x.shape)
  const ts = stridesOf(target)
  const data = globalThis.Array.from({ length: sizeOf(target) }, (_, flat) => {
    let src = 0
    for (let d = 0; d < target.length; d++) {
      const i = Math.floor(flat / ts[d]!) % target[d]!
      if (d >= off) src += (x.shape[d - off] === 1 ? 0 : i) * xs[d - off]!
    }
    return x.data[src]!
  })
  return { shape: target, data }
}

/** Naive matmul with NumPy's rules (1-D promotion, broadcast batch axes). */
const refMatmul = (a: Host, b: Host): Host => {
  const a2 = a.shape.length === 1 ? { shape: [1, a.shape[0]!], data: a.data } : a
  const b2 = b.shape.length === 1 ? { shape: [b.shape[0]!, 1], data: b.data } : b
  const ab = a2.shape.slice(0, -2)
  const bb = b2.shape.slice(0, -2)
  const nb = Math.max(ab.length, bb.length)
  const batch = globalThis.Array.from({ length: nb }, (_, i) => {
    const p = ab[i - (nb - ab.length)] ?? 1
    const q = bb[i - (nb - bb.length)] ?? 1
    return p === 1 ? q : p
  })
  const [m, k] = a2.shape.slice(-2) as [number, number]
  const n = b2.shape[b2.shape.length - 1]!
  const A = refBroadcast(a2, [...batch, m, k])
  const B = refBroadcast(b2, [...batch, k, n])
  const nbat = sizeOf(batch)
  const data: number[] = []
  for (let t = 0; t < nbat; t++) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0
        for (let q = 0; q < k; q++) s += A.data[t * m * k + i * k + q]! * B.data[t * k * n + q * n + j]!
        data.push(s)
      }
    }
  }
  const shape = [...batch, ...(a.shape.length === 1 ? [] : [m]), ...(b.shape.length === 1 ? [] : [n])]
  return { shape, data }
}

// ---------------------------------------------------------------------------------------------
// Arrays from host data (float64 so integer-valued products are exact).

const toDev = (h: Host): Array => np.reshape(np.asarray(Float64Array.from(h.data)), h.shape)
const host = (x: Array): Host => ({ shape: [...x.shape], data: [...x.data()] })
const vals = (x: Array): number[] => [...x.data()]

/** Deterministic small integers for a shape (seeded LCG). */
const fill = (shape: ReadonlyArray<number>, seed: number): Host => {
  let s = seed >>> 0
  const data = globalThis.Array.from({ length: sizeOf(shape) }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return (s % 11) - 5
  })
  return { shape, data }
}

const dimArb = fc.integer({ min: 1, max: 4 })
const hostArb = (shape: ReadonlyArray<number>): fc.Arbitrary<Host> =>
  fc.array(fc.integer({ min: -5, max: 5 }), { minLength: sizeOf(shape), maxLength: sizeOf(shape) }).map((data) => ({ shape, data }))

const expectHost = (got: Array, want: Host): void => {
  expect([...got.shape]).toEqual([...want.shape])
  expect(vals(got)).toEqual([...want.data])
}

// ---------------------------------------------------------------------------------------------

describe("dot", () => {
  it("follows jnp.dot for every rank combination (hand-computed)", () => {
    const v = np.asarray([1, 2, 3])
    const m = np.asarray([
      [1, 2, 3],
      [4, 5, 6]
    ])
    expect(np.dot(v, v).item()).toBe(14)
    expect(np.dot(v, v).shape).toEqual([])
    expect(vals(np.dot(m, v))).toEqual([14, 32])
    expect(vals(np.dot(np.asarray([1, 1]), m))).toEqual([5, 7, 9])
    const mm = np.dot(
      m,
      np.asarray([
        [1, 0],
        [0, 1],
        [1, 1]
      ])
    )
    expect(mm.toJs()).toEqual([
      [4, 5],
      [10, 11]
    ])
    expect(vals(np.dot(2, v))).toEqual([2, 4, 6])
    expect(vals(np.dot(v, np.asarray(3)))).toEqual([3, 6, 9])
    expect(np.dot(2, 3).item()).toBe(6)
  })

  it("N-D · M-D contracts a's last axis with b's second-to-last", () => {
    const a = fill([2, 3, 4], 1)
    const b = fill([5, 4, 6], 2)
    const got = np.dot(toDev(a), toDev(b))
    expect(got.shape).toEqual([2, 3, 5, 6])
    expectHost(got, refEinsum("abc,dce->abde", a, b))
    const c = fill([4], 3)
    expectHost(np.dot(toDev(a), toDev(c)), refEinsum("abc,c->ab", a, c))
    const d = fill([3], 4)
    expectHost(np.dot(toDev(d), toDev(fill([2, 3, 4], 5))), refEinsum("b,abc->ac", d, fill([2, 3, 4], 5)))
  })

  it("matches the nested-loop reference on random shapes", () => {
    fc.assert(
      fc.property(
        fc.tuple(dimArb, dimArb, dimArb, dimArb).chain(([i, j, k, l]) => fc.tuple(hostArb([i, j, k]), hostArb([l, k, j]))),
        ([a, b]) => {
          expectHost(np.dot(toDev(a), toDev(b)), refEinsum("ijk,lkm->ijlm", a, b))
        }
      ),
      { seed: 7, numRuns: 30 }
    )
  })

  it("promotes dtypes: int·float is float32, int·int stays int32, JS numbers are weak", () => {
    const i = np.asarray([1, 2])
    const f = np.asarray([0.5, 0.25])
    expect(np.dot(i, f).dtype).toBe("float32")
    expect(np.dot(i, f).item()).toBe(1)
    expect(np.dot(i, i).dtype).toBe("int32")
    expect(np.dot(f, 2).dtype).toBe("float32")
    expect(np.dot(np.asarray([1, 2], { dtype: "float64" }), f).dtype).toBe("float64")
    const b = np.asarray([true, false])
    const bb = np.dot(b, b)
    expect(bb.dtype).toBe("bool")
    expect(bb.item()).toBe(1)
  })

  it("a size mismatch names both shapes", () => {
    expect(() => np.dot(np.zeros([2, 3]), np.zeros([4, 5]))).toThrow(ShapeError)
    expect(() => np.dot(np.zeros([2, 3]), np.zeros([4, 5]))).toThrow(/\(2, 3\).*\(4, 5\)/)
  })
})

describe("matmul", () => {
  it("handles the 1-D promotion rules", () => {
    const v = np.asarray([1, 2])
    const m = np.asarray([
      [1, 2],
      [3, 4]
    ])
    expect(np.matmul(v, v).shape).toEqual([])
    expect(np.matmul(v, v).item()).toBe(5)
    expect(vals(np.matmul(m, v))).toEqual([5, 11])
    expect(vals(np.matmul(v, m))).toEqual([7, 10])
    const batched = np.matmul(np.stack([m, m, m]), v)
    expect(batched.shape).toEqual([3, 2])
    expect(vals(batched)).toEqual([5, 11, 5, 11, 5, 11])
    expect(np.matmul(v, np.stack([m, m])).shape).toEqual([2, 2])
  })

  it("broadcasts batch axes like NumPy (random shapes vs a naive loop)", () => {
    // Each batch axis is shared, 1 on one side, or missing on one side; 1-D operands appear too.
    const batchArb = fc.array(fc.tuple(dimArb, fc.constantFrom("both", "a1", "b1", "aMissing", "bMissing")), { maxLength: 3 })
    const caseArb = fc
      .record({ batch: batchArb, m: dimArb, k: dimArb, n: dimArb, aVec: fc.boolean(), bVec: fc.boolean() })
      .chain(({ batch, m, k, n, aVec, bVec }) => {
        let ab: number[] = []
        let bb: number[] = []
        let aMissing = true
        let bMissing = true
        for (const [s, how] of batch) {
          // a "missing" axis can only be missing if every axis before it is missing too.
          const aHas = !(how === "aMissing" && aMissing)
          const bHas = !(how === "bMissing" && bMissing)
          if (aHas) {
            aMissing = false
            ab.push(how === "a1" ? 1 : s)
          }
          if (bHas) {
            bMissing = false
            bb.push(how === "b1" ? 1 : s)
          }
        }
        if (aVec) ab = []
        if (bVec) bb = []
        const aShape = aVec ? [k] : [...ab, m, k]
        const bShape = bVec ? [k] : [...bb, k, n]
        return fc.tuple(hostArb(aShape), hostArb(bShape))
      })
    fc.assert(
      fc.property(caseArb, ([a, b]) => {
        expectHost(np.matmul(toDev(a), toDev(b)), refMatmul(a, b))
      }),
      { seed: 11, numRuns: 40 }
    )
  })

  it("rejects scalars and mismatched inner or batch sizes, naming both shapes", () => {
    expect(() => np.matmul(2, np.zeros([2]))).toThrow(ShapeError)
    expect(() => np.matmul(np.zeros([2, 3]), np.zeros([2, 3]))).toThrow(/\(2, 3\) and \(2, 3\)/)
    expect(() => np.matmul(np.zeros([2, 1, 3]), np.zeros([4, 3, 1]))).toThrow(/\(2, 1, 3\) and \(4, 3, 1\)/)
  })
})

describe("vdot, inner, outer, tensordot", () => {
  it("vdot flattens both operands", () => {
    const a = np.asarray([
      [1, 2],
      [3, 4]
    ])
    expect(np.vdot(a, np.asarray([1, 1, 1, 1])).item()).toBe(10)
    expect(np.vdot(a, a).item()).toBe(30)
    expect(() => np.vdot(a, np.zeros([3]))).toThrow(/\(2, 2\).*\(3,\)/)
  })

  it("inner contracts the last axes", () => {
    const a = fill([2, 3], 3)
    const b = fill([4, 3], 4)
    expectHost(np.inner(toDev(a), toDev(b)), refEinsum("ij,kj->ik", a, b))
    expect(np.inner(np.asarray([1, 2, 3]), np.asarray([4, 5, 6])).item()).toBe(32)
    expect(vals(np.inner(2, np.asarray([1, 2])))).toEqual([2, 4])
  })

  it("outer flattens and forms all products", () => {
    const o = np.outer(
      np.asarray([1, 2]),
      np.asarray([
        [1, 2],
        [3, 4]
      ])
    )
    expect(o.shape).toEqual([2, 4])
    expect(o.toJs()).toEqual([
      [1, 2, 3, 4],
      [2, 4, 6, 8]
    ])
  })

  it("tensordot with a count and with paired axes", () => {
    const a = fill([2, 3, 4], 5)
    const b = fill([3, 4, 5], 6)
    expectHost(np.tensordot(toDev(a), toDev(b)), refEinsum("ijk,jkl->il", a, b))
    expectHost(np.tensordot(toDev(a), toDev(b), 2), refEinsum("ijk,jkl->il", a, b))
    expectHost(np.tensordot(toDev(a), toDev(fill([4, 2], 7)), 1), refEinsum("ijk,kl->ijl", a, fill([4, 2], 7)))
    expectHost(np.tensordot(toDev(a), toDev(b), 0), refEinsum("ijk,lmn->ijklmn", a, b))
    const c = fill([4, 2, 3], 8)
    expectHost(
      np.tensordot(toDev(a), toDev(c), [
        [1, 2],
        [2, 0]
      ]),
      refEinsum("ijk,kmj->im", a, c)
    )
    expectHost(np.tensordot(toDev(a), toDev(c), [0, 1]), refEinsum("ijk,lim->jklm", a, c))
    expectHost(np.tensordot(toDev(a), toDev(c), [[-1], [-3]]), refEinsum("ijk,kmn->ijmn", a, c))
  })

  it("tensordot errors name both shapes", () => {
    expect(() => np.tensordot(np.zeros([2, 3]), np.zeros([2, 3]), [[1], [1, 0]])).toThrow(ShapeError)
    expect(() => np.tensordot(np.zeros([2, 3]), np.zeros([2, 3]), [[0], [1]])).toThrow(/\(2, 3\)/)
    expect(() => np.tensordot(np.zeros([2, 3]), np.zeros([2, 3]), 3)).toThrow(ShapeError)
  })
})

describe("einsum", () => {
  const a = fill([2, 3], 1)
  const b = fill([3, 4], 2)
  const sq = fill([3, 3], 3)
  const cases: ReadonlyArray<readonly [string, ReadonlyArray<Host>, string]> = [
    ["ij,jk->ik", [a, b], "ij,jk->ik"],
    ["ij,jk", [a, b], "ij,jk->ik"],
    ["bij,bjk->bik", [fill([2, 2, 3], 4), fill([2, 3, 2], 5)], "bij,bjk->bik"],
    ["ii->i", [sq], "ii->i"],
    ["ii->", [sq], "ii->"],
    ["ii", [sq], "ii->"],
    ["ij->ji", [a], "ij->ji"],
    ["ij", [a], "ij->ij"],
    ["ji", [a], "ji->ij"],
    ["i,i->", [fill([4], 6), fill([4], 7)], "i,i->"],
    ["ij->", [a], "ij->"],
    ["ij->j", [a], "ij->j"],
    ["i,j->ij", [fill([2], 8), fill([3], 9)], "i,j->ij"],
    ["ij,ij->ij", [a, fill([2, 3], 10)], "ij,ij->ij"],
    ["ij,ij->", [a, fill([2, 3], 10)], "ij,ij->"],
    ["ijk,ikl,lm->jm", [fill([2, 3, 2], 11), fill([2, 2, 3], 12), fill([3, 2], 13)], "ijk,ikl,lm->jm"],
    ["ij,jk,kl->il", [a, b, fill([4, 2], 14)], "ij,jk,kl->il"],
    ["iij,jk->ik", [fill([2, 2, 3], 15), b], "iij,jk->ik"],
    [",i->i", [{ shape: [], data: [3] }, fill([4], 16)], ",i->i"],
    ["i->", [fill([5], 17)], "i->"]
  ]
  for (const [spec, ops, refSpec] of cases) {
    it(`"${spec}" matches the nested-loop definition`, () => {
      expectHost(np.einsum(spec, ...ops.map(toDev)), refEinsum(refSpec, ...ops))
    })
  }

  it("ellipsis axes broadcast", () => {
    const x = fill([2, 1, 2, 3], 18)
    const y = fill([4, 3, 2], 19)
    const got = np.einsum("...ij,...jk->...ik", toDev(x), toDev(y))
    const bx = refBroadcast(x, [2, 4, 2, 3])
    const by = refBroadcast(y, [2, 4, 3, 2])
    expectHost(got, refEinsum("abij,abjk->abik", bx, by))
    expectHost(np.einsum("...i->...", toDev(y)), refEinsum("abi->ab", y))
    expectHost(np.einsum("i...->...", toDev(y)), refEinsum("iab->ab", y))
  })

  it("random contractions match the definition", () => {
    // Random specs: 1-3 operands over labels "abcd", each operand a random arrangement of a subset,
    // and an explicit output over a subset of the labels used.
    const letters = ["a", "b", "c", "d"]
    const specArb = fc
      .record({
        sizes: fc.tuple(dimArb, dimArb, dimArb, dimArb),
        terms: fc.array(fc.shuffledSubarray(letters, { minLength: 0, maxLength: 3 }), { minLength: 1, maxLength: 3 }),
        outPick: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
        outOrder: fc.shuffledSubarray([0, 1, 2, 3], { minLength: 4, maxLength: 4 })
      })
      .chain(({ sizes, terms, outPick, outOrder }) => {
        const used = letters.filter((l) => terms.some((t) => t.includes(l)))
        const out = outOrder.map((i) => letters[i]!).filter((l, i) => used.includes(l) && outPick[i])
        const spec = `${terms.map((t) => t.join("")).join(",")}->${out.join("")}`
        const shapes = terms.map((t) => t.map((l) => sizes[letters.indexOf(l)]!))
        return fc.tuple(fc.constant(spec), fc.tuple(...shapes.map(hostArb)))
      })
    fc.assert(
      fc.property(specArb, ([spec, ops]) => {
        expectHost(np.einsum(spec, ...ops.map(toDev)), refEinsum(spec, ...ops))
      }),
      { seed: 3, numRuns: 40 }
    )
  })

  it("promotes dtypes", () => {
    expect(np.einsum("i,i->", np.asarray([1, 2]), np.asarray([0.5, 0.5])).dtype).toBe("float32")
    expect(np.einsum("i,i->", np.asarray([1, 2]), np.asarray([3, 4])).dtype).toBe("int32")
  })

  it("reports bad subscripts and mismatched sizes", () => {
    expect(() => np.einsum("ij,jk->ik", np.zeros([2, 3]))).toThrow(ValueError)
    expect(() => np.einsum("ij->ik", np.zeros([2, 3]))).toThrow(ValueError)
    expect(() => np.einsum("ij->i", np.zeros([2, 3, 4]))).toThrow(/\(2, 3, 4\)/)
    expect(() => np.einsum("ij,jk->ik", np.zeros([2, 3]), np.zeros([4, 5]))).toThrow(/\(2, 3\).*\(4, 5\)/)
    expect(() => np.einsum("i1->i", np.zeros([2, 3]))).toThrow(ValueError)
  })
})

// ---------------------------------------------------------------------------------------------
// grad against central finite differences in float64

/**
 * Check grad of `sum(f(x) * w)` (w fixed, so every output element matters) against central
 * differences at every input element.
 */
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

describe("grad through products (float64 finite differences)", () => {
  const c23 = toDev(fill([2, 3], 40))
  const c34 = toDev(fill([3, 4], 41))
  const c3 = toDev(fill([3], 42))
  it("dot", () => {
    checkGrad((x) => np.dot(x, c34), [2, 3], 1)
    checkGrad((x) => np.dot(c23, x), [3, 4], 2)
    checkGrad((x) => np.dot(x, c3), [2, 3], 3)
    checkGrad((x) => np.dot(x, x), [3], 4)
    checkGrad((x) => np.dot(x, toDev(fill([4, 3, 2], 43))), [2, 3], 5)
  })
  it("matmul with broadcast batch axes and vectors", () => {
    checkGrad((x) => np.matmul(x, toDev(fill([2, 1, 3, 2], 44))), [3, 2, 3], 6)
    checkGrad((x) => np.matmul(toDev(fill([2, 1, 3, 2], 44)), x), [3, 2, 4], 7)
    checkGrad((x) => np.matmul(c3, x), [2, 3, 2], 8)
    checkGrad((x) => np.matmul(x, x), [2, 2, 2], 9)
  })
  it("einsum, tensordot, vdot, inner, outer", () => {
    checkGrad((x) => np.einsum("bij,bjk->bik", x, toDev(fill([2, 3, 2], 45))), [2, 2, 3], 10)
    checkGrad((x) => np.einsum("ii->i", x), [3, 3], 11)
    checkGrad((x) => np.einsum("ij,jk,kl->il", c23, x, toDev(fill([4, 2], 46))), [3, 4], 12)
    checkGrad((x) => np.einsum("...ij->...ji", x), [2, 2, 3], 13)
    checkGrad(
      (x) =>
        np.tensordot(x, toDev(fill([3, 4, 2], 47)), [
          [1, 2],
          [0, 1]
        ]),
      [2, 3, 4],
      14
    )
    checkGrad((x) => np.vdot(x, c23), [3, 2], 15)
    checkGrad((x) => np.inner(x, c23), [4, 3], 16)
    checkGrad((x) => np.outer(x, c3), [2, 2], 17)
  })
})
