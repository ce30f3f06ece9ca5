/** The codes of the problems a cache reported (BundleCacheError, or a machine's copy of one), in order. */
export function codes(problems: readonly { readonly code: string }[]): string[] {
  return problems.map(problem => problem.code);
}
