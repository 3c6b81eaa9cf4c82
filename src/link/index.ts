// `lurescan link`: postings into networks by shared identifiers and near-duplicate texts.
export { EMPTY_ALLOWLIST, keyKind, keyValue, parseAllowlist, type Allowlist } from './allowlist.js';
export { ClusterCollector, clusterId, EXEMPLAR_CHARS, jsonLine, xml } from './clusters.js';
export { DEFAULT_LINK_OPTIONS, Linker, PLATFORM_MIN, PLATFORM_SHARE, type LinkOptions, type LinkPlan } from './linker.js';
export { BANDS, BINS, estimateJaccard, MIN_SHINGLES, ROWS, SHINGLE, sketch, templateFieldNames, templateText } from './minhash.js';
export { readLines, type LineSource } from './lines.js';
export { parseDate, parseVerdictLine, postingDate, recordKind, sourceName, urlHost, type LinkVerdict, type ParsedLine } from './verdicts.js';
export { linkVerdictFiles, MAX_VERDICT_LINE, type LinkCounts, type LinkResult } from './run.js';
export { holdsVerdicts } from './sniff.js';
export { checkLinked, clusterLines, linkSummary } from './summary.js';
export type { FilteredIdentifier, FilterReason } from '../contracts/cluster.js';
