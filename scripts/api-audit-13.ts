/**
 * Issue 13's completeness audit: which of JAX 0.10's names in `jax.numpy.linalg`, `jax.numpy.fft`,
 * `jax.lax.linalg`, `jax.scipy.linalg`, `jax.scipy.special` and `jax.scipy.stats` (its functions and
 * each distribution's methods) jaxfx lacks. JAX's names come from golden/api_audit_13.json (written
 * by golden/api_audit_13.py from real JAX, so CI needs no Python); each is converted to camelCase
 * and looked up in the matching jaxfx namespace. Names kept out on purpose are listed in
 * `excludedNames` with the reason; api-gaps.md's tier (common, occasional, rare) annotates each
 * missing name when the checklist is at hand.
 *
 * Usage: `npx tsx scripts/api-audit-13.ts [path/to/api-gaps.md]`
 */
import { existsSync, readFileSync } from "node:fs"
import * as jaxfx from "../index.js"
import { camel, section } from "./api-gaps.js"

interface JaxNamespace {
  readonly namespace: string
  readonly names: ReadonlyArray<string>
  readonly kinds: Readonly<Record<string, string>>
}

/** One namespace's result: JAX's names, those jaxfx has, those it lacks and those left out on purpose. */
export interface NamespaceAudit {
  readonly namespace: string
  readonly jax: number
  readonly present: ReadonlyArray<string>
  readonly missing: ReadonlyArray<string>
  readonly excluded: ReadonlyArray<string>
}

const golden = (): ReadonlyArray<JaxNamespace> =>
  (JSON.parse(readFileSync(new URL("../golden/api_audit_13.json", import.meta.url), "utf8")) as { cases: ReadonlyArray<JaxNamespace> }).cases

const objectAt = (root: unknown, path: ReadonlyArray<string>): Record<string, unknown> | undefined => {
  let o: unknown = root
  for (const p of path) {
    if (o === null || (typeof o !== "object" && typeof o !== "function")) return undefined
    o = (o as Record<string, unknown>)[p]
  }
  return o === null || (typeof o !== "object" && typeof o !== "function") ? undefined : (o as Record<string, unknown>)
}

/** jaxfx's object for a JAX namespace: `jax.scipy.stats.gumbel_l` is `scipy.stats.gumbelL`. */
const jaxfxNamespace = (namespace: string): Record<string, unknown> | undefined => {
  const parts = namespace.replace(/^jax\./, "").split(".")
  const path = parts.map((p, i) => (i === 0 && p === "numpy" ? "np" : camel(p)))
  return objectAt(jaxfx, path)
}

/**
 * Names that jaxfx leaves out on purpose, with the reason (by JAX kind, then by name). Each is
 * reported apart from the missing names.
 */
export const excludedKinds: Readonly<Record<string, string>> = {
  primitive:
    "a Primitive object (JAX's `*_p`): jaxfx binds its primitives through the functions and exports no primitive objects (definePrimitive is the public route for new ones)",
  class: "an enum of XLA's per-platform algorithms (EigImplementation, EighImplementation, SvdAlgorithm): jaxfx has one CPU routine each"
}

const isExcluded = (ns: JaxNamespace, name: string): boolean =>
  excludedKinds[ns.kinds[name] ?? ""] !== undefined && !(ns.namespace === "jax.scipy.stats" && name === "gaussian_kde")

/** The audit of every namespace in golden/api_audit_13.json. */
export const audit = (): ReadonlyArray<NamespaceAudit> =>
  golden().map((ns) => {
    const target = jaxfxNamespace(ns.namespace)
    const present: Array<string> = []
    const missing: Array<string> = []
    const excluded: Array<string> = []
    for (const name of ns.names) {
      if (isExcluded(ns, name)) excluded.push(name)
      else if (target !== undefined && camel(name) in target) present.push(name)
      else missing.push(name)
    }
    return { namespace: ns.namespace, jax: ns.names.length, present, missing, excluded }
  })

/** api-gaps.md's tier of each name, per section (`jax.numpy.linalg` etc.), when the file is there. */
const tiers = (path: string): ReadonlyMap<string, string> => {
  const out = new Map<string, string>()
  if (!existsSync(path)) return out
  const md = readFileSync(path, "utf8")
  for (const heading of ["jax.numpy.linalg", "jax.numpy.fft", "jax.lax.linalg", "jax.scipy.special"]) {
    for (const row of section(md, heading)) for (const n of row.names) out.set(`${heading}.${n}`, row.tier.split(" ")[0]!)
  }
  return out
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const tier = tiers(process.argv[2] ?? new URL("../../shared/docs/api-gaps.md", import.meta.url).pathname)
  let jax = 0
  let missing = 0
  for (const a of audit()) {
    jax += a.jax - a.excluded.length
    missing += a.missing.length
    const names = a.missing.map((n) => (tier.has(`${a.namespace}.${n}`) ? `${n} (${tier.get(`${a.namespace}.${n}`)})` : n))
    const left = a.excluded.length > 0 ? `; ${a.excluded.length} excluded` : ""
    console.log(`${a.namespace}: ${a.present.length}/${a.jax - a.excluded.length} present${left}${a.missing.length > 0 ? `; missing: ${names.join(" ")}` : ""}`)
  }
  console.log(`total: ${jax - missing}/${jax} present, ${missing} missing`)
  for (const [kind, why] of Object.entries(excludedKinds)) console.log(`excluded (${kind}): ${why}`)
}
