/**
 * A small pretty printer, the one JAX prints jaxprs with (Lindig's "Strictly Pretty"): a document
 * of texts, breaks, nesting and groups; a group is printed on one line when it fits in the width
 * left on the current line, else each of its own breaks starts a new line at the nesting level.
 *
 *   const d = group(nest(2, concat([text("let"), brk(), text("b = sin a")])))
 *   format(d, 80)   // "let b = sin a"
 *   format(d, 8)    // "let\n  b = sin a"
 */

export type Doc =
  | { readonly tag: "text"; readonly text: string }
  | { readonly tag: "concat"; readonly children: ReadonlyArray<Doc> }
  | { readonly tag: "brk"; readonly text: string }
  | { readonly tag: "nest"; readonly n: number; readonly child: Doc }
  | { readonly tag: "group"; readonly child: Doc }

export const text = (s: string): Doc => ({ tag: "text", text: s })
export const nil: Doc = { tag: "concat", children: [] }
export const concat = (children: ReadonlyArray<Doc>): Doc => ({ tag: "concat", children })
/** A break: `sep` on a flat line, a new line (at the nesting level) otherwise. */
export const brk = (sep = " "): Doc => ({ tag: "brk", text: sep })
export const nest = (n: number, child: Doc): Doc => ({ tag: "nest", n, child })
export const group = (child: Doc): Doc => ({ tag: "group", child })
export const join = (sep: Doc, docs: ReadonlyArray<Doc>): Doc => concat(docs.flatMap((d, i) => (i === 0 ? [d] : [sep, d])))

type Mode = "flat" | "break"
type Item = readonly [indent: number, mode: Mode, doc: Doc]

// Whether the items, all flat, fit in `width` columns (up to their first forced line break).
const fits = (width: number, items: Array<Item>): boolean => {
  let w = width
  while (w >= 0) {
    const item = items.pop()
    if (item === undefined) return true
    const [i, m, d] = item
    switch (d.tag) {
      case "text":
        w -= d.text.length
        break
      case "brk":
        if (m === "break") return true
        w -= d.text.length
        break
      case "concat":
        for (let k = d.children.length - 1; k >= 0; k--) items.push([i, m, d.children[k]!])
        break
      case "nest":
        items.push([i + d.n, m, d.child])
        break
      case "group":
        items.push([i, m, d.child])
        break
    }
  }
  return false
}

/** The document as text, lines at most `width` columns where groups allow (Infinity: one line). */
export const format = (doc: Doc, width = 80): string => {
  const out: Array<string> = []
  let col = 0
  const stack: Array<Item> = [[0, "break", doc]]
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const [i, m, d] = item
    switch (d.tag) {
      case "text":
        out.push(d.text)
        col += d.text.length
        break
      case "brk":
        if (m === "flat") {
          out.push(d.text)
          col += d.text.length
        } else {
          out.push("\n" + " ".repeat(i))
          col = i
        }
        break
      case "concat":
        for (let k = d.children.length - 1; k >= 0; k--) stack.push([i, m, d.children[k]!])
        break
      case "nest":
        stack.push([i + d.n, m, d.child])
        break
      case "group":
        stack.push([i, m === "flat" || fits(width - col, [[i, "flat", d.child]]) ? "flat" : "break", d.child])
        break
    }
  }
  return out.join("")
}
