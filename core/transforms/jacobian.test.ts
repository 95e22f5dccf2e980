/**
 * Jacobians and Hessians: jacfwd equals jacrev on random float64 programs (argnums, pytree
 * arguments and outputs); both match central finite differences; vjp is the adjoint of jvp;
 * hessian is symmetric, matches finite differences of grad, and Hessian-vector products
 * (`jvp` of `grad`) equal hessian·v; the chapter's higher-order derivatives.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { type Array, grad, hessian, jacfwd, jacrev, jit, jvp, linearize, nn, np, tree, vjp, vmap } from "../../index.js"
import { mulberry32 } from "../../laws/host-random.js"

// ---------------------------------------------------------------------------------------------
// Helpers

const seq = (n: number): number[] => globalThis.Array.from({ length: n }, (_, i) => i)
const sizeOf = (s: ReadonlyArray<number>): number => s.reduce((a, b) => a * b, 1)

const f64 = (data: ReadonlyArray<number>, shape: ReadonlyArray<number>): Array => np.asarray(Float64Array.from(data), { dtype: "float64" }).reshape([...shape])
/** Values in (-1, 1), float64. */
const rand = (shape: ReadonlyArray<number>, r: () => number): Array =>
  f64(
    seq(sizeOf(shape)).map(() => r() * 2 - 1),
    shape
  )
const vals = (x: Array): number[] => [...x.data()].map(Number)

const expectClose = (actual: unknown, expected: unknown, what: string, rtol = 1e-10, atol = 1e-10): void => {
  const [al, ad] = tree.flatten(actual)
  const [el, ed] = tree.flatten(expected)
  expect(ad.equals(ed), `${what}: structure ${ad.toString()} vs ${ed.toString()}`).toBe(true)
  al.forEach((a, i) => {
    const x = a as Array
    const y = el[i] as Array
    expect(x.shape, `${what}: leaf ${i} shape`).toEqual(y.shape)
    expect(x.dtype, `${what}: leaf ${i} dtype`).toBe(y.dtype)
    const xd = vals(x)
    const yd = vals(y)
    xd.forEach((v, k) => {
      if (!(Math.abs(v - yd[k]!) <= atol + rtol * Math.abs(yd[k]!))) {
        expect.fail(`${what}: leaf ${i} element ${k}: got ${v}, expected ${yd[k]}\n got ${x.toString()}\n expected ${y.toString()}`)
      }
    })
  })
}

// ---------------------------------------------------------------------------------------------
// Random smooth float64 programs Array -> Array that change shapes along the way.

type Step = readonly [string, (x: Array) => Array | null]
const steps: ReadonlyArray<Step> = [
  ["sin", (x) => np.sin(x)],
  ["tanh", (x) => np.tanh(x)],
  ["exp(-x²/2)", (x) => np.exp(x.square().mul(-0.5))],
  ["1.5x+0.25", (x) => x.mul(1.5).add(0.25)],
  ["x²", (x) => x.mul(x)],
  ["x·sum(x)", (x) => x.mul(np.sum(x))],
  ["log1p(x²)", (x) => np.log1p(x.square())],
  ["sqrt(x²+1)", (x) => np.sqrt(x.square().add(1))],
  ["x/(1+x²)", (x) => x.div(x.square().add(1))],
  ["sigmoid", (x) => nn.sigmoid(x)],
  ["softplus", (x) => nn.softplus(x)],
  ["softmax", (x) => (x.ndim === 0 ? null : nn.softmax(x))],
  ["cumsum0", (x) => (x.ndim === 0 ? null : np.cumsum(x, { axis: 0 }))],
  ["cumprod0", (x) => (x.ndim === 0 ? null : np.cumprod(x.mul(0.5).add(1), { axis: 0 }))],
  ["flip", (x) => (x.ndim === 0 ? null : np.flip(x, 0))],
  ["ravel", (x) => np.ravel(x)],
  ["T", (x) => x.T],
  ["sum0", (x) => (x.ndim === 0 ? null : np.sum(x, { axis: 0 }))],
  ["prod-1 keepdims", (x) => (x.ndim === 0 ? null : np.prod(x.add(1.5), { axis: -1, keepdims: true }))],
  ["logsumexp", (x) => nn.logsumexp(x)],
  [
    "·M",
    (x) =>
      x.ndim === 0
        ? null
        : np.dot(
            x,
            f64(
              seq(x.shape[x.ndim - 1]! * 2).map((i) => Math.cos(i + 1)),
              [x.shape[x.ndim - 1]!, 2]
            )
          )
  ],
  ["outer", (x) => (x.size > 4 ? null : np.outer(np.ravel(x), np.array([1, -0.5], { dtype: "float64" })))],
  ["concat sin", (x) => (x.ndim === 0 || x.size > 6 ? null : np.concatenate([x, np.sin(x)], 0))],
  ["[::-1] take", (x) => (x.ndim === 0 ? null : np.take(x, [x.shape[0]! - 1, 0], { axis: 0 }))],
  ["at[0].mul", (x) => (x.ndim === 0 ? null : x.at(0).multiply(x.index(-1)))],
  ["pad edge", (x) => (x.ndim === 0 ? null : np.pad(x, [[1, 0], ...x.shape.slice(1).map(() => [0, 0] as [number, number])], { mode: "edge" }))],
  ["where(x>0,x³,sin)", (x) => np.where(x.gt(0.05), x.pow(3), np.sin(x))],
  ["max(x,0.3)+min", (x) => np.maximum(x, 0.3).add(np.minimum(x.neg(), 0.1))],
  ["matmul xᵀx", (x) => (x.ndim !== 2 ? null : np.matmul(x.T, x))],
  ["einsum ij->j", (x) => (x.ndim !== 2 ? null : np.einsum("ij->j", x))],
  ["mean/var", (x) => x.sub(np.mean(x)).div(np.sqrt(np.var(x).add(1)))]
]

interface Program {
  readonly label: string
  readonly run: (x: Array) => Array
}
const programArb: fc.Arbitrary<Program> = fc.array(fc.integer({ min: 0, max: steps.length - 1 }), { minLength: 1, maxLength: 5 }).map((ks) => ({
  label: ks.map((k) => steps[k]![0]).join(" ; "),
  run: (x: Array) => {
    let a = x
    for (const k of ks) {
      const next = steps[k]![1](a)
      // A step that does not fit the current shape (or would grow it too much) is skipped.
      if (next !== null) a = next
    }
    return a
  }
}))
const shapeArb = fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 })

/** Central finite differences of `f` at `x` (float64): the Jacobian, shape out.shape + x.shape. */
const finiteJacobian = (f: (x: Array) => Array, x: Array, h = 1e-6): Array => {
  const xd = vals(x)
  const cols = xd.map((_, j) => {
    const plus = xd.slice()
    const minus = xd.slice()
    plus[j]! += h
    minus[j]! -= h
    const fp = vals(f(f64(plus, x.shape)))
    const fm = vals(f(f64(minus, x.shape)))
    return fp.map((v, i) => (v - fm[i]!) / (2 * h))
  })
  const outShape = f(x).shape
  const m = sizeOf(outShape)
  const data = seq(m).flatMap((i) => cols.map((c) => c[i]!))
  return f64(data, [...outShape, ...x.shape])
}

// ---------------------------------------------------------------------------------------------

describe("jacfwd equals jacrev (float64 random programs)", () => {
  it("single argument: equal to each other and to central finite differences; shape out.shape + in.shape", () => {
    fc.assert(
      fc.property(programArb, shapeArb, fc.integer(), (p, s, seed) => {
        const x = rand(s, mulberry32(seed))
        const jf = jacfwd(p.run)(x)
        const jr = jacrev(p.run)(x)
        const out = p.run(x)
        expect(jf.shape, p.label).toEqual([...out.shape, ...s])
        expectClose(jf, jr, `jacfwd vs jacrev: ${p.label}`, 1e-10, 1e-12)
        expectClose(jf, finiteJacobian(p.run, x), `jacfwd vs finite differences: ${p.label}`, 1e-5, 1e-6)
      }),
      { numRuns: 20, seed: 2101 }
    )
  })

  it("argnums: a number, a list, and a reordered list, over two arguments", () => {
    fc.assert(
      fc.property(programArb, shapeArb, shapeArb, fc.constantFrom<0 | 1 | [0, 1] | [1, 0]>(0, 1, [0, 1], [1, 0]), fc.integer(), (p, s, t, argnums, seed) => {
        const r = mulberry32(seed)
        const x = rand(s, r)
        const y = rand(t, r)
        const f = (x: Array, y: Array) => p.run(x.mul(np.sum(np.sin(y))).add(np.mean(y)))
        const jf = jacfwd(f, { argnums })(x, y)
        const jr = jacrev(f, { argnums })(x, y)
        expectClose(jf, jr, `argnums ${JSON.stringify(argnums)}: ${p.label}`, 1e-10, 1e-12)
        // Each block is the single-argument Jacobian of the partial function.
        const list = typeof argnums === "number" ? [argnums] : argnums
        const blocks = typeof argnums === "number" ? [jf as unknown as Array] : (jf as unknown as Array[])
        list.forEach((a, k) => {
          const partial = a === 0 ? (u: Array) => f(u, y) : (u: Array) => f(x, u)
          expectClose(blocks[k], jacrev(partial)(a === 0 ? x : y), `block ${a}: ${p.label}`, 1e-10, 1e-12)
        })
      }),
      { numRuns: 15, seed: 2102 }
    )
  })

  it("pytree arguments and pytree outputs: the argument's structure nests inside the output's", () => {
    fc.assert(
      fc.property(programArb, programArb, shapeArb, fc.integer(), (p, q, s, seed) => {
        const r = mulberry32(seed)
        const params = { w: rand(s, r), b: rand([2], r) }
        const x = rand(s, r)
        const f = (ps: { w: Array; b: Array }, x: Array) => ({
          out: p.run(ps.w.mul(x).add(np.sum(ps.b))),
          extra: [q.run(ps.b), np.sum(ps.w.square())] as const
        })
        const jf = jacfwd(f)(params, x)
        const jr = jacrev(f)(params, x)
        expectClose(jf, jr, `pytree: ${p.label} | ${q.label}`, 1e-10, 1e-12)
        const out = f(params, x)
        expect(Object.keys(jf).sort()).toEqual(["extra", "out"])
        expect(jf.out.w.shape).toEqual([...out.out.shape, ...s])
        expect(jf.out.b.shape).toEqual([...out.out.shape, 2])
        expect(jf.extra[0].b.shape).toEqual([...out.extra[0].shape, 2])
        expect(jf.extra[1].w.shape).toEqual(s)
        // d sum(w²)/dw = 2w; d q(b)/dw = 0
        expectClose(jf.extra[1].w, params.w.mul(2), "d sum(w²) / dw")
        expect(vals(jf.extra[0].w).every((v) => v === 0)).toBe(true)
      }),
      { numRuns: 12, seed: 2103 }
    )
  })

  it("jit(jacfwd) and jit(jacrev) equal the eager Jacobians; linearize agrees with jvp", () => {
    fc.assert(
      fc.property(programArb, shapeArb, fc.integer(), (p, s, seed) => {
        const r = mulberry32(seed)
        const x = rand(s, r)
        const u = rand(s, r)
        expectClose(jit(jacfwd(p.run))(x), jacfwd(p.run)(x), `jit∘jacfwd ${p.label}`, 1e-12, 1e-12)
        expectClose(jit(jacrev(p.run))(x), jacrev(p.run)(x), `jit∘jacrev ${p.label}`, 1e-12, 1e-12)
        const [y, fLin] = linearize(p.run, x)
        const [y2, t2] = jvp(p.run, [x], [u])
        expectClose(y, y2, `linearize primal ${p.label}`)
        expectClose(fLin(u), t2, `linearize tangent ${p.label}`, 1e-10, 1e-12)
      }),
      { numRuns: 10, seed: 2104 }
    )
  })
})

describe("per-example Jacobians and Hessians", () => {
  it("vmap(jacfwd(f)) = vmap(jacrev(f)) = the loop; vmap(hessian(g)) = the loop; hessian of a vmapped sum is block-diagonal", () => {
    fc.assert(
      fc.property(programArb, shapeArb, fc.integer(), (p, s, seed) => {
        const r = mulberry32(seed)
        const xs = [rand(s, r), rand(s, r), rand(s, r)]
        const batch = np.stack(xs)
        const loopJ = np.stack(xs.map((x) => jacrev(p.run)(x)))
        expectClose(vmap(jacfwd(p.run))(batch), loopJ, `vmap(jacfwd) ${p.label}`, 1e-10, 1e-12)
        expectClose(vmap(jacrev(p.run))(batch), loopJ, `vmap(jacrev) ${p.label}`, 1e-10, 1e-12)
        const g = (x: Array) => np.sum(p.run(x))
        expectClose(vmap(hessian(g))(batch), np.stack(xs.map((x) => hessian(g)(x))), `vmap(hessian) ${p.label}`, 1e-10, 1e-12)
        // Examples do not interact: the off-diagonal blocks of the batch Hessian are zero, of either sign: the
        // per-argument jvp rules (JAX's) scale a zero tangent by negative factors, which gives -0.
        const hb = hessian((z: Array) => np.sum(vmap(g)(z)))(batch)
        const n = sizeOf(s)
        const m = vals(hb)
        for (let a = 0; a < 3; a++) {
          for (let b = 0; b < 3; b++) {
            if (a === b) continue
            for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(Math.abs(m[((a * n + i) * 3 + b) * n + j]!)).toBe(0)
          }
        }
      }),
      { numRuns: 8, seed: 2150 }
    )
  })
})

describe("vjp is the adjoint of jvp", () => {
  it("<v, J u> = <Jᵀ v, u> on random programs (float64)", () => {
    fc.assert(
      fc.property(programArb, shapeArb, fc.integer(), (p, s, seed) => {
        const r = mulberry32(seed)
        const x = rand(s, r)
        const u = rand(s, r)
        const [out, ju] = jvp(p.run, [x], [u])
        const v = rand(out.shape, r)
        const [jtv] = vjp(p.run, x)[1](v)
        const lhs = np.sum(v.mul(ju)).item()
        const rhs = np.sum(jtv.mul(u)).item()
        expect(Math.abs(lhs - rhs), `${p.label}: ${lhs} vs ${rhs}`).toBeLessThanOrEqual(1e-10 * (1 + Math.abs(lhs)))
      }),
      { numRuns: 20, seed: 2201 }
    )
  })
})

// ---------------------------------------------------------------------------------------------

describe("hessian", () => {
  /** A scalar function: a random program's output weighted by fixed coefficients, summed. */
  const scalarOf =
    (p: Program) =>
    (x: Array): Array => {
      const y = p.run(x)
      return np.sum(
        y.mul(
          f64(
            seq(y.size).map((i) => 1 - 0.3 * i),
            y.shape
          )
        )
      )
    }
  const asMatrix = (h: Array, n: number): number[][] => {
    const d = vals(h)
    return seq(n).map((i) => d.slice(i * n, (i + 1) * n))
  }

  it("is symmetric and equals central finite differences of grad (float64)", () => {
    fc.assert(
      fc.property(programArb, shapeArb, fc.integer(), (p, s, seed) => {
        const g = scalarOf(p)
        const x = rand(s, mulberry32(seed))
        const h = hessian(g)(x)
        const n = sizeOf(s)
        expect(h.shape).toEqual([...s, ...s])
        const m = asMatrix(h, n)
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < i; j++) {
            expect(Math.abs(m[i]![j]! - m[j]![i]!), `${p.label}: H[${i}][${j}] = ${m[i]![j]} vs H[${j}][${i}] = ${m[j]![i]}`).toBeLessThanOrEqual(
              1e-9 * (1 + Math.abs(m[i]![j]!))
            )
          }
        }
        expectClose(h, finiteJacobian(grad(g) as (x: Array) => Array, x, 1e-5), `hessian vs finite differences of grad: ${p.label}`, 1e-5, 1e-6)
      }),
      { numRuns: 20, seed: 2301 }
    )
  })

  it("Hessian-vector products: jvp(grad(f)) equals hessian·v, and vmap of the HVP gives H·V", () => {
    fc.assert(
      fc.property(programArb, shapeArb, fc.integer(), (p, s, seed) => {
        const g = scalarOf(p)
        const r = mulberry32(seed)
        const x = rand(s, r)
        const v = rand(s, r)
        const n = sizeOf(s)
        const m = asMatrix(hessian(g)(x), n)
        const hv = seq(n).map((i) => m[i]!.reduce((acc, hij, j) => acc + hij * vals(v)[j]!, 0))
        const hvp = (v: Array) => jvp(grad(g), [x], [v])[1]
        expectClose(hvp(v), f64(hv, s), `hvp ${p.label}`, 1e-9, 1e-10)
        // A batch of directions at once: rows of the identity give the Hessian's rows.
        const basis = f64(
          seq(n * n).map((k) => (Math.floor(k / n) === k % n ? 1 : 0)),
          [n, ...s]
        )
        expectClose(vmap(hvp)(basis), f64(m.flat(), [n, ...s]), `vmap(hvp) ${p.label}`, 1e-9, 1e-10)
      }),
      { numRuns: 15, seed: 2302 }
    )
  })

  it("over two arguments (argnums [0, 1]): the blocks are symmetric, H[0][1] = H[1][0]ᵀ", () => {
    fc.assert(
      fc.property(programArb, fc.integer(), (p, seed) => {
        const r = mulberry32(seed)
        const x = rand([2], r)
        const y = rand([3], r)
        const g = (x: Array, y: Array) => np.sum(p.run(np.concatenate([x.mul(y.index(0)), np.sin(y)], 0)))
        const h = hessian(g, { argnums: [0, 1] })(x, y)
        expect(h[0][0].shape).toEqual([2, 2])
        expect(h[0][1].shape).toEqual([2, 3])
        expect(h[1][0].shape).toEqual([3, 2])
        expect(h[1][1].shape).toEqual([3, 3])
        expectClose(h[0][1], h[1][0].T, `H01 = H10ᵀ ${p.label}`, 1e-9, 1e-10)
        expectClose(h[0][0], h[0][0].T, `H00 symmetric ${p.label}`, 1e-9, 1e-10)
        expectClose(h[1][1], h[1][1].T, `H11 symmetric ${p.label}`, 1e-9, 1e-10)
      }),
      { numRuns: 10, seed: 2303 }
    )
  })
})

// ---------------------------------------------------------------------------------------------

describe("JAX 101 'Advanced Automatic Differentiation' numbers", () => {
  it("derivatives of x³ + 2x² - 3x + 1 at x = 1 are 4, 10, 6, 0 (printed as JAX prints them)", () => {
    const f = (x: Array) => x.pow(3).add(x.pow(2).mul(2)).sub(x.mul(3)).add(1)
    const dfdx = grad(f)
    const d2fdx = grad(dfdx)
    const d3fdx = grad(d2fdx)
    const d4fdx = grad(d3fdx)
    const x = np.array(1, { dtype: "float32" })
    expect([dfdx, d2fdx, d3fdx, d4fdx].map((d) => d(x).str())).toEqual(["4.0", "10.0", "6.0", "0.0"])
    // JS numbers are differentiable inputs too, as the chapter's `dfdx(1.)`.
    expect([dfdx, d2fdx, d3fdx, d4fdx].map((d) => d(1 as unknown as Array).item())).toEqual([4, 10, 6, 0])
    // The same with forward mode and mixed modes.
    expect(jacfwd(jacfwd(f))(x).item()).toBe(10)
    expect(jacrev(jacfwd(jacrev(f)))(x).item()).toBe(6)
  })

  it("hessian(x·x) at [1, 2, 3] is 2·I, and the chapter's jacfwd(grad(f)) agrees", () => {
    const f = (x: Array) => np.dot(x, x)
    const x = np.array([1, 2, 3], { dtype: "float32" })
    const expected = "Array([[2., 0., 0.],\n       [0., 2., 0.],\n       [0., 0., 2.]], dtype=float32)"
    expect(hessian(f)(x).toString()).toBe(expected)
    expect(jacfwd(grad(f))(x).toString()).toBe(expected)
  })
})
