/**
 * Roots of unity for the FFT's twiddle factors: (cos, sin)(2 pi num / den) in float64, from the
 * angle reduced to (-pi, pi], exact at quarter turns (so the Nyquist and quarter frequencies of
 * a transform of real data come out with exactly zero imaginary parts, as in XLA's ducc).
 */

/** Write cos and sin of 2 pi num / den at out[at], out[at + 1]. */
export const unitRoot = (out: Float64Array, at: number, num: number, den: number): void => {
  let r = num % den
  if (r < 0) r += den
  if ((4 * r) % den === 0) {
    const q = (4 * r) / den
    out[at] = q === 0 ? 1 : q === 2 ? -1 : 0
    out[at + 1] = q === 1 ? 1 : q === 3 ? -1 : 0
    return
  }
  if (2 * r > den) r -= den
  const a = (2 * Math.PI * r) / den
  out[at] = Math.cos(a)
  out[at + 1] = Math.sin(a)
}
