/**
 * One compute figure (issue 28): wherever the docs quote the medium run's size and cost, they quote the committed
 * records: results.json's `planned` networks and the sum of the records' seconds (`timing.networkSeconds`), which
 * is also what the results page prints.
 */
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const results = JSON.parse(fs.readFileSync(path.join(ROOT, 'results', 'paper-medium', 'results.json'), 'utf8')) as {
  planned: number;
  timing: { networkSeconds: number };
};
const hours = (results.timing.networkSeconds / 3600).toFixed(1);

test.each(['README.md', 'docs/paper.md'])(
  "%s quotes the medium run's networks and core-hours from its records",
  (f) => {
    const text = fs.readFileSync(path.join(ROOT, f), 'utf8');
    const quoted = [...text.matchAll(/(\d+) networks, ≈ ([\d.]+) core-hours/g)].map((m) => [Number(m[1]), m[2]]);
    expect(quoted.length).toBeGreaterThan(0);
    for (const q of quoted) expect(q).toEqual([results.planned, hours]);
  },
);

test('the results page prints the same sum', () => {
  const page = fs.readFileSync(path.join(ROOT, 'results', 'paper-medium', 'index.html'), 'utf8');
  expect(page).toContain(`${(results.timing.networkSeconds / 3600).toFixed(2)} core-hours`);
});
