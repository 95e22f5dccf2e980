import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { Array, ConcretizationError, DTypeError, grad, IndexError, jvp, ShapeError, ShapedArray, ValueError, np } from "../../index.js"
import type { IndexItem } from "./indexing.js"

const runs = { seed: 11, numRuns: 50 }

// ---------------------------------------------------------------------------------------------
// A reference implementation of NumPy/JAX indexing over plain JS data, written from the
// definition: for every output coordinate, the input coordinate it reads.

type Spec =
  | { readonly t: "int"; readonly v: number }
  | { readonly t: "slice"; readonly start: number | null; readonly stop: number | null; readonly step: number | null; readonly str: boolean }
  | { readonly t: "null" }
  | { readonly t: "ell" }
  | { readonly t: "arr"; readonly shape: ReadonlyArray<number>; readonly values: ReadonlyArray<number>; readonly js: boolean }
  | { readonly t: "mask"; readonly shape: ReadonlyArray<number>; readonly values: ReadonlyArray<boolean>; readonly js: boolean }

const prod = (s: ReadonlyArray<number>): number => s.reduce((a, b) => a * b, 1)
const strides = (s: ReadonlyArray<number>): number[] => s.map((_, i) => prod(s.slice(i + 1)))
const unflat = (f: number, s: ReadonlyArray<number>): number[] => {
  const st = strides(s)
  return s.map((d, i) => Math.floor(f / st[i]!) % d)
}

/** Nested JS arrays from flat data, for building index arrays the way users write them. */
const nest = <T>(values: ReadonlyArray<T>, shape: ReadonlyArray<number>): unknown => {
  if (shape.length === 0) return values[0]
  const inner = prod(shape.slice(1))
  return globalThis.Array.from({ length: shape[0]! }, (_, i) => nest(values.slice(i * inner, (i + 1) * inner), shape.slice(1)))
}

const toItem = (sp: Spec): IndexItem => {
  switch (sp.t) {
    case "int":
      return sp.v
    case "null":
      return null
    case "ell":
      return "..."
    case "slice":
      return sp.str ? `${sp.start ?? ""}:${sp.stop ?? ""}${sp.step === null ? "" : `:${sp.step}`}` : np.s(sp.start, sp.stop, sp.step)
    case "arr":
      return sp.js && sp.shape.length === 1 ? [...sp.values] : np.reshape(np.asarray([...sp.values], { dtype: "int32" }), [...sp.shape])
    case "mask":
      return sp.js ? (nest(sp.values, sp.shape) as ReadonlyArray<boolean>) : np.reshape(np.asarray([...sp.values]), [...sp.shape])
  }
}

/** Python's range(n)[start:stop:step], by the language reference's rules. */
const pySlice = (n: number, start: number | null, stop: number | null, step: number | null): number[] => {
  const k = step ?? 1
  const norm = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v < 0 ? v + n : v))
  const out: number[] = []
  if (k > 0) {
    const a = start === null ? 0 : norm(start, 0, n)
    const b = stop === null ? n : norm(stop, 0, n)
    for (let i = a; i < b; i += k) out.push(i)
  } else {
    const a = start === null ? n - 1 : norm(start, -1, n - 1)
    const b = stop === null ? -1 : norm(stop, -1, n - 1)
    for (let i = a; i > b; i += k) out.push(i)
  }
  return out
}

interface RefResult {
  readonly shape: number[]
  /** Flat source position of each output element; -1 where an index was out of range (drop). */
  readonly sources: number[]
}

type Axis =
  | { readonly k: "sel"; readonly dim: number; readonly picks: ReadonlyArray<number> }
  | { readonly k: "new" }
  | { readonly k: "fixed"; readonly dim: number; readonly v: number }
  | { readonly k: "adv"; readonly dim: number; readonly shape: ReadonlyArray<number>; readonly values: ReadonlyArray<number> }

const refIndex = (xShape: ReadonlyArray<number>, specs: ReadonlyArray<Spec>, mode: "clip" | "drop"): RefResult => {
  const rank = xShape.length
  const hasArr = specs.some((sp) => sp.t === "arr" || sp.t === "mask")
  const isAdv = (sp: Spec) => sp.t === "arr" || sp.t === "mask" || (hasArr && sp.t === "int")
  const advPos = specs.flatMap((sp, i) => (isAdv(sp) ? [i] : []))
  const together = advPos.every((p, i) => i === 0 || p === advPos[i - 1]! + 1)
  const used = specs.reduce((a, sp) => a + (sp.t === "int" || sp.t === "slice" || sp.t === "arr" ? 1 : sp.t === "mask" ? sp.shape.length : 0), 0)
  const axes: Axis[] = []
  let d = 0
  const full = () => {
    axes.push({ k: "sel", dim: d, picks: pySlice(xShape[d]!, null, null, null) })
    d++
  }
  for (const sp of specs) {
    if (sp.t === "null") axes.push({ k: "new" })
    else if (sp.t === "ell") for (let i = 0; i < rank - used; i++) full()
    else if (sp.t === "slice") axes.push({ k: "sel", dim: d, picks: pySlice(xShape[d++]!, sp.start, sp.stop, sp.step) })
    else if (sp.t === "int") {
      const v = sp.v < 0 ? sp.v + xShape[d]! : sp.v
      axes.push(hasArr ? { k: "adv", dim: d, shape: [], values: [v] } : { k: "fixed", dim: d, v })
      d++
    } else if (sp.t === "arr") axes.push({ k: "adv", dim: d++, shape: sp.shape, values: sp.values })
    else {
      // A mask is the tuple of its true elements' coordinates.
      const cols: number[][] = sp.shape.map(() => [])
      sp.values.forEach((b, f) => {
        if (b) unflat(f, sp.shape).forEach((c, i) => cols[i]!.push(c))
      })
      for (const col of cols) axes.push({ k: "adv", dim: d++, shape: [col.length], values: col })
    }
  }
  while (d < rank) full()
  const advs = axes.filter((a): a is Extract<Axis, { k: "adv" }> => a.k === "adv")
  const bRank = Math.max(0, ...advs.map((a) => a.shape.length))
  const B: number[] = new globalThis.Array<number>(bRank).fill(1)
  for (const a of advs) {
    a.shape.forEach((n, i) => {
      const j = bRank - a.shape.length + i
      if (n !== 1) B[j] = n
    })
  }
  // Output axes: the basic ones in order, with the broadcast block in place or first.
  type Out = { readonly k: "basic"; readonly axis: Axis } | { readonly k: "block" }
  const outs: Out[] = []
  let placed = false
  if (advs.length > 0 && !together) {
    outs.push({ k: "block" })
    placed = true
  }
  for (const a of axes) {
    if (a.k === "adv") {
      if (!placed) outs.push({ k: "block" })
      placed = true
    } else if (a.k !== "fixed") outs.push({ k: "basic", axis: a })
  }
  const shape = outs.flatMap((o) => (o.k === "block" ? B : [o.axis.k === "sel" ? o.axis.picks.length : 1]))
  const xStrides = strides(xShape)
  const sources: number[] = []
  for (let f = 0; f < prod(shape); f++) {
    const oc = unflat(f, shape)
    const coord = new globalThis.Array<number>(rank).fill(0)
    let pos = 0
    let dropped = false
    let bCoord: number[] = []
    for (const o of outs) {
      if (o.k === "block") {
        bCoord = oc.slice(pos, pos + bRank)
        pos += bRank
      } else {
        if (o.axis.k === "sel") coord[o.axis.dim] = o.axis.picks[oc[pos]!]!
        pos++
      }
    }
    for (const a of axes) {
      if (a.k === "fixed") coord[a.dim] = a.v
      if (a.k !== "adv") continue
      const off = bRank - a.shape.length
      const ac = a.shape.map((n, i) => (n === 1 ? 0 : bCoord[off + i]!))
      const n = xShape[a.dim]!
      let v = a.values[ac.reduce((acc, c, i) => acc + c * strides(a.shape)[i]!, 0)]!
      if (v < 0) v += n
      if (v < 0 || v >= n) {
        if (mode === "drop") dropped = true
        v = Math.min(n - 1, Math.max(0, v))
      }
      coord[a.dim] = v
    }
    sources.push(dropped ? -1 : coord.reduce((acc, c, i) => acc + c * xStrides[i]!, 0))
  }
  return { shape, sources }
}

// ---------------------------------------------------------------------------------------------
// Generators

const shapeArb = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: 3 })

const sliceArb = (n: number) =>
  fc.record({
    t: fc.constant("slice" as const),
    start: fc.option(fc.integer({ min: -n - 2, max: n + 2 }), { nil: null }),
    stop: fc.option(fc.integer({ min: -n - 2, max: n + 2 }), { nil: null }),
    step: fc.option(fc.constantFrom(1, 2, 3, -1, -2, -3), { nil: null }),
    str: fc.boolean()
  })
const intArb = (n: number) => fc.integer({ min: -n, max: n - 1 }).map((v) => ({ t: "int" as const, v }))
const newaxisArb = fc.constant({ t: "null" as const })

/** An index array for an axis of size n, whose shape broadcasts into `b`. */
const arrArb = (n: number, b: ReadonlyArray<number>, lo: number, hi: number) =>
  fc
    .tuple(fc.integer({ min: 0, max: b.length }), fc.array(fc.boolean(), { minLength: b.length, maxLength: b.length }), fc.boolean())
    .chain(([drop, ones, js]) => {
      const shape = b.slice(drop).map((d, i) => (ones[drop + i] ? 1 : d))
      return fc
        .array(fc.integer({ min: lo, max: hi }), { minLength: prod(shape), maxLength: prod(shape) })
        .map((values): Spec => ({ t: "arr", shape, values, js }))
    })
    .map((sp) => ({ sp, n }))

/**
 * A random index expression for a shape: each dimension gets a basic or advanced item (or is
 * left to the ellipsis / the implicit trailing slices), with new axes sprinkled in.
 */
const exprArb = (shape: ReadonlyArray<number>, opts: { advanced: boolean; lo?: number; hi?: number }) =>
  fc
    .record({
      count: fc.integer({ min: Math.max(0, shape.length - 1), max: shape.length }),
      ellipsisAt: fc.oneof({ arbitrary: fc.constant(null), weight: 2 }, { arbitrary: fc.nat(), weight: 1 }),
      newaxes: fc.array(fc.nat(), { maxLength: 2 }),
      b: fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 }),
      kinds: fc.array(
        fc.oneof(
          { arbitrary: fc.constant("int"), weight: 2 },
          { arbitrary: fc.constant("slice"), weight: 3 },
          ...(opts.advanced
            ? [
                { arbitrary: fc.constant("arr"), weight: 4 },
                { arbitrary: fc.constant("mask"), weight: 1 }
              ]
            : [])
        ),
        { minLength: 3, maxLength: 3 }
      )
    })
    .chain(({ count, ellipsisAt, newaxes, b, kinds }) => {
      // The ellipsis covers the dimensions between the leading and trailing items.
      const lead = ellipsisAt === null ? count : ellipsisAt % (count + 1)
      const dims = [...shape.slice(0, lead).map((n, i) => ({ n, i })), ...shape.slice(shape.length - (count - lead)).map((n, i) => ({ n, i: lead + i }))]
      const items = dims.map(({ n, i }) => {
        const kind = kinds[i]!
        if (kind === "arr") return arrArb(n, b, opts.lo ?? -n, opts.hi ?? n - 1).map((r) => r.sp)
        if (kind === "mask") {
          return fc
            .tuple(fc.array(fc.boolean(), { minLength: n, maxLength: n }), fc.boolean())
            .map(([values, js]): Spec => ({ t: "mask", shape: [n], values, js }))
        }
        return kind === "slice" ? sliceArb(n) : intArb(n)
      })
      return fc.tuple(...(items as fc.Arbitrary<Spec>[])).map((generated) => {
        // A mask's length depends on its values, so it only goes with int indices (which broadcast).
        const arrays = generated.filter((sp) => sp.t === "arr" || sp.t === "mask").length
        const specs = generated.map((sp): Spec => (sp.t === "mask" && arrays > 1 ? { t: "slice", start: null, stop: null, step: null, str: true } : sp))
        const out: Spec[] = [...specs]
        if (ellipsisAt !== null) out.splice(lead, 0, { t: "ell" })
        for (const p of newaxes) out.splice(p % (out.length + 1), 0, { t: "null" })
        return out
      })
    })

/** x = 1, 2, 3, ... (exact in float32), with its shape. */
const iotaArray = (shape: ReadonlyArray<number>, dtype: "float32" | "float64" = "float32"): [Array, number[]] => {
  const data = globalThis.Array.from({ length: prod(shape) }, (_, i) => i + 1)
  return [np.reshape(np.asarray(data, { dtype }), [...shape]), data]
}
// `+ 0` turns -0 into 0, so exact comparisons do not depend on the sign of zero.
const vals = (a: Array): number[] => [...a.data()].map((v) => v + 0)

// ---------------------------------------------------------------------------------------------

describe("basic indexing (ints, slices, null, ellipsis)", () => {
  it("matches the reference on random expressions", () => {
    fc.assert(
      fc.property(
        shapeArb.chain((shape) => exprArb(shape, { advanced: false }).map((specs) => ({ shape, specs }))),
        ({ shape, specs }) => {
          const [x, data] = iotaArray(shape)
          const ref = refIndex(shape, specs, "clip")
          const y = np.index(x, ...specs.map(toItem))
          expect(y.shape).toEqual(ref.shape)
          expect(vals(y)).toEqual(ref.sources.map((i) => data[i]!))
          expect(vals(x.index(...specs.map(toItem)))).toEqual(vals(y))
        }
      ),
      runs
    )
  })

  it("handles the documented forms", () => {
    const [x] = iotaArray([5])
    expect(vals(x.index("::-1"))).toEqual([5, 4, 3, 2, 1])
    expect(vals(x.index("-3:"))).toEqual([3, 4, 5])
    expect(vals(x.index("1::2"))).toEqual([2, 4])
    expect(vals(x.index(np.s(1, 3)))).toEqual([2, 3])
    expect(vals(x.index(np.s(null, null, -2)))).toEqual([5, 3, 1])
    expect(vals(x.index(" 3 : 0 : -1 "))).toEqual([4, 3, 2])
    expect(x.index(-1).shape).toEqual([])
    expect(x.index(-1).item()).toBe(5)
    expect(x.index(null, ":").shape).toEqual([1, 5])
    expect(x.index("...", null).shape).toEqual([5, 1])
    expect(x.index("4:1").shape).toEqual([0])
    const [m] = iotaArray([2, 3, 4])
    expect(m.index("...", 1).shape).toEqual([2, 3])
    expect(m.index(1, "...", "::-1", null).shape).toEqual([3, 4, 1])
    expect(np.index(m)).toBe(m)
  })
})

describe("advanced indexing (index arrays, masks)", () => {
  it("matches the reference on random expressions", () => {
    fc.assert(
      fc.property(
        shapeArb.filter((s) => s.length > 0).chain((shape) => exprArb(shape, { advanced: true }).map((specs) => ({ shape, specs }))),
        ({ shape, specs }) => {
          const [x, data] = iotaArray(shape)
          const ref = refIndex(shape, specs, "clip")
          const y = np.index(x, ...specs.map(toItem))
          expect(y.shape).toEqual(ref.shape)
          expect(vals(y)).toEqual(ref.sources.map((i) => data[i]!))
        }
      ),
      runs
    )
  })

  it("matches the reference when the advanced indices are separated (their dimensions go first)", () => {
    const separatedArb = fc
      .tuple(fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 3, maxLength: 3 }), fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 }))
      .chain(([shape, b]) => {
        const adv = (n: number) =>
          fc.oneof(
            intArb(n),
            arrArb(n, b, -n, n - 1).map((r) => r.sp)
          )
        const middle = fc.oneof(sliceArb(shape[1]!), fc.constant<Spec>({ t: "null" }))
        return fc
          .tuple(adv(shape[0]!), middle, fc.constantFrom<Spec>({ t: "slice", start: null, stop: null, step: null, str: true }, { t: "ell" }), adv(shape[2]!))
          .map(([a, m, sep, c]) => ({ shape, specs: m.t === "null" ? [a, m, sep, c] : [a, m, c] }))
      })
      .filter(({ specs }) => specs.some((sp) => sp.t === "arr"))
    fc.assert(
      fc.property(separatedArb, ({ shape, specs }) => {
        const [x, data] = iotaArray(shape)
        const ref = refIndex(shape, specs, "clip")
        const y = np.index(x, ...specs.map(toItem))
        expect(y.shape).toEqual(ref.shape)
        expect(vals(y)).toEqual(ref.sources.map((i) => data[i]!))
      }),
      runs
    )
  })

  it("clamps out-of-range entries of index arrays (as JAX's gather does) and wraps negative ones", () => {
    const [x] = iotaArray([4])
    expect(vals(x.index([0, -1, 7, -9]))).toEqual([1, 4, 4, 1])
  })

  it("follows NumPy's placement rules for the broadcast dimensions", () => {
    const [x] = iotaArray([2, 3, 4, 5])
    // Adjacent advanced indices replace their dimensions in place.
    expect(x.index(":", [0, 1], [1, 2]).shape).toEqual([2, 2, 5])
    expect(x.index(":", [[0], [1]], [1, 2]).shape).toEqual([2, 2, 2, 5])
    // Separated by a slice: the broadcast dimensions go first (ints count as advanced).
    expect(x.index(0, ":", [0, 1]).shape).toEqual([2, 3, 5])
    expect(x.index([0, 1], ":", [1, 2]).shape).toEqual([2, 3, 5])
    // A new axis or an ellipsis between them separates them too (NumPy; JAX issue 25109).
    expect(x.index(":", [0, 1], null, [1, 2]).shape).toEqual([2, 2, 1, 5])
    const [y] = iotaArray([3, 4])
    expect(y.index(null, [0, 1], "...", [1, 2]).shape).toEqual([2, 1])
    expect(y.index(null, [0, 1], [1, 2]).shape).toEqual([1, 2])
    expect(vals(y.index([[0], [2]], [1, 3]))).toEqual([2, 4, 10, 12])
  })

  it("converts masks to the indices of their true elements", () => {
    const [x] = iotaArray([2, 3])
    expect(
      vals(
        x.index([
          [true, false, true],
          [false, true, false]
        ])
      )
    ).toEqual([1, 3, 5])
    expect(vals(x.index(":", [false, true, true]))).toEqual([2, 3, 5, 6])
    expect(vals(x.index(x.gt(3)))).toEqual([4, 5, 6])
    expect(x.index([false, false]).shape).toEqual([0, 3])
    // With other index arrays, the mask's indices broadcast with them.
    expect(vals(x.index([1, 0], [true, false, true]))).toEqual([4, 3])
    expect(vals(x.at([true, false], [true, true, false]).set(0))).toEqual([0, 0, 3, 4, 5, 6])
  })

  it("indexes with uint32 arrays and empty lists", () => {
    const [x] = iotaArray([3])
    expect(vals(x.index(np.asarray([2, 0], { dtype: "uint32" })))).toEqual([3, 1])
    expect(x.index([]).shape).toEqual([0])
  })
})

describe("errors", () => {
  const [x] = iotaArray([2, 3])
  it("too many indices", () => {
    expect(() => x.index(0, 0, 0)).toThrow(IndexError)
    expect(() => x.index(0, 0, 0)).toThrow(/too many indices/)
    expect(() => x.index(0, "...", 0, 0)).toThrow(IndexError)
  })
  it("static ints out of range name the axis and size", () => {
    expect(() => x.index(2)).toThrow(IndexError)
    expect(() => x.index(":", -4)).toThrow(/index -4 is out of bounds for axis 1 with size 3/)
    expect(() => x.at(0, 3).set(1)).toThrow(IndexError)
  })
  it("float index arrays are a DTypeError", () => {
    expect(() => x.index([0.5, 1])).toThrow(DTypeError)
    expect(() => x.index(np.asarray([0, 1], { dtype: "float32" }))).toThrow(DTypeError)
    expect(() => x.at(np.asarray([0], { dtype: "float64" })).add(1)).toThrow(DTypeError)
  })
  it("malformed items", () => {
    expect(() => x.index("...", "...")).toThrow(IndexError)
    expect(() => x.index("a:b")).toThrow(IndexError)
    expect(() => x.index("1")).toThrow(IndexError)
    expect(() => x.index(0.5)).toThrow(IndexError)
    expect(() => x.index("::0")).toThrow(ValueError)
    expect(() => x.index([[0, 1]], [0, 1, 2])).toThrow(IndexError)
    expect(() => x.index([true, false, true])).toThrow(IndexError)
    expect(() => x.at(0).set(np.zeros([2]))).toThrow(ShapeError)
  })
  it("masks need concrete values: a traced mask is a ConcretizationError that points to np.where", () => {
    // A stand-in for a jit tracer: an array whose values cannot be read.
    class Traced extends Array {
      readonly aval = new ShapedArray([3], "bool")
      data(): never {
        throw new ConcretizationError("traced")
      }
    }
    expect(() => x.index(":", new Traced())).toThrow(ConcretizationError)
    expect(() => x.index(":", new Traced())).toThrow(/np\.where/)
  })
})

// ---------------------------------------------------------------------------------------------

type Op = "set" | "add" | "multiply" | "min" | "max"
const applyRef = (op: Op, a: number, b: number): number =>
  op === "set" ? b : op === "add" ? a + b : op === "multiply" ? a * b : op === "min" ? Math.min(a, b) : Math.max(a, b)

describe(".at updates", () => {
  const atArb = shapeArb
    .filter((s) => s.length > 0)
    .chain((shape) =>
      fc.record({
        shape: fc.constant(shape),
        // Index arrays with duplicates and out-of-range entries (dropped by updates).
        specs: exprArb(shape, { advanced: true, lo: -6, hi: 5 }),
        op: fc.constantFrom<Op>("set", "add", "multiply", "min", "max"),
        seed: fc.integer({ min: 1, max: 1000 }),
        scalar: fc.boolean()
      })
    )

  it("match a sequential reference (duplicates accumulate for add, last wins for set, out-of-range is dropped) and never mutate x", () => {
    fc.assert(
      fc.property(atArb, ({ shape, specs, op, seed, scalar }) => {
        const [x, data] = iotaArray(shape)
        const ref = refIndex(shape, specs, "drop")
        const upd = globalThis.Array.from({ length: prod(ref.shape) }, (_, i) => ((i * 7 + seed) % 11) - 5)
        const v = scalar ? 3 : np.reshape(np.asarray(upd, { dtype: "float32" }), ref.shape)
        const expected = [...data]
        ref.sources.forEach((src, i) => {
          if (src >= 0) expected[src] = applyRef(op, expected[src]!, scalar ? 3 : upd[i]!)
        })
        const out = np.at(x, ...specs.map(toItem))[op](v)
        expect(out.shape).toEqual(shape)
        expect(vals(out)).toEqual(expected)
        expect(vals(x)).toEqual(data)
      }),
      runs
    )
  })

  it("get equals index", () => {
    const [x] = iotaArray([3, 4])
    expect(vals(x.at("::-2", [0, 3]).get())).toEqual(vals(x.index("::-2", [0, 3])))
  })

  it("basic forms: negative steps, newaxis, ellipsis, broadcast values", () => {
    const [x, data] = iotaArray([3, 4])
    expect(vals(x.at(":", "::-2").set(np.asarray([10, 20], { dtype: "float32" })))).toEqual([1, 20, 3, 10, 5, 20, 7, 10, 9, 20, 11, 10])
    expect(vals(x.at("...", null, -1).add(100))).toEqual(data.map((d, i) => (i % 4 === 3 ? d + 100 : d)))
    expect(vals(x.at(1).set(np.asarray([[1, 2, 3, 4]])))).toEqual([1, 2, 3, 4, 1, 2, 3, 4, 9, 10, 11, 12])
    expect(vals(x.at().set(0))).toEqual(new globalThis.Array(12).fill(0))
    expect(vals(x)).toEqual(data)
  })

  it("cast values to x's dtype, and support the remaining ops", () => {
    const xi = np.asarray([1, 2, 3, 4], { dtype: "int32" })
    const r = xi.at([0, 0, 3]).add(1.9)
    expect(r.dtype).toBe("int32")
    expect(vals(r)).toEqual([3, 2, 3, 5])
    expect(vals(xi.at(2).subtract(5))).toEqual([1, 2, -2, 4])
    const d = xi.at("1:3").divide(4)
    expect(d.dtype).toBe("float32")
    expect(vals(d)).toEqual([1, 0.5, 0.75, 4])
    // The divisor is cast to x's dtype first, as in JAX.
    expect(vals(xi.at(1).divide(2.5))).toEqual([1, 1, 3, 4])
    const xf = np.asarray([1, 2, 3, 4], { dtype: "float32" })
    expect(vals(xf.at([1, 1]).divide(2))).toEqual([1, 0.5, 3, 4])
    expect(vals(xf.at(np.s(2)).power(2))).toEqual([1, 2, 9, 16])
    const xb = np.asarray([true, false, true])
    expect(vals(xb.at(1).set(true))).toEqual([1, 1, 1])
    const x0 = np.asarray(5, { dtype: "float32" })
    expect(x0.at().set(7).item()).toBe(7)
  })
})

// ---------------------------------------------------------------------------------------------
// Gradients in float64: exact references from the index map, and central finite differences
// along a random direction.

const f64 = (xs: ReadonlyArray<number>, shape: ReadonlyArray<number>) => np.reshape(np.asarray([...xs], { dtype: "float64" }), [...shape])
const rand = (seed: number, n: number): number[] => globalThis.Array.from({ length: n }, (_, i) => Math.sin(seed * 12.9898 + i * 78.233) * 2)
const dot = (a: ReadonlyArray<number>, b: ReadonlyArray<number>) => a.reduce((acc, ai, i) => acc + ai * b[i]!, 0)

/** Central difference of f along direction dir at p. */
const fd = (f: (p: Array) => Array, p: ReadonlyArray<number>, shape: ReadonlyArray<number>, dir: ReadonlyArray<number>): number => {
  const eps = 1e-6
  const plus = f(
    f64(
      p.map((v, i) => v + eps * dir[i]!),
      shape
    )
  ).item()
  const minus = f(
    f64(
      p.map((v, i) => v - eps * dir[i]!),
      shape
    )
  ).item()
  return (plus - minus) / (2 * eps)
}

describe("gradients through indexing and .at", () => {
  const gradArb = shapeArb
    .filter((s) => s.length > 0)
    .chain((shape) =>
      fc.record({
        shape: fc.constant(shape),
        specs: exprArb(shape, { advanced: true, lo: -6, hi: 5 }),
        seed: fc.integer({ min: 1, max: 1000 })
      })
    )

  it("grad of sum(index(x, ...) * w) scatters w back (with repeats) and matches finite differences", () => {
    fc.assert(
      fc.property(gradArb, ({ shape, specs, seed }) => {
        const ref = refIndex(shape, specs, "clip")
        const xs = rand(seed, prod(shape))
        const w = f64(rand(seed + 1, prod(ref.shape)), ref.shape)
        const wv = vals(w)
        const items = specs.map(toItem)
        const f = (x: Array) => np.sum(np.multiply(np.index(x, ...items), w))
        const g = grad(f)(f64(xs, shape))
        const expected = new globalThis.Array<number>(xs.length).fill(0)
        ref.sources.forEach((src, i) => (expected[src]! += wv[i]!))
        vals(g).forEach((gi, i) => expect(gi).toBeCloseTo(expected[i]!, 10))
        const dir = rand(seed + 2, xs.length)
        expect(fd(f, xs, shape, dir)).toBeCloseTo(dot(vals(g), dir), 5)
      }),
      runs
    )
  })

  it("grad through at(...).set/add: x's gradient is zero where set, the values' where they landed", () => {
    fc.assert(
      fc.property(gradArb, fc.constantFrom("set" as const, "add" as const), ({ shape, specs, seed }, op) => {
        const ref = refIndex(shape, specs, "drop")
        const xs = rand(seed, prod(shape))
        const vs = rand(seed + 3, prod(ref.shape))
        const w = f64(rand(seed + 1, prod(shape)), shape)
        const wv = vals(w)
        const items = specs.map(toItem)
        const f = (x: Array, v: Array) => np.sum(np.multiply(np.at(x, ...items)[op](v), w))
        const [gx, gv] = grad(f, { argnums: [0, 1] })(f64(xs, shape), f64(vs, ref.shape))
        const last = new Map<number, number>()
        ref.sources.forEach((src, i) => src >= 0 && last.set(src, i))
        const ex = wv.map((wi, i) => (op === "set" && last.has(i) ? 0 : wi))
        const ev = ref.sources.map((src, i) => (src < 0 ? 0 : op === "add" || last.get(src) === i ? wv[src]! : 0))
        expect(vals(gx)).toEqual(ex)
        expect(vals(gv)).toEqual(ev)
        const dx = rand(seed + 2, xs.length)
        expect(fd((x) => f(x, f64(vs, ref.shape)), xs, shape, dx)).toBeCloseTo(dot(ex, dx), 5)
        const dv = rand(seed + 4, vs.length)
        if (vs.length > 0) expect(fd((v) => f(f64(xs, shape), v), vs, ref.shape, dv)).toBeCloseTo(dot(ev, dv), 5)
      }),
      runs
    )
  })

  it("the seed example: grad of sum(at(x, 0).set(3) * y) is zero at index 0", () => {
    const y = f64([1, 2, 3], [3])
    const g = grad((x: Array) => np.sum(np.multiply(np.at(x, 0).set(3), y)))(f64([5, 6, 7], [3]))
    expect(vals(g)).toEqual([0, 2, 3])
    const gv = grad((v: Array) => np.sum(np.multiply(np.at(f64([5, 6, 7], [3]), "1:").set(v), y)))(f64([0, 0], [2]))
    expect(vals(gv)).toEqual([2, 3])
  })

  it("jvp carries tangents through index and .at (forward mode)", () => {
    const x = f64([1, 2, 3, 4, 5, 6], [2, 3])
    const t = f64([10, 20, 30, 40, 50, 60], [2, 3])
    const [y, dy] = jvp((x: Array) => x.index("::-1", [0, 2, 2]), [x], [t])
    expect(vals(y)).toEqual([4, 6, 6, 1, 3, 3])
    expect(vals(dy)).toEqual([40, 60, 60, 10, 30, 30])
    const [, du] = jvp((v: Array) => x.at([1, 1, 0], -1).set(v), [f64([7, 8, 9], [3])], [f64([1, 2, 3], [3])])
    expect(vals(du)).toEqual([0, 0, 3, 0, 0, 2])
  })

  it("min/max/multiply gradients with unique indices", () => {
    const x = f64([1, 5, 3], [3])
    const gmax = grad((v: Array) => np.sum(np.at(x, [0, 1]).max(v)))(f64([4, 2], [2]))
    expect(vals(gmax)).toEqual([1, 0])
    const gmul = grad((x: Array) => np.sum(np.at(x, [2, 0]).multiply(f64([10, 100], [2]))))(x)
    expect(vals(gmul)).toEqual([100, 1, 10])
  })

  // JAX refuses this derivative (scatter_mul needs unique_indices=True); jaxfx computes it: the
  // derivative along one factor of a position is the product of the position's other factors.
  it("multiply's gradient in the updates with repeated indices (zeros among them too)", () => {
    const x = f64([1.5, 2, 3], [3])
    const w = f64([1, 2, 3], [3])
    const loss = (v: Array) => np.sum(np.multiply(np.at(x, [0, 2, 0, 0]).multiply(v), w))
    // out[0] = 1.5 v0 v2 v3, out[2] = 3 v1: d/dv0 = 1.5 v2 v3, d/dv1 = 3 * 3, ...
    expect(vals(grad(loss)(f64([2, 5, 7, 11], [4])))).toEqual([1.5 * 7 * 11, 9, 1.5 * 2 * 11, 1.5 * 2 * 7])
    // one zero factor: only its own derivative survives; two zeros: none does
    expect(vals(grad(loss)(f64([2, 5, 0, 11], [4])))).toEqual([0, 9, 1.5 * 2 * 11, 0])
    expect(vals(grad(loss)(f64([0, 5, 0, 11], [4])))).toEqual([0, 9, 0, 0])
    // and forward mode agrees, with the operand's tangent too
    const [, t] = jvp((a: Array, v: Array) => np.at(a, [1, 1]).multiply(v), [x, f64([3, 4], [2])], [f64([1, 1, 1], [3]), f64([1, 0], [2])])
    expect(vals(t)).toEqual([1, 12 + 2 * 4, 1])
  })
})
