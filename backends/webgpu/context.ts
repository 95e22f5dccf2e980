/// <reference types="@webgpu/types" />
/**
 * What the WebGPU backend's parts share for one GPU device: the device, its buffer pool, its
 * pipeline cache, the count of submissions (a buffer is ready once the submission that writes it
 * has finished), and the first error the device reported (a shader that failed to compile, an
 * invalid dispatch), which later reads and dispatches report as a DeviceError; a lost device fails
 * the next read (its mapAsync rejects), which records the loss (`detectLoss`): from then on every
 * call is a DeviceError, and `init("webgpu")` (the Device.webgpu layer) acquires a new device.
 *
 * Dawn in Node (the `webgpu` package 0.6) crashes or hangs the process, seen here with lavapipe,
 * when a `device.lost` promise or one `onSubmittedWorkDone()` per submission is left pending: the
 * context keeps no promise pending between calls, so a buffer counts as ready (`isReady`) once a
 * read or `synchronize` has seen its submission finish.
 *
 * `Recording` collects one executable call's work (dispatches and copies) into one command buffer.
 *
 * Asynchronous steps (a program with a while loop, loops.ts) keep the queue's order: while one is
 * in flight (`runAsync`), it submits its own work directly in its synchronous segments (`directly`),
 * and every submission, queue write and buffer release issued by other code meanwhile waits in a
 * backlog, run in order when the step has finished. So work issued after a loop runs after it (it
 * may read the loop's outputs), and a buffer released meanwhile (an input the loop still reads)
 * cannot be handed to the loop's own later work. Reads and `synchronize` wait for the backlog first.
 */
import type { DType } from "../../core/dtype.js"
import { DeviceError } from "../../core/errors.js"
import { GpuBuffer } from "./buffer.js"
import { BufferPool } from "./pool.js"
import { PipelineCache } from "./pipelines.js"

export class GpuContext {
  readonly pool: BufferPool
  readonly pipelines: PipelineCache
  /** Submissions made and known finished. */
  submitted = 0
  completed = 0
  /** The first error the device reported (uncaptured validation errors, device loss). */
  error: string | undefined
  /** Why the device was lost, once a failed read found it lost (`detectLoss`); every later call fails. */
  lost: string | undefined
  /** Work issued while an asynchronous step runs, in order; an entry with `step` is the next such step. */
  private readonly backlog: Array<{ readonly now?: () => void; readonly step?: () => Promise<void> }> = []
  /** The asynchronous steps (and the backlog behind them) in flight. */
  private driving: Promise<void> | undefined
  private busy = false
  /** In an asynchronous step's own synchronous segment: its work goes to the queue directly. */
  private direct = false
  constructor(
    readonly device: GPUDevice,
    /** The adapter's description, for messages. */
    readonly name: string,
    /** The entry point and adapter the device came from, kept alive with it (see acquire.ts). */
    readonly owners: ReadonlyArray<object> = []
  ) {
    this.pool = new BufferPool(device)
    this.pipelines = new PipelineCache(device)
    device.addEventListener("uncapturederror", (ev) => {
      this.error ??= (ev as GPUUncapturedErrorEvent).error.message
    })
  }

  /** Throw the recorded device error, if any, as a DeviceError (once: later work may succeed; a lost device's always). */
  check(): void {
    if (this.lost !== undefined) {
      throw new DeviceError(
        `the WebGPU device (${this.name}) was lost (${this.lost}); its arrays are gone. Acquire it again: provide the Device.webgpu layer ` +
          'anew, or `await init("webgpu")` (it acquires a new device once the old one is lost), then recompute the arrays on it.'
      )
    }
    const e = this.error
    if (e !== undefined) {
      this.error = undefined
      throw new DeviceError(`the WebGPU device (${this.name}) reported an error: ${e}`)
    }
  }

  /** A new buffer for `size` elements of `dtype`. */
  alloc(dtype: DType, size: number): GpuBuffer {
    return new GpuBuffer(this.pool.acquire(size * 4), dtype, size, this.submitted + 1)
  }

  /** Give a buffer back to the pool (once). */
  release(b: GpuBuffer): void {
    if (b.released) return
    b.released = true
    this.inOrder(() => this.pool.release(b.gpu))
  }

  /** Submit command buffers; returns the submission's number (no promise is left pending, see above). */
  submit(buffers: GPUCommandBuffer[]): number {
    this.inOrder(() => this.device.queue.submit(buffers))
    return ++this.submitted
  }

  /** Write `bytes` bytes of `data` into `to` (a queue write, in order with submissions). */
  write(to: GPUBuffer, data: ArrayBufferView, bytes: number): void {
    this.inOrder(() => this.device.queue.writeBuffer(to, 0, data.buffer, data.byteOffset, bytes))
  }

  /** Run `f` now, or after the asynchronous steps in flight (see the module comment). */
  inOrder(f: () => void): void {
    if (this.busy && !this.direct) this.backlog.push({ now: f })
    else f()
  }

  /** Whether an asynchronous step is in flight and this is one of its synchronous segments. */
  get inAsyncStep(): boolean {
    return this.busy && this.direct
  }

  /** Run `f` as part of the asynchronous step in flight: its work goes to the queue at once. */
  directly<A>(f: () => A): A {
    const d = this.direct
    this.direct = true
    try {
      return f()
    } finally {
      this.direct = d
    }
  }

  /**
   * Run an asynchronous step in queue order: now when nothing is in flight, else after the steps and
   * backlog before it. Its synchronous segments must run through `directly`. A step that fails
   * leaves its error for the next read or call (`check`).
   */
  runAsync(step: () => Promise<void>): void {
    if (this.busy) {
      this.backlog.push({ step })
      return
    }
    this.busy = true
    this.driving = this.drive(step)
  }

  private async drive(first: () => Promise<void>): Promise<void> {
    let step: (() => Promise<void>) | undefined = first
    try {
      while (step !== undefined) {
        try {
          await step()
        } catch (e) {
          this.error ??= e instanceof Error ? e.message : String(e)
        }
        step = undefined
        while (this.backlog.length > 0 && step === undefined) {
          const op = this.backlog.shift()!
          if (op.step !== undefined) step = op.step
          else this.directly(op.now!)
        }
      }
    } finally {
      this.busy = false
      this.driving = undefined
    }
  }

  /** Resolves once no asynchronous step is in flight and the backlog is on the queue. */
  async idle(): Promise<void> {
    while (this.driving !== undefined) await this.hold(this.driving)
  }

  /**
   * Await a promise of the GPU: Dawn's pending callbacks hold no Node handle, so without one the
   * process could exit (or a test runner move on) before they resolve.
   */
  async hold<A>(p: Promise<A>): Promise<A> {
    const timer = setInterval(() => {}, 1000)
    try {
      return await p
    } finally {
      clearInterval(timer)
    }
  }

  /** Resolves once every submission so far has finished. */
  async synchronize(): Promise<void> {
    await this.idle()
    const s = this.submitted
    await this.hold(this.device.queue.onSubmittedWorkDone())
    if (s > this.completed) this.completed = s
    this.check()
  }

  /**
   * After a failed mapping: whether the device was lost, recorded in `lost`. Its `lost` promise is
   * only looked at here (see the module comment): a lost device's has resolved; a device that is
   * not lost leaves it pending, briefly awaited.
   */
  async detectLoss(): Promise<boolean> {
    if (this.lost !== undefined) return true
    const info = await this.hold(Promise.race([this.device.lost, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 50))]))
    if (info !== undefined) this.lost = `${info.reason}: ${info.message}`
    return info !== undefined
  }

  /** Start recording work. */
  record(): Recording {
    return new Recording(this)
  }
}

export class Recording {
  private readonly encoder: GPUCommandEncoder
  private pass: GPUComputePassEncoder | undefined
  constructor(readonly ctx: GpuContext) {
    this.encoder = ctx.device.createCommandEncoder()
  }

  /** Dispatch `source` over `groups` workgroups, binding `inputs` then `outputs`. */
  dispatch(source: string, groups: readonly [number, number, number?], inputs: ReadonlyArray<GpuBuffer>, outputs: ReadonlyArray<GpuBuffer>): void {
    const p = this.ctx.pipelines.get(source, inputs.length, outputs.length)
    const entries: GPUBindGroupEntry[] = [...inputs, ...outputs].map((b, i) => ({ binding: i, resource: { buffer: b.gpu } }))
    const group = this.ctx.device.createBindGroup({ layout: this.ctx.pipelines.layout(inputs.length, outputs.length), entries })
    this.pass ??= this.encoder.beginComputePass()
    this.pass.setPipeline(p)
    this.pass.setBindGroup(0, group)
    this.pass.dispatchWorkgroups(groups[0], groups[1], groups[2] ?? 1)
  }

  /** Copy `from`'s data into `to`. */
  copy(from: GpuBuffer, to: GpuBuffer): void {
    this.pass?.end()
    this.pass = undefined
    const bytes = Math.min(from.bytes, to.bytes)
    if (bytes > 0) this.encoder.copyBufferToBuffer(from.gpu, 0, to.gpu, 0, bytes)
  }

  /** Copy `elements` elements of `from`, starting at element `fromAt`, into `to` at element `toAt` (rows of scan's xs and ys). */
  copyElements(from: GpuBuffer, fromAt: number, to: GpuBuffer, toAt: number, elements: number): void {
    this.pass?.end()
    this.pass = undefined
    if (elements > 0) this.encoder.copyBufferToBuffer(from.gpu, fromAt * 4, to.gpu, toAt * 4, elements * 4)
  }

  /** Copy `bytes` bytes of `from` into a GPU buffer (e.g. a staging buffer). */
  copyRaw(from: GPUBuffer, to: GPUBuffer, bytes: number): void {
    this.pass?.end()
    this.pass = undefined
    if (bytes > 0) this.encoder.copyBufferToBuffer(from, 0, to, 0, bytes)
  }

  /** Submit what was recorded; returns the submission's number. */
  submit(): number {
    this.pass?.end()
    this.pass = undefined
    return this.ctx.submit([this.encoder.finish()])
  }
}
