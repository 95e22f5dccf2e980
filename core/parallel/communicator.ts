/**
 * Shared-memory communicators: how the members of a named axis that run on different CPU devices
 * (the calling thread and worker threads) exchange data inside a program, without posting arrays
 * through message ports.
 *
 * A communicator is one SharedArrayBuffer: a control header (a generation barrier and an abort
 * flag), one collective counter per member, and two sets of slots (one per member plus a result
 * slot), each large enough for the largest operand of a collective in the program. A collective
 * writes its operand into its member's slot, meets the others at a barrier, and reads what it
 * needs (for psum over more than two members, each member reduces its share of the elements into
 * the result slot, so the reduction is one pass over the data, in the same order on every member:
 * replicas are bit-identical).
 *
 * Consecutive collectives alternate between the two slot sets (by the member's own count of the
 * collectives it ran, the same on every member). A member that reaches collective k + 2 (which
 * writes the set of collective k) has passed the barrier of collective k + 1, which every member
 * reaches only after reading what collective k left: so a collective needs no closing barrier, and
 * a psum over two members is one barrier.
 *
 * Which communicator (and member index) a collective uses comes from the member context that the
 * runner of a per-device program installs (`withMembers`): pmap on the calling thread, the worker
 * device's loop on a worker thread. The backend's collective routines look their axis up in it.
 */
import { DeviceError, NameError } from "../errors.js"

/** One communicator: `size` members, `slotBytes` bytes per slot, over shared memory. */
export interface Communicator {
  /** Unique in the process (worker devices cache communicators by id). */
  readonly id: number
  readonly size: number
  readonly slotBytes: number
  readonly buffer: SharedArrayBuffer
}

/** One member of a named axis: the communicator of the axis and this member's index in it. */
export interface Member {
  readonly axisName: string
  readonly comm: Communicator
  readonly rank: number
}

/** Bytes of the control header before the slots. */
export const HEADER_BYTES = 64
const COUNT = 0
const GEN = 1
const ABORT = 2
/** How many times a barrier polls before it sleeps (short: cores are shared). */
const SPIN = 2000
/** How long a barrier waits without the others arriving before it gives up. */
const STALL_MS = 120_000

let nextId = 1

/** Bytes of the members' collective counters (after the header). */
const countersBytes = (size: number): number => Math.ceil((size * 4) / 8) * 8

/** A new communicator for `size` members whose collectives move at most `slotBytes` per member. */
export const makeCommunicator = (size: number, slotBytes: number): Communicator => {
  const slot = Math.max(8, Math.ceil(slotBytes / 8) * 8)
  return { id: nextId++, size, slotBytes: slot, buffer: new SharedArrayBuffer(HEADER_BYTES + countersBytes(size) + 2 * (size + 1) * slot) }
}

const controls = new WeakMap<SharedArrayBuffer, Int32Array>()
const control = (c: Communicator): Int32Array => {
  let ctl = controls.get(c.buffer)
  if (ctl === undefined) controls.set(c.buffer, (ctl = new Int32Array(c.buffer, 0, HEADER_BYTES / 4)))
  return ctl
}

const abortedError = (): DeviceError =>
  new DeviceError("a collective was abandoned: another device of the same pmap failed (its error is reported where its results are read).")

/** Mark the communicator failed and wake every member waiting in it; they fail with a DeviceError. */
export const abortCommunicator = (c: Communicator): void => {
  const ctl = control(c)
  Atomics.store(ctl, ABORT, 1)
  Atomics.add(ctl, GEN, 1)
  Atomics.notify(ctl, GEN)
}

/** Whether a member failed in this communicator (it must not be used again). */
export const isAborted = (c: Communicator): boolean => Atomics.load(control(c), ABORT) !== 0

/**
 * Wait until every member has arrived. The writes a member made to shared memory before it
 * arrived are visible to every member after the barrier (Atomics order them).
 */
export const barrier = (m: Member): void => {
  const ctl = control(m.comm)
  const gen = Atomics.load(ctl, GEN)
  if (Atomics.load(ctl, ABORT) !== 0) throw abortedError()
  if (Atomics.add(ctl, COUNT, 1) === m.comm.size - 1) {
    Atomics.store(ctl, COUNT, 0)
    Atomics.add(ctl, GEN, 1)
    Atomics.notify(ctl, GEN)
    return
  }
  for (let i = 0; i < SPIN; i++) if (Atomics.load(ctl, GEN) !== gen) return checkAbort(ctl)
  const start = Date.now()
  while (Atomics.load(ctl, GEN) === gen) {
    Atomics.wait(ctl, GEN, gen, 100)
    if (Atomics.load(ctl, GEN) === gen && Date.now() - start > STALL_MS) {
      abortCommunicator(m.comm)
      throw new DeviceError(
        `a collective over axis "${m.axisName}" waited ${STALL_MS / 1000} s for the other devices: do all members run the same collectives ` +
          "(no collective inside a branch that only some members take)?"
      )
    }
  }
  checkAbort(ctl)
}

const checkAbort = (ctl: Int32Array): void => {
  if (Atomics.load(ctl, ABORT) !== 0) throw abortedError()
}

/** The byte offset of slot `j` (slot `size` is the result slot) of slot set `set` (0 or 1). */
export const slotOffset = (c: Communicator, j: number, set: number): number => HEADER_BYTES + countersBytes(c.size) + (set * (c.size + 1) + j) * c.slotBytes

const counters = new WeakMap<SharedArrayBuffer, Int32Array>()
/**
 * The slot set of the member's next collective (every collective calls it once, before it writes):
 * its count of collectives run so far, modulo 2. Only the member itself touches its counter.
 */
export const nextSlotSet = (m: Member): number => {
  let cs = counters.get(m.comm.buffer)
  if (cs === undefined) counters.set(m.comm.buffer, (cs = new Int32Array(m.comm.buffer, HEADER_BYTES, m.comm.size)))
  const k = cs[m.rank]!
  cs[m.rank] = (k + 1) & 1
  return k
}

let members: ReadonlyArray<Member> = []

/** Run `body` with these members installed (the per-device program of a pmap runs inside). */
export const withMembers = <A>(ms: ReadonlyArray<Member>, body: () => A): A => {
  const prev = members
  members = [...ms, ...prev]
  try {
    return body()
  } finally {
    members = prev
  }
}

/** The members installed now (innermost first). */
export const currentMembers = (): ReadonlyArray<Member> => members

/** The member for `axisName`; a NameError when no device program binds it here. */
export const memberFor = (axisName: string, who: string): Member => {
  for (const m of members) if (m.axisName === axisName) return m
  throw new NameError(
    `${who}: no device program binds axis "${axisName}" here: a collective runs inside pmap (or vmap) with { axisName: "${axisName}" }, ` +
      "not in a program run on its own."
  )
}
