import type { ParsedMarkdown } from './markdown.js';

/**
 * GitHub's anchor for a heading (github-slugger): the rendered text, lower
 * case, every character that is not a letter, a digit, a mark, `-`, `_` or a
 * space removed, spaces turned into hyphens. Inline code keeps its text
 * (`<url>` inside backticks is text, not a tag), links keep their text.
 */
export function slug(headingSource: string): string {
  return renderedText(headingSource)
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\p{M}\-_ ]/gu, '')
      .replace(/ /g, '-');
}

/** The text a heading renders as, near enough for its anchor. */
function renderedText(source: string): string {
  const parts: string[] = [];
  // Code spans alternate with the rest; only the rest has links and tags.
  const pattern = /(`+)([\s\S]*?[^`])\1(?!`)/g;
  let last = 0;
  for (const match of source.matchAll(pattern)) {
    parts.push(renderInline(source.slice(last, match.index)), match[2]!.trim());
    last = match.index + match[0].length;
  }
  parts.push(renderInline(source.slice(last)));
  return parts.join('');
}

function renderInline(text: string): string {
  return text
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/<\/?[A-Za-z][^>]*>/g, '');
}

/**
 * Every anchor a file offers: its headings' slugs (a repeated slug gets `-1`,
 * `-2`… in order, as GitHub numbers them) and explicit `<a id>` / `<a name>`.
 */
export function anchorsOf(parsed: ParsedMarkdown): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const heading of parsed.headings) {
    const base = slug(heading.text);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count ? `${base}-${count}` : base);
  }
  for (const text of parsed.proseLines.values()) {
    for (const match of text.matchAll(/<a\s[^>]*\b(?:id|name)="([^"]+)"/g))
      anchors.add(match[1]!);
  }
  return anchors;
}
