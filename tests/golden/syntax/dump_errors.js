// Print the lexer and parser errors that the reference @argdown/core reports for
// one Argdown file, with the positions of the offending token, as JSON.
// Used by regen.sh for the deliberately broken documents (NN_error_*.argdown):
//   NODE_PATH=$ARGDOWN_REF/node_modules node dump_errors.js FILE.argdown
// Lines and columns are 1-based; offsets are 0-based character offsets.
const fs = require("fs");
const { argdown } = require("@argdown/node");
const input = fs.readFileSync(process.argv[2], "utf8");
const r = argdown.run({ input, process: ["parse-input"], throwExceptions: false, logLevel: "silent" });
const tok = t => t && {
  image: t.image, tokenType: t.tokenType && t.tokenType.name,
  startLine: t.startLine, startColumn: t.startColumn, endLine: t.endLine, endColumn: t.endColumn,
  startOffset: t.startOffset, endOffset: t.endOffset
};
const parserErrors = (r.parserErrors || []).map(e => ({
  name: e.name, message: e.message, token: tok(e.token), previousToken: tok(e.previousToken)
}));
const lexerErrors = (r.lexerErrors || []).map(e => ({
  message: e.message, line: e.line, column: e.column, offset: e.offset, length: e.length
}));
console.log(JSON.stringify({ lexerErrors, parserErrors }, null, 2));
