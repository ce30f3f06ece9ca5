import readline from 'node:readline';

/** In a child process: resolves with the next line on stdin, how the parent starts every child at the same moment (`startTogether`). */
export function nextStdinLine(): Promise<string> {
  const input = readline.createInterface({ input: process.stdin });
  return new Promise(resolve => input.once('line', line => {
    input.close();
    resolve(line);
  }));
}

/** In a child process: one line to the parent, a string as is, anything else as JSON. */
export function say(value: unknown): void {
  process.stdout.write(`${typeof value === 'string' ? value : JSON.stringify(value)}\n`);
}
