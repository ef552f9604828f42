/**
 * The README's embedding examples are programs, and they are run here exactly as the README shows them: every ```ts
 * block of the section "Using the engine from code" is written to a file inside the repository (so that the packages
 * resolve as they do for a user) and run in a fresh Node process. A README edit that breaks one fails this spec.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');

function examples(): string[] {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('## Using the engine from code');
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end);
  return [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
}

function run(code: string, k: number): { code: number; out: string; err: string } {
  const dir = path.join(ROOT, 'tmp');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `readme-example-${k}.ts`);
  fs.writeFileSync(file, code);
  const r = spawnSync(process.execPath, ['-e', `require('tsx/cjs'); require(${JSON.stringify(file)});`], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120000,
  });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

test('the section has the three embedding programs', () => {
  expect(examples()).toHaveLength(3);
});

test('example 1 trains the AND task and prints an accuracy near 1 on fresh trials', () => {
  const r = run(examples()[0], 1);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  expect(Number(/accuracy ([\d.]+)/.exec(r.out)![1])).toBeGreaterThanOrEqual(0.9);
});

test('example 2 prints the float64 loss, the gradient norm and the sizes of outputs and states', () => {
  const r = run(examples()[1], 2);
  expect(r.code).toBe(0);
  // 8 trials × 200 steps × 1 output, and × 20 units
  expect(r.out).toMatch(/^loss \d\.\d{3}e[-+]\d+, \|dW_rec\| \d\.\d{3}e[-+]\d+, 1600 outputs, 32000 states\n$/);
});

test('example 3 lowers the loss with its own update in the allocation-free loop', () => {
  const r = run(examples()[2], 3);
  expect(r.code).toBe(0);
  const [, a, b] = /loss ([\d.]+) -> ([\d.]+)/.exec(r.out)!;
  expect(Number(b)).toBeLessThan(Number(a));
});
