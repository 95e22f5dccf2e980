/**
 * WGSL for one fused kernel of the loop-level kernel IR (core/kernel/ir.ts).
 *
 *   - Without reductions: one invocation per domain point (row-major flat index `g`), 64 per
 *     workgroup, the workgroups on a 2-d grid (a dimension holds at most 65535 of them). The loop
 *     indices are decoded from `g`; every load is its affine index map, guarded by its bounds.
 *   - With reductions: one workgroup per point of the kept dimensions. Its 64 invocations stride
 *     over the reduced points, each accumulating its share (and writing the `full` outputs of the
 *     points it visits), then combine their partial results by a tree reduction in workgroup
 *     memory; invocation 0 evaluates the epilogue and writes the `kept` outputs.
 * float32 reductions accumulate in float32 (WGSL has no wider float), in the tree's pairwise
 * order, which keeps the error within float32 tolerance of the CPU's float64 accumulation.
 * Shapes, strides and constants are literals in the source: a kernel's source is its cache key.
 */
import type { DType } from "../../core/dtype.js"
import { type Affine, argsOf, type Bound, type Kernel, type Node, type ReduceOp, rowMajorStrides, sizeOfShape } from "../../core/kernel/ir.js"
import {
  binaryExpr,
  constant,
  convertExpr,
  float64Error,
  fromStorage,
  helpersFor,
  integerPowCode,
  storageType,
  toStorage,
  unaryExpr,
  valueType
} from "./wgsl.js"

/** Invocations per workgroup of generated kernels. */
export const WORKGROUP = 64
/** The most workgroups along one dimension of a dispatch (WebGPU's default limit). */
export const MAX_GROUPS = 65535

export interface GeneratedKernel {
  readonly source: string
  /** Workgroups to dispatch along x and y. */
  readonly groups: readonly [number, number]
  /** Storage bindings: the kernel's inputs, then its outputs. */
  readonly inputs: number
  readonly outputs: number
}

/** A 2-d grid of `n` workgroups, and the WGSL of the flat workgroup index. */
export const grid = (n: number): { readonly groups: readonly [number, number]; readonly flat: string } => {
  const x = Math.max(1, Math.min(n, MAX_GROUPS))
  const y = Math.max(1, Math.ceil(n / x))
  return { groups: [x, y], flat: y === 1 ? "wid.x" : `(wid.x + wid.y * ${x}u)` }
}

const int = (n: number): string => {
  if (!Number.isSafeInteger(n)) throw new Error(`jaxfx webgpu codegen: ${String(n)} is not an integer`)
  return String(n)
}

/** `offset + sum strides[d] * i_d` as an i32 expression over the loop index names. */
const affineExpr = (a: Affine, idx: ReadonlyArray<string | null>): string => {
  const terms: string[] = []
  a.strides.forEach((s, d) => {
    const i = idx[d]
    if (s === 0 || i === null || i === undefined) return
    terms.push(s === 1 ? i : `${int(s)} * ${i}`)
  })
  if (a.offset !== 0 || terms.length === 0) terms.unshift(int(a.offset))
  return terms.length === 1 ? terms[0]! : `(${terms.join(" + ")})`
}

const boundsExpr = (bs: ReadonlyArray<Bound>, idx: ReadonlyArray<string | null>): string =>
  bs
    .map((b) => {
      const at = affineExpr(b.at, idx)
      return `(${at} >= 0 && ${at} < ${int(b.size)})`
    })
    .join(" && ")

/** Statements decoding loop indices `i{d}` (i32) of dimensions `dims` from the flat u32 `flat` over those dimensions. */
const decode = (domain: ReadonlyArray<number>, dims: ReadonlyArray<number>, flat: string): string[] => {
  const sizes = dims.map((d) => domain[d]!)
  const strides = rowMajorStrides(sizes)
  return dims.flatMap((d, j) => {
    if (domain[d] === 1) return []
    const q = strides[j] === 1 ? flat : `(${flat} / ${int(strides[j]!)}u)`
    return [`let i${d} = i32(${j === 0 ? q : `${q} % ${int(sizes[j]!)}u`});`]
  })
}

/** Emit `let v{id}` for the nodes `need` (in id order), given loop index names and reduction results. */
const emitNodes = (k: Kernel, need: ReadonlySet<number>, idx: ReadonlyArray<string | null>, reduced: (j: number) => string): string[] => {
  const out: string[] = []
  const v = (id: number): string => `v${id}`
  k.nodes.forEach((n, id) => {
    if (!need.has(id)) return
    const t = valueType(n.dtype)
    const expr = nodeExpr(k, n, id, idx, reduced, v, out)
    out.push(`let ${v(id)}: ${t} = ${expr};`)
  })
  return out
}

const nodeExpr = (
  k: Kernel,
  n: Node,
  id: number,
  idx: ReadonlyArray<string | null>,
  reduced: (j: number) => string,
  v: (id: number) => string,
  pre: string[]
): string => {
  const dt = (a: number): DType => k.nodes[a]!.dtype
  switch (n.kind) {
    case "load": {
      const at = affineExpr(n.at, idx)
      if (n.bounds.length === 0) return fromStorage(n.dtype, `in${n.input}[${at}]`)
      const ok = boundsExpr(n.bounds, idx)
      pre.push(`let ok${id} = ${ok};`)
      return `select(${constant(n.dtype, 0)}, ${fromStorage(n.dtype, `in${n.input}[select(0, ${at}, ok${id})]`)}, ok${id})`
    }
    case "inbounds":
      return boundsExpr(n.bounds, idx)
    case "index":
      return convertExpr("int32", n.dtype, affineExpr(n.at, idx))
    case "const":
      return constant(n.dtype, n.value)
    case "unary":
      return unaryExpr(n.op, v(n.args[0]), dt(n.args[0]))
    case "binary":
      return binaryExpr(n.op, v(n.args[0]), v(n.args[1]), dt(n.args[0]))
    case "select": {
      const [p, ...cases] = n.args
      if (cases.length === 1) return v(cases[0]!)
      if (dt(p!) === "bool") return `select(${v(cases[0]!)}, ${v(cases[1]!)}, ${v(p!)})`
      // int32 picks cases[which], clamped into range
      let s = v(cases[cases.length - 1]!)
      for (let i = cases.length - 2; i >= 1; i--) s = `select(${s}, ${v(cases[i]!)}, ${v(p!)} == ${i})`
      return `select(${s}, ${v(cases[0]!)}, ${v(p!)} <= 0)`
    }
    case "convert":
      return convertExpr(dt(n.args[0]), n.dtype, v(n.args[0]))
    case "pow": {
      const c = integerPowCode(n.y, n.dtype, v(n.args[0]), `p${id}`)
      if (c.pre !== "") pre.push(c.pre)
      return c.expr
    }
    case "reduced":
      return reduced(n.reduction)
  }
}

/** The nodes `roots` depend on (themselves included). */
const closure = (k: Kernel, roots: Iterable<number>): Set<number> => {
  const seen = new Set<number>()
  const stack = [...roots]
  while (stack.length > 0) {
    const id = stack.pop()!
    if (seen.has(id)) continue
    seen.add(id)
    stack.push(...argsOf(k.nodes[id]!))
  }
  return seen
}

const bindings = (k: Kernel): string[] => [
  ...k.inputs.map((x, i) => `@group(0) @binding(${i}) var<storage, read> in${i}: array<${storageType(x.dtype)}>;`),
  ...k.outputs.map((o, j) => `@group(0) @binding(${k.inputs.length + j}) var<storage, read_write> out${j}: array<${storageType(o.dtype)}>;`)
]

const checkDtypes = (k: Kernel): void => {
  const all = [...k.inputs.map((x) => x.dtype), ...k.outputs.map((o) => o.dtype), ...k.nodes.map((n) => n.dtype)]
  if (all.includes("float64")) throw float64Error()
}

/** Generate the WGSL of a kernel, or undefined when it has nothing to write (an empty domain). */
export const generateKernel = (k: Kernel): GeneratedKernel | undefined => {
  checkDtypes(k)
  return k.reductions.length === 0 ? elementwise(k) : reducing(k)
}

const assemble = (k: Kernel, body: string[], groups: readonly [number, number], extraDecls: string[] = []): GeneratedKernel => {
  const main = [
    `@compute @workgroup_size(${WORKGROUP})`,
    "fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {",
    ...body.map((l) => `  ${l}`),
    "}"
  ].join("\n")
  const source = [`// ${k.name}: ${k.primitives.join(", ")}`, ...bindings(k), ...extraDecls, helpersFor(main), main].join("\n")
  return { source, groups, inputs: k.inputs.length, outputs: k.outputs.length }
}

const elementwise = (k: Kernel): GeneratedKernel | undefined => {
  const n = sizeOfShape(k.domain)
  if (n === 0) return undefined
  const g = grid(Math.ceil(n / WORKGROUP))
  const dims = k.domain.map((_, d) => d)
  const idx = k.domain.map((s, d) => (s === 1 ? null : `i${d}`))
  const need = closure(
    k,
    k.outputs.map((o) => o.node)
  )
  const body = [
    `let g = ${g.flat} * ${WORKGROUP}u + lid;`,
    `if (g >= ${int(n)}u) { return; }`,
    ...decode(k.domain, dims, "g"),
    ...emitNodes(k, need, idx, () => {
      throw new Error("jaxfx webgpu codegen: a reduction result in a kernel without reductions")
    }),
    ...k.outputs.map((o, j) => `out${j}[g] = ${toStorage(o.dtype, `v${o.node}`)};`)
  ]
  return assemble(k, body, g.groups)
}

// ---------------------------------------------------------------------------------------------
// Reductions

const isFloat = (d: DType): boolean => d === "float32"

/** The identity of a reduction over values of `d`, in the accumulator's type (bool as u32). */
const identity = (op: ReduceOp, d: DType): string => {
  const acc: DType = d === "bool" ? "uint32" : d
  switch (op) {
    case "sum":
      return constant(acc, 0)
    case "prod":
      return constant(acc, 1)
    case "max":
    case "argmax":
      return constant(acc, isFloat(d) ? -Infinity : d === "int32" ? -2147483648 : 0)
    case "min":
    case "argmin":
      return constant(acc, isFloat(d) ? Infinity : d === "int32" ? 2147483647 : d === "uint32" ? 4294967295 : 1)
  }
}

/** `a` combined with `b` (accumulator values; bool as u32 0/1). */
const combine = (op: "sum" | "prod" | "max" | "min", d: DType, a: string, b: string): string => {
  switch (op) {
    case "sum":
      return `(${a} + ${b})`
    case "prod":
      return `(${a} * ${b})`
    case "max":
      return isFloat(d) ? `j_maxf(${a}, ${b})` : `max(${a}, ${b})`
    case "min":
      return isFloat(d) ? `j_minf(${a}, ${b})` : `min(${a}, ${b})`
  }
}

/** Whether (v2, i2) beats (v1, i1) for argmax/argmin: NaN first, then the extreme value, ties to the smaller index. */
const beats = (op: "argmax" | "argmin", d: DType, v1: string, i1: string, v2: string, i2: string): string => {
  const cmp = op === "argmax" ? ">" : "<"
  if (!isFloat(d)) return `(${v2} ${cmp} ${v1} || (${v2} == ${v1} && ${i2} < ${i1}))`
  return (
    `((j_isnan(${v2}) && !j_isnan(${v1})) || (!j_isnan(${v1}) && ${v2} ${cmp} ${v1}) || ` +
    `((${v2} == ${v1} || (j_isnan(${v1}) && j_isnan(${v2}))) && ${i2} < ${i1}))`
  )
}

const reducing = (k: Kernel): GeneratedKernel | undefined => {
  const keptDims = k.domain.flatMap((_, d) => (k.reduced[d] ? [] : [d]))
  const redDims = k.domain.flatMap((_, d) => (k.reduced[d] ? [d] : []))
  const kept = keptDims.reduce((a, d) => a * k.domain[d]!, 1)
  const R = redDims.reduce((a, d) => a * k.domain[d]!, 1)
  if (kept === 0) return undefined
  const g = grid(kept)
  const idx = k.domain.map((s, d) => (s === 1 ? null : `i${d}`))
  const epiIdx = k.domain.map((s, d) => (s === 1 || k.reduced[d] ? null : `i${d}`))
  const full = k.outputs.flatMap((o, j) => (o.phase === "full" ? [j] : []))
  const keptOuts = k.outputs.flatMap((o, j) => (o.phase === "kept" ? [j] : []))
  const loopNeed = closure(k, [...k.reductions.map((r) => r.arg), ...full.map((j) => k.outputs[j]!.node)])
  const epiNeed = closure(
    k,
    keptOuts.map((j) => k.outputs[j]!.node)
  )
  const decls: string[] = []
  const init: string[] = []
  const accumulate: string[] = []
  const share: string[] = []
  const tree: string[] = []
  k.reductions.forEach((r, j) => {
    const d = k.nodes[r.arg]!.dtype
    const at = storageType(d)
    const val = d === "bool" ? `u32(v${r.arg})` : `v${r.arg}`
    decls.push(`var<workgroup> red${j}: array<${at}, ${WORKGROUP}>;`)
    init.push(`var acc${j}: ${at} = ${identity(r.op, d)};`)
    share.push(`red${j}[lid] = acc${j};`)
    if (r.op === "argmax" || r.op === "argmin") {
      decls.push(`var<workgroup> redi${j}: array<i32, ${WORKGROUP}>;`)
      init.push(`var acci${j}: i32 = 2147483647;`)
      accumulate.push(`if (${beats(r.op, d, `acc${j}`, `acci${j}`, val, "i32(r)")}) { acc${j} = ${val}; acci${j} = i32(r); }`)
      share.push(`redi${j}[lid] = acci${j};`)
      tree.push(
        `if (${beats(r.op, d, `red${j}[lid]`, `redi${j}[lid]`, `red${j}[lid + s]`, `redi${j}[lid + s]`)}) { red${j}[lid] = red${j}[lid + s]; redi${j}[lid] = redi${j}[lid + s]; }`
      )
    } else {
      accumulate.push(`acc${j} = ${combine(r.op, d, `acc${j}`, val)};`)
      tree.push(`red${j}[lid] = ${combine(r.op, d, `red${j}[lid]`, `red${j}[lid + s]`)};`)
    }
  })
  const result = (j: number): string => {
    const r = k.reductions[j]!
    if (r.op === "argmax" || r.op === "argmin") return convertExpr("int32", r.dtype, `redi${j}[0]`)
    return fromStorage(r.dtype, `red${j}[0]`)
  }
  const fullStrides = rowMajorStrides(k.domain)
  const fullAt = affineExpr({ offset: 0, strides: fullStrides }, idx)
  const body = [
    `let p = ${g.flat};`,
    `if (p >= ${int(kept)}u) { return; }`,
    ...decode(k.domain, keptDims, "p"),
    ...init,
    `for (var r = lid; r < ${int(R)}u; r = r + ${WORKGROUP}u) {`,
    ...[
      ...decode(k.domain, redDims, "r"),
      ...emitNodes(k, loopNeed, idx, () => {
        throw new Error("jaxfx webgpu codegen: a reduction result inside the reduced loop")
      }),
      ...accumulate,
      ...full.map((j) => `out${j}[${fullAt}] = ${toStorage(k.outputs[j]!.dtype, `v${k.outputs[j]!.node}`)};`)
    ].map((l) => `  ${l}`),
    "}",
    ...share,
    "workgroupBarrier();",
    `for (var s = ${WORKGROUP / 2}u; s > 0u; s = s >> 1u) {`,
    `  if (lid < s) {`,
    ...tree.map((l) => `    ${l}`),
    "  }",
    "  workgroupBarrier();",
    "}",
    "if (lid == 0u) {",
    ...[...emitNodes(k, epiNeed, epiIdx, result), ...keptOuts.map((j) => `out${j}[p] = ${toStorage(k.outputs[j]!.dtype, `v${k.outputs[j]!.node}`)};`)].map(
      (l) => `  ${l}`
    ),
    "}"
  ]
  return assemble(k, body, g.groups, decls)
}
