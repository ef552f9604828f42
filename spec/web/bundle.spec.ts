/**
 * The lab's build is light: all its JavaScript (the worker's WebAssembly kernel, embedded in it, included) is at most
 * 1 MB gzipped, and it is a folder of static files with relative paths (publishable under any path as is).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { ROOT } from '../cli/helpers';

const DIST = path.join(ROOT, 'web', 'dist');

describe('the lab build (web/dist)', () => {
  const files = fs.readdirSync(path.join(DIST, 'assets')).map((f) => path.join(DIST, 'assets', f));
  const js = files.filter((f) => f.endsWith('.js'));

  it('is at most 1 MB of gzipped JavaScript, a page and a worker', () => {
    expect(js.length).toBeGreaterThanOrEqual(2);
    expect(js.some((f) => path.basename(f).startsWith('worker-'))).toBe(true);
    const gzipped = js.reduce((n, f) => n + zlib.gzipSync(fs.readFileSync(f), { level: 9 }).length, 0);
    expect(gzipped).toBeLessThan(2 ** 20);
  });

  it('refers to its files by relative paths and to no other origin', () => {
    const html = fs.readFileSync(path.join(DIST, 'index.html'), 'utf8');
    const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(0);
    for (const r of refs) expect(r.startsWith('./') || r.startsWith('data:')).toBe(true);
    for (const f of [...js, path.join(DIST, 'index.html')])
      expect(fs.readFileSync(f, 'utf8')).not.toMatch(/\b(?:fetch|importScripts)\(\s*["']https?:/);
  });
});
