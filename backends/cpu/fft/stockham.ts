/**
 * The mixed-radix Stockham autosort FFT (decimation in frequency): each pass reads the sequence
 * as p interleaved sub-sequences of length m at stride s, applies a length-p DFT, multiplies by
 * the twiddles and writes the results already in the order the next pass reads, so no bit
 * reversal is needed. Buffers are interleaved (re, im) pairs; the work buffer has the same
 * length. `dir` is -1 for the forward transform (exp(-2 pi i jk/n)) and +1 for the inverse
 * (unnormalized).
 */
import type { Floats } from "../linalg/common.js"
import type { Stage, StockhamPlan } from "./plan.js"

const SIN60 = Math.sqrt(3) / 2
const C1 = Math.cos((2 * Math.PI) / 5)
const C2 = Math.cos((4 * Math.PI) / 5)
const S1 = Math.sin((2 * Math.PI) / 5)
const S2 = Math.sin((4 * Math.PI) / 5)

const radix2 = (st: Stage, x: Floats, y: Floats, dir: number): void => {
  const { m, s, tw } = st
  for (let j = 0; j < m; j++) {
    const wr = tw[2 * j]!
    const wi = dir * tw[2 * j + 1]!
    for (let q = 0; q < s; q++) {
      const a = 2 * (q + s * j)
      const b = a + 2 * s * m
      const ar = x[a]!,
        ai = x[a + 1]!,
        br = x[b]!,
        bi = x[b + 1]!
      const o = 2 * (q + s * 2 * j)
      y[o] = ar + br
      y[o + 1] = ai + bi
      const dr = ar - br,
        di = ai - bi
      y[o + 2 * s] = dr * wr - di * wi
      y[o + 2 * s + 1] = dr * wi + di * wr
    }
  }
}

const radix3 = (st: Stage, x: Floats, y: Floats, dir: number): void => {
  const { m, s, tw } = st
  const h = dir * SIN60
  const sm = 2 * s * m
  for (let j = 0; j < m; j++) {
    const t = 4 * j
    const w1r = tw[t]!,
      w1i = dir * tw[t + 1]!,
      w2r = tw[t + 2]!,
      w2i = dir * tw[t + 3]!
    for (let q = 0; q < s; q++) {
      const a = 2 * (q + s * j)
      const a0r = x[a]!,
        a0i = x[a + 1]!
      const a1r = x[a + sm]!,
        a1i = x[a + sm + 1]!
      const a2r = x[a + 2 * sm]!,
        a2i = x[a + 2 * sm + 1]!
      const t1r = a1r + a2r,
        t1i = a1i + a2i
      const mr = a0r - 0.5 * t1r,
        mi = a0i - 0.5 * t1i
      // dir i sqrt(3)/2 (a1 - a2)
      const vr = -h * (a1i - a2i),
        vi = h * (a1r - a2r)
      const o = 2 * (q + s * 3 * j)
      y[o] = a0r + t1r
      y[o + 1] = a0i + t1i
      const b1r = mr + vr,
        b1i = mi + vi,
        b2r = mr - vr,
        b2i = mi - vi
      y[o + 2 * s] = b1r * w1r - b1i * w1i
      y[o + 2 * s + 1] = b1r * w1i + b1i * w1r
      y[o + 4 * s] = b2r * w2r - b2i * w2i
      y[o + 4 * s + 1] = b2r * w2i + b2i * w2r
    }
  }
}

const radix4 = (st: Stage, x: Floats, y: Floats, dir: number): void => {
  const { m, s, tw } = st
  const sm = 2 * s * m
  for (let j = 0; j < m; j++) {
    const t = 6 * j
    const w1r = tw[t]!,
      w1i = dir * tw[t + 1]!
    const w2r = tw[t + 2]!,
      w2i = dir * tw[t + 3]!
    const w3r = tw[t + 4]!,
      w3i = dir * tw[t + 5]!
    for (let q = 0; q < s; q++) {
      const a = 2 * (q + s * j)
      const a0r = x[a]!,
        a0i = x[a + 1]!
      const a1r = x[a + sm]!,
        a1i = x[a + sm + 1]!
      const a2r = x[a + 2 * sm]!,
        a2i = x[a + 2 * sm + 1]!
      const a3r = x[a + 3 * sm]!,
        a3i = x[a + 3 * sm + 1]!
      const t0r = a0r + a2r,
        t0i = a0i + a2i
      const t1r = a0r - a2r,
        t1i = a0i - a2i
      const t2r = a1r + a3r,
        t2i = a1i + a3i
      // (dir i) (a1 - a3)
      const t3r = -dir * (a1i - a3i),
        t3i = dir * (a1r - a3r)
      const o = 2 * (q + s * 4 * j)
      y[o] = t0r + t2r
      y[o + 1] = t0i + t2i
      const b1r = t1r + t3r,
        b1i = t1i + t3i
      const b2r = t0r - t2r,
        b2i = t0i - t2i
      const b3r = t1r - t3r,
        b3i = t1i - t3i
      y[o + 2 * s] = b1r * w1r - b1i * w1i
      y[o + 2 * s + 1] = b1r * w1i + b1i * w1r
      y[o + 4 * s] = b2r * w2r - b2i * w2i
      y[o + 4 * s + 1] = b2r * w2i + b2i * w2r
      y[o + 6 * s] = b3r * w3r - b3i * w3i
      y[o + 6 * s + 1] = b3r * w3i + b3i * w3r
    }
  }
}

const radix5 = (st: Stage, x: Floats, y: Floats, dir: number): void => {
  const { m, s, tw } = st
  const sm = 2 * s * m
  const s1 = dir * S1,
    s2 = dir * S2
  for (let j = 0; j < m; j++) {
    const t = 8 * j
    for (let q = 0; q < s; q++) {
      const a = 2 * (q + s * j)
      const a0r = x[a]!,
        a0i = x[a + 1]!
      const a1r = x[a + sm]!,
        a1i = x[a + sm + 1]!
      const a2r = x[a + 2 * sm]!,
        a2i = x[a + 2 * sm + 1]!
      const a3r = x[a + 3 * sm]!,
        a3i = x[a + 3 * sm + 1]!
      const a4r = x[a + 4 * sm]!,
        a4i = x[a + 4 * sm + 1]!
      const t1r = a1r + a4r,
        t1i = a1i + a4i,
        t2r = a2r + a3r,
        t2i = a2i + a3i
      const t3r = a1r - a4r,
        t3i = a1i - a4i,
        t4r = a2r - a3r,
        t4i = a2i - a3i
      const m1r = a0r + C1 * t1r + C2 * t2r,
        m1i = a0i + C1 * t1i + C2 * t2i
      const m2r = a0r + C2 * t1r + C1 * t2r,
        m2i = a0i + C2 * t1i + C1 * t2i
      // i (s1 t3 + s2 t4) and i (s2 t3 - s1 t4), with dir folded into s1, s2
      const n1r = -(s1 * t3i + s2 * t4i),
        n1i = s1 * t3r + s2 * t4r
      const n2r = -(s2 * t3i - s1 * t4i),
        n2i = s2 * t3r - s1 * t4r
      const o = 2 * (q + s * 5 * j)
      y[o] = a0r + t1r + t2r
      y[o + 1] = a0i + t1i + t2i
      let r = m1r + n1r,
        i = m1i + n1i,
        wr = tw[t]!,
        wi = dir * tw[t + 1]!
      y[o + 2 * s] = r * wr - i * wi
      y[o + 2 * s + 1] = r * wi + i * wr
      ;((r = m2r + n2r), (i = m2i + n2i), (wr = tw[t + 2]!), (wi = dir * tw[t + 3]!))
      y[o + 4 * s] = r * wr - i * wi
      y[o + 4 * s + 1] = r * wi + i * wr
      ;((r = m2r - n2r), (i = m2i - n2i), (wr = tw[t + 4]!), (wi = dir * tw[t + 5]!))
      y[o + 6 * s] = r * wr - i * wi
      y[o + 6 * s + 1] = r * wi + i * wr
      ;((r = m1r - n1r), (i = m1i - n1i), (wr = tw[t + 6]!), (wi = dir * tw[t + 7]!))
      y[o + 8 * s] = r * wr - i * wi
      y[o + 8 * s + 1] = r * wi + i * wr
    }
  }
}

/** A direct length-p DFT per butterfly (p an odd prime <= 31). */
const radixGeneric = (st: Stage, x: Floats, y: Floats, dir: number): void => {
  const { p, m, s, tw, roots } = st
  const sm = 2 * s * m
  const ar = new Float64Array(p)
  const ai = new Float64Array(p)
  for (let j = 0; j < m; j++) {
    for (let q = 0; q < s; q++) {
      const a = 2 * (q + s * j)
      for (let r = 0; r < p; r++) {
        ar[r] = x[a + r * sm]!
        ai[r] = x[a + r * sm + 1]!
      }
      const o = 2 * (q + s * p * j)
      for (let k = 0; k < p; k++) {
        let sr = 0
        let si = 0
        for (let r = 0, e = 0; r < p; r++, e = (e + k) % p) {
          const wr = roots[2 * e]!,
            wi = dir * roots[2 * e + 1]!
          sr += ar[r]! * wr - ai[r]! * wi
          si += ar[r]! * wi + ai[r]! * wr
        }
        if (k === 0) {
          y[o] = sr
          y[o + 1] = si
        } else {
          const t = 2 * (j * (p - 1) + k - 1)
          const wr = tw[t]!,
            wi = dir * tw[t + 1]!
          y[o + 2 * s * k] = sr * wr - si * wi
          y[o + 2 * s * k + 1] = sr * wi + si * wr
        }
      }
    }
  }
}

const pass = (st: Stage, x: Floats, y: Floats, dir: number): void => {
  switch (st.p) {
    case 2:
      return radix2(st, x, y, dir)
    case 3:
      return radix3(st, x, y, dir)
    case 4:
      return radix4(st, x, y, dir)
    case 5:
      return radix5(st, x, y, dir)
    default:
      return radixGeneric(st, x, y, dir)
  }
}

/**
 * Transform the 2n values of `x` in place (unnormalized), using `work` (2n values, same
 * element type) as the other half of each ping-pong pass.
 */
export const runStockhamInPlace = (plan: StockhamPlan, x: Floats, work: Floats, dir: number): void => {
  let src = x
  let dst = work
  for (const st of plan.stages) {
    pass(st, src, dst, dir)
    const t = src
    src = dst
    dst = t
  }
  if (src !== x) x.set(src.subarray(0, 2 * plan.n))
}
