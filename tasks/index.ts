/**
 * @rnnlab/tasks: the tasks of Jarne & Laje (2023) in a declarative task framework, per-task success criteria,
 * and the paper's performance metric. (The import of the authors' Keras networks is model I/O: engine/keras-import.ts.)
 */
export * from './framework';
export * from './generate';
export * from './metrics';
export * from './waveforms';
export * from './success';
export * from './registry';
export { AND, AND_PAPER, OR, XOR, XOR_PAPER, NOT, NOT_PAPER, type LogicParams } from './paper/logic';
export { FLIPFLOP, FLIPFLOP3, type FlipFlopParams } from './paper/flipflop';
export { OSC, OSC_ROOT, type OscParams } from './paper/oscillation';
export { PULSE, PULSE_ROOT, type PulseParams } from './paper/pulse';
