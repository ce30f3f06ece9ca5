/**
 * Errors of the command line itself. Callers branch on `code`:
 * - `ERR_USAGE`: bad command, flag or value; exit 2 with the usage line;
 * - `ERR_NOT_FOUND`: the entry or resource asked for is not in the cache; exit 1;
 * - `ERR_NO_CACHE`: the cache dir does not exist (or is no directory); exit 1.
 * Errors from the cache (`BundleCacheError`) keep their own codes.
 */
export type CliErrorCode = 'ERR_USAGE' | 'ERR_NOT_FOUND' | 'ERR_NO_CACHE';

export class CliError extends Error {
  override readonly name = 'CliError';
  readonly code: CliErrorCode;
  /** The command whose usage line to print with an `ERR_USAGE`; undefined for the top level. */
  readonly command: string | undefined;

  constructor(code: CliErrorCode, message: string, command?: string) {
    super(message);
    this.code = code;
    this.command = command;
  }
}

export function usageError(message: string, command?: string): CliError {
  return new CliError('ERR_USAGE', message, command);
}
