/**
 * Every chapter example runs to the end and prints JAX's numbers (each example marks a value that
 * differs from JAX's with "DIFFERENT").
 */
import { execFileSync } from "node:child_process"
import { describe, expect, it } from "vitest"
import { childEnv } from "../testing/temp-dir.js"

const run = (file: string, args: ReadonlyArray<string> = [], env: Readonly<Record<string, string>> = {}): string =>
  execFileSync(process.execPath, ["--import", "tsx", `examples/${file}`, ...args], {
    encoding: "utf8",
    timeout: 140_000,
    env: childEnv({ CI: "true", ...env })
  })

// Each example is a separate process of several seconds: allow for a loaded machine.
describe("the JAX 101 chapters as examples", { timeout: 150_000 }, () => {
  it("Accelerated NumPy: the seed's printed values and the trained line", () => {
    const out = run("accelerated-numpy.ts")
    expect(out).toContain("jaxfx: [-0.20000005 -0.19999981 -0.19999981 -0.19999981]")
    expect(out).toContain("jaxfx: (Array(0.03999995, dtype=float32),")
    expect(out).toContain("jaxfx: Array([123,   2,   3], dtype=int32)")
    expect(out).toContain("jaxfx: w: 3.00, b: -1.00")
  })
  it("Just In Time Compilation: the jaxpr, the errors and their fixes", () => {
    const out = run("jit.ts")
    expect(out).toContain("jaxfx:\n{ lambda ; a:f32[]. let\n    b:f32[] = log a\n    c:f32[] = log 2.0:f32[]\n    d:f32[] = div b c\n  in (d,) }")
    expect(out).toContain("same values: true")
    expect(out).toContain("jaxfx: Array(30, dtype=int32, weak_type=True)")
    expect(out).toMatch(/jaxfx: ConcretizationError/)
  })
  it("Automatic Vectorization and Advanced Autodiff print JAX's arrays", () => {
    for (const f of ["vmap.ts", "advanced-autodiff.ts"]) {
      const out = run(f)
      expect(out).not.toContain("DIFFERENT")
      expect(out).toMatch(/matches JAX's output/)
    }
  })
  it("Pseudo Random Numbers and Stateful Computations", () => {
    const rnd = run("random.ts")
    expect(rnd).not.toContain("<-- differs")
    expect(rnd).toContain("Array(0.947667, dtype=float32)")
    const st = run("stateful.ts")
    expect(st).toContain("jit:   1 1 1")
    expect(st).toContain("jit:   1 2 3   (a stateful-looking program")
    expect(st).toMatch(/saved and reloaded: same accuracy/)
  })
  it("Parallel Evaluation: pmap on 8 CPU devices, collectives, the data-parallel regression", () => {
    const out = run("parallel.ts", [], { JAXFX_CPU_DEVICES: "8" })
    expect(out).not.toContain("DIFFERENT")
    expect(out).toContain("CpuDevice(id=7)")
    expect(out).toContain("DeviceError: pmap: the mapped axis has size 9, but there are 8 devices")
    expect(out).toContain('without pmap or vmap: NameError: lax.psum: unbound axis name "p"')
    expect(out).toContain("Step 900, loss: 0.213   (JAX: 0.213)")
    expect(out).toContain("replicas in sync: true")
    expect(out).toContain("plot written to out/parallel-regression.svg")
    expect(out).toContain("mesh: Mesh('x': 2, 'y': 4)")
    // The sharded jit step: the batch's grid and JAX's first loss.
    expect(out).toContain("├───────┤\n│ CPU 7 │\n└───────┘")
    expect(out).toContain("step 0: loss 14.96000   JAX: 14.96")
  })
})

describe("the training examples, at their small settings", { timeout: 150_000 }, () => {
  it("transformer: a 2-layer causal transformer learns to reverse digits (greedy decoding of held-out sequences)", () => {
    const out = run("transformer.ts", ["--small"])
    expect(out).toContain("task: reverse 4 digits of 0-3; model: 2 layers")
    const accuracy = Number(/greedy-decoded sequence accuracy: ([\d.]+)%/.exec(out)?.[1])
    expect(accuracy).toBeGreaterThanOrEqual(90)
    expect(out).toMatch(/stated: at least 90%\): reached/)
    const loss = Number(/held-out \(256 sequences, teacher-forced\): loss ([\d.]+)/.exec(out)?.[1])
    expect(loss).toBeLessThan(0.2)
    expect(out).toContain("plot written to out/transformer-loss-small.svg")
  })
  it("cnn: a LeNet-style CNN classifies synthetic seven-segment digits (held-out accuracy)", () => {
    const out = run("cnn.ts", ["--small"])
    expect(out).toContain("task: classify synthetic 28x28 seven-segment digits; model: LeNet (conv 5x5 x6, pool, conv 5x5 x12, pool")
    const accuracy = Number(/held-out \(1000 images\): loss [\d.]+, accuracy ([\d.]+)%/.exec(out)?.[1])
    expect(accuracy).toBeGreaterThanOrEqual(90)
    expect(out).toMatch(/stated: at least 90%\): reached/)
    expect(out).toContain("plot written to out/cnn-loss-small.svg")
  })
})
