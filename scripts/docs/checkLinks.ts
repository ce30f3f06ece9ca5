import fs from 'node:fs';
import path from 'node:path';
import { anchorsOf } from './anchors.js';
import { linksOf, splitTarget } from './links.js';
import { parseMarkdown, type ParsedMarkdown } from './markdown.js';

export interface LinkCheckOptions {
  /** The repository's web address, e.g. `https://github.com/owner/name`. */
  readonly repository: string;
  /**
   * Files npm renders on its registry page without the repository around
   * them: relative links there point at nothing, so they must link to the
   * repository's `blob/main/…` (or `tree/main/…`) address. In-page anchors are fine.
   */
  readonly renderedWithoutRepository: readonly string[];
}

/**
 * Every link of the given Markdown files (paths relative to `root`) that
 * does not resolve: a missing file, a missing `#anchor` (GitHub's slugs), a
 * relative link where npm renders the file, and any unbalanced code fence.
 * Links to other sites are not fetched.
 */
export function checkLinks(root: string, files: readonly string[], options: LinkCheckOptions): string[] {
  const parsedFiles = new Map<string, ParsedMarkdown>();
  const parsed = (file: string) => {
    let result = parsedFiles.get(file);
    if (!result) {
      result = parseMarkdown(fs.readFileSync(path.join(root, file), 'utf8'));
      parsedFiles.set(file, result);
    }
    return result;
  };
  const problems: string[] = [];
  for (const file of files) {
    const doc = parsed(file);
    for (const problem of doc.problems)
      problems.push(`${file}:${problem.line}: ${problem.message}`);
    for (const link of linksOf(doc)) {
      const problem = checkTarget(root, file, link.target, options, parsed);
      if (problem)
        problems.push(`${file}:${link.line}: ${link.target}: ${problem}`);
    }
  }
  return problems;
}

function checkTarget(root: string, file: string, target: string, options: LinkCheckOptions, parsed: (file: string) => ParsedMarkdown): string | undefined {
  const repository = options.repository.replace(/\/$/, '');
  let local: string;
  if (target.startsWith(`${repository}/`) || target === repository) {
    const inRepo = /^\/(?:blob|tree)\/main\/(.+)$/.exec(target.slice(repository.length).replace(/#.*$/, ''));
    if (!inRepo) {
      // The repository's own pages (issues, the front page) are not files to check.
      if (/^(?:\/(?:issues|pulls|releases)(?:\/.*)?)?(?:#.*)?$/.test(target.slice(repository.length)))
        return undefined;
      return `a link into the repository must name a file on main: ${repository}/blob/main/<path>`;
    }
    local = inRepo[1]! + target.slice(target.indexOf('#') === -1 ? target.length : target.indexOf('#'));
  } else if (/^[a-z][a-z0-9+.-]*:/i.test(target)) {
    return undefined;
  } else if (target.startsWith('#')) {
    local = file + target;
  } else if (options.renderedWithoutRepository.includes(file)) {
    const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(file), target));
    return `npm renders ${file} without the repository, where a relative link leads nowhere; link to ${repository}/blob/main/${resolved}`;
  } else {
    local = path.posix.normalize(path.posix.join(path.posix.dirname(file), target));
  }
  const { path: targetPath, anchor } = splitTarget(local);
  const absolute = path.join(root, targetPath);
  if (path.relative(root, absolute).startsWith('..'))
    return 'leads outside the repository';
  if (!fs.existsSync(absolute))
    return `${targetPath} does not exist`;
  if (anchor === undefined)
    return undefined;
  if (!targetPath.endsWith('.md'))
    return `an anchor (#${anchor}) into a file that is not Markdown cannot be checked; link to the file`;
  const anchors = anchorsOf(parsed(targetPath));
  if (!anchors.has(anchor))
    return `${targetPath} has no heading with the anchor #${anchor}`;
  return undefined;
}
