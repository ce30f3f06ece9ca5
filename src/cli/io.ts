/** A stream the CLI writes to: a TTY's width and whether it is one decide the progress bar and the URL column. */
export interface OutStream {
  write(text: string): void;
  readonly isTTY: boolean;
  readonly columns: number | undefined;
}

/** Everything the CLI touches of its process, so tests run it in-process with captured output. */
export interface CliIo {
  readonly stdout: OutStream;
  readonly stderr: OutStream;
  readonly stdinIsTTY: boolean;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** Asks a yes/no question on the terminal; resolves false unless answered yes. */
  confirm(question: string): Promise<boolean>;
  /** Reads all of stdin (for `warm --file -`). */
  readStdin(): Promise<string>;
  /** The clock, epoch ms: ages and expiries are computed against it. */
  now(): number;
}

function outStream(stream: NodeJS.WriteStream): OutStream {
  return {
    write: text => void stream.write(text),
    get isTTY() {
      return stream.isTTY === true;
    },
    get columns() {
      return stream.isTTY ? stream.columns : undefined;
    },
  };
}

export function processIo(): CliIo {
  return {
    stdout: outStream(process.stdout),
    stderr: outStream(process.stderr),
    stdinIsTTY: process.stdin.isTTY === true,
    env: process.env,
    cwd: process.cwd(),
    confirm: async question => {
      const { createInterface } = await import('node:readline/promises');
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      try {
        return /^y(es)?$/i.test((await rl.question(question)).trim());
      } finally {
        rl.close();
      }
    },
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin)
        chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
    now: Date.now,
  };
}
