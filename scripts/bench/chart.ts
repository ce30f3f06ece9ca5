import type { Summary } from './report.js';

const BAR_HEIGHT = 16;
const GAP = 6;
const LABEL_WIDTH = 330;
const PLOT_WIDTH = 420;

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Horizontal bars of median page-ready per mode (p95 as a whisker), one panel per page. */
export function chartSvg(summaries: readonly Summary[], title: string): string {
  const pages = [...new Set(summaries.map(row => row.page))];
  const parts: string[] = [];
  let y = 40;
  for (const page of pages) {
    const rows = summaries.filter(row => row.page === page);
    const max = Math.max(...rows.map(row => row.p95Ms));
    parts.push(`<text x="10" y="${y}" font-weight="bold">${escape(page)}</text>`);
    y += 10;
    for (const row of rows) {
      const width = (row.medianMs / max) * PLOT_WIDTH;
      const whisker = LABEL_WIDTH + (row.p95Ms / max) * PLOT_WIDTH;
      const plugin = row.mode.startsWith('bundle cache');
      parts.push(
        `<text x="${LABEL_WIDTH - 8}" y="${y + BAR_HEIGHT - 4}" text-anchor="end">${escape(row.mode)}</text>`,
        `<rect x="${LABEL_WIDTH}" y="${y}" width="${width.toFixed(1)}" height="${BAR_HEIGHT}" fill="${plugin ? '#2a7ab9' : '#9aa5b1'}"/>`,
        `<line x1="${(LABEL_WIDTH + width).toFixed(1)}" x2="${whisker.toFixed(1)}" y1="${y + BAR_HEIGHT / 2}" y2="${y + BAR_HEIGHT / 2}" stroke="#333"/>`,
        `<text x="${(whisker + 6).toFixed(1)}" y="${y + BAR_HEIGHT - 4}">${(row.medianMs / 1000).toFixed(2)} s</text>`,
      );
      y += BAR_HEIGHT + GAP;
    }
    y += 24;
  }
  const width = LABEL_WIDTH + PLOT_WIDTH + 90;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="white"/>
<text x="10" y="20" font-size="14" font-weight="bold">${escape(title)}</text>
${parts.join('\n')}
</svg>
`;
}
