/**
 * Issue 13's audit (scripts/api-audit-13.ts) against JAX 0.10's names (golden/api_audit_13.json):
 * jaxfx lacks exactly the names listed here. A name added to jaxfx, or one lost, fails the test
 * until the list says so.
 */
import { describe, expect, it } from "vitest"
import { audit } from "./api-audit-13.js"

const knownGaps: Readonly<Record<string, ReadonlyArray<string>>> = {
  "jax.lax.linalg": ["cholesky_update", "hessenberg", "ormqr", "qdwh", "symmetric_product", "tridiagonal"],
  "jax.scipy.linalg": ["eigh_tridiagonal", "expm_frechet", "funm", "hessenberg", "qr_multiply", "rsf2csf", "solve_sylvester", "sqrtm"],
  "jax.scipy.special": ["bessel_jn", "dawsn", "exp1", "expi", "expn", "fresnel", "hyp1f1", "hyp2f1", "owens_t", "sici", "spence", "sph_harm_y", "wofz"],
  "jax.scipy.stats": ["gaussian_kde"]
}

describe("issue 13's API audit against JAX 0.10", () => {
  const result = audit()
  it("covers every namespace of the issue, with each scipy.stats distribution's methods", () => {
    const spaces = result.map((a) => a.namespace)
    for (const ns of ["jax.numpy.linalg", "jax.numpy.fft", "jax.lax.linalg", "jax.scipy.linalg", "jax.scipy.special", "jax.scipy.stats"]) {
      expect(spaces).toContain(ns)
    }
    expect(spaces.filter((s) => s.startsWith("jax.scipy.stats.")).length).toBe(26)
  })
  it.each(result.map((a) => [a.namespace, a] as const))("%s: jaxfx lacks only the known gaps", (ns, a) => {
    expect(a.missing).toEqual(knownGaps[ns] ?? [])
    expect(a.present.length + a.missing.length + a.excluded.length).toBe(a.jax)
  })
  it("excludes only lax.linalg's primitive objects and algorithm enums", () => {
    const excluded = result.flatMap((a) => a.excluded.map((n) => `${a.namespace}.${n}`))
    expect(excluded.every((n) => n.startsWith("jax.lax.linalg.") && (n.endsWith("_p") || /\.[A-Z]/.test(n)))).toBe(true)
    expect(excluded.length).toBe(19)
  })
})
