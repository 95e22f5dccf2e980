/**
 * The faults `npm run laws:mutants` plants, one at a time, in a scratch copy of the repository:
 * each is an exact text edit of one source file (checked to apply exactly once) and the law tests
 * expected to catch it. When the code a fault edits changes, the runner stops and says which
 * fault to update here.
 */

export interface Fault {
  /** Short name, used in the table and with `--only`. */
  readonly id: string
  /** What the fault does, in words. */
  readonly description: string
  /** The file it edits, relative to the repository root. */
  readonly file: string
  /** The exact text it replaces (must occur exactly once in the file). */
  readonly find: string
  /** The text it puts there. */
  readonly replace: string
  /** The law test files to run against the mutated copy. */
  readonly tests: ReadonlyArray<string>
}

export const faults: ReadonlyArray<Fault> = [
  {
    id: "jvp-sign",
    description: "a wrong sign in a jvp rule: d sin(x) = -cos(x) dx",
    file: "core/primitives/elementwise.ts",
    find: "defJvpUnary(sinP, (x) => cos(x))",
    replace: "defJvpUnary(sinP, (x) => neg(cos(x)))",
    tests: ["laws/catalog-ad.test.ts"]
  },
  {
    id: "transpose-broadcast",
    description: "a transpose rule that ignores broadcasting: add's cotangents are not summed back (no unbroadcast)",
    file: "core/primitives/elementwise.ts",
    find: "addP.transpose = ([ct], [x, y]) => [unbroadcastZero(ct!, x!), unbroadcastZero(ct!, y!)]",
    replace: "addP.transpose = ([ct], [x, y]) => [ct instanceof Zero ? new Zero(x!.aval) : ct!, ct instanceof Zero ? new Zero(y!.aval) : ct!]",
    tests: ["laws/catalog-ad.test.ts", "laws/extension.test.ts"]
  },
  {
    id: "batch-drops-axis",
    description: "a batching rule that drops an axis: reductions reduce the unshifted axes (the batch axis instead of the last)",
    file: "core/primitives/reduce.ts",
    find: "p.batch = ([x], [d], { axes }) => [[bind1(p, [batchFirst(x!, d!)], { axes: axes.map((a) => a + 1) })], [0]]",
    replace: "p.batch = ([x], [d], { axes }) => [[bind1(p, [batchFirst(x!, d!)], { axes })], [0]]",
    tests: ["laws/catalog-jit.test.ts", "laws/extension.test.ts"]
  },
  {
    id: "fusion-drops-broadcast",
    description: "a fusion that drops a broadcast: fused broadcast_in_dim reads a size-1 operand dimension as if it were full size",
    file: "core/kernel/indexmap.ts",
    find: "  off: inShape.map((n, k) => (n === 1 ? 0 : m.off[dims[k]!]!)),\n  coef: inShape.map((n, k) => (n === 1 ? zeros(rank) : m.coef[dims[k]!]!))",
    replace: "  off: inShape.map((_n, k) => m.off[dims[k]!]!),\n  coef: inShape.map((_n, k) => m.coef[dims[k]!]!)",
    tests: ["laws/catalog-jit.test.ts", "laws/backends.test.ts"]
  },
  {
    id: "dot-transpose-batch-dims",
    description: "a dot_general transpose that uses its own batch-dimension positions for the other operand",
    file: "core/primitives/dot.ts",
    find: "batch: [range(nb), theirs.b] })",
    replace: "batch: [range(nb), mine.b] })",
    tests: ["laws/catalog-ad.test.ts", "laws/primitives.test.ts"]
  },
  {
    id: "tile-unclamped",
    description: "a tiled jit kernel (a transposed read) that does not clamp its last column tile",
    file: "backends/cpu/compile/codegen.ts",
    find: "say(depth + 3, `const u${d2} = t${d2} + ${TILE} < ${n2} ? t${d2} + ${TILE} : ${n2};`)",
    replace: "say(depth + 3, `const u${d2} = t${d2} + ${TILE};`)",
    tests: ["laws/catalog-jit.test.ts", "laws/backends.test.ts"]
  },
  {
    id: "gemm-row-tail",
    description: "a Wasm GEMM that skips a last row tile of 3 rows (M = 4k + 3 leaves those rows unwritten)",
    file: "backends/cpu/wasm/gemm.ts",
    find: "for (let h = 1; h < mr; h++) {\n        c.localGet(rem).i32Const(h).i32Eq().if()",
    replace: "for (let h = 1; h < mr - 1; h++) {\n        c.localGet(rem).i32Const(h).i32Eq().if()",
    tests: ["laws/backends.test.ts", "laws/catalog-ad.test.ts"]
  },
  {
    id: "jit-cache-dtype",
    description: "a jit cache that ignores dtype: the signature key has shapes and weak types but no dtypes",
    file: "core/transforms/jit.ts",
    find: 'avals.map((a) => `${a.str()}${a.weakType ? "w" : ""}`).join(";")',
    replace: 'avals.map((a) => `[${a.shape.join(",")}]${a.weakType ? "w" : ""}`).join(";")',
    tests: ["laws/jit-dtypes.test.ts"]
  },
  {
    id: "split-parent",
    description: "a split that returns the parent key: random.split(k, n) gives n copies of k",
    file: "core/random/random.ts",
    find: 'return rewrap(key, randomSplit(k, toShape("split", num)))',
    replace: 'return rewrap(key, np.broadcastTo(k, [...toShape("split", num), 2]))',
    tests: ["laws/random.test.ts"]
  },
  {
    id: "state-jit-drops-update",
    description: "a state handler that drops an update: jit of an Effect program does not write back the first slot",
    file: "effects/transforms.ts",
    find: "entries.forEach(([, cell], i) => (cell.value = values[i]))",
    replace: "entries.forEach(([, cell], i) => (i === 0 ? undefined : (cell.value = values[i])))",
    tests: ["laws/state.test.ts"]
  },
  {
    id: "state-set-drops-update",
    description: "a state handler that drops an update: State.slot's set leaves the cell unchanged",
    file: "effects/state.ts",
    find: "      cell.value = value\n      return Effect.void",
    replace: "      void value\n      return Effect.void",
    tests: ["laws/state.test.ts"]
  }
]
