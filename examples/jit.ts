/**
 * JAX 101, "Just In Time Compilation", in jaxfx. Run: `npx tsx examples/jit.ts`.
 * Each section prints jaxfx's output next to what JAX prints.
 */
import { type Array, ConcretizationError, jit, lax, makeJaxpr, np } from "../index.js"
import { time } from "../bench/harness.js"

const section = (title: string): void => console.log(`\n## ${title}`)
const timeIt = (fn: () => void, reps = 20): string => `${time(fn, { reps, warmup: 1 }).toFixed(3)} ms (median of ${reps})`

// --- How JAX transforms work: the jaxpr of log2, and side effects at trace time only
section("jax.make_jaxpr(log2)(3.0)")
const globalList: Array[] = []
const log2 = (x: Array): Array => {
  globalList.push(x)
  const lnX = np.log(x)
  const ln2 = np.log(np.array(2.0, { dtype: "float32" }))
  return lnX.div(ln2)
}
console.log(`jaxfx:\n${makeJaxpr(log2)(np.array(3.0, { dtype: "float32" })).toString()}`)
console.log("JAX:\n%s", "{ lambda ; a:f32[]. let\n    b:f32[] = log a\n    c:f32[] = log 2.0:f32[]\n    d:f32[] = div b c\n  in (d,) }")
console.log(`global_list after tracing: ${globalList.map((x) => x.toString()).join(", ")}  (JAX: [Traced<ShapedArray(float32[], weak_type=True)>])`)

// --- JIT compiling a function: selu, eager vs jit, forced with blockUntilReady
section("selu on 1e6 elements: eager vs jit")
const selu = (x: Array, alpha = 1.67, lmbda = 1.05): Array => np.where(x.gt(0), x, np.exp(x).mul(alpha).sub(alpha)).mul(lmbda)
const x = np.arange(1_000_000).astype("float32").mul(1e-5).sub(5)
console.log(`eager: ${timeIt(() => selu(x).blockUntilReady())}`)
const seluJit = jit(selu)
seluJit(x).blockUntilReady() // warm up: traces and compiles once
console.log(`jit:   ${timeIt(() => seluJit(x).blockUntilReady())}`)
console.log(`same values: ${np.arrayEqual(selu(x), seluJit(x)).toJs()}`)

// --- Why can't we just JIT everything? Value-dependent control flow
section("f(x) with a Python-style if, under jit")
const f = (x: Array | number): Array | number => (Number(x) > 0 ? x : np.multiply(x, 2))
try {
  jit(f)(10)
} catch (e) {
  console.log(`jaxfx: ${e instanceof ConcretizationError ? e._tag : "unexpected"}: ${(e as Error).message}`)
}
console.log("JAX:   ConcretizationError: Abstract tracer value encountered where concrete value is expected ...")

section("g(x, n) with a while loop on n, under jit")
const g = (x: Array | number, n: Array | number): Array => {
  let i = 0
  while (i < Number(n)) i += 1
  return np.add(x, i)
}
try {
  jit(g)(10, 20)
} catch (e) {
  console.log(`jaxfx: ${(e as Error).name === "ConcretizationError" || e instanceof ConcretizationError ? "ConcretizationError" : "unexpected"} (as in JAX)`)
}

section("g_inner_jitted: only the loop body is jitted")
const loopBody = jit((prevI: Array | number) => np.add(prevI, 1))
const gInnerJitted = (x: Array | number, n: number): Array => {
  let i: Array | number = 0
  while (Number(i) < n) i = loopBody(i)
  return np.add(x, i)
}
console.log(`jaxfx: ${gInnerJitted(10, 20).toString()}`)
console.log("JAX:   Array(30, dtype=int32, weak_type=True)")

section("static arguments: f with staticArgnums, g with staticArgnames")
const fJitCorrect = jit(f, { staticArgnums: [0] })
console.log(`print: jaxfx: ${(fJitCorrect(10) as Array).str()}   JAX: 10`)
const gOpts = (x: Array | number, opts: { n: number }): Array => g(x, opts.n)
const gJitCorrect = jit(gOpts, { staticArgnames: ["n"] })
console.log(`print: jaxfx: ${gJitCorrect(10, { n: 20 }).str()}   JAX: 30`)
const gJitPositional = jit(g, { staticArgnums: [1] })
console.log(`jaxfx (staticArgnums: [1]): ${gJitPositional(10, 20).toString()}`)

section("the traced alternative: lax.whileLoop and lax.cond need no static arguments")
const gTraced = jit((x: Array, n: Array) =>
  np.add(
    x,
    lax.whileLoop(
      (i: Array) => i.lt(n),
      (i: Array) => i.add(1),
      np.array(0)
    )
  )
)
console.log(`jaxfx: ${gTraced(np.array(10), np.array(20)).toString()}`)
const fTraced = jit((x: Array) =>
  lax.cond(
    x.gt(0),
    (y: Array) => y,
    (y: Array) => y.mul(2),
    x
  )
)
console.log(`jaxfx: ${fTraced(np.array(10)).toString()} ${fTraced(np.array(-10)).toString()}`)

section("caching: one trace per signature; re-traces say why")
const h = jit((x: Array) => x.mul(2))
h(np.arange(3))
h(np.arange(3).add(1))
h(np.arange(4))
h(np.arange(4).astype("float32"))
console.log(`traces: ${h.cache.traces}`)
for (const r of h.cache.retraceReasons) console.log(`  re-traced because ${r}`)
