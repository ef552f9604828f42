/** The paper's experiments: plan, shards, records, merge, cluster scripts. */
export * from './plan';
export * from './cost';
export * from './shard';
export * from './record';
export * from './paper';
export { runJob, type JobResult, type TrainJob, type JobContext } from './job';
export * from './slurm';
export * from './claims';
export * from './anchors';
export * from './robustness';
export * from './replay';
export * from './trained-weights';
