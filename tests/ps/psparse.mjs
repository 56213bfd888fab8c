// Parses PowerShell files with the real grammar (tree-sitter-powershell)
// and reports where they do not parse.
//
// usage: node psparse.mjs [--count-commands] FILE...
//
// Exit 0 when every file parses; 1 when one has an ERROR or a missing node
// (each printed as FILE:LINE:COL: ...); 2 on a usage or I/O error.
// --count-commands prints "FILE: N commands" for each file: a value that
// became code shows up as an extra `command` node.
import { readFileSync } from 'node:fs';
import Parser from 'tree-sitter';
import PowerShell from 'tree-sitter-powershell';

const args = process.argv.slice(2);
const count = args.includes('--count-commands');
const files = args.filter((a) => a !== '--count-commands');
if (files.length === 0 || files.some((f) => f.startsWith('--'))) {
  console.error('usage: node psparse.mjs [--count-commands] FILE...');
  process.exit(2);
}

const parser = new Parser();
parser.setLanguage(PowerShell);

function walk(node, visit) {
  const stack = [node];
  while (stack.length > 0) {
    const n = stack.pop();
    visit(n);
    for (let i = n.childCount - 1; i >= 0; i--) stack.push(n.child(i));
  }
}

let bad = false;
for (const file of files) {
  let source;
  try {
    source = readFileSync(file, 'utf8');
  } catch (err) {
    console.error(`${file}: cannot read: ${err.message}`);
    process.exit(2);
  }
  // The default buffer is too small for long scripts: size it to the input.
  const tree = parser.parse(source, null, { bufferSize: Math.max(32768, source.length * 2 + 1024) });
  let commands = 0;
  walk(tree.rootNode, (n) => {
    if (n.type === 'command') commands++;
    if (n.type === 'ERROR' || n.isMissing) {
      const p = n.startPosition;
      const what = n.isMissing ? `missing ${n.type}` : 'syntax error';
      const text = source.slice(n.startIndex, Math.min(n.endIndex, n.startIndex + 40));
      console.log(`${file}:${p.row + 1}:${p.column + 1}: ${what} near ${JSON.stringify(text)}`);
      bad = true;
    }
  });
  if (count) console.log(`${file}: ${commands} commands`);
}
process.exit(bad ? 1 : 0);
