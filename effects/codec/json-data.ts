/**
 * The elements of a JSON checkpoint's array node: the scanner checked the `data` list's grammar
 * and kept its byte range (json-scan.ts); here they are read into the dtype's storage, a slice at
 * a time, with the format's rules (json.ts): float32 and float64 take numbers in range and the
 * strings "NaN", "Infinity", "-Infinity", "-0" and "NaN:<hex>"; int32 and uint32 take integers
 * in range written as integers; bool takes 0 and 1.
 */
import type { AnyTypedArray } from "../../core/dtype.js"
import { CodecError, type DType } from "../../index.js"
import { asciiString, isWs } from "./json-scan.js"
import { parseJson } from "./json-text.js"
import { SLICE_ITEMS, type Work } from "./work.js"

/** A checked list of numbers and short strings, kept as its byte range `[start, end)` in `bytes`. */
export interface RawList {
  readonly bytes: Uint8Array
  readonly start: number
  readonly end: number
  readonly count: number
}

const FLOAT32_MAX = 3.4028234663852886e38
const pow10 = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`)) // exact doubles

/**
 * The value of a (checked) number token. Short decimals take Clinger's fast path: with at most
 * 15 significant digits and a power of ten up to 22, one multiplication or division of two exact
 * doubles is correctly rounded. Anything else goes through `Number`.
 */
export const parseNumber = (bytes: Uint8Array, start: number, end: number): number => {
  let k = start
  const negative = bytes[k] === 0x2d
  if (negative) k++
  let m = 0
  let digits = 0
  let scale = 0
  let c = bytes[k]!
  for (; k < end && c >= 0x30 && c <= 0x39; c = bytes[++k]!) {
    if (digits > 0 || c !== 0x30) digits++
    m = m * 10 + (c - 0x30)
  }
  if (k < end && c === 0x2e) {
    for (c = bytes[++k]!; k < end && c >= 0x30 && c <= 0x39; c = bytes[++k]!) {
      if (digits > 0 || c !== 0x30) digits++
      m = m * 10 + (c - 0x30)
      scale--
    }
  }
  if (k < end) {
    // an exponent
    let j = k + 1
    const expNegative = bytes[j] === 0x2d
    if (bytes[j] === 0x2b || expNegative) j++
    let e = 0
    for (; j < end && e < 1e6; j++) e = e * 10 + (bytes[j]! - 0x30)
    scale += expNegative ? -e : e
  }
  if (digits <= 15) {
    let v: number | undefined
    if (m === 0) v = 0
    else if (scale >= 0 && scale <= 22) v = m * pow10[scale]!
    else if (scale < 0 && scale >= -22) v = m / pow10[-scale]!
    if (v !== undefined) return negative ? -v : v
  }
  return Number(asciiString(bytes, start, end))
}

const isTokenByte = (c: number): boolean => (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2b || c === 0x2e || c === 0x65 || c === 0x45

const nanBits = (hex: string, dtype: "float32" | "float64"): bigint | undefined => {
  const digits = dtype === "float32" ? 8 : 16
  if (hex.length !== digits || !/^[0-9a-fA-F]+$/.test(hex)) return undefined
  const bits = BigInt(`0x${hex}`)
  const [expMask, mantMask] = dtype === "float32" ? [0x7f800000n, 0x007fffffn] : [0x7ff0000000000000n, 0x000fffffffffffffn]
  return (bits & expMask) === expMask && (bits & mantMask) !== 0n ? bits : undefined
}

/**
 * Read the `n` elements of `list` as `dtype`; `name` is the array's name for messages. Throws a
 * `CodecError` naming the first element that breaks the format's rules.
 */
export function* readData(list: RawList, dtype: DType, n: number, name: string): Work<AnyTypedArray> {
  const fail = (i: number, msg: string): never => {
    throw new CodecError(`JSON checkpoint "${name}": element ${i} ${msg}.`)
  }
  if (list.count !== n) {
    throw new CodecError(`JSON checkpoint "${name}": the shape needs ${n} elements but data has ${list.count}.`)
  }
  const { bytes, end } = list
  const isFloat = dtype === "float32" || dtype === "float64"
  const out =
    dtype === "float32"
      ? new Float32Array(n)
      : dtype === "float64"
        ? new Float64Array(n)
        : dtype === "int32"
          ? new Int32Array(n)
          : dtype === "uint32"
            ? new Uint32Array(n)
            : new Uint8Array(n)
  const bits32 = dtype === "float32" ? new Uint32Array(out.buffer) : undefined
  const bits64 = dtype === "float64" ? new BigUint64Array(out.buffer) : undefined
  const [lo, hi] = dtype === "int32" ? [-2147483648, 2147483647] : dtype === "uint32" ? [0, 4294967295] : [0, 1]
  let k = list.start + 1
  for (let i = 0; i < n; i++) {
    if ((i & (SLICE_ITEMS - 1)) === SLICE_ITEMS - 1) yield
    while (isWs(bytes[k]!) || bytes[k] === 0x2c) k++
    if (bytes[k] === 0x22) {
      // a string element: "NaN", "Infinity", "-Infinity", "-0" or "NaN:<hex>" (escapes allowed)
      let e = k + 1
      while (bytes[e] !== 0x22) e += bytes[e] === 0x5c ? 2 : 1
      const text = bytes.subarray(k + 1, e).includes(0x5c) ? (parseJson(asciiString(bytes, k, e + 1)) as string) : asciiString(bytes, k + 1, e)
      k = e + 1
      if (!isFloat) fail(i, `is the string ${JSON.stringify(text)}, not ${dtype === "bool" ? "0 or 1" : `an integer in [${lo}, ${hi}]`}`)
      if (text === "NaN") out[i] = NaN
      else if (text === "Infinity") out[i] = Infinity
      else if (text === "-Infinity") out[i] = -Infinity
      else if (text === "-0") out[i] = -0
      else if (text.startsWith("NaN:")) {
        const b = nanBits(text.slice(4), dtype as "float32" | "float64")
        if (b === undefined) fail(i, `is ${JSON.stringify(text)}, not the bits of a ${dtype} NaN`)
        if (bits32 !== undefined) bits32[i] = Number(b)
        else bits64![i] = b!
      } else fail(i, `is the string ${JSON.stringify(text)}; strings are only "NaN", "Infinity", "-Infinity", "-0", "NaN:<hex>"`)
      continue
    }
    const s = k
    let integral = true
    while (k < end && isTokenByte(bytes[k]!)) {
      if (bytes[k] === 0x2e || bytes[k] === 0x65 || bytes[k] === 0x45) integral = false
      k++
    }
    const v = parseNumber(bytes, s, k)
    if (isFloat) {
      // A finite number that rounds to infinity is out of range (infinities are written as strings).
      const max = dtype === "float32" ? FLOAT32_MAX : Number.MAX_VALUE
      if (!Number.isFinite(dtype === "float32" ? Math.fround(v) : v)) {
        fail(i, `is ${asciiString(bytes, s, Math.min(k, s + 40))}, beyond the ${dtype} range (largest ${max}); write "Infinity" or "-Infinity" for an infinity`)
      }
      out[i] = v
    } else if (!integral || v < lo || v > hi) {
      fail(i, `is ${asciiString(bytes, s, Math.min(k, s + 40))}, not ${dtype === "bool" ? "0 or 1" : `an integer in [${lo}, ${hi}]`} written as an integer`)
    } else out[i] = v
  }
  return out
}
