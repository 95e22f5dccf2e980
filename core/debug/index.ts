/** `debug`: run-time printing from inside transformed code. */
export { formatPrint, print, setPrintSink } from "./print.js"
