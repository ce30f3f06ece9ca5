// A small reader of the Markdown this project writes: fenced code blocks,
// ATX headings and the prose between them. It follows CommonMark where our
// docs depend on it (what opens and closes a fence), so a lost fence is found
// here before a renderer turns half a page into code.

export interface CodeBlock {
  /** The info string after the opening fence (`ts`, `sh`, `text`…). */
  readonly info: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** The lines between the fences, each ending with a newline. */
  readonly content: string;
}

export interface Heading {
  readonly level: number;
  /** The heading's source text, inline Markdown included. */
  readonly text: string;
  readonly line: number;
}

/** Consecutive prose lines (outside code blocks), joined with newlines. */
export interface Paragraph {
  readonly text: string;
  readonly line: number;
}

export interface FenceProblem {
  readonly line: number;
  readonly message: string;
}

export interface ParsedMarkdown {
  readonly blocks: readonly CodeBlock[];
  readonly headings: readonly Heading[];
  readonly paragraphs: readonly Paragraph[];
  /** Lines outside code blocks, 1-based index to text (a line inside a block is absent). */
  readonly proseLines: ReadonlyMap<number, string>;
  readonly problems: readonly FenceProblem[];
}

const FENCE = /^(\s*)(`{3,}|~{3,})(.*)$/;
const HEADING = /^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/;

interface OpenFence {
  readonly marker: string;
  readonly info: string;
  readonly line: number;
  readonly lines: string[];
}

/**
 * Splits a Markdown file into code blocks, headings and prose. Every opening
 * fence must name its language (`text` for plain output): a fence that lost
 * its partner then shows up as a bare opening fence, not as silently flipped
 * prose and code.
 */
export function parseMarkdown(source: string): ParsedMarkdown {
  const blocks: CodeBlock[] = [];
  const headings: Heading[] = [];
  const paragraphs: Paragraph[] = [];
  const proseLines = new Map<number, string>();
  const problems: FenceProblem[] = [];
  let open: OpenFence | undefined;
  let paragraph: { lines: string[]; line: number } | undefined;
  const endParagraph = () => {
    if (paragraph)
      paragraphs.push({ text: paragraph.lines.join('\n'), line: paragraph.line });
    paragraph = undefined;
  };
  const lines = source.split('\n');
  if (lines.at(-1) === '')
    lines.pop();
  lines.forEach((text, index) => {
    const line = index + 1;
    const fence = FENCE.exec(text);
    if (open) {
      if (fence && closes(open.marker, fence[2]!, fence[3]!)) {
        blocks.push({ info: open.info, line: open.line, content: open.lines.map(content => `${content}\n`).join('') });
        open = undefined;
      } else {
        open.lines.push(text);
      }
      return;
    }
    if (fence && !(fence[2]!.startsWith('`') && fence[3]!.includes('`'))) {
      endParagraph();
      const info = fence[3]!.trim();
      if (!info)
        problems.push({ line, message: 'a code block opens without a language (write ```text for plain output); is its opening or closing fence lost?' });
      open = { marker: fence[2]!, info, line, lines: [] };
      return;
    }
    proseLines.set(line, text);
    const heading = HEADING.exec(text);
    if (heading) {
      endParagraph();
      headings.push({ level: heading[1]!.length, text: heading[2]!, line });
      return;
    }
    if (!text.trim()) {
      endParagraph();
      return;
    }
    paragraph ??= { lines: [], line };
    paragraph.lines.push(text);
  });
  endParagraph();
  if (open)
    problems.push({ line: open.line, message: `the code block opened here is never closed (no ${open.marker} after it)` });
  return { blocks, headings, paragraphs, proseLines, problems };
}

function closes(openMarker: string, marker: string, rest: string): boolean {
  return marker[0] === openMarker[0] && marker.length >= openMarker.length && !rest.trim();
}

/** Replaces inline code spans with spaces of the same length, so their text is neither a link nor an anchor. */
export function blankCodeSpans(text: string): string {
  return text.replace(/(`+)([\s\S]*?[^`])\1(?!`)/g, span => span.replace(/[^\n]/g, ' '));
}
