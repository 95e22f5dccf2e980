/**
 * Which of api-gaps.md's jax.numpy and jax.lax names jaxfx still lacks. Reads the checklist (default
 * ../shared/docs/api-gaps.md, or the path given as the first argument), converts each JAX name to
 * camelCase, and looks it up in jaxfx's `np` / `lax` namespaces and top-level exports. Rows that the
 * issue excludes (complex-only, Python/host-specific, multi-device collectives) are reported apart.
 *
 * Usage: `npx tsx scripts/api-gaps.ts [path/to/api-gaps.md]`
 */
import { readFileSync } from "node:fs"
import * as jaxfx from "../index.js"

// A trailing underscore (`ix_`) is Python's keyword dodge; jaxfx spells it without (`ix`).
export const camel = (name: string): string => name.replace(/_+$/, "").replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())

export interface Row {
  readonly tier: string
  readonly names: ReadonlyArray<string>
}

/** The bullet rows (`- *tier*: names`) of the `### <heading>` section. */
export const section = (md: string, heading: string): ReadonlyArray<Row> => {
  const start = md.indexOf(`### ${heading} (`)
  if (start < 0) throw new Error(`api-gaps: no section "### ${heading}"`)
  const end = md.indexOf("\n### ", start + 1)
  const body = md.slice(start, end < 0 ? undefined : end)
  const rows: Array<Row> = []
  for (const line of body.split("\n")) {
    const m = /^- \*([^*]+)\*: (.*)$/.exec(line)
    if (m === null) continue
    const names = [...m[2]!.matchAll(/`([A-Za-z0-9_]+)`/g)].map((x) => x[1]!)
    rows.push({ tier: m[1]!, names })
  }
  return rows
}

const excluded = (tier: string): boolean => /complex|Python|collective/i.test(tier)

/**
 * Single names kept out, with the reason: XLA's tokens order side effects (infeed/outfeed, host
 * calls) between computations; jaxfx has no token values and no token-ordered operations to thread
 * them through (its effectful primitives, like debug.print, are ordered by the program itself);
 * dce_sink returns nothing and only keeps MLIR from deleting a value; psend/precv (JAX 0.10) are
 * a send and a receive split into two operations joined by such a token (their docs call the
 * semantics platform-specific: NCCL's on GPUs). scaled_dot exists for float8 operands and scales,
 * dtypes jaxfx does not have.
 */
const notForJs: Readonly<Record<string, string>> = {
  after_all: "XLA tokens: jaxfx has no token-ordered operations",
  create_token: "XLA tokens: jaxfx has no token-ordered operations",
  dce_sink: "a hint to MLIR's dead-code elimination with no value: jaxfx's passes keep what the outputs need",
  psend: "returns an XLA token (a one-sided NCCL send ordered by tokens): jaxfx has no tokens; ppermute moves the same data",
  precv: "takes an XLA token from psend: jaxfx has no tokens; ppermute moves the same data",
  scaled_dot:
    "a matmul of float8 operands (float8_e4m3fn / e5m2) scaled per block by float8_e8m0fnu scales: jaxfx has no float8 dtypes, " +
    "and JAX 0.10's CPU result for float32 operands is rounded through bfloat16 in an undocumented way (its default output is bfloat16), so there is no semantics to match"
}

const report = (label: string, rows: ReadonlyArray<Row>, ns: Record<string, unknown>): number => {
  let missing = 0
  let total = 0
  const lines: Array<string> = []
  for (const row of rows) {
    const kept = row.names.filter((n) => notForJs[n] !== undefined)
    const gone = row.names.filter((n) => !(camel(n) in ns) && !(camel(n) in jaxfx) && notForJs[n] === undefined)
    total += row.names.length
    if (kept.length > 0) lines.push(`  (excluded) ${kept.map((n) => `${n} (${notForJs[n]})`).join(", ")}`)
    if (excluded(row.tier)) {
      lines.push(`  (excluded) ${row.tier}: ${gone.length}/${row.names.length} missing`)
      continue
    }
    missing += gone.length
    lines.push(`  ${row.tier} (${gone.length}/${row.names.length} missing): ${gone.join(" ")}`)
  }
  console.log(`${label}: ${missing} still missing (excluded rows aside) of ${total} listed`)
  for (const l of lines) console.log(l)
  return missing
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const path = process.argv[2] ?? new URL("../../shared/docs/api-gaps.md", import.meta.url).pathname
  const md = readFileSync(path, "utf8")
  report("jax.numpy", section(md, "jax.numpy"), jaxfx.np as Record<string, unknown>)
  report("jax.lax", section(md, "jax.lax"), jaxfx.lax as Record<string, unknown>)
}
