// npm run test:peer: the peer range tested, not claimed. Packs the package,
// installs the tarball beside the oldest `playwright` and `@playwright/test`
// that package.json's peer range allows, in a temp dir of its own, and runs
// tests/peer/ there with that Playwright: a context attached, a fixture suite
// on two workers, the CLI's `status`. Writes Playwright's JSON report to
// test-results/peer-smoke.json (for .ci/run's count) and ends with one line:
// "peer smoke (playwright <version>): N passed, N failed".
import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const report = path.join(root, 'test-results', 'peer-smoke.json');

interface JsonReport {
  stats: { expected: number; unexpected: number; flaky: number; skipped: number };
  suites: JsonSuite[];
}
interface JsonSuite {
  file: string;
  specs: Array<{ tests: Array<{ results: Array<{ workerIndex: number }> }> }>;
  suites?: JsonSuite[];
}

/** The lowest version a `>=x.y.z` peer range allows; anything else is a range this script cannot test. */
function oldestAllowed(range: string): string {
  const match = /^>=\s*(\d+\.\d+\.\d+)$/.exec(range.trim());
  if (!match)
    throw new Error(`peerDependencies.playwright is "${range}": expected ">=x.y.z" (the oldest version this smoke test installs)`);
  return match[1]!;
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', code => resolve(code ?? 1));
  });
}

function workersOf(suites: JsonSuite[], file: string): Set<number> {
  const workers = new Set<number>();
  for (const suite of suites) {
    if (suite.file.endsWith(file))
      suite.specs.forEach(spec => spec.tests.forEach(test => test.results.forEach(result => workers.add(result.workerIndex))));
    workersOf(suite.suites ?? [], file).forEach(worker => workers.add(worker));
  }
  return workers;
}

async function main(): Promise<number> {
  const manifest = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as { peerDependencies: Record<string, string> };
  const version = oldestAllowed(manifest.peerDependencies.playwright ?? '');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bundle-cache-peer-'));
  await rm(report, { force: true });
  await mkdir(path.dirname(report), { recursive: true });
  console.log(`== peer smoke: playwright ${version} beside the packed tarball, in ${dir}`);
  // --ignore-scripts: dist/ is what `npm ci` (prepare) just built; the tarball is made of it.
  if (await run('npm', ['pack', '--silent', '--ignore-scripts', '--pack-destination', dir], root) !== 0)
    throw new Error('npm pack failed');
  const tarball = (await readdir(dir)).find(name => name.endsWith('.tgz'));
  if (!tarball)
    throw new Error(`npm pack wrote no tarball to ${dir}`);
  await writeFile(path.join(dir, 'package.json'), JSON.stringify({ name: 'peer-smoke', private: true, type: 'module' }, null, 2));
  const install = ['install', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error', `./${tarball}`, `playwright@${version}`, `@playwright/test@${version}`];
  if (await run('npm', install, dir) !== 0)
    throw new Error(`npm install of the tarball with playwright@${version} failed`);
  for (const name of ['playwright', '@playwright/test']) {
    const installed = (JSON.parse(await readFile(path.join(dir, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
    if (installed !== version)
      throw new Error(`npm installed ${name}@${installed}, not ${version}`);
  }
  await cp(path.join(root, 'tests', 'peer'), path.join(dir, 'peer'), { recursive: true });
  const code = await run('npx', ['--no-install', 'playwright', 'test', '-c', 'peer/playwright.config.ts', '--reporter=list,json'], dir, { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: report });
  const result = JSON.parse(await readFile(report, 'utf8')) as JsonReport;
  let { expected: passed, unexpected: failed } = result.stats;
  passed += result.stats.flaky;
  // The claim is "a fixture suite of 2 workers": a run that used one proves less, so it counts as a failure.
  const workers = workersOf(result.suites, 'fixture.spec.ts').size;
  if (workers < 2) {
    console.log(`peer smoke: the fixture suite ran in ${workers} worker(s), not 2`);
    failed += 1;
    result.stats.unexpected += 1;
    await writeFile(report, JSON.stringify(result));
  }
  console.log(`peer smoke (playwright ${version}): ${passed} passed, ${failed} failed`);
  if (code === 0 && !failed)
    await rm(dir, { recursive: true, force: true });
  else
    console.log(`peer smoke: kept ${dir} to look at`);
  return code === 0 && !failed ? 0 : 1;
}

main().then(code => { process.exitCode = code; }, error => {
  console.error(`peer smoke: ${(error as Error).message}`);
  console.log('peer smoke: 0 passed, 1 failed');
  process.exitCode = 1;
});
