/**
 * `rnnlab zoo`: train one network per catalogue task (NeuroGym's, Yang et al.'s 20 and their multi-task network),
 * record each on fresh trials, and write the zoo's page. Resumable: what has a record is kept, a run stopped midway
 * continues bit-exactly, and --budget-minutes stops starting new entries after that long.
 */
import * as path from 'path';
import { Command } from 'commander';
import { RnnlabError } from '@rnnlab/engine';
import { loadRecords, runZoo, writeZooPage, ZOO } from '@rnnlab/experiments';
import { num } from '../parse';
import { resolveBackend } from '../backends';
import { jsonOption, log, out, outJson } from '../common';

export function zooCommand(): Command {
  return new Command('zoo')
    .description('train and record one network per catalogue task, and write the zoo page')
    .option('--out <dir>', 'zoo folder', path.join('results', 'task-zoo'))
    .option('--only <tasks>', 'comma-separated task names (default: every zoo entry)')
    .option('--budget-minutes <m>', 'start no new entry after this long', num('--budget-minutes', { positive: true }))
    .option('--list', 'list the entries and their protocols, train nothing')
    .option('--page', 'write the page from the records there, train nothing')
    .addOption(jsonOption())
    .action(async (o) => {
      const only: string[] | null = o.only ? String(o.only).split(',') : null;
      const unknown = only?.filter((t) => !ZOO.some((e) => e.task === t)) ?? [];
      if (unknown.length)
        throw new RnnlabError(`not in the zoo: ${unknown.join(', ')} (rnnlab zoo --list shows the entries)`);
      const entries = only ? ZOO.filter((e) => only.includes(e.task)) : ZOO;
      if (o.list) {
        if (o.json) return outJson('zoo', { entries });
        for (const e of entries) out(`${e.task}: ${e.protocol.nTrials} trials × ${e.protocol.epochs} epochs`);
        return;
      }
      let steps: Record<string, string> = {};
      if (!o.page) {
        const backend = resolveBackend('wasm-simd', 1);
        const budget = o.budgetMinutes === undefined ? undefined : o.budgetMinutes * 60;
        steps = Object.fromEntries(runZoo(o.out, entries, backend, { log, budgetSeconds: budget }));
      }
      await writeZooPage(o.out, ZOO, loadRecords(o.out));
      const page = path.join(o.out, 'index.html');
      if (o.json) return outJson('zoo', { steps, page });
      out(`zoo page → ${page}`);
    });
}
