/**
 * The merge's view of the records: which networks form each curve point and each cell (task × initialisation), in
 * plan order. Measurement (measure.ts) and aggregation (summarize.ts) both read the records through these groups, so
 * they agree on which networks a number is about.
 */
import { PAPER_INITS, type Experiment, type PaperPlan, type PlannedJob } from './plan';
import type { StoredRecord } from './record';

/** The networks of one diversity or large-AND cell that have a record, in plan order. */
export interface Cell {
  task: string;
  init: string;
  /** The task parameters the cell's networks were trained on (the first job's; every job of a cell shares them). */
  params: Record<string, number>;
  records: StoredRecord[];
}

export interface PaperCells {
  /** Every network's record, by id. */
  records: ReadonlyMap<string, StoredRecord>;
  /** Jobs of each experiment, in plan order (with or without a record). */
  inExperiment: (e: Experiment) => PlannedJob[];
  recordsOf: (jobs: readonly PlannedJob[]) => StoredRecord[];
  /** Diversity cells with at least one record, task-major as the plan lists them. */
  diversity: Cell[];
  /** The large AND networks per initialisation (empty when the scale has none). */
  large: Cell[];
}

export function paperCells(paper: PaperPlan, records: ReadonlyMap<string, StoredRecord>): PaperCells {
  const inExperiment = (e: Experiment) => paper.jobs.filter((j) => j.experiments.includes(e));
  const recordsOf = (js: readonly PlannedJob[]) =>
    js.map((j) => records.get(j.job.id)).filter((r): r is StoredRecord => r !== undefined);
  const cell = (task: string, init: string, js: PlannedJob[]): Cell => ({
    task,
    init,
    params: js[0]?.job.taskParams ?? {},
    records: recordsOf(js),
  });
  const div = inExperiment('diversity');
  const diversity = paper.plan.diversityTasks
    .flatMap((task) =>
      PAPER_INITS.map((init) =>
        cell(
          task,
          init,
          div.filter((j) => j.job.task === task && j.job.init === init),
        ),
      ),
    )
    .filter((c) => c.records.length > 0);
  const largeJobs = inExperiment('large');
  const large = PAPER_INITS.map((init) =>
    cell(
      'and',
      init,
      largeJobs.filter((j) => j.job.init === init),
    ),
  ).filter((c) => c.records.length > 0);
  return { records, inExperiment, recordsOf, diversity, large };
}
