// The model's public face: its state, training, scoring and file format, each in its own file
// (state.ts, learn.ts, scorer.ts, model-file.ts); callers import them from here.
export * from './state.js';
export * from './learn.js';
export * from './scorer.js';
export * from './model-file.js';
export { logisticClassifier } from './classifier.js';
