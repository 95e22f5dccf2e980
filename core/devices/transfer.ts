/**
 * Moving arrays between devices. A move is a copy of the elements (devices of one process share
 * the host's memory, so CPU devices copy between their buffers, not serialize), made once the
 * source's value is ready.
 */
import { ArrayImpl } from "../array.js"
import { DeviceError } from "../errors.js"
import type { Device } from "./device.js"
import { track } from "./lifetimes.js"

/** `x`'s elements on `to`, committed or not. Waits for `x` where the source device can block. */
export const transfer = (x: ArrayImpl, to: Device, committed: boolean): ArrayImpl => {
  // On its own device only the commitment changes: the buffer is shared, unless the device's memory
  // is released explicitly (two arrays must not release one buffer).
  if (x.device === to && (x.committed === committed || !to.backend.manualMemory)) {
    return x.committed === committed ? x : track(new ArrayImpl(x.aval, x.buffer, to, committed, x.host))
  }
  const host = x.host
  let data
  if (host !== undefined) data = host.slice()
  else {
    const read = x.device.backend.readSync
    if (read === undefined) {
      throw new DeviceError(
        `moving an array from ${x.device.toString()} to ${to.toString()} needs to wait for it, which this thread cannot do; ` +
          "move it with the Effect API (Device.put) or await devicePutAsync(x, device)."
      )
    }
    data = read(x.buffer, x.aval).slice()
  }
  return track(new ArrayImpl(x.aval, to.backend.fromHost(data, x.aval), to, committed, x.host))
}

/** `x`'s elements on `to`, waiting asynchronously for the source. */
export const transferAsync = async (x: ArrayImpl, to: Device, committed: boolean): Promise<ArrayImpl> => {
  if (x.device === to || x.host !== undefined) return transfer(x, to, committed)
  const data = await x.device.backend.read(x.buffer, x.aval)
  return track(new ArrayImpl(x.aval, to.backend.fromHost(data, x.aval), to, committed))
}
