/**
 * The slice of the WebAssembly JS API this folder uses, typed locally: the project compiles
 * against lib ES2022 without DOM types, and an engine may lack WebAssembly altogether.
 */
export interface WasmMemory {
  readonly buffer: ArrayBuffer
  grow(pages: number): number
}

export interface WasmApi {
  validate(bytes: Uint8Array): boolean
  Module: new (bytes: Uint8Array) => object
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { readonly exports: Record<string, unknown> }
  Memory: new (desc: { initial: number; maximum?: number }) => WasmMemory
}

/** The engine's WebAssembly object, if it has one. */
export const wasmApi = (): WasmApi | undefined => (globalThis as { WebAssembly?: WasmApi }).WebAssembly
