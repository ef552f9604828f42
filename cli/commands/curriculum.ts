/**
 * `rnnlab curriculum <plan.json> --out <dir>`: one network through stages that advance when its accuracy passes
 * each stage's threshold (PsychRNN's Curriculum). Run the same command again to resume; --max-steps pauses.
 */
import { Command } from 'commander';
import { parseJson } from '@rnnlab/engine';
import { readTextFile } from '@rnnlab/engine/node';
import { runCurriculum, validateCurriculum } from '@rnnlab/experiments';
import { num } from '../parse';
import { resolveBackend } from '../backends';
import { jsonOption, log, out, outJson } from '../common';

export function curriculumCommand(): Command {
  return new Command('curriculum')
    .description('train one network through stages that advance on an accuracy threshold (resumable)')
    .argument('<plan>', 'curriculum file (JSON; docs/tasks.md, "Curricula")')
    .requiredOption('--out <dir>', 'curriculum folder (run the command again with it to resume)')
    .option(
      '--max-steps <n>',
      'pause after this many updates of a stage',
      num('--max-steps', { integer: true, min: 0 }),
    )
    .addOption(jsonOption())
    .action((file, o) => {
      const plan = validateCurriculum(parseJson(readTextFile(file, 'curriculum'), file), file);
      const r = runCurriculum(o.out, plan, resolveBackend('wasm-simd', 1), { log, maxSteps: o.maxSteps });
      if (o.json) return outJson('curriculum', { dir: o.out, ...r });
      for (const s of r.stages)
        out(
          `stage ${s.stage} (${s.task}): ${s.passed ? 'passed' : 'did not pass'} at epoch ${s.epochs}, ` +
            `accuracy ${(100 * s.accuracy).toFixed(1)} %`,
        );
      if (r.paused) out(`paused; run the same command again to resume`);
      else if (r.failedAt !== null) out(`the curriculum ends at stage ${r.failedAt}: its epochs ran out`);
      else out(`all ${r.passed} stages passed; model ${r.model}`);
    });
}
