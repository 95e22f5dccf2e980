/**
 * Array methods (`x.add(y)`, `x.sum()`, `x.T`, `x.at(0).set(1)`, ...). They are the `np`
 * functions with `x` first, installed on the abstract `Array` so tracers have them too.
 */
import { Array } from "../array.js"
import type { DType } from "../dtype.js"
import type { Operand } from "./coerce.js"
import { type AtIndexer, at, type IndexItem, index } from "./indexing.js"
import { dot, matmul } from "./linalg.js"
import * as m from "./math.js"
import * as r from "./reductions.js"
import { ravel, reshape, squeeze, swapaxes, transpose } from "./shape.js"
import { convertElementType } from "../primitives/elementwise.js"
import { type DTypeRequest, requestUserDType } from "../dtypes/request.js"
import { warnComplexToReal } from "../dtypes/x64.js"

type ReduceOptions = NonNullable<Parameters<typeof r.sum>[1]>
type ArgOptions = NonNullable<Parameters<typeof r.argmax>[1]>
type VarOptions = NonNullable<Parameters<typeof r.variance>[1]>
type ExtremumOptions = NonNullable<Parameters<typeof r.max>[1]>
type CumulativeOptions = NonNullable<Parameters<typeof r.cumsum>[1]>
type AxisOptions = NonNullable<Parameters<typeof r.all>[1]>

declare module "../array.js" {
  interface Array {
    add(y: Operand): Array
    sub(y: Operand): Array
    mul(y: Operand): Array
    div(y: Operand): Array
    pow(y: Operand): Array
    mod(y: Operand): Array
    floorDiv(y: Operand): Array
    neg(): Array
    abs(): Array
    sqrt(): Array
    exp(): Array
    log(): Array
    square(): Array
    eq(y: Operand): Array
    ne(y: Operand): Array
    lt(y: Operand): Array
    le(y: Operand): Array
    gt(y: Operand): Array
    ge(y: Operand): Array
    matmul(y: Array): Array
    dot(y: Array): Array
    sum(opts?: ReduceOptions): Array
    prod(opts?: ReduceOptions): Array
    mean(opts?: ReduceOptions): Array
    max(opts?: ExtremumOptions): Array
    min(opts?: ExtremumOptions): Array
    all(opts?: AxisOptions): Array
    any(opts?: AxisOptions): Array
    var(opts?: VarOptions): Array
    std(opts?: VarOptions): Array
    argmax(opts?: ArgOptions): Array
    argmin(opts?: ArgOptions): Array
    cumsum(opts?: CumulativeOptions): Array
    /** Cast to another dtype (a new array). */
    astype(dtype: DTypeRequest): Array
    /** Reshape; one dimension may be -1. */
    reshape(shape: ReadonlyArray<number>): Array
    transpose(axes?: ReadonlyArray<number>): Array
    swapaxes(a: number, b: number): Array
    squeeze(axis?: number | ReadonlyArray<number>): Array
    ravel(): Array
    flatten(): Array
    /** The transpose (axes reversed). */
    readonly T: Array
    /** NumPy indexing: `x.index(0, "1:3")` is Python's `x[0, 1:3]`. */
    index(...items: ReadonlyArray<IndexItem>): Array
    /** Functional updates: `x.at(0).set(123)` is JAX's `x.at[0].set(123)`. */
    at(...items: ReadonlyArray<IndexItem>): AtIndexer
    /** Waits for the computation behind the array to finish; returns the array. */
    blockUntilReady(): Array
    /** Iterate over the first axis, as Python does: `const [w, b] = theta`. */
    [Symbol.iterator](): Iterator<Array>
  }
}

const methods: Record<string, (this: Array, ...args: never[]) => unknown> = {
  add(this: Array, y: Operand) {
    return m.add(this, y)
  },
  sub(this: Array, y: Operand) {
    return m.subtract(this, y)
  },
  mul(this: Array, y: Operand) {
    return m.multiply(this, y)
  },
  div(this: Array, y: Operand) {
    return m.divide(this, y)
  },
  pow(this: Array, y: Operand) {
    return m.power(this, y)
  },
  mod(this: Array, y: Operand) {
    return m.mod(this, y)
  },
  floorDiv(this: Array, y: Operand) {
    return m.floorDivide(this, y)
  },
  neg(this: Array) {
    return m.negative(this)
  },
  abs(this: Array) {
    return m.abs(this)
  },
  sqrt(this: Array) {
    return m.sqrt(this)
  },
  exp(this: Array) {
    return m.exp(this)
  },
  log(this: Array) {
    return m.log(this)
  },
  square(this: Array) {
    return m.square(this)
  },
  eq(this: Array, y: Operand) {
    return m.equal(this, y)
  },
  ne(this: Array, y: Operand) {
    return m.notEqual(this, y)
  },
  lt(this: Array, y: Operand) {
    return m.less(this, y)
  },
  le(this: Array, y: Operand) {
    return m.lessEqual(this, y)
  },
  gt(this: Array, y: Operand) {
    return m.greater(this, y)
  },
  ge(this: Array, y: Operand) {
    return m.greaterEqual(this, y)
  },
  matmul(this: Array, y: Array) {
    return matmul(this, y)
  },
  dot(this: Array, y: Array) {
    return dot(this, y)
  },
  sum(this: Array, o?: ReduceOptions) {
    return r.sum(this, o)
  },
  prod(this: Array, o?: ReduceOptions) {
    return r.prod(this, o)
  },
  mean(this: Array, o?: ReduceOptions) {
    return r.mean(this, o)
  },
  max(this: Array, o?: ExtremumOptions) {
    return r.max(this, o)
  },
  min(this: Array, o?: ExtremumOptions) {
    return r.min(this, o)
  },
  all(this: Array, o?: AxisOptions) {
    return r.all(this, o)
  },
  any(this: Array, o?: AxisOptions) {
    return r.any(this, o)
  },
  var(this: Array, o?: VarOptions) {
    return r.variance(this, o)
  },
  std(this: Array, o?: VarOptions) {
    return r.std(this, o)
  },
  argmax(this: Array, o?: ArgOptions) {
    return r.argmax(this, o)
  },
  argmin(this: Array, o?: ArgOptions) {
    return r.argmin(this, o)
  },
  cumsum(this: Array, o?: CumulativeOptions) {
    return r.cumsum(this, o)
  },
  astype(this: Array, dtype: DTypeRequest) {
    const to = requestUserDType(dtype, "x.astype", "astype")
    warnComplexToReal(this.dtype, to)
    return convertElementType(this, to, false)
  },
  reshape(this: Array, shape: ReadonlyArray<number>) {
    return reshape(this, shape)
  },
  transpose(this: Array, axes?: ReadonlyArray<number>) {
    return transpose(this, axes)
  },
  swapaxes(this: Array, a: number, b: number) {
    return swapaxes(this, a, b)
  },
  squeeze(this: Array, axis?: number | ReadonlyArray<number>) {
    return squeeze(this, axis)
  },
  ravel(this: Array) {
    return ravel(this)
  },
  flatten(this: Array) {
    return ravel(this)
  },
  index(this: Array, ...items: ReadonlyArray<IndexItem>) {
    return index(this, ...items)
  },
  at(this: Array, ...items: ReadonlyArray<IndexItem>) {
    return at(this, ...items)
  },
  blockUntilReady(this: Array) {
    return this
  }
}

// Defined, not assigned: assignment on Array.prototype is intercepted to reject `x[0] = v`.
for (const [name, fn] of Object.entries(methods)) {
  Object.defineProperty(Array.prototype, name, { value: fn, writable: false, enumerable: false, configurable: true })
}
// 0-d arrays are not iterable (as in NumPy): the getter hides the iterator for them, so generic
// code (spread, deep equality) sees a scalar, not an iterable that throws.
function* iterateFirstAxis(this: Array): Generator<Array> {
  const n = this.shape[0]!
  for (let i = 0; i < n; i++) yield index(this, i)
}
Object.defineProperty(Array.prototype, Symbol.iterator, {
  get(this: Array) {
    return this.ndim === 0 ? undefined : iterateFirstAxis
  },
  enumerable: false,
  configurable: true
})
Object.defineProperty(Array.prototype, "T", {
  get(this: Array) {
    return transpose(this)
  },
  enumerable: false,
  configurable: true
})
