// Parses PowerShell files with the real grammar (tree-sitter-powershell)
// and reports where they do not parse.
//
// usage: node psparse.mjs [--count-commands] [--map-quotes] [--files-from LIST] FILE...
//
// Exit 0 when every file parses; 1 when one has an ERROR or a missing node
// (each printed as FILE:LINE:COL: ...); 2 on a usage or I/O error.
// --count-commands prints "FILE: N commands" for each file: a value that
// became code shows up as an extra `command` node.
// --map-quotes first maps the characters PowerShell takes for quotes and
// dashes (U+2018..U+201B to ', U+201C..U+201E to ", U+2013..U+2015 to -),
// which the grammar does not know, so a file parses as PowerShell reads it.
// --files-from LIST reads more file names from LIST, one a line.
import { readFileSync } from 'node:fs';
import Parser from 'tree-sitter';
import PowerShell from 'tree-sitter-powershell';

const args = process.argv.slice(2);
const count = args.includes('--count-commands');
const mapQuotes = args.includes('--map-quotes');
let files = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--count-commands' || args[i] === '--map-quotes') continue;
  if (args[i] === '--files-from' && i + 1 < args.length) {
    try {
      files.push(...readFileSync(args[++i], 'utf8').split('\n').filter((l) => l !== ''));
    } catch (err) {
      console.error(`${args[i]}: cannot read: ${err.message}`);
      process.exit(2);
    }
    continue;
  }
  files.push(args[i]);
}
if (files.length === 0 || files.some((f) => f.startsWith('--'))) {
  console.error('usage: node psparse.mjs [--count-commands] [--map-quotes] [--files-from LIST] FILE...');
  process.exit(2);
}

function mapped(text) {
  return text.replace(/[\u2018-\u201b]/g, "'").replace(/[\u201c-\u201e]/g, '"')
    .replace(/[\u2013-\u2015]/g, '-');
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
    if (mapQuotes) source = mapped(source);
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
