import { spawnSync } from 'child_process';
import * as path from 'path';

export const ROOT = path.resolve(__dirname, '..', '..');

/** Run the real `rnnlab` command (cli/bin.js) in a child process. */
export function rnnlab(args: string[], cwd = ROOT): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'cli', 'bin.js'), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, RNNLAB_DEBUG: '' },
    timeout: 300000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** A small, fast training run (AND, N = 12, 96 trials, 3 epochs, checkpoints every 4 updates); later flags override. */
export const SMALL_TRAIN: readonly string[] =
  '--task and --size 12 --trials 96 --batch 16 --epochs 3 --lr 1e-3 --adam pytorch --checkpoint-every 4'.split(' ');
