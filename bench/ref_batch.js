// Run the reference Argdown parser (@argdown/node, the CLI's own library) on many files in
// one Node process, as `argdown json` does (parse, then build the model, colorize, export),
// and write OUTDIR/<file name>.ref.json = {ok, json, error} per file. Any lexer or parser
// error, and any exception (a YAML error in the frontmatter, say), makes `ok` false, as
// they make the CLI exit 1. Used by bench/parity_fuzz.py:
//   NODE_PATH=$ARGDOWN_REF/node_modules node bench/ref_batch.js OUTDIR FILE...
const fs = require("fs");
const path = require("path");
const { argdown } = require("@argdown/node");

const run = (input, file, process) =>
  argdown.runAsync({ input, inputPath: file, process, throwExceptions: true, logLevel: "error" });

(async () => {
  const outDir = process.argv[2];
  for (const file of process.argv.slice(3)) {
    const input = fs.readFileSync(file, "utf8");
    const result = { ok: false, json: null, error: null };
    try {
      const parsed = await run(input, file, ["parse-input"]);
      const first = (parsed.lexerErrors || [])[0] || (parsed.parserErrors || [])[0];
      if (first) {
        result.error = first.message.slice(0, 200);
      } else {
        const done = await run(input, file, ["parse-input", "build-model", "colorize", "export-json"]);
        result.ok = true;
        result.json = JSON.parse(done.json);
      }
    } catch (exception) {
      result.error = String(exception).slice(0, 200);
    }
    fs.writeFileSync(path.join(outDir, path.basename(file) + ".ref.json"), JSON.stringify(result));
  }
})();
