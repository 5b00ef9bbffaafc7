// The one model-folder module: how trim and remap (and any later weight format) read a folder,
// plan its vocabulary tensors, edit its configs losslessly and write the result atomically.
export { checkOutput, writeFolder } from './atomic.js';
export { configIds, editAddedTokens, editConfig, editTokenizerConfig, isIdKey, type ConfigEdit, type IdMapper } from './config.js';
export { chatTemplateIds, readChatTemplate, renderSamples, specialStrings, type ChatTemplate } from './chat-template.js';
export { copyOtherFiles } from './files.js';
export { parseJson, plain, JsonEdits, type JsonNode } from './json-edit.js';
export { COPY, countKinds, FALLBACK, FVT, gatherPlan, KIND_NAMES, streamRows, weightSpread, weightWarning, LARGE_WEIGHT_SUM, type RowKind, type RowPlan, type WeightSpread } from './rows.js';
export { OTHER_WEIGHTS, readWeights, tensorList, weightFileNames, writeWeights, type SafetensorsWeights, type WeightsWritten } from './safetensors.js';
export { planVocab, type TensorMeta, type VocabPlan, type VocabRole, type VocabTensor } from './tensors.js';
