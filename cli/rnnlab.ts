/**
 * The rnnlab command: one file per subcommand in cli/commands/. Every failure ends with one line
 * "rnnlab: error: …" and exit status 1 (2 for usage errors); stack traces only with RNNLAB_DEBUG=1.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Command, CommanderError } from 'commander';
import { terminalLine } from '@rnnlab/engine';
import { enableRelaxedSimd } from '@rnnlab/engine/node';
import { trainCommand } from './commands/train';
import { evalCommand } from './commands/eval';
import { auditCommand } from './commands/audit';
import { importKerasCommand } from './commands/import-keras';
import { exportPsychRnnCommand, importPsychRnnCommand } from './commands/psychrnn';
import { reportCommand } from './commands/report';
import { psychometricCommand } from './commands/psychometric';
import { curriculumCommand } from './commands/curriculum';
import { zooCommand } from './commands/zoo';
import { labCommand } from './commands/lab';
import { tasksCommand } from './commands/tasks';
import { plotTaskCommand } from './commands/plot-task';
import { dynamicsCommand } from './commands/dynamics';
import { degeneracyCommand } from './commands/degeneracy';
import { paperCommand, StoppedExit } from './commands/paper';
import { UsageError } from './parse';

export { QUICK } from './common';

/** The package's version: its package.json sits beside this file in the sources, one folder up from dist/. */
function packageVersion(): string {
  for (const dir of [__dirname, path.join(__dirname, '..')]) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
  }
  return 'unknown';
}

export function buildProgram(): Command {
  const program = new Command('rnnlab')
    .description('Train and dissect the small recurrent networks of Jarne & Laje (2023).')
    .version(packageVersion(), '-V, --version', 'print the version of rnnlab')
    .exitOverride()
    // commander's own usage errors read like every other error: one "rnnlab: error: …" line
    .configureOutput({
      writeErr: (s) => process.stderr.write(s),
      outputError: (s, write) => write(`rnnlab: ${s}`),
    });
  for (const command of [
    trainCommand(),
    evalCommand(),
    auditCommand(),
    importKerasCommand(),
    importPsychRnnCommand(),
    exportPsychRnnCommand(),
    reportCommand(),
    plotTaskCommand(),
    tasksCommand(),
    psychometricCommand(),
    zooCommand(),
    labCommand(),
    curriculumCommand(),
    dynamicsCommand(),
    degeneracyCommand(),
    paperCommand(),
  ]) {
    // Subcommands made apart inherit the program's settings (exitOverride: usage errors throw, exit status 2).
    program.addCommand(command.copyInheritedSettings(program));
  }
  return program;
}

export async function main(argv: string[]): Promise<number> {
  // The command is its own process, so it turns on V8's relaxed SIMD (the FMA kernels) explicitly here; the engine
  // never changes process-wide state on import.
  enableRelaxedSimd();
  // A reader that stops early (`rnnlab paper --list | head`) closes the pipe: stop writing, quietly, as Unix tools do.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2; // commander already printed its message
    if (e instanceof StoppedExit) return e.exitCode; // the shard checkpointed and said so
    const msg = e instanceof Error ? e.message : String(e);
    const status = e instanceof UsageError ? 2 : 1;
    // One line, whatever the message carries from a file (a newline there cannot forge a second line).
    process.stderr.write(`rnnlab: error: ${terminalLine(msg)}\n`);
    if (process.env.RNNLAB_DEBUG === '1' && e instanceof Error) process.stderr.write(`${e.stack}\n`);
    return status;
  }
}
