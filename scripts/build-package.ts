/**
 * The package build: TypeScript declarations by tsc (dist/**\/*.d.ts, the source layout), and the
 * JavaScript as ES module bundles by esbuild, one per package entry with the code they share in
 * chunks beside them. Loading a handful of files instead of ~400 modules is what brings
 * `import "jaxfx"` under 300 ms in Node (module resolution and per-file compilation dominated it).
 *
 * Every output file sits directly in `dist/`, so the worker entry is `./main.js` next to whichever
 * chunk holds the code that spawns it, as it is next to spawn-node.ts in the sources; chunks are
 * shared between entries, so `jaxfx` and `jaxfx/effects` see one runtime (one device registry, one
 * config). Dependencies and peer dependencies stay imports (`packages: "external"`).
 *
 * Run with `npm run build` (`tsx scripts/build-package.ts [outDir]`).
 */
import { execFileSync } from "node:child_process"
import { rmSync } from "node:fs"
import { join, resolve } from "node:path"
import { build } from "esbuild"

const root = resolve(import.meta.dirname, "..")

/** The package's JavaScript entries: output name (in dist/) -> source. */
export const packageEntries = {
  index: "index.ts",
  effects: "effects/index.ts",
  laws: "laws/index.ts",
  main: "backends/cpu/worker/main.ts"
} as const

/**
 * Build the package into `outDir` (declarations and bundles); tsc's and esbuild's errors are thrown.
 *
 * @example
 * await buildPackage(join(root, "dist"))
 */
export const buildPackage = async (outDir: string, env: NodeJS.ProcessEnv = process.env): Promise<void> => {
  rmSync(outDir, { recursive: true, force: true })
  const tsc = join(root, "node_modules", "typescript", "bin", "tsc")
  execFileSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json"), "--emitDeclarationOnly", "--outDir", outDir], {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "pipe"],
    timeout: 300_000
  })
  await build({
    absWorkingDir: root,
    entryPoints: packageEntries,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    packages: "external",
    keepNames: true,
    outdir: outDir,
    entryNames: "[name]",
    chunkNames: "chunk-[hash]",
    logLevel: "warning"
  })
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  await buildPackage(resolve(process.argv[2] ?? join(root, "dist")))
}
