/**
 * The hostile-input probe (spec/faults/probe.ts, `npm run probe`) in CI: every case ends clear (one "rnnlab: error:"
 * line, exit 1 or 2, no stack trace or JavaScript internals, inputs unchanged, within the time limit) and the
 * controls are accepted.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { probeCases, runCase } from './probe';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rnnlab-probe-spec-'));
fs.mkdirSync(path.join(dir, 'out'));
const cases = probeCases(dir);

test.each(cases.map((c) => [c.name, c]))('%s', (_name, c) => {
  const r = runCase(c);
  expect({ verdict: r.verdict, why: r.why, line: r.firstLine }).toMatchObject({
    verdict: c.expect === 'accept' ? 'accepted' : 'clear',
  });
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
