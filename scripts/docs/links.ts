import { blankCodeSpans, type ParsedMarkdown } from './markdown.js';

export interface Link {
  readonly target: string;
  readonly line: number;
}

const INLINE_LINK = /!?\[(?:[^[\]]|\[[^\]]*\])*\]\(\s*(<[^>]*>|[^()\s]+)(?:\s+"[^"]*")?\s*\)/g;
const DEFINITION = /^ {0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)/;

/** Every inline link, image and link definition outside code, with its line. */
export function linksOf(parsed: ParsedMarkdown): Link[] {
  const links: Link[] = [];
  for (const paragraph of parsed.paragraphs) {
    const text = blankCodeSpans(paragraph.text);
    for (const match of text.matchAll(INLINE_LINK))
      links.push({ target: unwrap(match[1]!), line: paragraph.line + countNewlines(text.slice(0, match.index)) });
    text.split('\n').forEach((lineText, offset) => {
      const definition = DEFINITION.exec(lineText);
      if (definition)
        links.push({ target: unwrap(definition[1]!), line: paragraph.line + offset });
    });
  }
  // Headings are not paragraphs, but a heading may hold a link too.
  for (const heading of parsed.headings) {
    for (const match of blankCodeSpans(heading.text).matchAll(INLINE_LINK))
      links.push({ target: unwrap(match[1]!), line: heading.line });
  }
  return links.sort((a, b) => a.line - b.line);
}

function unwrap(target: string): string {
  return target.startsWith('<') ? target.slice(1, -1) : target;
}

function countNewlines(text: string): number {
  return text.split('\n').length - 1;
}

/** Splits `path#anchor`; either part may be empty. */
export function splitTarget(target: string): { path: string; anchor: string | undefined } {
  const hash = target.indexOf('#');
  return hash === -1 ? { path: target, anchor: undefined } : { path: target.slice(0, hash), anchor: decodeURIComponent(target.slice(hash + 1)) };
}
