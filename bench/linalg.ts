/**
 * Linear-algebra benchmarks (issue 13): np.linalg.cholesky, solve, svd and eigh of 256 x 256 and
 * 512 x 512 float32 matrices, jaxfx against @jax-js/jax (wasm) in the same run. The matrices are
 * symmetric positive definite (B B^T + n I) for cholesky, solve and eigh; svd takes B itself.
 * jaxfx's cholesky, solve (lu + triangular solves) are blocked on the Wasm GEMM from order 96;
 * eigh is tridiagonal QL and svd preconditioned Jacobi from order 48. At 512, eigh and svd run
 * once (the peer takes minutes there). @jax-js/jax has no qr: the qr rows compare jaxfx's blocked
 * Householder QR (compact WY, from order 96) with its own unblocked loops (`blockedPolicy` off).
 */
import * as jaxjs from "@jax-js/jax"
import { blockedPolicy } from "../backends/cpu/linalg/blocked.js"
import { type Array, np, random } from "../index.js"
import { type Row, time, timeAsync } from "./harness.js"

type JsArray = ReturnType<typeof jaxjs.numpy.array>

export const linalgBench = async (): Promise<Row[]> => {
  const rows: Row[] = []
  await jaxjs.init("wasm")
  jaxjs.defaultDevice("wasm")
  const jl = jaxjs.numpy.linalg
  for (const n of [256, 512]) {
    const b = random.normal(random.key(n), [n, n])
    const a = np.matmul(b, np.swapaxes(b, 0, 1)).add(np.eye(n).mul(n))
    const aData = a.data() as Float32Array
    const bData = b.data() as Float32Array
    const ja = jaxjs.numpy.array(aData).reshape([n, n])
    const jb = jaxjs.numpy.array(bData).reshape([n, n])
    const slow = n >= 512
    const cases: ReadonlyArray<readonly [string, () => Array, () => unknown, boolean]> = [
      ["cholesky", () => np.linalg.cholesky(a), () => jl.cholesky(ja.ref), false],
      ["solve", () => np.linalg.solve(a, b), () => jl.solve(ja.ref, jb.ref), false],
      ["eigh", () => np.linalg.eigh(a)[0], () => jl.eigh(ja.ref), slow],
      ["svd", () => np.linalg.svd(b, { computeUv: false }), () => jl.svdvals(jb.ref), slow]
    ]
    for (const [name, mine, theirs, once] of cases) {
      const opts = once ? { reps: 1, warmup: 0 } : { reps: 3, warmup: 1 }
      const t = time(() => void mine().blockUntilReady(), opts)
      const tj = await timeAsync(async () => {
        const out = theirs()
        const outs = (globalThis.Array.isArray(out) ? out : [out]) as JsArray[]
        for (const o of outs) await o.data()
      }, opts)
      rows.push({ bench: `${name} ${n}x${n} f32`, what: "jaxfx ms", value: t.toFixed(1) })
      rows.push({ bench: `${name} ${n}x${n} f32`, what: "@jax-js/jax (wasm) ms", value: tj.toFixed(1) })
      rows.push({ bench: `${name} ${n}x${n} f32`, what: "@jax-js/jax / jaxfx", value: (tj / t).toFixed(2) })
    }
    const qr = () => void np.linalg.qr(b)[0].blockUntilReady()
    const t = time(qr, { reps: 3, warmup: 1 })
    blockedPolicy.enabled = false
    const tu = time(qr, { reps: 1, warmup: 0 })
    blockedPolicy.enabled = true
    rows.push({ bench: `qr ${n}x${n} f32`, what: "jaxfx ms", value: t.toFixed(1) })
    rows.push({ bench: `qr ${n}x${n} f32`, what: "jaxfx unblocked ms", value: tu.toFixed(1) })
    rows.push({ bench: `qr ${n}x${n} f32`, what: "unblocked / blocked", value: (tu / t).toFixed(2) })
    ja.dispose()
    jb.dispose()
  }
  return rows
}
