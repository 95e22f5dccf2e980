/**
 * The shared-memory communicator on its own: a one-member barrier passes, an aborted communicator
 * fails its members with a DeviceError instead of leaving them waiting, and a collective routine
 * outside a device program is a NameError naming the axis.
 */
import { describe, expect, it } from "vitest"
import { DeviceError, NameError } from "../../index.js"
import { abortCommunicator, barrier, isAborted, makeCommunicator, memberFor, withMembers } from "./communicator.js"

describe("communicator", () => {
  it("a barrier of one member passes at once, many times", () => {
    const comm = makeCommunicator(1, 16)
    const m = { axisName: "i", comm, rank: 0 }
    for (let k = 0; k < 100; k++) barrier(m)
    expect(comm.slotBytes).toBe(16)
  })
  it("an aborted communicator fails the members that wait in it (no hang)", () => {
    const comm = makeCommunicator(2, 8)
    abortCommunicator(comm)
    expect(isAborted(comm)).toBe(true)
    expect(() => barrier({ axisName: "i", comm, rank: 0 })).toThrow(DeviceError)
    expect(() => barrier({ axisName: "i", comm, rank: 0 })).toThrow(/another device of the same pmap failed/)
  })
  it("members are found by axis name, innermost first; an unbound one is a NameError", () => {
    const a = makeCommunicator(1, 8)
    const b = makeCommunicator(1, 8)
    withMembers([{ axisName: "i", comm: a, rank: 0 }], () =>
      withMembers([{ axisName: "i", comm: b, rank: 0 }], () => {
        expect(memberFor("i", "lax.psum").comm).toBe(b)
      })
    )
    expect(() => memberFor("i", "lax.psum")).toThrow(NameError)
    expect(() => memberFor("i", "lax.psum")).toThrow(/no device program binds axis "i"/)
  })
})
