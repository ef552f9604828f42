/**
 * The embedding examples are programs, and they are run here exactly as the manual shows them: every ```ts block of
 * docs/embedding.md is written to a file inside the repository (so that the packages resolve as they do for a user)
 * and run in a fresh Node process; the README's one example must be the first of them, character for character. An
 * edit that breaks one fails this spec.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');

const tsBlocks = (text: string) => [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);

function examples(): string[] {
  return tsBlocks(fs.readFileSync(path.join(ROOT, 'docs', 'embedding.md'), 'utf8'));
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

test('the manual has the three embedding programs, and the README shows the first', () => {
  expect(examples()).toHaveLength(3);
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Using the engine from code'));
  expect(tsBlocks(section)[0]).toBe(examples()[0]);
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
