/**
 * Collectives across CPU devices (psum, pmax, pmin, all_gather, psum_scatter, ppermute,
 * all_to_all, axis_index) as routines of a per-device program: each member writes its operand into
 * its slot of the axis's shared-memory communicator (core/parallel/communicator.ts), meets the
 * others at a barrier, and reads what it needs. A reduction is split: member r reduces the r-th
 * share of the elements over all slots (in member order, the same on every member) into the result
 * slot, so the work is one pass over the data in all and every replica gets the same bits.
 *
 * Consecutive collectives use alternate slot sets (communicator.ts), so none needs a closing
 * barrier: a psum over two members is one barrier (each member adds the two slots itself, in
 * member order, so both get the same bits); over more members, a second barrier waits for the
 * shares of the result slot.
 */
import type { DType, AnyTypedArray } from "../../core/dtype.js"
import { typedArrayCtor } from "../../core/dtype.js"
import { barrier, type Member, memberFor, nextSlotSet, slotOffset } from "../../core/parallel/communicator.js"
import { bufferOf, type Kernel, inputAt, outAt } from "./kernel.js"

type ViewCtor = new (buffer: ArrayBufferLike, byteOffset: number, length: number) => AnyTypedArray
/** A member's view of slot `j` of the slot set of its current collective. */
interface Slots {
  readonly m: Member
  readonly set: number
}
const view = ({ m, set }: Slots, j: number, dtype: DType, length: number): AnyTypedArray =>
  new (typedArrayCtor(dtype) as unknown as ViewCtor)(m.comm.buffer, slotOffset(m.comm, j, set), length)

const checkFits = (m: Member, x: AnyTypedArray): void => {
  if (x.byteLength > m.comm.slotBytes)
    throw new Error(`jaxfx collective: an operand of ${x.byteLength} bytes exceeds the communicator's slots (${m.comm.slotBytes} bytes)`)
}

/** Write this member's operand into its slot (of its next slot set) and meet the others. */
const publish = (m: Member, x: AnyTypedArray, dtype: DType): Slots => {
  checkFits(m, x)
  const slots = { m, set: nextSlotSet(m) }
  view(slots, m.rank, dtype, x.length).set(x)
  barrier(m)
  return slots
}

type Combine = (acc: AnyTypedArray, x: AnyTypedArray, lo: number, hi: number) => void
// One loop per element type: a loop that sees one kind of typed array stays fast (a shared one
// would see every kind and be several times slower; gradients are large).
const sumF32 = (acc: Float32Array, x: Float32Array, lo: number, hi: number): void => {
  for (let i = lo; i < hi; i++) acc[i] = acc[i]! + x[i]!
}
const sumF64 = (acc: Float64Array, x: Float64Array, lo: number, hi: number): void => {
  for (let i = lo; i < hi; i++) acc[i] = acc[i]! + x[i]!
}
const sumI32 = (acc: Int32Array, x: Int32Array, lo: number, hi: number): void => {
  for (let i = lo; i < hi; i++) acc[i] = acc[i]! + x[i]!
}
const sumAny: Combine = (acc, x, lo, hi) => {
  for (let i = lo; i < hi; i++) acc[i] = acc[i]! + x[i]!
}
const sum: Combine = (acc, x, lo, hi) => {
  if (acc instanceof Float32Array) sumF32(acc, x as Float32Array, lo, hi)
  else if (acc instanceof Float64Array) sumF64(acc, x as Float64Array, lo, hi)
  else if (acc instanceof Int32Array) sumI32(acc, x as Int32Array, lo, hi)
  else sumAny(acc, x, lo, hi)
}
// NaN wins, as in XLA's max and min.
const max: Combine = (acc, x, lo, hi) => {
  for (let i = lo; i < hi; i++) {
    const a = acc[i]!
    const b = x[i]!
    acc[i] = a !== a || a >= b ? a : b
  }
}
const min: Combine = (acc, x, lo, hi) => {
  for (let i = lo; i < hi; i++) {
    const a = acc[i]!
    const b = x[i]!
    acc[i] = a !== a || a <= b ? a : b
  }
}

const reduction =
  (name: string, combine: Combine): Kernel =>
  (inputs, params, outs) => {
    // Over several device axes (a mesh): one axis after the other; every member takes the same steps.
    let x = bufferOf(inputAt(inputs, 0))
    for (const axis of params.axes as ReadonlyArray<string>) x = reduceOver(memberFor(axis, `lax.${name}`), x, outAt(outs).dtype, combine)
    return [x]
  }

const reduceOver = (m: Member, x: AnyTypedArray, dtype: DType, combine: Combine): AnyTypedArray => {
  const n = m.comm.size
  const len = x.length
  const slots = publish(m, x, dtype)
  if (n <= 2) {
    // Every member combines all the slots itself: no second barrier.
    const res = view(slots, 0, dtype, len).slice()
    for (let j = 1; j < n; j++) combine(res, view(slots, j, dtype, len), 0, len)
    return res
  }
  const lo = Math.floor((len * m.rank) / n)
  const hi = Math.floor((len * (m.rank + 1)) / n)
  const res = view(slots, n, dtype, len)
  res.set(view(slots, 0, dtype, len).subarray(lo, hi), lo)
  for (let j = 1; j < n; j++) combine(res, view(slots, j, dtype, len), lo, hi)
  barrier(m)
  return res.slice()
}

/** all_gather: every member's operand, stacked (or concatenated) at `axis`: out viewed as [pre, n, post]. */
const allGather: Kernel = (inputs, params, outs) => {
  const m = memberFor(params.axisName as string, "lax.allGather")
  const x = bufferOf(inputAt(inputs, 0))
  const o = outAt(outs)
  const shape = inputAt(inputs, 0).aval.shape
  const axis = params.axis as number
  const slots = publish(m, x, o.dtype)
  const n = m.comm.size
  const pre = shape.slice(0, axis).reduce((a, b) => a * b, 1)
  const post = x.length / Math.max(pre, 1)
  const out = new (typedArrayCtor(o.dtype))(o.size)
  for (let j = 0; j < n; j++) {
    const s = view(slots, j, o.dtype, x.length)
    for (let p = 0; p < pre; p++) out.set(s.subarray(p * post, (p + 1) * post), (p * n + j) * post)
  }
  return [out]
}

/** psum_scatter: member r gets the sum of block r along the scatter dimension: x viewed as [pre, n, post]. */
const reduceScatter: Kernel = (inputs, params, outs) => {
  const m = memberFor(params.axisName as string, "lax.psumScatter")
  const x = bufferOf(inputAt(inputs, 0))
  const o = outAt(outs)
  const shape = inputAt(inputs, 0).aval.shape
  const dim = params.scatterDimension as number
  const slots = publish(m, x, o.dtype)
  const n = m.comm.size
  const pre = shape.slice(0, dim).reduce((a, b) => a * b, 1)
  const post = x.length / (pre * n)
  const out = new (typedArrayCtor(o.dtype))(o.size)
  for (let j = 0; j < n; j++) {
    const s = view(slots, j, o.dtype, x.length)
    for (let p = 0; p < pre; p++) {
      const from = (p * n + m.rank) * post
      const at = p * post
      if (j === 0) out.set(s.subarray(from, from + post), at)
      else for (let q = 0; q < post; q++) out[at + q] = out[at + q]! + s[from + q]!
    }
  }
  return [out]
}

/** ppermute: this member receives its source's operand (zeros when nobody sends to it). */
const ppermute: Kernel = (inputs, params, outs) => {
  const m = memberFor(params.axisName as string, "lax.ppermute")
  const x = bufferOf(inputAt(inputs, 0))
  const o = outAt(outs)
  const slots = publish(m, x, o.dtype)
  const pair = (params.perm as ReadonlyArray<readonly [number, number]>).find(([, d]) => d === m.rank)
  return [pair === undefined ? new (typedArrayCtor(o.dtype))(o.size) : view(slots, pair[0], o.dtype, x.length).slice()]
}

const strides = (shape: ReadonlyArray<number>): number[] => {
  const s = new globalThis.Array<number>(shape.length).fill(1)
  for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1]! * shape[i + 1]!
  return s
}

/**
 * all_to_all: from every member i, block r (this member) of i's split axis, placed at position i
 * along the concat axis (stacked, or concatenated when tiled).
 */
const allToAll: Kernel = (inputs, params, outs) => {
  const m = memberFor(params.axisName as string, "lax.allToAll")
  const xin = inputAt(inputs, 0)
  const x = bufferOf(xin)
  const o = outAt(outs)
  const slots = publish(m, x, o.dtype)
  const split = params.splitAxis as number
  const concat = params.concatAxis as number
  const tiled = params.tiled as boolean
  const s = xin.aval.shape
  const xs = strides(s)
  const n = m.comm.size
  const out = new (typedArrayCtor(o.dtype))(o.size)
  const sources = globalThis.Array.from({ length: n }, (_, i) => view(slots, i, o.dtype, x.length))
  const oshape = o.shape
  const idx = new globalThis.Array<number>(oshape.length).fill(0)
  const c = tiled ? s[split]! / n : 1
  const blockConcat = tiled ? (concat === split ? c : s[concat]!) : 1
  for (let f = 0; f < o.size; f++) {
    // This output element's source member and its flat index in that member's operand.
    let src: number
    let off = 0
    if (tiled) {
      src = Math.floor(idx[concat]! / blockConcat)
      for (let a = 0; a < s.length; a++) {
        let v = a === concat ? idx[a]! % blockConcat : idx[a]!
        if (a === split) v += m.rank * c
        off += v * xs[a]!
      }
    } else {
      src = idx[concat]!
      // The output without the concat axis is the operand without the split axis.
      let b = 0
      for (let a = 0; a < s.length; a++) {
        if (a === split) off += m.rank * xs[a]!
        else {
          if (b === concat) b++
          off += idx[b]! * xs[a]!
          b++
        }
      }
    }
    out[f] = sources[src]![off]!
    for (let a = oshape.length - 1; a >= 0; a--) {
      if (++idx[a]! < oshape[a]!) break
      idx[a] = 0
    }
  }
  return [out]
}

/**
 * ragged_all_to_all: each member publishes its operand, then its input and output offsets (int32,
 * after the operand's bytes); member r starts from its output and copies in, from every sender s,
 * the rows of s's slices r * K/n .. (r + 1) * K/n - 1 (recvSizes rows each, clamped to both arrays).
 */
const raggedAllToAll: Kernel = (inputs, params, outs) => {
  const m = memberFor(params.axisName as string, "lax.raggedAllToAll")
  const o = outAt(outs)
  const opIn = inputAt(inputs, 0)
  const x = bufferOf(opIn)
  const [io, oo, rs] = [2, 4, 5].map((i) => bufferOf(inputAt(inputs, i)))
  const K = io!.length
  const opBytes = Math.ceil(x.byteLength / 8) * 8
  const need = opBytes + 8 * K
  if (need > m.comm.slotBytes) throw new Error(`jaxfx collective: ragged_all_to_all needs ${need} bytes per slot (${m.comm.slotBytes})`)
  const slots = { m, set: nextSlotSet(m) }
  const mine = slotOffset(m.comm, m.rank, slots.set)
  new Uint8Array(m.comm.buffer, mine, x.byteLength).set(new Uint8Array(x.buffer, x.byteOffset, x.byteLength))
  const meta = new Int32Array(m.comm.buffer, mine + opBytes, 2 * K)
  for (let i = 0; i < K; i++) {
    meta[i] = Number(io![i])
    meta[K + i] = Number(oo![i])
  }
  barrier(m)
  const n = m.comm.size
  const spd = K / n
  const rowLen = opIn.aval.shape.slice(1).reduce((a, b) => a * b, 1)
  const N = opIn.aval.shape[0]!
  const M = o.shape[0]!
  const out = bufferOf(inputAt(inputs, 1)).slice()
  for (let src = 0; src < n; src++) {
    const at = slotOffset(m.comm, src, slots.set)
    const data = view(slots, src, o.dtype, x.length)
    const theirs = new Int32Array(m.comm.buffer, at + opBytes, 2 * K)
    for (let j = 0; j < spd; j++) {
      const i = m.rank * spd + j
      const from = theirs[i]!
      const to = theirs[K + i]!
      const rows = Math.min(Number(rs![src * spd + j]), N - from, M - to)
      if (rows <= 0 || from < 0 || to < 0) continue
      out.set(data.subarray(from * rowLen, (from + rows) * rowLen), to * rowLen)
    }
  }
  return [out]
}

const axisIndex: Kernel = (_inputs, params) => [Int32Array.of(memberFor(params.axisName as string, "lax.axisIndex").rank)]

/** The collective routines, by primitive name. */
export const collectiveKernels = {
  psum: reduction("psum", sum),
  pmax: reduction("pmax", max),
  pmin: reduction("pmin", min),
  all_gather: allGather,
  reduce_scatter: reduceScatter,
  ppermute,
  all_to_all: allToAll,
  ragged_all_to_all: raggedAllToAll,
  axis_index: axisIndex
} satisfies Record<string, Kernel>
