/**
 * The package as a user gets it: build, `npm pack`, and a fresh TypeScript project with the packed
 * tarball unpacked in its node_modules, offline. The project's other packages are the ones the
 * package declares (dependencies and peer dependencies), linked from this repository's
 * node_modules; nothing else is reachable from the project's directory, so an undeclared import
 * fails to resolve there as it would for a user.
 */
import { execFileSync } from "node:child_process"
import { cpSync, mkdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { buildPackage } from "../scripts/build-package.js"

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..")

export interface PackageJson {
  readonly name: string
  readonly version: string
  readonly files?: ReadonlyArray<string>
  readonly dependencies?: Readonly<Record<string, string>>
  readonly peerDependencies?: Readonly<Record<string, string>>
}

export const readPackageJson = (dir: string): PackageJson => JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as PackageJson

/** The packed tarball: its path and the files it holds (paths inside the package). */
export interface Packed {
  readonly tarball: string
  readonly files: ReadonlyArray<string>
}

const run = (cmd: string, args: ReadonlyArray<string>, cwd: string, env: NodeJS.ProcessEnv): string =>
  execFileSync(cmd, args, { cwd, env, encoding: "utf8", timeout: 300_000, stdio: ["ignore", "pipe", "pipe"] })

/**
 * Builds the package into `work/stage` (the repository's files the package lists, with `dist`
 * built fresh by scripts/build-package.ts, as `npm run build` does) and packs it with `npm pack` into `work`.
 */
export const pack = async (work: string, env: NodeJS.ProcessEnv): Promise<Packed> => {
  const stage = join(work, "stage")
  mkdirSync(stage)
  await buildPackage(join(stage, "dist"), env)
  const pkg = readPackageJson(repoRoot)
  cpSync(join(repoRoot, "package.json"), join(stage, "package.json"))
  cpSync(join(repoRoot, "README.md"), join(stage, "README.md"))
  for (const f of pkg.files ?? []) if (f !== "dist") cpSync(join(repoRoot, f), join(stage, f), { recursive: true })
  const out = run("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", work], stage, env)
  const [info] = JSON.parse(out) as ReadonlyArray<{ filename: string; files: ReadonlyArray<{ path: string }> }>
  if (info === undefined) throw new Error(`npm pack printed no package: ${out}`)
  return { tarball: join(work, info.filename), files: info.files.map((f) => f.path) }
}

/**
 * A fresh project in `work/app` with the tarball unpacked as node_modules/jaxfx and the declared
 * dependencies (plus `extra`, e.g. typescript) linked from the repository's node_modules.
 */
export const freshProject = (work: string, packed: Packed, extra: ReadonlyArray<string>, env: NodeJS.ProcessEnv): string => {
  const app = join(work, "app")
  const jaxfx = join(app, "node_modules", "jaxfx")
  mkdirSync(jaxfx, { recursive: true })
  run("tar", ["-xzf", packed.tarball, "-C", jaxfx, "--strip-components=1"], app, env)
  const pkg = readPackageJson(jaxfx)
  const names = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {}), ...extra]
  for (const name of names) {
    const target = realpathSync(join(repoRoot, "node_modules", name))
    mkdirSync(dirname(join(app, "node_modules", name)), { recursive: true })
    symlinkSync(target, join(app, "node_modules", name), "dir")
  }
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }, null, 2))
  return app
}

/** The fenced code blocks of a markdown text in the given language, in order. */
export const codeBlocks = (markdown: string, lang: string): ReadonlyArray<string> =>
  [...markdown.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].filter((m) => m[1] === lang).map((m) => m[2] ?? "")

/** The bare module specifiers that compiled JS files import statically (`from "x"` / `import "x"`). */
export const bareImports = (js: string): ReadonlyArray<string> =>
  [...js.matchAll(/^\s*(?:import|export)\s+(?:[^"'\n;=]*?\sfrom\s*)?["']([^"'.][^"']*)["']/gm)].map((m) => m[1] ?? "")

/** The package a specifier names: `effect/Data` -> effect, `@scope/x/y` -> @scope/x. */
export const packageOf = (specifier: string): string => {
  const parts = specifier.split("/")
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] ?? specifier)
}
