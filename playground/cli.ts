/**
 * `npm run playground`: build the playground into out/playground and serve it on localhost
 * (PORT, default 8080) until interrupted.
 */
import { join } from "node:path"
import { buildPlayground } from "./build.js"
import { serveDirectory } from "./serve.js"

const dir = join(import.meta.dirname, "..", "out", "playground")
await buildPlayground(dir)
const { url } = await serveDirectory(dir, Number(process.env["PORT"] ?? 8080))
console.log(`jaxfx playground: ${url} (Ctrl-C to stop)`)
