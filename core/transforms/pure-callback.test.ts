/**
 * pureCallback against JAX 0.10.2's jax.pure_callback: values eagerly and under jit, the shapes the
 * host function receives under each vmap_method (JAX, vmap(g, in_axes=(0, None)) over [4, 3] and [3]:
 * sequential 4 calls of ((3,), (3,)); expand_dims one of ((4, 3), (1, 3)); broadcast_all one of
 * ((4, 3), (4, 3)); legacy_vectorized one of ((4, 3), (3,))), and JAX's errors for vmap without a
 * method and for differentiation.
 */
import { describe, expect, it } from "vitest"
import {
  type Array,
  customJvp,
  DeviceError,
  devices,
  grad,
  jit,
  jvp,
  np,
  pureCallback,
  ShapeDtypeStruct,
  ValueError,
  vmap,
  withDefaultDevice
} from "../../index.js"

// jit of a callback runs on a host-thread device (device 0); worker devices refuse it (see the last test).
const onHost = <A>(f: () => A): A => withDefaultDevice(devices("cpu")[0]!, f)
const f32 = (v: Parameters<typeof np.asarray>[0]) => np.asarray(v, { dtype: "float32" })
const hostSin = (x: Array) =>
  np
    .array(
      globalThis.Array.from(x.data(), (v) => Math.fround(Math.sin(v))),
      { dtype: "float32" }
    )
    .reshape(x.shape)
const f = (x: Array) => pureCallback(hostSin, new ShapeDtypeStruct(x.shape, x.dtype), [x])

describe("pureCallback", () => {
  it("calls the host function eagerly and under jit (JAX: [0. 0.841471 0.9092974])", () =>
    onHost(() => {
      const x = f32([0, 1, 2])
      const want = [0, 0.84147096, 0.9092974]
      ;[...f(x).data()].forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 6))
      expect([...jit(f)(x).data()]).toEqual([...f(x).data()])
    }))
  it("pytrees of arguments and results; JS numbers from the host become the declared dtype", () =>
    onHost(() => {
      const spec = { s: new ShapeDtypeStruct([], "float32"), n: new ShapeDtypeStruct([2], "int32") }
      const g = (p: { a: Array; b: Array }) => pureCallback((q: { a: Array; b: Array }) => ({ s: np.sum(q.a.mul(q.b)), n: [1, 2] }), spec, [p])
      const p = { a: f32([1, 2]), b: f32([3, 4]) }
      for (const out of [g(p), jit(g)(p)]) {
        expect(out.s.item()).toBe(11)
        expect([out.n.dtype, [...out.n.data()]]).toEqual(["int32", [1, 2]])
      }
    }))
  for (const [method, calls] of [
    ["sequential", ["3|3", "3|3", "3|3", "3|3"]],
    ["expand_dims", ["4,3|1,3"]],
    ["broadcast_all", ["4,3|4,3"]],
    ["legacy_vectorized", ["4,3|3"]]
  ] as const) {
    it(`vmap with vmapMethod ${method}: the calls JAX makes, and its values`, () =>
      onHost(() => {
        const seen: string[] = []
        const g = (a: Array, b: Array) =>
          pureCallback(
            (a: Array, b: Array) => {
              seen.push(`${a.shape.join(",")}|${b.shape.join(",")}`)
              return a.mul(2).add(b)
            },
            new ShapeDtypeStruct(a.shape, a.dtype),
            [a, b],
            { vmapMethod: method }
          )
        const out = vmap(g, { inAxes: [0, null] })(np.ones([4, 3]), f32([0, 1, 2]))
        expect(seen).toEqual(calls)
        expect(out.toJs()).toEqual([
          [2, 3, 4],
          [2, 3, 4],
          [2, 3, 4],
          [2, 3, 4]
        ])
        expect(jit(vmap(g, { inAxes: [0, null] }))(np.ones([4, 3]), f32([0, 1, 2])).toJs()).toEqual(out.toJs())
      }))
  }
  it("vmap without a vmapMethod, grad and jvp are errors with JAX's messages; customJvp makes it differentiable", () =>
    onHost(() => {
      expect(() => vmap(f)(np.ones([2, 3]))).toThrow(/vmap is only supported for the pure_callback primitive when vmap_method is one of/)
      expect(() => grad((x: Array) => np.sum(f(x)))(f32([1, 2]))).toThrow(/Pure callbacks do not support JVP/)
      expect(() => jvp(f, [f32([1])], [f32([1])])).toThrow(ValueError)
      const sin = customJvp((x: Array) => f(x))
      sin.defjvp(([x], [t]) => [sin(x), t.mul(np.cos(x))])
      expect(grad((x: Array) => np.sum(sin(x)))(f32([0, 1])).data()[1]).toBeCloseTo(Math.cos(1), 6)
    }))
  it("a host result of the wrong shape or dtype, or of another structure, is an error naming it", () =>
    onHost(() => {
      const spec = new ShapeDtypeStruct([2], "float32")
      expect(() => pureCallback(() => np.ones([3]), spec, [])).toThrow(/shape \[3\].*declares \[2\]/)
      expect(() => pureCallback(() => np.ones([2], { dtype: "int32" }), spec, [])).toThrow(/dtype int32.*declares float32/)
      expect(() => pureCallback(() => [np.ones([2])], { a: spec }, [])).toThrow(/structure of resultShapeDtypes/)
    }))
  it("under jit on a worker CPU device: a DeviceError that says to use device 0", () => {
    const worker = devices("cpu")[1]
    if (worker === undefined) return // one CPU device in this run: nothing to check
    withDefaultDevice(worker, () => expect(() => jit(f)(f32([1]))).toThrow(DeviceError))
  })
})
