/**
 * Large hostile checkpoints, one builder per class of attack, for the fuzz test (at a few MB) and
 * for `npm run bench:codec` (at up to 100 MB). Each builds the bytes of a file that a loader
 * must reject, in time linear in `size`, without building strings of the whole file.
 */

/** A hostile file: its class, its format and its bytes. */
export interface HostileFile {
  readonly name: string
  readonly format: "json" | "safetensors"
  readonly bytes: Uint8Array
}

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s)

/** `head`, then `unit` repeated to fill about `size` bytes, then `tail` (units are ASCII). */
const repeated = (head: string, unit: (i: number) => string, tail: string, size: number): Uint8Array => {
  const h = ascii(head)
  const t = ascii(tail)
  const out = new Uint8Array(Math.max(size, h.length + t.length))
  out.set(h)
  let at = h.length
  let i = 0
  for (let full = false; !full;) {
    // encode a batch of units at a time
    let batch = ""
    while (batch.length < 1 << 16) {
      const u = unit(i)
      if (at + batch.length + u.length + t.length > out.length) {
        full = true
        break
      }
      batch += u
      i++
    }
    out.set(ascii(batch), at)
    at += batch.length
  }
  out.set(t, at)
  return out.subarray(0, at + t.length)
}

/** A safetensors file around a header (the data buffer empty unless given). */
export const safetensorsOf = (header: Uint8Array, data: Uint8Array = new Uint8Array(0), declared?: bigint): Uint8Array => {
  const out = new Uint8Array(8 + header.length + data.length)
  new DataView(out.buffer).setBigUint64(0, declared ?? BigInt(header.length), true)
  out.set(header, 8)
  out.set(data, 8 + header.length)
  return out
}

const key = (i: number): string => `t${i.toString(36).padStart(6, "0")}`
const doc = '{"format":"jaxfx.checkpoint","version":1,'

/** Every large hostile class at about `size` bytes. */
export const hostileFiles = (size: number): ReadonlyArray<HostileFile> => [
  // a list of nodes that all fail the schema (each one used to produce and format several errors)
  {
    name: "json: a list of invalid nodes",
    format: "json",
    bytes: repeated(`${doc}"tree":{"type":"list","items":[`, (i) => `${i > 0 ? "," : ""}{"type":"bogus"}`, "]}}", size)
  },
  // one string of \u escapes
  { name: "json: a string of \\u escapes", format: "json", bytes: repeated(`${doc}"metadata":{"m":"`, () => "\\u0041", '"},"tree":{"type":"x"}}', size) },
  // a wide metadata map of short strings, then no tree
  { name: "json: a wide metadata map", format: "json", bytes: repeated(`${doc}"metadata":{`, (i) => `${i > 0 ? "," : ""}"${i.toString(36)}":""`, "}}", size) },
  // one huge float32 array whose last element is invalid
  {
    name: "json: a long data list, bad last element",
    format: "json",
    bytes: repeated(
      `${doc}"tree":{"type":"dict","items":{"w":{"type":"array","dtype":"float32","shape":[${Math.floor(size / 2)}],"data":[`,
      (i) => `${i > 0 ? "," : ""}0`,
      ',"x"]}}}}',
      size
    )
  },
  // a wide dict of small nodes, truncated before its end
  {
    name: "json: a wide dict, truncated",
    format: "json",
    bytes: repeated(`${doc}"tree":{"type":"dict","items":{`, (i) => `${i > 0 ? "," : ""}"${key(i)}":{"type":"null"}`, "", size)
  },
  // a wide dict of small arrays none of which the template names
  {
    name: "json: a wide dict of unknown arrays",
    format: "json",
    bytes: repeated(
      `${doc}"tree":{"type":"dict","items":{`,
      (i) => `${i > 0 ? "," : ""}"${key(i)}":{"type":"array","dtype":"bool","shape":[],"data":[0]}`,
      "}}}",
      size
    )
  },
  // a million-entry header of zero-size tensors (a valid file that matches no template)
  {
    name: "safetensors: zero-size entries",
    format: "safetensors",
    bytes: safetensorsOf(
      repeated("{", (i) => `${i > 0 ? "," : ""}"${key(i)}":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}`, "}", Math.min(size, 99_000_000) - 8)
    )
  },
  // a header whose metadata is a wide map of short strings, then a bad entry
  {
    name: "safetensors: a wide metadata map",
    format: "safetensors",
    bytes: safetensorsOf(repeated('{"__metadata__":{', (i) => `${i > 0 ? "," : ""}"${i.toString(36)}":""`, '},"w":3}', Math.min(size, 99_000_000) - 8))
  },
  // a header that is one string of \u escapes
  {
    name: "safetensors: a header of \\u escapes",
    format: "safetensors",
    bytes: safetensorsOf(repeated('{"__metadata__":{"m":"', () => "\\u0041", '"},"w":3}', Math.min(size, 99_000_000) - 8))
  },
  // a large data buffer with one byte no tensor accounts for
  {
    name: "safetensors: a large buffer, one byte unaccounted",
    format: "safetensors",
    bytes: (() => {
      const n = Math.floor((size - 200) / 4)
      return safetensorsOf(ascii(`{"w":{"dtype":"F32","shape":[${n}],"data_offsets":[0,${4 * n}]}}`), new Uint8Array(4 * n + 1))
    })()
  }
]
