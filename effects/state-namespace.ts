/** `State`: typed state slots (see state.ts). */
export { atomic, Cell, checkCompatible, slot, type Slot, type StateSlot } from "./state.js"
