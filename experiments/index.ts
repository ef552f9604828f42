/**
 * @rnnlab/experiments: the experiment pipeline. A recipe trained resumably by one driver (run/), a cluster layer
 * that schedules jobs on worker threads, shards and Slurm (cluster/), and the reproduction of Jarne & Laje (2023):
 * plan, records, merge, claims and the results page (paper/). Functions of a trained model live in @rnnlab/analysis.
 */
// One recipe, one resumable and locked training driver (`rnnlab train` and every paper job).
export {
  type Recipe,
  type RecipeMasks,
  type RunRecipe,
  buildTrials,
  checkRecipeFits,
  initialModel,
  recipeIdentity,
  singleThreadRun,
} from './run/recipe';
export {
  type DriveEnd,
  type DriveOptions,
  type ResumeChanges,
  type RunOptions,
  type TrainOutcome,
  drive,
  runSeconds,
  trainRun,
} from './run/driver';

export {
  type Curriculum,
  type CurriculumOutcome,
  type CurriculumStage,
  runCurriculum,
  validateCurriculum,
} from './run/curriculum';

// The cluster: shards, Slurm scripts, the cost model.
export { type ShardSpec, assignShards, parseShard } from './cluster/shard';
export { EXIT_STOPPED, type SlurmOptions, type SlurmPlan, slurmPlan } from './cluster/slurm';
export { COST_MODEL, estimateJobSeconds } from './cluster/cost';

// The paper: the plan, its jobs and their records, shards and the merge.
export {
  DECISION_TASKS,
  PAPER_INITS,
  type PaperPlan,
  type Plan,
  type PlannedJob,
  planJobs,
  type Scale,
  SCALES,
  type ShardedJob,
  shardedPlan,
  SOLVED_ACCURACY,
} from './paper/plan';
export { type JobContext, type JobResult, jobRecipe, runJob, type TrainJob } from './paper/job';
export { readRecord, recordPath, type StoredRecord } from './paper/record';
export { type ShardOptions, type ShardOutcome, ShardStopped, runShard } from './paper/shards';
export { heldElsewhereError, type MergeOptions, mergePaper, runPaper } from './paper/merge';
export { epochDistances, noiseFloor, type PulseGap, pulseGap, writePulseGap } from './paper/gap';
export { type Cell, type PaperCells, paperCells } from './paper/cells';
export { type Measurements, measure } from './paper/measure';
export { summarize } from './paper/summarize';
export { type BestEpochReplay, readReplay, replayBest, replayBestEpoch, replayPath } from './paper/replay';
export { recurrentChange } from './paper/trained-weights';

// What the merge reports: rows, claims and their verdicts, the authors' data beside them.
export type { Claim, ClaimInputs, DiversityRow, PaperResults, PointStats, Verdict } from './paper/rows';
export {
  assessClaims,
  bootstrapInterval,
  CLAIM_RULES,
  fisherExactP,
  type Interval,
  judgeInterval,
  proportionInterval,
  signTestP,
  spearman,
} from './paper/claims';
export { type ClaimRule, type EffectScale, type Grade, verdictOf } from './paper/claims/rule';
export { type AnchorRow, ANCHOR_NETWORKS, anchorRows } from './paper/anchors';
export { lateTrials } from './paper/evaluate';
export { type NoiseRow, type TransferRow } from './paper/robustness';
export { paperDataFile, readDamageTable, readScaleTable } from './paper/authors';

// The task zoo: one trained network per catalogue task, its record and its page.
export { ZOO, type ZooEntry, type ZooProtocol, zooRecipe } from './zoo/plan';
export { LEARNED, loadRecords, type ZooRecord } from './zoo/record';
export { runZoo, type ZooRunOptions, type ZooStep } from './zoo/run';
export { writeZooPage } from './zoo/page';
