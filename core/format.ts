/**
 * Printing arrays like JAX's `repr`, which is NumPy's `array2string` with the default print
 * options (precision 8, floatmode "maxprec", linewidth 75, threshold 1000, edgeitems 3):
 *
 *   Array([0, 1, 2], dtype=int32)
 *   Array([1.5 , 2.25], dtype=float32)
 *   Array([[1, 2],
 *          [3, 4]], dtype=int32)
 *
 * Floats are printed with NumPy's Dragon4 port below: the shortest digits that round-trip in the
 * array's own dtype (float32 or float64), cut at `precision` digits, rounded half-to-even on the
 * exact binary value. Everything is exact (BigInt), so the output matches NumPy digit for digit.
 *
 * This module only imports types from `./array.js` (array.ts imports it).
 */
import type { ShapedArray } from "./array.js"
import type { AnyTypedArray, DType } from "./dtype.js"
import { float16FromNumber, float16ToNumber } from "./dtypes/half.js"

/** Which float a value is printed as: float32 (true), float64 (false) or float16 ("half"). */
type Single = boolean | "half"

/** NumPy's print options that jaxfx uses (the defaults are NumPy's). */
export interface PrintOptions {
  /** Digits after the decimal point (positional) or after the first digit (scientific). */
  readonly precision: number
  /** Arrays with more elements than this are summarized with `...`. */
  readonly threshold: number
  /** Items shown at each end of a summarized axis. */
  readonly edgeitems: number
  /** Characters per line. */
  readonly linewidth: number
}

export const defaultPrintOptions: PrintOptions = { precision: 8, threshold: 1000, edgeitems: 3, linewidth: 75 }

// ---------------------------------------------------------------------------------------------
// Dragon4 (after NumPy's dragon4.c, itself after Ryan Juckett's implementation)
// ---------------------------------------------------------------------------------------------

interface FloatParts {
  readonly negative: boolean
  /** The value is mantissa * 2^exponent. */
  readonly mantissa: bigint
  readonly exponent: number
  /** Index of the highest set bit of the mantissa. */
  readonly mantissaBit: number
  /** At a power of two the gap to the next value below is half the gap above. */
  readonly unequalMargins: boolean
}

const scratch = new DataView(new ArrayBuffer(8))

const bitLength = (n: bigint): number => n.toString(2).length

/** Split a finite float into IEEE fields, as a float32 when `single`, a float16 when "half", else as a float64. */
const decompose = (x: number, single: Single): FloatParts => {
  if (single === "half") {
    const h = float16FromNumber(x)
    const biased = (h >>> 10) & 0x1f
    const frac = h & 0x3ff
    const negative = (h & 0x8000) !== 0
    if (biased !== 0) {
      return { negative, mantissa: BigInt(frac | 0x400), exponent: biased - 25, mantissaBit: 10, unequalMargins: biased !== 1 && frac === 0 }
    }
    return { negative, mantissa: BigInt(frac), exponent: -24, mantissaBit: frac === 0 ? 0 : 31 - Math.clz32(frac), unequalMargins: false }
  }
  if (single) {
    scratch.setFloat32(0, x)
    const bits = scratch.getUint32(0)
    const negative = bits >>> 31 === 1
    const biased = (bits >>> 23) & 0xff
    const frac = bits & 0x7fffff
    if (biased !== 0) {
      return {
        negative,
        mantissa: BigInt(frac | 0x800000),
        exponent: biased - 150,
        mantissaBit: 23,
        unequalMargins: biased !== 1 && frac === 0
      }
    }
    return {
      negative,
      mantissa: BigInt(frac),
      exponent: -149,
      mantissaBit: frac === 0 ? 0 : 31 - Math.clz32(frac),
      unequalMargins: false
    }
  }
  scratch.setFloat64(0, x)
  const hi = scratch.getUint32(0)
  const lo = scratch.getUint32(4)
  const negative = hi >>> 31 === 1
  const biased = (hi >>> 20) & 0x7ff
  const frac = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo)
  if (biased !== 0) {
    return {
      negative,
      mantissa: frac | (1n << 52n),
      exponent: biased - 1075,
      mantissaBit: 52,
      unequalMargins: biased !== 1 && frac === 0n
    }
  }
  return {
    negative,
    mantissa: frac,
    exponent: -1074,
    mantissaBit: frac === 0n ? 0 : bitLength(frac) - 1,
    unequalMargins: false
  }
}

type CutoffMode = "totalLength" | "fractionLength"

interface DigitString {
  /** The significant digits, no leading zeros (unless the value rounds to zero). */
  readonly digits: string
  /** The decimal exponent of the first digit. */
  readonly exponent: number
}

const LOG10_2 = 0.30102999566398119521373889472449
const MAX_DIGITS = 16384

/**
 * NumPy's Dragon4 in "unique" digit mode: the shortest digits that identify the value among the
 * values of its type, with at most `cutoffMax` digits and at least `cutoffMin` digits (counted
 * in total, or after the decimal point); -1 means no limit.
 */
const dragon4 = (p: FloatParts, mode: CutoffMode, cutoffMax: number, cutoffMin: number): DigitString => {
  const { mantissa, exponent } = p
  if (mantissa === 0n) return { digits: "0", exponent: 0 }
  const isEven = (mantissa & 1n) === 0n
  const unequal = p.unequalMargins

  // value = scaledValue / scale; the margins are half the distance to the neighbouring values.
  let scaledValue: bigint
  let scale: bigint
  let marginLow: bigint
  if (exponent > 0) {
    scaledValue = mantissa << BigInt(exponent + (unequal ? 2 : 1))
    scale = unequal ? 4n : 2n
    marginLow = 1n << BigInt(exponent)
  } else {
    scaledValue = mantissa << (unequal ? 2n : 1n)
    scale = 1n << BigInt(-exponent + (unequal ? 2 : 1))
    marginLow = 1n
  }
  const marginHigh = (): bigint => (unequal ? marginLow * 2n : marginLow)

  // An estimate of ceil(log10(value)) that is exact or one too low.
  let digitExponent = Math.ceil((p.mantissaBit + exponent) * LOG10_2 - 0.69)
  if (cutoffMax >= 0 && mode === "fractionLength" && digitExponent <= -cutoffMax) {
    digitExponent = -cutoffMax + 1
  }
  if (digitExponent > 0) {
    scale *= 10n ** BigInt(digitExponent)
  } else if (digitExponent < 0) {
    const pow10 = 10n ** BigInt(-digitExponent)
    scaledValue *= pow10
    marginLow *= pow10
  }
  if (scaledValue >= scale) {
    digitExponent += 1
  } else {
    scaledValue *= 10n
    marginLow *= 10n
  }

  let cutoffMaxExponent = digitExponent - MAX_DIGITS
  if (cutoffMax >= 0) {
    const desired = mode === "totalLength" ? digitExponent - cutoffMax : -cutoffMax
    if (desired > cutoffMaxExponent) cutoffMaxExponent = desired
  }
  let cutoffMinExponent = digitExponent
  if (cutoffMin >= 0) {
    const desired = mode === "totalLength" ? digitExponent - cutoffMin : -cutoffMin
    if (desired < cutoffMinExponent) cutoffMinExponent = desired
  }

  let outExponent = digitExponent - 1
  const out: Array<number> = []
  let low = false
  let high = false
  let digit = 0
  for (;;) {
    digitExponent -= 1
    digit = Number(scaledValue / scale)
    scaledValue %= scale
    const valueHigh = scaledValue + marginHigh()
    low = isEven ? scaledValue <= marginLow : scaledValue < marginLow
    high = isEven ? valueHigh >= scale : valueHigh > scale
    if (((low || high) && digitExponent <= cutoffMinExponent) || digitExponent === cutoffMaxExponent) break
    out.push(digit)
    scaledValue *= 10n
    marginLow *= 10n
  }

  let roundDown = low
  if (low === high) {
    const twice = scaledValue * 2n
    roundDown = twice < scale
    if (twice === scale) roundDown = (digit & 1) === 0
  }
  if (roundDown) {
    out.push(digit)
  } else if (digit !== 9) {
    out.push(digit + 1)
  } else {
    for (;;) {
      const prev = out.pop()
      if (prev === undefined) {
        out.push(1)
        outExponent += 1
        break
      }
      if (prev !== 9) {
        out.push(prev + 1)
        break
      }
    }
  }
  return { digits: out.join(""), exponent: outExponent }
}

/** 'k': keep trailing zeros; '.': trim trailing zeros, keep the decimal point. */
type Trim = "k" | "."

interface PositionalOptions {
  /** Print "+" before non-negative values (NumPy's `sign="+"`, used for imaginary parts). */
  readonly plus?: boolean
  readonly precision: number
  readonly minDigits: number
  readonly trim: Trim
  readonly padLeft: number
  readonly padRight: number
}

/** NumPy's `dragon4_positional` with `unique=True, fractional=True`. */
const formatPositional = (x: number, single: Single, o: PositionalOptions): string => {
  const p = decompose(x, single)
  const sign = p.negative ? "-" : o.plus === true ? "+" : ""
  const { digits, exponent } = dragon4(p, "fractionLength", o.precision, o.minDigits)
  let whole: string
  let frac: string
  if (exponent >= 0) {
    const nWhole = exponent + 1
    if (digits.length <= nWhole) {
      whole = digits + "0".repeat(nWhole - digits.length)
      frac = ""
    } else {
      whole = digits.slice(0, nWhole)
      frac = digits.slice(nWhole)
    }
  } else {
    whole = "0"
    frac = "0".repeat(-(exponent + 1)) + digits
  }
  const desired = Math.max(o.minDigits, 0)
  if (o.trim === "k" && desired > frac.length) frac += "0".repeat(desired - frac.length)
  if (o.precision >= 0 && o.trim !== "k") frac = frac.replace(/0+$/, "")
  const left = Math.max(0, o.padLeft - (whole.length + sign.length))
  const right = Math.max(0, o.padRight - frac.length)
  return " ".repeat(left) + sign + whole + "." + frac + " ".repeat(right)
}

interface ScientificOptions {
  readonly plus?: boolean
  readonly precision: number
  readonly minDigits: number
  readonly trim: Trim
  readonly padLeft: number
  /** Minimum number of exponent digits (-1: NumPy's default of 2). */
  readonly expDigits: number
}

/** NumPy's `dragon4_scientific` with `unique=True`. */
const formatScientific = (x: number, single: Single, o: ScientificOptions): string => {
  const p = decompose(x, single)
  const sign = p.negative ? "-" : o.plus === true ? "+" : ""
  const { digits, exponent } = dragon4(p, "totalLength", o.precision < 0 ? -1 : o.precision + 1, o.minDigits < 0 ? -1 : o.minDigits + 1)
  const first = digits.slice(0, 1)
  let frac = digits.slice(1)
  const desired = Math.max(o.minDigits, 0)
  if (o.trim === "k" && desired > frac.length) frac += "0".repeat(desired - frac.length)
  if (o.precision >= 0 && o.trim !== "k") frac = frac.replace(/0+$/, "")
  const expDigits = o.expDigits < 0 ? 2 : Math.min(o.expDigits, 5)
  const exp = (exponent < 0 ? "-" : "+") + String(Math.abs(exponent)).padStart(expDigits, "0")
  const left = Math.max(0, o.padLeft - (1 + sign.length))
  return " ".repeat(left) + sign + first + "." + frac + "e" + exp
}

// ---------------------------------------------------------------------------------------------
// Element formatters (NumPy's FloatingFormat, IntegerFormat, BoolFormat)
// ---------------------------------------------------------------------------------------------

type ElementFormat = (x: number) => string

const splitAt = (s: string, sep: string): [string, string] => {
  const i = s.indexOf(sep)
  return i < 0 ? [s, ""] : [s.slice(0, i), s.slice(i + sep.length)]
}

const maxLength = (xs: ReadonlyArray<string>): number => {
  let m = 0
  for (const s of xs) if (s.length > m) m = s.length
  return m
}

const floatingFormat = (values: ReadonlyArray<number>, single: Single, precision: number, plus = false): ElementFormat => {
  const round = single === "half" ? (v: number) => float16ToNumber(float16FromNumber(v)) : single ? Math.fround : (v: number) => v
  const finite = values.filter(Number.isFinite)
  let expFormat = false
  let maxVal = -Infinity
  let minVal = Infinity
  for (const v of finite) {
    if (v === 0) continue
    const a = Math.abs(v)
    if (a > maxVal) maxVal = a
    if (a < minVal) minVal = a
  }
  if (maxVal !== -Infinity) {
    // NumPy compares in the array's dtype (Python floats are weak under NEP 50).
    expFormat = maxVal >= round(1e8) || minVal < round(1e-4) || round(maxVal / minVal) > 1000
  }

  // First pass: print every finite value to find the widths (NumPy's fillFormat).
  let padLeft = 0
  let padRight = 0
  let expSize = -1
  let expPrecision = 0
  if (finite.length > 0 && expFormat) {
    const ints: Array<string> = []
    const fracs: Array<string> = []
    const exps: Array<string> = []
    for (const v of finite) {
      const s = formatScientific(v, single, { plus, precision, minDigits: -1, trim: ".", padLeft: -1, expDigits: -1 })
      const [m, e] = splitAt(s, "e")
      const [i, f] = splitAt(m, ".")
      ints.push(i)
      fracs.push(f)
      exps.push(e)
    }
    expSize = maxLength(exps) - 1
    expPrecision = maxLength(fracs)
    padLeft = maxLength(ints)
    padRight = expSize + 2 + expPrecision
  } else if (finite.length > 0) {
    const ints: Array<string> = []
    const fracs: Array<string> = []
    for (const v of finite) {
      const s = formatPositional(v, single, { plus, precision, minDigits: -1, trim: ".", padLeft: -1, padRight: -1 })
      const [i, f] = splitAt(s, ".")
      ints.push(i)
      fracs.push(f)
    }
    padLeft = maxLength(ints)
    padRight = maxLength(fracs)
  }
  if (finite.length !== values.length) {
    // nan and inf may need a wider left part.
    const negInf = plus || values.some((v) => v === -Infinity)
    const offset = padRight + 1
    padLeft = Math.max(padLeft, 3 - offset, 3 + (negInf ? 1 : 0) - offset)
  }

  // Second pass: the formatter with the common widths.
  const width = padLeft + padRight + 1
  const sci: ScientificOptions = { plus, precision: expPrecision, minDigits: expPrecision, trim: "k", padLeft, expDigits: expSize }
  const pos: PositionalOptions = { plus, precision, minDigits: 0, trim: ".", padLeft, padRight }
  return (x) => {
    if (!Number.isFinite(x)) {
      const s = Number.isNaN(x) ? (plus ? "+" : "") + "nan" : x < 0 ? "-inf" : plus ? "+inf" : "inf"
      return " ".repeat(Math.max(0, width - s.length)) + s
    }
    return expFormat ? formatScientific(x, single, sci) : formatPositional(x, single, pos)
  }
}

const integerFormat = (values: ReadonlyArray<number>): ElementFormat => {
  let width = 0
  if (values.length > 0) {
    let max = -Infinity
    let min = Infinity
    for (const v of values) {
      if (v > max) max = v
      if (v < min) min = v
    }
    width = Math.max(String(max).length, String(min).length)
  }
  return (x) => String(x).padStart(width)
}

const boolFormat = (zeroDim: boolean): ElementFormat => {
  const t = zeroDim ? "True" : " True"
  return (x) => (x !== 0 ? t : "False")
}

/**
 * NumPy's ComplexFloatingFormat: the real parts and the imaginary parts each get their own
 * FloatingFormat (the imaginary one signed with "+"), and "j" goes before the imaginary part's
 * trailing padding. `values` are interleaved (re, im) pairs.
 */
const complexFormat = (values: ReadonlyArray<number>, single: boolean, precision: number): ((re: number, im: number) => string) => {
  const re: number[] = []
  const im: number[] = []
  for (let i = 0; i < values.length; i += 2) {
    re.push(values[i]!)
    im.push(values[i + 1]!)
  }
  const rf = floatingFormat(re, single, precision)
  const imf = floatingFormat(im, single, precision, true)
  return (r, m) => {
    const i = imf(m)
    const sp = i.trimEnd().length
    return rf(r) + i.slice(0, sp) + "j" + i.slice(sp)
  }
}

const elementFormat = (values: ReadonlyArray<number>, dtype: DType, zeroDim: boolean, precision: number): ElementFormat => {
  switch (dtype) {
    case "complex64":
    case "complex128":
      // array2string formats complex elements with complexFormat.
      throw new Error("jaxfx internal: elementFormat of a complex dtype")
    case "float32":
      return floatingFormat(values, true, precision)
    case "float64":
      return floatingFormat(values, false, precision)
    case "float16":
      return floatingFormat(values, "half", precision)
    case "bfloat16":
      return cFormatG
    case "int32":
    case "uint32":
    case "int8":
    case "int16":
    case "uint8":
    case "uint16":
      return integerFormat(values)
    case "bool":
      return boolFormat(zeroDim)
  }
}

/**
 * C's `%g` (6 significant digits, trailing zeros dropped, exponents of two or more digits): how
 * NumPy prints bfloat16 elements, which ml_dtypes formats through `float`.
 */
const cFormatG = (x: number): string => {
  if (Number.isNaN(x)) return "nan"
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf"
  if (x === 0) return Object.is(x, -0) ? "-0" : "0"
  // C rounds an exact tie to even; JS's toExponential rounds it away from zero.
  const full = Math.abs(x).toExponential(60).split("e") as [string, string]
  const ds = full[0].replace(".", "")
  const tieToEven = ds[6] === "5" && /^0*$/.test(ds.slice(7)) && Number(ds[5]) % 2 === 0
  const [m, e] = tieToEven ? [`${x < 0 ? "-" : ""}${ds[0]}.${ds.slice(1, 6)}`, full[1]] : (x.toExponential(5).split("e") as [string, string])
  const exp = Number(e)
  const strip = (s: string): string => (s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s)
  if (exp < -4 || exp >= 6) return `${strip(m)}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`
  return strip(tieToEven ? (Number(m) * 10 ** exp).toFixed(5 - exp) : x.toFixed(5 - exp))
}

// ---------------------------------------------------------------------------------------------
// Layout (NumPy's _formatArray)
// ---------------------------------------------------------------------------------------------

const stridesFor = (shape: ReadonlyArray<number>): Array<number> => {
  const out = new Array<number>(shape.length)
  let acc = 1
  for (let i = shape.length - 1; i >= 0; i--) {
    out[i] = acc
    acc *= shape[i]!
  }
  return out
}

/** The elements NumPy's `_leading_trailing` keeps (those shown), in no particular order. */
const shownValues = (
  data: AnyTypedArray,
  shape: ReadonlyArray<number>,
  strides: ReadonlyArray<number>,
  summarize: boolean,
  edge: number,
  lanes: number = 1
): Array<number> => {
  const out: Array<number> = []
  const visit = (axis: number, offset: number): void => {
    if (axis === shape.length) {
      for (let l = 0; l < lanes; l++) out.push(data[offset * lanes + l]!)
      return
    }
    const n = shape[axis]!
    const stride = strides[axis]!
    if (summarize && n > 2 * edge) {
      for (let i = 0; i < edge; i++) visit(axis + 1, offset + i * stride)
      for (let i = n - edge; i < n; i++) visit(axis + 1, offset + i * stride)
    } else {
      for (let i = 0; i < n; i++) visit(axis + 1, offset + i * stride)
    }
  }
  visit(0, 0)
  return out
}

export interface Array2StringOptions {
  readonly separator?: string
  readonly prefix?: string
  readonly suffix?: string
  readonly maxLineWidth?: number
  readonly print?: Partial<PrintOptions>
}

/**
 * NumPy's `np.array2string(a, ...)` for a row-major buffer of the given shape and dtype
 * (non-legacy mode, default print options unless overridden).
 */
export const array2string = (data: AnyTypedArray, shape: ReadonlyArray<number>, dtype: DType, options: Array2StringOptions = {}): string => {
  const print: PrintOptions = { ...defaultPrintOptions, ...options.print }
  const separator = options.separator ?? " "
  const prefix = options.prefix ?? ""
  const suffix = options.suffix ?? ""
  const lineWidth = (options.maxLineWidth ?? print.linewidth) - suffix.length
  let size = 1
  for (const d of shape) size *= d
  if (size === 0) return "[]"

  const strides = stridesFor(shape)
  const summarize = size > print.threshold
  const edge = print.edgeitems
  const complex = dtype === "complex64" || dtype === "complex128"
  const shown = shownValues(data, shape, strides, summarize, edge, complex ? 2 : 1)
  let fmtAt: (offset: number) => string
  if (complex) {
    const cf = complexFormat(shown, dtype === "complex64", print.precision)
    fmtAt = (o) => cf(data[2 * o]!, data[2 * o + 1]!)
  } else {
    const fmt = elementFormat(shown, dtype, shape.length === 0, print.precision)
    fmtAt = (o) => fmt(data[o]!)
  }
  const sepStripped = separator.trimEnd()

  const recurse = (axis: number, offset: number, hangingIndent: string, currWidth: number): string => {
    const axesLeft = shape.length - axis
    if (axesLeft === 0) return fmtAt(offset)
    const nextHangingIndent = hangingIndent + " "
    const nextWidth = currWidth - 1
    const n = shape[axis]!
    const stride = strides[axis]!
    const showSummary = summarize && 2 * edge < n
    const leading = showSummary ? edge : 0
    const trailing = showSummary ? edge : n
    const child = (i: number): string => recurse(axis + 1, offset + i * stride, nextHangingIndent, nextWidth)

    let s = ""
    if (axesLeft === 1) {
      const elemWidth = currWidth - Math.max(sepStripped.length, 1)
      let line = hangingIndent
      const extend = (word: string): void => {
        if (line.length + word.length > elemWidth && line.length > hangingIndent.length) {
          s += line.trimEnd() + "\n"
          line = hangingIndent
        }
        line += word
      }
      for (let i = 0; i < leading; i++) {
        extend(child(i))
        line += separator
      }
      if (showSummary) {
        extend("...")
        line += separator
      }
      for (let i = trailing; i > 1; i--) {
        extend(child(n - i))
        line += separator
      }
      extend(child(n - 1))
      s += line
    } else {
      const lineSep = sepStripped + "\n".repeat(axesLeft - 1)
      for (let i = 0; i < leading; i++) s += hangingIndent + child(i) + lineSep
      if (showSummary) s += hangingIndent + "..." + lineSep
      for (let i = trailing; i > 1; i--) s += hangingIndent + child(n - i) + lineSep
      s += hangingIndent + child(n - 1)
    }
    return "[" + s.slice(hangingIndent.length) + "]"
  }

  return recurse(0, 0, " " + " ".repeat(prefix.length), lineWidth)
}

/** A shape as Python prints a tuple: `()`, `(3,)`, `(2, 0)`. */
const pyTuple = (shape: ReadonlyArray<number>): string => `(${shape.join(", ")}${shape.length === 1 ? "," : ""})`

/**
 * JAX's `repr` of an Array, e.g. `Array([0, 1, 2], dtype=int32)` or
 * `Array(1.5, dtype=float32, weak_type=True)`.
 */
export const formatArray = (data: AnyTypedArray, aval: ShapedArray): string => {
  const prefix = "Array("
  const dtypeStr = aval.weakType ? `dtype=${aval.dtype}, weak_type=True)` : `dtype=${aval.dtype})`
  const lineWidth = defaultPrintOptions.linewidth
  let size = 1
  for (const d of aval.shape) size *= d
  const s =
    size === 0
      ? `[], shape=${pyTuple(aval.shape)}`
      : array2string(data, aval.shape, aval.dtype, { prefix, suffix: ",", separator: ", ", maxLineWidth: lineWidth })
  // JAX's own (quirky) rule: when the dtype does not fit, it is separated by spaces, not a newline.
  const lastLineLen = s.length - s.lastIndexOf("\n") + 1
  const sep = lastLineLen + dtypeStr.length + 1 > lineWidth ? " ".repeat(prefix.length) : " "
  return `${prefix}${s},${sep}${dtypeStr}`
}

/** Python's repr of a float scalar of the dtype (shortest round-trip digits), e.g. `30.0`, `0.03999995`. */
const pyFloat = (v: number, single: Single): string => {
  if (Number.isNaN(v)) return "nan"
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf"
  let s = String(v)
  if (single !== false) {
    for (let p = 1; p <= 9; p++) {
      const t = v.toPrecision(p)
      if ((single === "half" ? float16ToNumber(float16FromNumber(Number(t))) : Math.fround(Number(t))) === v) {
        s = String(Number(t))
        break
      }
    }
  }
  if (/e/.test(s)) return s.replace(/e([+-])(\d)$/, "e$10$2")
  return s.includes(".") ? s : `${s}.0`
}

/**
 * Python's repr of a complex scalar: `(1+2j)`, `2j` when the real part is +0, `(nan+infj)`; parts
 * shortest round-trip in the dtype, integers without ".0".
 */
const pyComplex = (re: number, im: number, single: boolean): string => {
  const part = (v: number): string => {
    const s = pyFloat(v, single)
    return s.endsWith(".0") ? s.slice(0, -2) : s
  }
  const imS = part(im)
  if (re === 0 && !Object.is(re, -0)) return `${imS}j`
  return `(${part(re)}${imS.startsWith("-") ? "" : "+"}${imS}j)`
}

/**
 * NumPy's `str` of an array (what Python's `print` shows): `[0 1 2]`, `[2. 4. 6. 8.]`; a 0-d
 * array prints as its scalar (`30.0`, `3`, `True`).
 */
export const formatStr = (data: AnyTypedArray, aval: ShapedArray): string => {
  if (aval.shape.length === 0) {
    const v = data[0]!
    if (aval.dtype === "bool") return v !== 0 ? "True" : "False"
    if (aval.dtype === "float32" || aval.dtype === "float64") return pyFloat(v, aval.dtype === "float32")
    if (aval.dtype === "float16") return pyFloat(v, "half")
    if (aval.dtype === "bfloat16") return cFormatG(v)
    if (aval.dtype === "complex64" || aval.dtype === "complex128") return pyComplex(v, data[1]!, aval.dtype === "complex64")
    return String(v)
  }
  return array2string(data, aval.shape, aval.dtype)
}
