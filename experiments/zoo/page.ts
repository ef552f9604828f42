/** The zoo's page (results/task-zoo/index.html): every entry, trained or not, with its record's figures. */
import * as fs from 'fs';
import * as path from 'path';
import {
  escapeHtml,
  fillTemplate,
  HtmlCell,
  htmlRow,
  joinHtml,
  psychometricSpec,
  renderSvg,
  SafeHtml,
} from '@rnnlab/analysis';
import { prepareOutputDir, writeFileAtomic } from '@rnnlab/engine/node';
import type { ZooEntry, ZooProtocol } from './plan';
import { LEARNED, percent, type ZooRecord } from './record';

const TEMPLATES = path.join(__dirname, 'templates');
const template = (name: string) => fs.readFileSync(path.join(TEMPLATES, name), 'utf8');

const duration = (s: number | null) =>
  s === null ? 'not timed' : s < 120 ? `${s.toFixed(0)} s` : `${(s / 60).toFixed(1)} min`;
const mark = (cls: string, text: string) => new HtmlCell(`<td class="${cls}">${escapeHtml(text)}</td>`);

const protocolText = (p: ZooProtocol) =>
  `${p.nTrials} trials × ${p.epochs} epochs` +
  (p.lr !== undefined ? `, Adam ${p.lr}` : '') +
  (p.clip ? `, clip ${p.clip}` : '');

function row(entry: ZooEntry, r: ZooRecord | undefined): SafeHtml {
  const protocol = r
    ? r.attempts
        .map(
          (a, i) =>
            `${r.attempts.length > 1 ? `attempt ${i + 1}: ` : ''}${protocolText(a.protocol)}` +
            (r.attempts.length > 1 ? ` → ${percent(a.decidable)}` : ''),
        )
        .join('; ')
    : protocolText(entry.protocol);
  if (!r) return htmlRow([entry.task, mark('todo', 'not trained yet'), '', '', protocol, '', '', '']);
  const m = r.model;
  return htmlRow([
    new SafeHtml(`<a href="#${escapeHtml(r.task)}">${escapeHtml(r.task)}</a>`),
    r.evaluation.learned ? mark('yes', 'yes') : mark('no', 'no'),
    `${percent(r.evaluation.accuracy)} of ${r.evaluation.trials}` +
      (r.evaluation.decidable !== r.evaluation.accuracy ? `; ${percent(r.evaluation.decidable)} at evidence ≠ 0` : '') +
      (r.evaluation.ideal ? ` (ideal observer: ${percent(r.evaluation.ideal.accuracy)})` : ''),
    `N=${m.nRec} ${m.activation}, α ${m.alpha}, ${m.readout === 'softmax' ? 'softmax + CE' : 'linear + MSE'}`,
    protocol,
    r.training.updates,
    // Every attempt's time: what the entry cost.
    duration(r.attempts.some((a) => a.seconds === null) ? null : r.attempts.reduce((t, a) => t + a.seconds!, 0)),
    r.source,
  ]);
}

async function lossSvg(r: ZooRecord): Promise<string> {
  const values = r.training.lossByEpoch.map((loss, i) => ({ epoch: i + 1, loss }));
  return renderSvg({
    title: 'training loss (epoch means)',
    width: 320,
    height: 200,
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'epoch', type: 'quantitative' },
      y: { field: 'loss', type: 'quantitative', scale: { type: 'log' } },
    },
  });
}

async function section(r: ZooRecord): Promise<SafeHtml> {
  const figures = [await lossSvg(r)];
  if (r.psychometric?.fit)
    figures.push(
      await renderSvg(
        psychometricSpec({
          title: 'psychometric curve',
          evidenceLabel: 'signed evidence',
          groups: [{ name: r.task, psychometric: r.psychometric }],
        }),
      ),
    );
  const byTask = r.evaluation.perTask;
  const counts = Object.entries(byTask ?? r.evaluation.perCondition);
  const fit = r.psychometric?.fit;
  const share = `${percent(r.evaluation.decidable)} of fresh trials with evidence correct`;
  const ideal = r.evaluation.ideal;
  const line = ideal
    ? `${percent(LEARNED * ideal.decidable)} (${LEARNED * 100} % of an ideal observer's ${percent(ideal.decidable)} ` +
      'on the same trials)'
    : `${LEARNED * 100} %`;
  const verdict =
    (r.evaluation.learned ? `Learned: ${share}, the line is ${line}.` : `Not learned: ${share}, below ${line}.`) +
    (fit
      ? ` Psychometric fit (${fit.link}): bias ${fit.mu.toPrecision(3)}, σ ${fit.sigma.toPrecision(3)}, ` +
        `lapse ${fit.lapse.toFixed(3)}.`
      : '');
  return new SafeHtml(
    fillTemplate(template('section.html'), {
      task: r.task,
      title: r.title,
      verdict,
      groupKind: byTask ? 'task' : 'condition',
      groups: counts.map(([k, v]) => `${k} ${v.correct}/${v.total}`).join(', '),
      figures: joinHtml(figures.map((f) => new SafeHtml(f))),
    }),
  );
}

/** Write index.html for these entries and records. */
export async function writeZooPage(zooDir: string, entries: readonly ZooEntry[], records: Map<string, ZooRecord>) {
  const done = entries.filter((e) => records.has(e.task)).map((e) => records.get(e.task)!);
  const learned = done.filter((r) => r.evaluation.learned).length;
  const builds = new Map<string, number>();
  for (const r of done) for (const b of r.kernelBuilds) builds.set(b.kernel, (builds.get(b.kernel) ?? 0) + 1);
  const html = fillTemplate(template('page.html'), {
    evalTrials: done[0]?.evaluation.trials ?? 1000,
    learned: LEARNED * 100,
    summary:
      `${done.length} of ${entries.length} networks trained; ${learned} learned their task, ` +
      `${done.length - learned} did not; ${entries.length - done.length} not trained yet.`,
    rows: joinHtml(entries.map((e) => row(e, records.get(e.task)))),
    sections: joinHtml(await Promise.all(done.map(section))),
    builds: joinHtml([...builds].map(([k, n]) => htmlRow([k, n]))),
  });
  prepareOutputDir(zooDir, 'zoo folder');
  writeFileAtomic(path.join(zooDir, 'index.html'), html);
}
