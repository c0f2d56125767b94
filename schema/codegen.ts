// Runs graphql-codegen with codegen.yml and writes its outputs, or with --check only reports
// which generated files are stale (exit 1). Wrapping the CLI lets us make one fix-up: the resolvers
// plugin re-exports the enum types it imports as `export { X };`, which `verbatimModuleSyntax`
// rejects for types, so those become `export type { X };`.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generate, loadContext } from '@graphql-codegen/cli';

const root = path.resolve(import.meta.dirname, '..');
const check = process.argv.includes('--check');

process.chdir(root);
const context = await loadContext(path.join(root, 'codegen.yml'));
context.updateConfig({ silent: true });
const outputs = await generate(context, false);
let stale = 0;
for (const { filename, content } of outputs) {
  const file = path.resolve(root, filename);
  const fixed = content.replace(/^export \{ (\w+) \};$/gm, 'export type { $1 };');
  let current: string | null = null;
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    current = null;
  }
  if (current === fixed) continue;
  if (check) {
    stale++;
    console.error(`stale: ${filename} does not match the schema; run \`npm run codegen\``);
  } else {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, fixed);
    console.log(`generated ${filename}`);
  }
}
if (stale > 0) process.exit(1);
