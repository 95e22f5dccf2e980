/**
 * jax.tree / jax.tree_util beyond flatten and map, against JAX 0.10.2 (golden/tree_util.py):
 * key paths and keystr, broadcast, reduceAssociative's call order, flattenOneLevel, allLeaves,
 * isTreeNode, registerDataclass (GetAttrKey paths, meta fields in the structure) and registerStatic.
 */
import { describe, expect, it } from "vitest"
import { loadGolden } from "../../golden/load.js"
import { np, tree, TreeError } from "../../index.js"

interface Case {
  readonly id: string
  readonly tree?: unknown
  readonly prefix?: unknown
  readonly full?: unknown
  readonly out: unknown
}
const golden = loadGolden<Case>("tree_util")
const byId = new Map(golden.cases.map((c) => [c.id, c]))
const get = (id: string): Case => {
  const c = byId.get(id)
  if (c === undefined) throw new Error(`golden/tree_util.json has no case ${id}`)
  return c
}

class Linear {
  constructor(
    readonly w: unknown,
    readonly b: unknown,
    readonly act: string
  ) {}
}
tree.registerDataclass(Linear, { dataFields: ["w", "b"], metaFields: ["act"] })

class Act {
  constructor(readonly name: string) {}
}
tree.registerStatic(Act, { equals: (a, b) => a.name === b.name })

describe("jax.tree extras against JAX", () => {
  it("leavesWithPath and keystr (default and simple with a separator)", () => {
    const c = get("leaves_with_path")
    expect(tree.leavesWithPath(c.tree).map(([p, l]) => [tree.keystr(p), l])).toEqual(c.out)
    const s = get("keystr_simple_slash")
    expect(tree.leavesWithPath(s.tree).map(([p, l]) => [tree.keystr(p, { simple: true, separator: "/" }), l])).toEqual(s.out)
  })
  it("broadcast", () => {
    for (const id of ["broadcast_0", "broadcast_1", "broadcast_2"]) {
      const c = get(id)
      expect(tree.broadcast(c.prefix, c.full), id).toEqual(c.out)
    }
    expect(() => tree.broadcast([1, 2], [1])).toThrow(TreeError)
  })
  it("reduceAssociative splits at the middle as JAX does; the empty tree needs an identity", () => {
    for (const n of [1, 2, 3, 5, 8]) {
      const c = get(`reduce_associative_${n}`)
      expect(tree.reduceAssociative((a: string, b: string) => `(${a}+${b})`, c.tree as string[])).toBe(c.out)
    }
    expect(() => tree.reduceAssociative((a: number, b: number) => a + b, [] as number[])).toThrow(/identity/)
    expect(tree.reduceAssociative((a: number, b: number) => a + b, [] as number[], { identity: 0 })).toBe(0)
    const sum = tree.reduceAssociative((a, b) => a.add(b), { x: np.ones([2]), y: [np.ones([2]), np.ones([2])] })
    expect([...sum.data()]).toEqual([3, 3])
  })
  it("flattenOneLevel, allLeaves, isTreeNode (JAX's is_tree_node takes the value's type)", () => {
    expect(tree.flattenOneLevel({ b: { c: 3 }, a: [1, 2] })).toEqual(get("flatten_one_level_dict").out)
    expect(() => tree.flattenOneLevel(1)).toThrow(TreeError)
    expect([tree.allLeaves([1, 2]), tree.allLeaves([1, [2]]), tree.allLeaves([]), tree.allLeaves([null])]).toEqual(get("all_leaves").out)
    expect([{ a: 1 }, [1], 1, null, "s"].map((v) => tree.isTreeNode(v))).toEqual(get("is_tree_node").out)
  })
  it("registerDataclass: data fields are children with GetAttrKey paths, meta fields are structure", () => {
    const m = { l: [new Linear(1, 2, "relu"), new Linear(3, 4, "tanh")] }
    expect(tree.leavesWithPath(m).map(([p, l]) => [tree.keystr(p), l])).toEqual(get("dataclass_paths").out)
    const [eqData, eqMeta] = get("dataclass_structure_equal").out as [boolean, boolean]
    expect(tree.structure(new Linear(1, 2, "relu")).equals(tree.structure(new Linear(5, 6, "relu")))).toBe(eqData)
    expect(tree.structure(new Linear(1, 2, "relu")).equals(tree.structure(new Linear(1, 2, "tanh")))).toBe(eqMeta)
    const mapped = tree.map((x) => (x as number) * 10, m)
    expect(mapped.l.map((x) => [x.w, x.b, x.act])).toEqual(get("dataclass_map").out)
    expect(mapped.l[0]).toBeInstanceOf(Linear)
    // key paths name fields bare in simple form and with String (the safetensors codec's leaf names).
    expect(tree.leavesWithPath(m).map(([p]) => p.map(String).join("/"))).toEqual(["l/0/w", "l/0/b", "l/1/w", "l/1/b"])
  })
  it("registerStatic: instances are structure, not leaves", () => {
    const [leaves, numLeaves, same, differ] = get("static_leaves").out as [unknown[], number, boolean, boolean]
    expect(tree.leaves({ w: 1, act: new Act("relu") })).toEqual(leaves)
    expect(tree.structure(new Act("a")).numLeaves).toBe(numLeaves)
    expect(tree.structure({ a: new Act("x") }).equals(tree.structure({ a: new Act("x") }))).toBe(same)
    expect(tree.structure({ a: new Act("x") }).equals(tree.structure({ a: new Act("y") }))).toBe(differ)
    const back = tree.map((x) => (x as number) + 1, { w: 1, act: new Act("relu") })
    expect(back.act).toBeInstanceOf(Act)
  })
  it("registration errors are TreeErrors that say what to pass", () => {
    class Twice {
      constructor(readonly a: number) {}
    }
    tree.registerDataclass(Twice, { dataFields: ["a"] })
    expect(() => tree.registerDataclass(Twice, { dataFields: ["a"] })).toThrow(/already registered/)
    class Bad {
      constructor(readonly a: number) {}
    }
    expect(() => tree.registerDataclass(Bad, { dataFields: ["a", "a"] })).toThrow(/distinct field names/)
  })
})
