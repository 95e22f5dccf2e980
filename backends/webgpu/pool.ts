/// <reference types="@webgpu/types" />
/**
 * The WebGPU device's buffer pool. Storage buffers come in size classes (powers of two up to 1 MiB,
 * quarter steps of a power of two above), so a buffer released by one array serves the next array
 * of a similar size without a new allocation. Buffers are released through the runtime's lifetimes
 * (finalization of unreachable arrays, scopes, `x.delete()`, a program's intermediates after their
 * last use) and wait in the pool; past `maxFreeBytes` the pool destroys what it cannot keep.
 *
 * Reusing a buffer is safe without waiting for the GPU: work is submitted to one queue in order,
 * so a later write to a reused buffer runs after every earlier read of it.
 */

/** GPUBufferUsage flags (the numeric values of the WebGPU specification: no globals needed). */
export const Usage = { MAP_READ: 1, COPY_SRC: 4, COPY_DST: 8, STORAGE: 128 } as const

/** The size class of a request of `bytes` bytes (at least 16, a multiple of 4). */
export const sizeClass = (bytes: number): number => {
  const b = Math.max(16, bytes)
  if (b <= 1 << 20) return 2 ** Math.ceil(Math.log2(b))
  const step = 2 ** Math.floor(Math.log2(b)) / 4
  return Math.ceil(b / step) * step
}

export interface PoolStats {
  /** Buffers created, reused from the pool, released to it, destroyed. */
  created: number
  reused: number
  released: number
  destroyed: number
  /** Bytes waiting in the pool. */
  freeBytes: number
}

export class BufferPool {
  private readonly free = new Map<number, GPUBuffer[]>()
  readonly stats: PoolStats = { created: 0, reused: 0, released: 0, destroyed: 0, freeBytes: 0 }
  constructor(
    private readonly device: GPUDevice,
    private readonly maxFreeBytes = 256 * 2 ** 20
  ) {}

  /** A storage buffer of at least `bytes` bytes (its size is the size class). */
  acquire(bytes: number): GPUBuffer {
    const size = sizeClass(bytes)
    const list = this.free.get(size)
    const b = list?.pop()
    if (b !== undefined) {
      this.stats.reused++
      this.stats.freeBytes -= size
      return b
    }
    this.stats.created++
    return this.device.createBuffer({ size, usage: Usage.STORAGE | Usage.COPY_SRC | Usage.COPY_DST })
  }

  /** Give a buffer back (it may be handed out again at once). */
  release(b: GPUBuffer): void {
    this.stats.released++
    if (this.stats.freeBytes + b.size > this.maxFreeBytes) {
      this.stats.destroyed++
      b.destroy()
      return
    }
    let list = this.free.get(b.size)
    if (list === undefined) this.free.set(b.size, (list = []))
    list.push(b)
    this.stats.freeBytes += b.size
  }

  /** Destroy every pooled buffer. */
  clear(): void {
    for (const list of this.free.values()) for (const b of list) b.destroy()
    this.free.clear()
    this.stats.freeBytes = 0
  }
}
