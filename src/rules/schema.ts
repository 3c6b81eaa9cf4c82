// Rule files: what they define (definition.ts), how a file's text is parsed (parse.ts) and
// checked (validate.ts). Callers import all of it from here.
export * from './definition.js';
export { parseRuleFile, type ParsedRuleFile } from './parse.js';
export { parseModelPoints } from './validate.js';
export { isModelLevels, parseBaseRates } from './scoring-values.js';
