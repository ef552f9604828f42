/**
 * @rnnlab/tasks: the tasks of Jarne & Laje (2023) in a declarative task framework, per-task success criteria,
 * and the paper's performance metric. (The import of the authors' Keras networks is model I/O:
 * engine/io/keras-import.ts.)
 */
export {
  type Commitment,
  type Condition,
  conditionNames,
  costHints,
  type Level,
  type GeneratedTrials,
  noiseFreeParams,
  type PeriodSpec,
  resolveParams,
  type Segment,
  type TaskHints,
  type TaskSpec,
  type TrialLayout,
  type TrialView,
  type Values,
} from './framework';
export { generate, type GenerateOptions, layoutTrial } from './generate';
export { normalCdf } from './normal';
export { accuracy, choicesByEvidence, commitmentTimes, meanByCondition, trialDistances } from './metrics';
export {
  box,
  convolvedSine,
  convolveSame,
  gaussian,
  hann,
  normalized,
  scale,
  smoothedBox,
  sum,
  type Waveform,
} from './waveforms';
export { levelsHeld, oscillationMatched, pulseTimed } from './success';
export { type AnyTask, closestTasks, getTask, TASKS } from './registry';
export { mixTasks } from './mixture';
export { AND, AND_PAPER, OR, XOR, XOR_PAPER, NOT, NOT_PAPER, type LogicParams } from './paper/logic';
export { FLIPFLOP, FLIPFLOP3, type FlipFlopParams } from './paper/flipflop';
export { OSC, OSC_ROOT, type OscParams } from './paper/oscillation';
export { PULSE, PULSE_ROOT, type PulseParams } from './paper/pulse';
export { NEUROGYM_TASKS } from './neurogym/tasks';
export { decisionCorrect, onGrid, sampleTime, type Timing } from './neurogym/common';
export { YANG_RULES, YANG_TASKS, type YangParams, type YangRule } from './yang/tasks';
export { circularDistance, popvec, ringChoiceCorrect, RING_SIZE } from './yang/ring';
