/**
 * Access to the independent reference data the repository carries in spec/fixtures (made with NumPy, h5py and
 * PyTorch outside this project; spec/fixtures/README.md says where each file comes from). The authors' result tables
 * live with the experiments package (experiments/paper/authors-data), which the `paper` command reads at run time. A
 * missing fixture is a hard failure, never a skip: every clone has them.
 */
import * as fs from 'fs';
import * as path from 'path';

export const FIXTURES_DIR = path.resolve(__dirname, '..', 'fixtures');

/** The authors' result tables, shipped with @rnnlab/experiments. */
export const PAPER_DATA_DIR = path.resolve(__dirname, '..', '..', 'experiments', 'paper', 'authors-data');

export function fixturePath(rel: string): string {
  const p = rel.startsWith('paper-data/')
    ? path.join(PAPER_DATA_DIR, rel.slice('paper-data/'.length))
    : path.join(FIXTURES_DIR, rel);
  if (!fs.existsSync(p)) throw new Error(`reference fixture ${p} is missing from the repository`);
  return p;
}

export function loadFixture<T = any>(rel: string): T {
  return JSON.parse(fs.readFileSync(fixturePath(rel), 'utf8')) as T;
}

/** Flatten nested arrays row-major. */
export function flat(nested: unknown): number[] {
  const out: number[] = [];
  const walk = (n: unknown) => (Array.isArray(n) ? n.forEach(walk) : out.push(n as number));
  walk(nested);
  return out;
}

/** max|a − ref| / max|ref| (the fixtures' suggested per-array metric). */
export function relErr(a: ArrayLike<number>, ref: ArrayLike<number>): number {
  if (a.length !== ref.length) throw new Error(`length mismatch ${a.length} vs ${ref.length}`);
  let d = 0,
    m = 0;
  for (let i = 0; i < ref.length; i++) {
    d = Math.max(d, Math.abs(a[i] - ref[i]));
    m = Math.max(m, Math.abs(ref[i]));
  }
  return m === 0 ? d : d / m;
}

export function maxAbsDiff(a: ArrayLike<number>, ref: ArrayLike<number>): number {
  if (a.length !== ref.length) throw new Error(`length mismatch ${a.length} vs ${ref.length}`);
  let d = 0;
  for (let i = 0; i < ref.length; i++) d = Math.max(d, Math.abs(a[i] - ref[i]));
  return d;
}
