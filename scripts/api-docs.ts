/**
 * Which public callables (functions, callable constants, classes) of jaxfx, jaxfx/effects and
 * jaxfx/laws have no TSDoc, or a TSDoc without an `@example`. The API reference promises both for
 * every public function, and testing/doc-examples.test.ts type-checks every `@example`; so a new
 * public function without them fails scripts/api-docs.test.ts (and this script, with exit code 1).
 *
 * Run with `npx tsx scripts/api-docs.ts` (prints the count and one line per missing entry, with the
 * file and line of its declaration).
 */
import { join, relative } from "node:path"
import ts from "typescript"

const root = join(import.meta.dirname, "..")

/** The public callables without documentation or without an `@example`, as `entry:path (why) at file:line`. */
export const undocumented = (): { readonly total: number; readonly missing: ReadonlyArray<string> } => {
  const config = ts.getParsedCommandLineOfConfigFile(join(root, "tsconfig.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })
  if (config === undefined) throw new Error("api-docs: cannot read tsconfig.json")
  const entries = [
    ["index.ts", "jaxfx"],
    ["effects/index.ts", "jaxfx/effects"],
    ["laws/index.ts", "jaxfx/laws"]
  ] as const
  const program = ts.createProgram(
    entries.map(([f]) => join(root, f)),
    config.options
  )
  const checker = program.getTypeChecker()
  const missing: string[] = []
  let total = 0
  const visit = (symbol: ts.Symbol, path: string, depth: number): void => {
    const sym = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol
    if (sym.flags & ts.SymbolFlags.ValueModule) {
      if (depth < 4) for (const e of checker.getExportsOfModule(sym)) visit(e, `${path}.${e.name}`, depth + 1)
      return
    }
    const isClass = (sym.flags & ts.SymbolFlags.Class) !== 0
    if (!isClass && (!(sym.flags & (ts.SymbolFlags.Function | ts.SymbolFlags.Variable)) || checker.getTypeOfSymbol(sym).getCallSignatures().length === 0))
      return
    total++
    const doc = ts.displayPartsToString(sym.getDocumentationComment(checker)).trim()
    // Only an `@example` counts: it is what the API reference renders and what doc-examples.test.ts type-checks.
    const example = sym.getJsDocTags(checker).some((t) => t.name === "example")
    const decl = sym.declarations?.[0]
    const where =
      decl === undefined
        ? ""
        : ` at ${relative(root, decl.getSourceFile().fileName)}:${decl.getSourceFile().getLineAndCharacterOfPosition(decl.getStart()).line + 1}`
    if (doc === "") missing.push(`${path} (no doc)${where}`)
    else if (!example) missing.push(`${path} (no example)${where}`)
  }
  for (const [file, name] of entries) {
    const source = program.getSourceFile(join(root, file))
    const module = source === undefined ? undefined : checker.getSymbolAtLocation(source)
    if (module === undefined) throw new Error(`api-docs: cannot read ${file}`)
    for (const e of checker.getExportsOfModule(module)) visit(e, `${name}:${e.name}`, 0)
  }
  return { total, missing }
}

if (process.argv[1] !== undefined && join(process.argv[1]) === join(import.meta.filename)) {
  const { total, missing } = undocumented()
  console.log(`${total} public callables, ${missing.length} without a TSDoc or without an example:`)
  for (const m of missing) console.log(`  ${m}`)
  if (missing.length > 0) process.exitCode = 1
}
