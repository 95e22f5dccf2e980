/**
 * The lint preset (`jaxfx/eslint`) catches array truthiness in user code: a user file with the
 * mistakes is reported, its corrected version is clean.
 */
import { ESLint } from "eslint"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { tempDir } from "../testing/temp-dir.js"
import preset from "./preset.js"

const root = join(import.meta.dirname, "..")

const lint = async (code: string): Promise<ReadonlyArray<string>> => {
  // Inside the repository, so that the file resolves "jaxfx" as the package's own sources do.
  const dir = tempDir("jaxfx-lint-")
  const file = join(dir, "user.ts")
  writeFileSync(file, code)
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify({
      extends: join(root, "tsconfig.json"),
      include: ["user.ts"],
      compilerOptions: { rootDir: root, types: [], paths: { jaxfx: [join(root, "index.ts")] } }
    })
  )
  const eslint = new ESLint({ cwd: dir, overrideConfigFile: true, overrideConfig: [...preset] })
  const [result] = await eslint.lintFiles([file])
  return (result?.messages ?? []).map((m) => `${m.line}: ${m.ruleId ?? ""}: ${m.message}`)
}

describe("the jaxfx/eslint preset", { timeout: 120_000 }, () => {
  it("reports an array used as a condition, and + on arrays; the jaxfx spellings pass", async () => {
    const messages = await lint(
      [
        `import { lax, np, type JaxArray } from "jaxfx"`,
        `export const relu = (x: JaxArray): JaxArray => {`,
        `  if (x.gt(0)) return x`,
        `  return x.gt(0) ? x : np.zerosLike(x)`,
        `}`,
        `export const sum = (x: JaxArray, y: JaxArray): string => x + y`,
        `export const ok = (x: JaxArray, n: number | undefined, s: string): JaxArray =>`,
        `  lax.cond(x.gt(0), (v: JaxArray) => v, (v: JaxArray) => v.neg(), n !== undefined && s ? np.where(x.gt(0), x, 0) : x)`,
        ``
      ].join("\n")
    )
    expect(messages).toEqual([
      expect.stringMatching(/^3: @typescript-eslint\/strict-boolean-expressions: Unexpected object value in conditional/),
      expect.stringMatching(/^4: @typescript-eslint\/strict-boolean-expressions: Unexpected object value in conditional/),
      expect.stringMatching(/^6: @typescript-eslint\/restrict-plus-operands: .*Got `Array`/),
      expect.stringMatching(/^6: @typescript-eslint\/restrict-plus-operands: .*Got `Array`/) // one report per operand
    ])
  })
})
