import { parseMarkdown, type CodeBlock } from './markdown.js';

// A TypeScript block in the docs is a copy of a file under examples/snippets/,
// which `tsc -p tsconfig.json` type-checks against the package's own source:
//
//   <!-- snippet: examples/snippets/script.ts -->
//   ```ts
//   …the file's text, byte for byte…
//   ```
//
// `npm run docs:snippets` copies the files into the blocks; a unit test fails
// when a block and its file differ, or a block has no file.

export const SNIPPETS_DIR = 'examples/snippets';
const MARKER = /^<!-- snippet: (\S+) -->$/;
const TYPESCRIPT = new Set(['ts', 'typescript', 'tsx']);

export interface SnippetUse {
  /** The snippet's path, relative to the repository root. */
  readonly file: string;
  readonly block: CodeBlock;
}

export interface SnippetScan {
  readonly uses: readonly SnippetUse[];
  /** `line: message` for a TypeScript block without a snippet, or a marker without a block. */
  readonly problems: readonly string[];
}

/** The snippets a Markdown file includes, and the TypeScript blocks that are no snippet. */
export function scanSnippets(source: string): SnippetScan {
  const parsed = parseMarkdown(source);
  const lines = source.split('\n');
  const byLine = new Map(parsed.blocks.map(block => [block.line, block]));
  const uses: SnippetUse[] = [];
  const problems: string[] = [];
  const included = new Set<CodeBlock>();
  lines.forEach((text, index) => {
    const marker = MARKER.exec(text);
    if (!marker)
      return;
    const block = byLine.get(index + 2);
    if (!block || !TYPESCRIPT.has(block.info)) {
      problems.push(`${index + 1}: the snippet marker for ${marker[1]} must be followed at once by a \`\`\`ts block`);
      return;
    }
    if (!marker[1]!.startsWith(`${SNIPPETS_DIR}/`) || !marker[1]!.endsWith('.ts'))
      problems.push(`${index + 1}: a snippet is a .ts file under ${SNIPPETS_DIR}/ (type-checked there); got ${marker[1]}`);
    uses.push({ file: marker[1]!, block });
    included.add(block);
  });
  for (const block of parsed.blocks) {
    if (TYPESCRIPT.has(block.info) && !included.has(block))
      problems.push(`${block.line}: a \`\`\`${block.info} block that is no snippet: keep its code in ${SNIPPETS_DIR}/<name>.ts (type-checked) and put <!-- snippet: ${SNIPPETS_DIR}/<name>.ts --> on the line above it`);
  }
  return { uses, problems };
}

/** The Markdown with every snippet block's content replaced by its file's text. */
export function syncSnippets(source: string, readSnippet: (file: string) => string): string {
  const lines = source.split('\n');
  const uses = [...scanSnippets(source).uses].sort((a, b) => b.block.line - a.block.line);
  for (const { file, block } of uses) {
    const text = readSnippet(file);
    const replacement = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
    const oldCount = block.content ? block.content.split('\n').length - 1 : 0;
    lines.splice(block.line, oldCount, ...replacement);
  }
  return lines.join('\n');
}
