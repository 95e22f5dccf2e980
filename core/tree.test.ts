import fc from "fast-check"
import { describe, expect, expectTypeOf, it } from "vitest"
import { Array as JaxArray, ShapedArray } from "./array.js"
import type { AnyTypedArray } from "./dtype.js"
import { TreeError } from "./errors.js"
import * as tree from "./tree.js"

/** A minimal concrete jaxfx Array (no backend needed): must be a leaf. */
class FakeArray extends JaxArray {
  readonly aval = new ShapedArray([2], "float32")
  data(): AnyTypedArray {
    return Float32Array.of(1, 2)
  }
}

class Point {
  constructor(
    readonly x: unknown,
    readonly y: unknown
  ) {}
}
tree.registerNode(Point, {
  flatten: (p) => [[p.x, p.y], null],
  unflatten: (_aux, [x, y]) => new Point(x, y)
})

/** A node with auxiliary data: the names of its fields. */
class Record_ {
  constructor(readonly fields: Readonly<Record<string, unknown>>) {}
}
tree.registerNode(Record_, {
  name: "Record",
  flatten: (r) => {
    const names = Object.keys(r.fields)
    return [names.map((n) => r.fields[n]), names]
  },
  unflatten: (names: ReadonlyArray<string>, children) => new Record_(Object.fromEntries(names.map((n, i) => [n, children[i]])))
})

class SubPoint extends Point {}

const throwsTreeError = (f: () => unknown): TreeError => {
  try {
    f()
  } catch (e) {
    expect(e).toBeInstanceOf(TreeError)
    return e as TreeError
  }
  throw new Error("expected a TreeError")
}

describe("flatten / unflatten", () => {
  it("flattens objects in sorted key order and prints like PyTreeDef", () => {
    const [leaves, def] = tree.flatten({ b: [1, 2], a: 3 })
    expect(leaves).toEqual([3, 1, 2])
    expect(def.toString()).toBe("PyTreeDef({'a': *, 'b': [*, *]})")
    expect(def.numLeaves).toBe(3)
    expect(def.numNodes).toBe(5)
  })

  it("rebuilds objects with sorted keys, like JAX", () => {
    const [leaves, def] = tree.flatten({ z: 1, a: 2, m: { y: 3, b: 4 } })
    const back = tree.unflatten(def, leaves) as { readonly m: object }
    expect(back).toEqual({ z: 1, a: 2, m: { y: 3, b: 4 } })
    expect(Object.keys(back)).toEqual(["a", "m", "z"])
    expect(Object.keys(back.m)).toEqual(["b", "y"])
  })

  it("treats null and undefined as nodes without children (like None)", () => {
    expect(tree.structure(null).toString()).toBe("PyTreeDef(None)")
    expect(tree.leaves(null)).toEqual([])
    expect(tree.leaves([null, 1, undefined, { a: null }])).toEqual([1])
    const [leaves, def] = tree.flatten([null, 1, undefined])
    expect(def.toString()).toBe("PyTreeDef([None, *, undefined])")
    expect(tree.unflatten(def, leaves)).toStrictEqual([null, 1, undefined])
    expect(tree.structure(null).equals(tree.structure(undefined))).toBe(false)
  })

  it("prints leaves, empty containers and nesting", () => {
    expect(tree.structure(1).toString()).toBe("PyTreeDef(*)")
    expect(tree.structure([]).toString()).toBe("PyTreeDef([])")
    expect(tree.structure({}).toString()).toBe("PyTreeDef({})")
    expect(tree.structure([1, [2, [3]], { "it's": 4 }]).toString()).toBe('PyTreeDef([*, [*, [*]], {"it\'s": *}])')
  })

  it("treats everything that is not a container as a leaf", () => {
    const f = (x: number): number => x
    const arr = new FakeArray()
    const date = new Date(0)
    const m = new Map([[1, 2]])
    const typed = Float32Array.of(1, 2, 3)
    class Unregistered {
      readonly a = 1
    }
    const u = new Unregistered()
    const leaves = tree.leaves([1, true, 2n, "s", f, arr, date, m, typed, u])
    expect(leaves).toHaveLength(10)
    expect(leaves[5]).toBe(arr)
    expect(leaves[9]).toBe(u)
    expect(tree.structure(arr).isLeaf()).toBe(true)
  })

  it("treats objects with a null prototype as containers", () => {
    const o = Object.create(null) as Record<string, unknown>
    o["b"] = 1
    o["a"] = 2
    expect(tree.leaves(o)).toEqual([2, 1])
  })

  it("keeps an own __proto__ key a key", () => {
    const o = JSON.parse('{"__proto__": 1, "a": 2}') as unknown
    const [leaves, def] = tree.flatten(o)
    expect(leaves).toEqual([1, 2])
    const back = tree.unflatten(def, [10, 20]) as object
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype)
    expect(Object.keys(back)).toEqual(["__proto__", "a"])
  })

  it("honours isLeaf", () => {
    const isPair = (x: unknown): boolean => Array.isArray(x) && x.length === 2
    const [leaves, def] = tree.flatten([[1, 2], [3, [4, 5]], 6], { isLeaf: isPair })
    expect(leaves).toEqual([[1, 2], [3, [4, 5]], 6])
    expect(def.toString()).toBe("PyTreeDef([*, *, *])")
    expect(tree.structure([1, 2], { isLeaf: isPair }).toString()).toBe("PyTreeDef(*)")
    const [l2, d2] = tree.flatten([1, [null, 2], 3], { isLeaf: (x) => x === null })
    expect(l2).toEqual([1, null, 2, 3])
    expect(d2.toString()).toBe("PyTreeDef([*, [*, *], *])")
  })

  it("rejects the wrong number of leaves with a TreeError that shows the structure", () => {
    const def = tree.structure({ a: 1, b: [2, 3] })
    const e = throwsTreeError(() => tree.unflatten(def, [1, 2]))
    expect(e.message).toContain("PyTreeDef({'a': *, 'b': [*, *]})")
    expect(e.message).toContain("3 leaves")
    expect(e.message).toContain("2 were given")
    throwsTreeError(() => def.unflatten([1, 2, 3, 4]))
  })

  it("rejects reference cycles", () => {
    const a: Array<unknown> = [1]
    a.push({ back: a })
    const e = throwsTreeError(() => tree.flatten(a))
    expect(e.message).toContain("cycle")
    expect(e.message).toContain("[1]['back']")
    // a shared (non-cyclic) subtree is fine
    const shared = [1, 2]
    expect(tree.leaves([shared, shared])).toEqual([1, 2, 1, 2])
  })
})

describe("registered nodes", () => {
  it("flattens and rebuilds registered classes", () => {
    const [leaves, def] = tree.flatten(new Point(1, [2, 3]))
    expect(leaves).toEqual([1, 2, 3])
    expect(def.toString()).toBe("PyTreeDef(CustomNode(Point[None], [*, [*, *]]))")
    const back = tree.unflatten(def, [4, 5, 6])
    expect(back).toBeInstanceOf(Point)
    expect(back).toEqual(new Point(4, [5, 6]))
  })

  it("compares auxiliary data", () => {
    const a = tree.structure(new Record_({ w: 1, b: 2 }))
    const b = tree.structure(new Record_({ w: 3, b: 4 }))
    const c = tree.structure(new Record_({ b: 3, w: 4 }))
    expect(a.toString()).toBe("PyTreeDef(CustomNode(Record[['w', 'b']], [*, *]))")
    expect(a.equals(b)).toBe(true)
    expect(a.equals(c)).toBe(false)
    expect(a.equals(tree.structure(new Point(1, 2)))).toBe(false)
    const e = throwsTreeError(() => tree.map((x: unknown) => x, new Record_({ w: 1, b: 2 }), new Record_({ b: 3, w: 4 })))
    expect(e.message).toContain("auxiliary data")
  })

  it("matches the exact class only (subclasses are leaves)", () => {
    expect(tree.structure(new SubPoint(1, 2)).toString()).toBe("PyTreeDef(*)")
    expect(tree.isRegistered(Point)).toBe(true)
    expect(tree.isRegistered(SubPoint)).toBe(false)
  })

  it("refuses duplicate and built-in registrations", () => {
    const reg = { flatten: (p: Point) => [[p.x, p.y], null] as const, unflatten: () => new Point(0, 0) }
    expect(throwsTreeError(() => tree.registerNode(Point, reg)).message).toContain("already registered")
    throwsTreeError(() => tree.registerNode(JaxArray, { flatten: () => [[], null], unflatten: () => new FakeArray() }))
  })
})

describe("map", () => {
  it("maps one tree", () => {
    expect(tree.map((x) => x * 2, { a: 1, b: [2, 3], c: null })).toEqual({ a: 2, b: [4, 6], c: null })
    expect(tree.map((x) => x + 1, 1)).toBe(2)
    expect(tree.map((x) => x, [] as Array<number>)).toEqual([])
  })

  it("maps several trees leaf by leaf", () => {
    expect(tree.map((x, y) => x + y, [1, { c: 2 }], [10, { c: 20 }])).toEqual([11, { c: 22 }])
    expect(tree.map((x, y, z) => `${x}${y}${z}`, [1, 2], ["a", "b"], [true, false])).toEqual(["1atrue", "2bfalse"])
  })

  it("passes whole subtrees of the other trees where the first has leaves", () => {
    expect(tree.map((x, y) => [x, y], [1, 2], [[3, 4], { a: 5 }])).toEqual([
      [1, [3, 4]],
      [2, { a: 5 }]
    ])
  })

  it("maps jaxfx arrays as leaves", () => {
    const a = new FakeArray()
    const out = tree.map((x) => x.shape, { w: a, b: [a] })
    expect(out).toEqual({ w: [2], b: [[2]] })
  })

  it("rejects mismatched structures with both structures in the message", () => {
    const e1 = throwsTreeError(() => tree.map((x: number, y: number) => x + y, { a: 1, b: [2, 3] }, { a: 1, b: [2, 3, 4] }))
    expect(e1.message).toContain("['b']")
    expect(e1.message).toContain("expected an array of length 2, got an array of length 3")
    expect(e1.message).toContain("PyTreeDef({'a': *, 'b': [*, *]})")
    expect(e1.message).toContain("PyTreeDef({'a': *, 'b': [*, *, *]})")
    expect(e1.message).toContain("argument 3")

    const e2 = throwsTreeError(() => tree.map((x: number, y: number) => x + y, { a: 1, b: 2 }, { a: 1, c: 2 }))
    expect(e2.message).toContain("missing keys ['b']")
    expect(e2.message).toContain("unexpected keys ['c']")

    const e3 = throwsTreeError(() => tree.map((x: unknown, y: unknown) => [x, y], [1, [2]], [1, 2]))
    expect(e3.message).toContain("at [1]: expected an array of length 1, got a leaf (number)")

    throwsTreeError(() => tree.map((x: unknown, y: unknown) => [x, y], [null], [1]))
    throwsTreeError(() => tree.map((x: unknown, y: unknown) => [x, y], [null], [undefined]))
  })

  it("mapWith honours isLeaf", () => {
    const out = tree.mapWith({ isLeaf: (x) => x === null }, (x) => (x === null ? 0 : x), [1, null, { a: null }])
    expect(out).toEqual([1, 0, { a: 0 }])
  })

  it("mapWithPath passes key paths", () => {
    const out = tree.mapWithPath((path, x) => `${tree.keystr(path)}=${x}`, { layers: [{ w: 1 }], b: 2 })
    expect(out).toEqual({ layers: [{ w: "['layers'][0]['w']=1" }], b: "['b']=2" })
  })

  it("has precise types", () => {
    expectTypeOf(tree.map((x) => x * 2, { a: 1, b: [2, 3] })).toEqualTypeOf<{ a: number; b: Array<number> }>()
    expectTypeOf(tree.map((x) => x > 0, [1, 2] as [number, number])).toEqualTypeOf<[boolean, boolean]>()
    expectTypeOf(tree.map((x) => String(x), { a: null, b: 1 })).toEqualTypeOf<{ a: null; b: string }>()
    expectTypeOf(tree.map((x, y) => x + y, { a: 1 }, { a: "s" })).toEqualTypeOf<{ a: string }>()
    expectTypeOf<tree.LeafOf<{ w: JaxArray; b: Array<number>; n: null }>>().toEqualTypeOf<JaxArray | number>()
    expectTypeOf(tree.leaves({ a: "s", b: [1] })).toEqualTypeOf<Array<string | number>>()
  })
})

describe("TreeDef and helpers", () => {
  it("equals, children, compose", () => {
    const d = tree.structure({ a: 1, b: [2, 3] })
    expect(d.equals(tree.structure({ b: ["x", "y"], a: "z" }))).toBe(true)
    expect(d.equals(tree.structure({ a: 1, b: [2] }))).toBe(false)
    expect(d.equals(tree.structure([1, [2, 3]]))).toBe(false)
    expect(d.children().map(String)).toEqual(["PyTreeDef(*)", "PyTreeDef([*, *])"])
    expect(
      tree
        .structure([0, 0])
        .compose(tree.structure({ x: 0 }))
        .toString()
    ).toBe("PyTreeDef([{'x': *}, {'x': *}])")
    expect(d.cacheKey()).toBe(tree.structure({ b: [0, 0], a: 0 }).cacheKey())
  })

  it("flattenUpTo returns subtrees", () => {
    const d = tree.structure([0, { a: 0 }])
    expect(tree.flattenUpTo(d, [[1, 2], { a: { q: 3 } }])).toEqual([[1, 2], { q: 3 }])
    throwsTreeError(() => tree.flattenUpTo(d, [1, 2]))
  })

  it("flattenWithPath and keystr", () => {
    const [pairs, def] = tree.flattenWithPath({ a: [1, { "b'": 2 }], c: new Point(3, 4) })
    expect(def.numLeaves).toBe(4)
    expect(pairs.map(([p, l]) => [tree.keystr(p), l])).toEqual([
      ["['a'][0]", 1],
      ["['a'][1][\"b'\"]", 2],
      ["['c'][0]", 3],
      ["['c'][1]", 4]
    ])
  })

  it("transpose", () => {
    const outer = tree.structure([0, 0, 0])
    const inner = tree.structure({ a: 0, b: 0 })
    const t = [
      { a: 1, b: 2 },
      { a: 3, b: 4 },
      { a: 5, b: 6 }
    ]
    expect(tree.transpose(outer, inner, t)).toEqual({ a: [1, 3, 5], b: [2, 4, 6] })
    throwsTreeError(() => tree.transpose(outer, inner, [{ a: 1 }, { a: 3 }, { a: 5 }]))
  })

  it("broadcastPrefix (vmap's inAxes)", () => {
    expect(tree.broadcastPrefix([0, null], [1, { a: 2, b: [3, 4] }])).toEqual([0, null, null, null])
    expect(tree.broadcastPrefix(0, { a: 1, b: 2 })).toEqual([0, 0])
    expect(tree.broadcastPrefix({ a: 1, b: 0 }, { a: [1, 2], b: 3 })).toEqual([1, 1, 0])
    throwsTreeError(() => tree.broadcastPrefix([0, 1], [1, 2, 3]))
  })

  it("reduce and all", () => {
    expect(tree.reduce((a: number, x) => a + x, { a: 1, b: [2, 3] }, 0)).toBe(6)
    expect(tree.reduce((a, x) => a * x, [2, [3, 4]])).toBe(24)
    throwsTreeError(() => tree.reduce((a, x) => a + x, [] as Array<number>))
    expect(tree.all([true, { a: 1 }])).toBe(true)
    expect(tree.all([true, { a: 0 }])).toBe(false)
  })
})

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

type T = number | null | undefined | ReadonlyArray<T> | { readonly [k: string]: T }

const keyArb = fc.constantFrom("a", "b", "c", "x", "y", "z", "__proto__", "constructor", "", "0", "10", "2")

const { node: treeArb } = fc.letrec<{ node: T }>((rec) => ({
  node: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.double(),
    fc.constantFrom(null, undefined),
    fc.array(rec("node"), { maxLength: 4 }),
    fc.dictionary(keyArb, rec("node"), { maxKeys: 4 })
  )
}))

const params = { seed: 42, numRuns: 100 }

describe("pytree laws (fast-check)", () => {
  it("unflatten(structure, leaves) rebuilds the tree", () => {
    fc.assert(
      fc.property(treeArb, (t) => {
        const [leaves, def] = tree.flatten(t)
        expect(leaves.length).toBe(def.numLeaves)
        const back = tree.unflatten(def, leaves)
        expect(sameTree(back, sortKeysDeep(t))).toBe(true)
        expect(tree.structure(back).equals(def)).toBe(true)
        expect(tree.leaves(back)).toEqual(leaves)
      }),
      params
    )
  })

  it("map with the identity is the identity (up to key order)", () => {
    fc.assert(
      fc.property(treeArb, (t) => {
        expect(
          sameTree(
            tree.map((x) => x, t),
            sortKeysDeep(t)
          )
        ).toBe(true)
      }),
      params
    )
  })

  it("map keeps the structure and maps every leaf", () => {
    fc.assert(
      fc.property(treeArb, (t) => {
        const doubled = tree.map((x, y) => x + y, t, t)
        expect(tree.structure(doubled).equals(tree.structure(t))).toBe(true)
        expect(tree.leaves(doubled)).toEqual(tree.leaves(t).map((x) => x + x))
      }),
      params
    )
  })

  it("structure equality agrees with the printed structure and the cache key", () => {
    fc.assert(
      fc.property(treeArb, treeArb, (a, b) => {
        const da = tree.structure(a)
        const db = tree.structure(b)
        expect(da.equals(da)).toBe(true)
        expect(da.equals(db)).toBe(db.equals(da))
        expect(da.equals(db)).toBe(da.toString() === db.toString())
        expect(da.equals(db)).toBe(da.cacheKey() === db.cacheKey())
        // leaves never affect the structure
        expect(tree.structure(tree.map(() => 0, a)).equals(da)).toBe(true)
      }),
      params
    )
  })

  it("map over a mismatched second tree fails with a TreeError or succeeds up to leaves", () => {
    fc.assert(
      fc.property(treeArb, treeArb, (a, b) => {
        let ok = true
        try {
          tree.map((x: unknown, y: unknown) => [x, y], a, b)
        } catch (e) {
          expect(e).toBeInstanceOf(TreeError)
          ok = false
        }
        if (tree.structure(a).equals(tree.structure(b))) expect(ok).toBe(true)
      }),
      params
    )
  })
})

/** The tree as JAX rebuilds it: plain objects with sorted keys (and an own `__proto__` kept as a key). */
function sortKeysDeep(t: T): unknown {
  if (t === null || t === undefined || typeof t === "number") return t
  if (Array.isArray(t)) return t.map((c: T) => sortKeysDeep(c))
  const rec = t as { readonly [k: string]: T }
  const out: Record<string, unknown> = {}
  for (const k of Object.keys(rec).sort()) {
    Object.defineProperty(out, k, { value: sortKeysDeep(rec[k]), enumerable: true, writable: true, configurable: true })
  }
  return out
}

/**
 * Exact equality: same leaves (Object.is, so -0 and NaN count), same null/undefined, arrays of the
 * same length, plain objects with the same prototype and the same own keys in the same order.
 */
function sameTree(a: unknown, b: unknown): boolean {
  if (typeof a !== "object" || a === null || typeof b !== "object" || b === null) return Object.is(a, b)
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false
    return a.every((x: unknown, i) => sameTree(x, b[i]))
  }
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false
  const ka = Object.keys(a)
  const kb = Object.keys(b)
  if (ka.length !== kb.length || ka.some((k, i) => k !== kb[i])) return false
  const ra = a as Readonly<Record<string, unknown>>
  const rb = b as Readonly<Record<string, unknown>>
  return ka.every((k) => sameTree(ra[k], rb[k]))
}
