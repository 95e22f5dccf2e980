/**
 * Buffer lifetimes without user code. Three mechanisms release device memory:
 * - jit liveness: a compiled program's intermediates live in pooled buffers (backends);
 * - finalization: on devices whose memory is not the garbage collector's (`Backend.manualMemory`,
 *   a GPU), the buffer of an array that became unreachable is released by a FinalizationRegistry;
 * - scopes, for deterministic release where memory is scarce: arrays made while a scope is open
 *   are deleted when it closes, except those it returns or keeps (`scope(() => ...)`,
 *   `using s = openScope()`, or the Effect API `Device.scoped`).
 * Using a released array is a DeviceError (core/array.ts). No `.dispose()` in user code.
 */
import { ArrayImpl, setDeleteHook } from "../array.js"
import type { Backend, DeviceBuffer } from "../backend.js"
import { flatten } from "../tree.js"

interface Held {
  readonly backend: Backend
  readonly buffer: DeviceBuffer
}

// Finalization of arrays on manual-memory devices: the held value is the buffer, never the array.
const finalizer = new FinalizationRegistry<Held>((h) => h.backend.release(h.buffer))

/** The open scopes, innermost last; each collects the arrays made while it is innermost. */
const scopes: ArrayImpl[][] = []

/**
 * Record a new concrete array (called where eager code makes one): its buffer is released when it
 * becomes unreachable on a manual-memory device, and it joins the innermost open scope.
 */
export const track = (x: ArrayImpl): ArrayImpl => {
  const backend = x.backend
  if (backend.manualMemory) finalizer.register(x, { backend, buffer: x.buffer }, x)
  const s = scopes[scopes.length - 1]
  if (s !== undefined) s.push(x)
  return x
}

// An array deleted explicitly is not finalized again (its buffer is already released).
setDeleteHook((x) => finalizer.unregister(x))

/** Whether any scope is open (tracking costs nothing otherwise). */
export const scopesOpen = (): boolean => scopes.length > 0

/** An open scope: `keep` arrays (any pytree), `close` deletes the others made while it was open. */
export interface ArrayScope extends Disposable {
  /** Keep these arrays (leaves of a pytree) alive past the scope; returns the tree. */
  keep<T>(tree: T): T
  /** Delete every array made in the scope and not kept; arrays kept pass to the enclosing scope. */
  close(): void
}

/**
 * Open a scope: arrays made until it closes are deleted then, unless kept. For `using`:
 *
 * @example
 * const [x, w] = [np.ones([2, 3]), np.ones([3, 4])]
 * let result: JaxArray
 * {
 *   using s = openScope()
 *   const h = np.tanh(np.matmul(x, w))      // deleted when the block ends
 *   result = s.keep(h.sum())                // kept
 * }
 */
export const openScope = (): ArrayScope => {
  const mine: ArrayImpl[] = []
  scopes.push(mine)
  const kept = new Set<ArrayImpl>()
  let closed = false
  const close = (): void => {
    if (closed) return
    closed = true
    const i = scopes.lastIndexOf(mine)
    if (i >= 0) scopes.splice(i, 1)
    const parent = scopes[scopes.length - 1]
    for (const x of mine) {
      if (kept.has(x)) parent?.push(x)
      else x.delete()
    }
  }
  return {
    keep: (tree) => {
      for (const leaf of flatten(tree)[0]) if (leaf instanceof ArrayImpl) kept.add(leaf)
      return tree
    },
    close,
    [Symbol.dispose]: close
  }
}

/**
 * Run `body` in a scope: the arrays it makes are deleted when it returns, except those in its
 * result (any pytree); also when it throws. (JAX has no equivalent: its buffers are reference
 * counted; in JavaScript this is how device memory is given back at once.)
 *
 * @example
 * const [w, x, y] = [np.ones([3, 1]), np.ones([8, 3]), np.zeros([8, 1])]
 * const loss = scope(() => np.mean(np.square(np.matmul(x, w).sub(y))))  // intermediates freed now
 */
export const scope = <A>(body: () => A): A => {
  const s = openScope()
  try {
    return s.keep(body())
  } finally {
    s.close()
  }
}
