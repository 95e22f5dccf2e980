/**
 * Run by lifetimes.test.ts in a child process with --expose-gc: arrays on a device whose memory is
 * released explicitly are released by finalization once unreachable; deleted ones are not released twice.
 */
import { ArrayImpl } from "../array.js"
import type { Backend } from "../backend.js"
import { Device } from "./device.js"
import { track } from "./lifetimes.js"
import "../../index.js"

const released: number[] = []
let next = 0
const backend = {
  platform: "fake",
  manualMemory: true,
  fromHost: (data: Float32Array) => ({ id: next++, data }),
  release: (b: { id: number }) => released.push(b.id)
} as unknown as Backend
const device = new Device(500, "fake", "manual memory", backend, 0)
const aval = new (await import("../array.js")).ShapedArray([2], "float32")

const make = (): ArrayImpl => track(new ArrayImpl(aval, backend.fromHost(new Float32Array(2), aval), device))
;(() => {
  for (let i = 0; i < 10; i++) make()
})()
const kept = make()
const deleted = make()
deleted.delete()

const gc = (globalThis as { gc?: () => void }).gc!
for (let round = 0; round < 20 && released.filter((id) => id < 10).length < 10; round++) {
  gc()
  await new Promise((r) => setTimeout(r, 10))
}
console.log(JSON.stringify({ released: [...released].sort((a, b) => a - b), kept: kept.isDeleted() }))
