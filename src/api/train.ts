// `vocabsmith/train`: BPE and SuperBPE training, pretoken counting and count files.
export { train, trainPatterns } from '../train/train.js';
export type { TrainOptions, TrainResult, TrainProgress, TrainPhase, SuperBpeOptions } from '../train/train.js';
export { countInputs } from '../train/count.js';
export type { CountOptions } from '../train/count.js';
export { readCountFile, readCountFiles, writeCountFile, mergeCountSets, CountFileReader, CountFileWriter } from '../train/countfile.js';
export { mergeCountFiles, type MergeCountsOptions, type MergeCountsResult } from '../train/countmerge.js';
export type { TrainInput } from '../train/inputs.js';
