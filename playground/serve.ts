/**
 * A static file server for the playground on localhost (a secure context), with the headers that
 * make the page cross-origin isolated (COOP/COEP), which SharedArrayBuffer and so worker CPU
 * devices need.
 */
import { readFile } from "node:fs/promises"
import { createServer, type Server } from "node:http"
import { extname, join, normalize } from "node:path"

const TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".map": "application/json",
  ".css": "text/css"
}

/** A running server and its address. */
export interface Served {
  readonly url: string
  readonly close: () => Promise<void>
}

/**
 * Serve the files of `dir` on 127.0.0.1 (`port` 0: any free port).
 *
 * @example
 * const { url, close } = await serveDirectory("out/playground", 8080)
 */
export const serveDirectory = (dir: string, port = 0): Promise<Served> =>
  new Promise((resolve, reject) => {
    const server: Server = createServer((req, res) => {
      const path = normalize(decodeURIComponent(new URL(req.url ?? "/", "http://localhost").pathname)).replace(/^([/\\])+/, "")
      if (path.startsWith("..")) {
        res.writeHead(403).end()
        return
      }
      const file = join(dir, path === "" ? "index.html" : path)
      readFile(file).then(
        (body) => {
          res.writeHead(200, {
            "Content-Type": TYPES[extname(file)] ?? "application/octet-stream",
            "Cross-Origin-Opener-Policy": "same-origin",
            "Cross-Origin-Embedder-Policy": "require-corp",
            "Cache-Control": "no-store"
          })
          res.end(body)
        },
        () => res.writeHead(404).end()
      )
    })
    server.once("error", reject)
    server.listen(port, "127.0.0.1", () => {
      const a = server.address()
      const p = typeof a === "object" && a !== null ? a.port : port
      resolve({ url: `http://localhost:${p}/`, close: () => new Promise((r) => server.close(() => r())) })
    })
  })
