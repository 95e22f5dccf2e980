/**
 * lax.raggedAllToAll (JAX's jax.lax.ragged_all_to_all): an all-to-all of ragged data. Each member
 * sends K slices of its operand's leading axis (K a multiple of the axis size n; slice i goes to
 * member floor(i / (K / n)), starting at inputOffsets[i], sendSizes[i] rows long, written at
 * outputOffsets[i] of the receiver's result), and receives into a copy of its `output` the slices
 * sent to it, recvSizes[i] rows from member floor(i / (K / n)). The receiver's sizes must be the
 * senders' (recvSizes = allToAll(sendSizes) in JAX's words).
 *
 * Rules as JAX's: linear in operand and output (jvp applies it to the tangents); the transpose sends
 * the cotangent's received slices back (a raggedAllToAll with offsets and sizes exchanged) and
 * zeroes them in the output's cotangent; under another vmap the batch is folded into the leading
 * axis. Under the vmap (or pmap fallback) that binds its own axis, where JAX has no rule, jaxfx
 * computes it as array operations (a masked gather over the members), which is also the reference
 * for the device routine's tests.
 */
import type { Array } from "../array.js"
import { ShapedArray } from "../array.js"
import { isInt } from "../dtype.js"
import { DTypeError, ShapeError, ValueError } from "../errors.js"
import { moveBatchAxis } from "../interpreters/batch.js"
import { definePrimitive, UndefPrimal, Zero } from "../primitive.js"
import { checkOptions, optionKeys } from "../options.js"
import { constant } from "../primitives/common.js"
import { add, and, convertElementType, eq, ge, lt, max, mul, select, sub } from "../primitives/elementwise.js"
import { broadcastInDim } from "../primitives/layout.js"
import { reduceMax } from "../primitives/reduce.js"
import { iota, reshape, transpose } from "../primitives/shape-ops.js"
import { gather } from "../primitives/indexing.js"
import { bind1 } from "../trace.js"
import { lookupAxis, singleAxisName } from "./axis-env.js"
import { allToAll } from "./collectives.js"

export interface RaggedAllToAllParams {
  readonly axisName: string
  readonly axisSize: number
  readonly [k: string]: unknown
}

const shapeStr = (s: ReadonlyArray<number>): string => `[${s.join(", ")}]`
const NAMES = ["inputOffsets", "sendSizes", "outputOffsets", "recvSizes"]

export const raggedAllToAllP = definePrimitive<RaggedAllToAllParams>("ragged_all_to_all", (avals, { axisSize }) => {
  if (avals.length !== 6) throw new ValueError(`ragged_all_to_all takes 6 operands (operand, output and 4 offset/size arrays), got ${avals.length}.`)
  const [operand, output, ...meta] = avals as [ShapedArray, ShapedArray, ...ShapedArray[]]
  if (operand.ndim < 1 || output.ndim < 1) throw new ShapeError("lax.raggedAllToAll: operand and output need a leading (ragged) axis.")
  if (operand.dtype !== output.dtype)
    throw new DTypeError(`lax.raggedAllToAll: operand and output must have one dtype, got ${operand.dtype} and ${output.dtype}.`)
  if (operand.shape.slice(1).join() !== output.shape.slice(1).join()) {
    throw new ShapeError(
      `lax.raggedAllToAll: operand ${shapeStr(operand.shape)} and output ${shapeStr(output.shape)} must agree after the leading axis (rows move between them).`
    )
  }
  meta.forEach((m, i) => {
    if (!isInt(m.dtype)) throw new DTypeError(`lax.raggedAllToAll: ${NAMES[i]} must be integers, got ${m.dtype}.`)
    if (m.ndim !== 1 || m.shape[0] !== meta[0]!.shape[0] || m.shape[0] === 0) {
      throw new ShapeError(`lax.raggedAllToAll: the offsets and sizes must be 1-d of one positive length, got ${NAMES[i]} of shape ${shapeStr(m.shape)}.`)
    }
  })
  if (meta[0]!.shape[0]! % axisSize !== 0) {
    throw new ShapeError(
      `lax.raggedAllToAll: the ${meta[0]!.shape[0]} slices must divide among the ${axisSize} members of the axis (a multiple of ${axisSize}).`
    )
  }
  return [output]
})
raggedAllToAllP.axisNames = ({ axisName }) => [axisName]
raggedAllToAllP.printParams = ({ axisName }) => [["axis_name", `('${axisName}',)`]]

const i32 = (x: Array): Array => (x.dtype === "int32" ? x : convertElementType(x, "int32", false))

/**
 * The result for every member at once: operands [n, N, ...], outputs [n, M, ...], offsets and sizes
 * [n, K]. Row m of member r's result is the last incoming slice covering it, else its output row.
 */
const allMembers = (operand: Array, output: Array, io: Array, ss: Array, oo: Array, rs: Array, n: number): Array => {
  void ss
  const [, N, ...rest] = operand.shape as [number, number, ...number[]]
  const M = output.shape[1]!
  const K = io.shape[1]!
  const spd = K / n
  // Slot i = s * spd + j of receiver r comes from sender s's slice r * spd + j: [s, r, j] -> [r, s, j].
  const toReceivers = (x: Array): Array => reshape(transpose(reshape(i32(x), [n, n, spd]), [1, 0, 2]), [n, K])
  const start = toReceivers(oo)
  const from = add(toReceivers(io), mul(reshape(iota("int32", [n, n, spd], 1), [n, K]), constant(N, "int32", [], true)))
  const size = i32(rs)
  // covers[r, m, i]: slot i writes row m of member r.
  const m = iota("int32", [n, M, K], 1)
  const s3 = broadcastInDim(start, [n, M, K], [0, 2])
  const covers = and(ge(m, s3), lt(m, add(s3, broadcastInDim(size, [n, M, K], [0, 2]))))
  const slot = iota("int32", [n, M, K], 2)
  const last = reduceMax(select(covers, slot, constant(-1, "int32", [n, M, K], false)), [2])
  const got = ge(last, constant(0, "int32", [], true))
  const pick = max(last, constant(0, "int32", [], true))
  // Per (r, m): the chosen slot's start and source row, read with a one-hot sum (slots are few).
  const chosen = eq(slot, broadcastInDim(pick, [n, M, K], [0, 1]))
  const hot = (x: Array): Array => reduceMax(select(chosen, broadcastInDim(x, [n, M, K], [0, 2]), minus1(n, M, K)), [2])
  const row = add(hot(from), sub(iota("int32", [n, M], 1), hot(start)))
  const flat = reshape(operand, [n * N, ...rest])
  const clamped = max(constant(0, "int32", [], true), minRow(row, n * N - 1))
  const taken = reshape(gather(flat, reshape(clamped, [n * M]), 0), [n, M, ...rest])
  const mask = broadcastInDim(got, [n, M, ...rest], [0, 1])
  return select(mask, taken, output)
}
const minus1 = (n: number, M: number, K: number): Array => constant(-1, "int32", [n, M, K], false)
const minRow = (x: Array, hi: number): Array => select(lt(x, constant(hi, "int32", [], true)), x, constant(hi, "int32", x.shape, false))

raggedAllToAllP.axisBatch = (args, dims, _p, n) => {
  const [operand, output, io, ss, oo, rs] = args.map((x, i) => moveBatchAxis(x, dims[i] ?? null, 0, n))
  return [[allMembers(operand!, output!, io!, ss!, oo!, rs!, n)], [0]]
}

// Under another vmap: the batch folded into the leading axis (slice lists interleaved by batch).
raggedAllToAllP.batch = (args, dims, p, size) => {
  const [operand, output, ...meta] = args.map((x, i) => moveBatchAxis(x, dims[i] ?? null, 0, size))
  const N = operand!.shape[1]!
  const M = output!.shape[1]!
  const K = meta[0]!.shape[1]!
  // [B, K] -> [K, B] -> [K * B]: slice i of batch b is i * B + b, so destinations keep their blocks.
  const lists = meta.map((x, i) => {
    let y = i32(x!)
    if (i === 0 || i === 2) y = add(y, mul(iota("int32", [size, K], 0), constant(i === 0 ? N : M, "int32", [], true)))
    return reshape(transpose(y, [1, 0]), [K * size])
  })
  const out = bind1(
    raggedAllToAllP,
    [reshape(operand!, [size * N, ...operand!.shape.slice(2)]), reshape(output!, [size * M, ...output!.shape.slice(2)]), ...lists],
    p
  )
  return [[reshape(out, [size, M, ...out.shape.slice(1)])], [0]]
}

raggedAllToAllP.jvp = (primals, tangents, p) => [
  [bind1(raggedAllToAllP, primals, p)],
  [bind1(raggedAllToAllP, [tangents[0]!, tangents[1]!, ...primals.slice(2)], p)]
]

raggedAllToAllP.transpose = ([ct], args, p) => {
  const [operand, output] = args
  const [io, ss, oo, rs] = args.slice(2) as Array[]
  const opAval = operand!.aval as ShapedArray
  const outAval = output!.aval as ShapedArray
  if (ct instanceof Zero) return [new Zero(opAval), new Zero(outAval), null, null, null, null]
  const t = ct!
  // Where this member's received slices landed, and where its sent ones came from, per slot.
  const ooHere = allToAll(i32(oo!), p.axisName, 0, 0, { tiled: true })
  const ioThere = allToAll(i32(io!), p.axisName, 0, 0, { tiled: true })
  const zeros = constant(0, opAval.dtype, opAval.shape, false)
  const operandCt = bind1(raggedAllToAllP, [t, zeros, ooHere, i32(rs!), ioThere, i32(ss!)], p)
  const M = t.shape[0]!
  const K = ooHere.shape[0]!
  const m = iota("int32", [M, K], 0)
  const s2 = broadcastInDim(ooHere, [M, K], [1])
  const covered = reduceMax(convertElementType(and(ge(m, s2), lt(m, add(s2, broadcastInDim(i32(rs!), [M, K], [1])))), "int32", false), [1])
  const mask = broadcastInDim(ge(covered, constant(1, "int32", [], true)), t.shape, [0])
  const outputCt = select(mask, constant(0, t.dtype, t.shape, false), t)
  return [operand instanceof UndefPrimal ? operandCt : null, output instanceof UndefPrimal ? outputCt : null, null, null, null, null]
}

export interface RaggedAllToAllOptions {
  /** The named axis (bound by pmap, vmap or shardMap) the slices move along. */
  readonly axisName: string
}
const KEYS = optionKeys<RaggedAllToAllOptions>()("axisName")

/**
 * The ragged all-to-all (JAX's lax.ragged_all_to_all): member k sends rows
 * `operand[inputOffsets[i] : inputOffsets[i] + sendSizes[i]]` to member `floor(i / (K / n))`, which
 * writes them at `outputOffsets[i]` of its copy of `output`; `recvSizes[i]` says how many rows it
 * receives in slot i (from member `floor(i / (K / n))`). K is the length of the offset arrays, n the
 * axis size.
 *
 * @example
 * // two members, one slice for each: member r gets row r of every member's operand
 * const f = (x: Array) => lax.raggedAllToAll(x, np.zeros([2]), np.array([0, 1]), np.array([1, 1]),
 *   np.broadcastTo(lax.axisIndex("i"), [2]), np.array([1, 1]), { axisName: "i" })
 * vmap(f, { axisName: "i" })(np.array([[1, 2], [3, 4]], { dtype: "float32" })) // Array([[1., 3.], [2., 4.]], dtype=float32)
 */
export const raggedAllToAll = (
  operand: Array,
  output: Array,
  inputOffsets: Array,
  sendSizes: Array,
  outputOffsets: Array,
  recvSizes: Array,
  opts: RaggedAllToAllOptions
): Array => {
  checkOptions("lax.raggedAllToAll", opts, KEYS)
  const axisName = singleAxisName((opts as RaggedAllToAllOptions | undefined)?.axisName, "lax.raggedAllToAll")
  const axisSize = lookupAxis(axisName, "lax.raggedAllToAll").size
  return bind1(raggedAllToAllP, [operand, output, inputOffsets, sendSizes, outputOffsets, recvSizes], { axisName, axisSize })
}
