/** `debug`: run-time printing from inside transformed code. */
export { formatPrint, print, setPrintSink } from "./print.js"
export { visualizeArraySharding, visualizeSharding, type VisualizeOptions } from "../parallel/visualize.js"
