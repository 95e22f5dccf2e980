/**
 * Buffer lifetimes (issue 11): scopes delete what they made and did not keep, nested scopes hand
 * kept arrays to their parent, `using` and `Device.scoped` close deterministically, programs staged
 * inside a scope keep their constants, a deleted array is a DeviceError, and arrays on a device
 * whose memory is released explicitly are released by finalization once unreachable.
 */
import { execFileSync } from "node:child_process"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { type Array, DeviceError, jit, np, openScope, scope } from "../../index.js"
import { Device } from "../../effects/index.js"
import type { ArrayImpl } from "../array.js"
import { childEnv } from "../../testing/temp-dir.js"

const deleted = (x: Array): boolean => (x as ArrayImpl).isDeleted()

describe("scopes", () => {
  it("delete the arrays made inside except the result; using one afterwards is a DeviceError that says why", () => {
    const x = np.arange(4).astype("float32")
    let h: Array | undefined
    const r = scope(() => {
      h = np.tanh(x)
      return { s: h.sum(), m: h.mean() }
    })
    expect(deleted(h!)).toBe(true)
    expect(deleted(r.s) || deleted(r.m)).toBe(false)
    expect(deleted(x)).toBe(false) // made before the scope
    expect(() => h!.data()).toThrow(DeviceError)
    expect(() => h!.data()).toThrow(
      /was deleted \(x\.delete\(\), or the scope that owned it closed\), so its buffer is gone; keep the array alive by returning it/
    )
    expect(() => h!.add(1)).toThrow(/was deleted/)
    expect(r.s.item()).toBeCloseTo(Math.tanh(0) + Math.tanh(1) + Math.tanh(2) + Math.tanh(3), 5)
  })

  it("close when the body throws", () => {
    let h: Array | undefined
    expect(() =>
      scope(() => {
        h = np.ones([3])
        throw new Error("boom")
      })
    ).toThrow("boom")
    expect(deleted(h!)).toBe(true)
  })

  it("nest: a kept array passes to the enclosing scope, which deletes it unless kept again", () => {
    let inner: Array | undefined
    let mid: Array | undefined
    const out = scope(() => {
      mid = scope(() => {
        inner = np.arange(3)
        return inner.add(1)
      })
      return mid.mul(2)
    })
    expect(deleted(inner!)).toBe(true)
    expect(deleted(mid!)).toBe(true)
    expect([...out.data()]).toEqual([2, 4, 6])
  })

  it("using: openScope closes at the end of the block; keep saves an array", () => {
    let tmp: Array | undefined
    let kept: Array | undefined
    {
      using s = openScope()
      tmp = np.zeros([2]).add(1)
      kept = s.keep(tmp.mul(3))
    }
    expect(deleted(tmp!)).toBe(true)
    expect([...kept!.data()]).toEqual([3, 3])
  })

  it("a jit traced inside a scope keeps its program's constants for later calls", () => {
    const f = jit((x: Array) => x.add(np.array([10, 20, 30])))
    const first = scope(() => f(np.arange(3)))
    expect([...first.data()]).toEqual([10, 21, 32])
    expect([...f(np.arange(3)).data()]).toEqual([10, 21, 32])
  })

  it("Device.scoped: the effect's intermediates are deleted when it ends, its result is kept", async () => {
    let h: Array | undefined
    const r = await Effect.runPromise(
      Device.scoped(
        Effect.sync(() => {
          h = np.square(np.arange(3))
          return h.sum()
        })
      )
    )
    expect(deleted(h!)).toBe(true)
    expect(r.item()).toBe(5)
    const failed = await Effect.runPromise(
      Effect.flip(
        Device.scoped(
          Effect.suspend(() => {
            h = np.ones([2])
            return Effect.fail("no")
          })
        )
      )
    )
    expect(failed).toBe("no")
    expect(deleted(h!)).toBe(true)
  })
})

describe("finalization", () => {
  it("releases the buffers of unreachable arrays on a manual-memory device, once, and not those still reachable", () => {
    const out = execFileSync(process.execPath, ["--expose-gc", "--import", "tsx", "core/devices/finalize.fixture.ts"], {
      encoding: "utf8",
      timeout: 120_000,
      env: childEnv()
    })
    const r = JSON.parse(out.trim().split("\n").at(-1)!) as { released: number[]; kept: boolean }
    // buffers 0..9 belonged to dropped arrays, 10 to a reachable one, 11 to an array deleted explicitly
    expect(r.released).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11])
    expect(r.kept).toBe(false)
  })
})
