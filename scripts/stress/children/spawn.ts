import { spawnTs, type Child } from '../../../tests/helpers/children.js';

/** Starts `count` children of `file`, waits until each says "ready", then says "go" to all at once. */
export async function startTogether(file: string, argsOf: (index: number) => string[], count: number): Promise<Child[]> {
  const children = Array.from({ length: count }, (_, index) => spawnTs(file, argsOf(index)));
  for (const child of children) {
    const line = await child.nextLine();
    if (line !== 'ready')
      throw new Error(`${file} said ${JSON.stringify(line)} instead of "ready"`);
  }
  for (const child of children)
    child.process.stdin!.end('go\n');
  return children;
}

/** The child's last JSON line and its exit code. */
export async function finish<T>(child: Child): Promise<{ result: T | undefined; code: number | null }> {
  const line = await child.nextLine().catch(() => undefined);
  const code = await child.exited;
  try {
    return { result: line === undefined ? undefined : JSON.parse(line) as T, code };
  } catch {
    return { result: undefined, code };
  }
}
