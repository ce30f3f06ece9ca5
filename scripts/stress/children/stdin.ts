import readline from 'node:readline';

/** Resolves with the next line on stdin: how the parent starts every child at the same moment. */
export function nextStdinLine(): Promise<string> {
  const input = readline.createInterface({ input: process.stdin });
  return new Promise(resolve => input.once('line', line => {
    input.close();
    resolve(line);
  }));
}

export function say(value: unknown): void {
  process.stdout.write(`${typeof value === 'string' ? value : JSON.stringify(value)}\n`);
}
