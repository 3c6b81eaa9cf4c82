// schema.org data in JSON-LD: every JobPosting on a page, wherever it sits (a single object, an
// array, an @graph, an ItemList, a WebPage's mainEntity), with @id references resolvable.
import type { CheerioAPI } from 'cheerio';
import type { Warning } from '../../types.js';
import { parseLenient } from './repair.js';

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Whether a node's @type (a string or a list; `JobPosting`, `schema:JobPosting` or a full IRI) is `type`. */
export function hasType(node: JsonObject, type: string): boolean {
  const types = Array.isArray(node['@type']) ? node['@type'] : [node['@type']];
  return types.some((t) => typeof t === 'string' && (t === type || t.endsWith(`/${type}`) || t.endsWith(`:${type}`) || t.endsWith(`#${type}`)));
}

/** Objects by @id, to follow references such as `"hiringOrganization": {"@id": "#org"}`. */
export type Resolver = (value: unknown) => unknown;

export interface JsonLdFindings {
  postings: JsonObject[];
  resolve: Resolver;
  warnings: Warning[];
}

const MAX_DEPTH = 64;

/** Every JobPosting in some parsed JSON-LD values, in document order, each once. */
export function findJobPostings(values: readonly unknown[]): { postings: JsonObject[]; resolve: Resolver } {
  const byId = new Map<string, JsonObject>();
  const postings: JsonObject[] = [];
  const seen = new Set<JsonObject>();
  const stack: { value: unknown; depth: number }[] = [...values].reverse().map((value) => ({ value, depth: 0 }));
  while (stack.length > 0) {
    const { value, depth } = stack.pop()!;
    if (depth > MAX_DEPTH) continue;
    const children: unknown[] = [];
    if (Array.isArray(value)) children.push(...value);
    else if (isObject(value)) {
      if (seen.has(value)) continue;
      seen.add(value);
      const id = value['@id'];
      // A bare reference ({"@id": ...}) must not shadow the full object it points to.
      if (typeof id === 'string' && Object.keys(value).length > 1 && !byId.has(id)) byId.set(id, value);
      if (hasType(value, 'JobPosting')) postings.push(value);
      for (const [key, inner] of Object.entries(value)) if (key !== '@context') children.push(inner);
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push({ value: children[i], depth: depth + 1 });
  }
  const resolve: Resolver = (value) => {
    if (isObject(value) && typeof value['@id'] === 'string' && Object.keys(value).length === 1) return byId.get(value['@id']) ?? value;
    return value;
  };
  return { postings: postings.map((p) => resolve(p) as JsonObject), resolve };
}

/** The JSON-LD blocks of a page, parsed leniently; blocks that mention JobPosting and cannot be read are reported. */
export function readJsonLd($: CheerioAPI): JsonLdFindings {
  const values: unknown[] = [];
  const warnings: Warning[] = [];
  let index = 0;
  $('script').each((_, element) => {
    const type = ($(element).attr('type') ?? '').toLowerCase().split(';')[0]!.trim();
    if (type !== 'application/ld+json') return;
    index++;
    const text = $(element).text();
    if (text.trim() === '') return;
    const parsed = parseLenient(text);
    const mentionsJob = /JobPosting/.test(text);
    if ('error' in parsed) {
      if (mentionsJob)
        warnings.push({
          code: 'EXTRACT_JSONLD',
          message: `JSON-LD block ${index} is not valid JSON and could not be repaired (${parsed.error}); the rest of the page was read instead`,
        });
      return;
    }
    if (parsed.repaired && mentionsJob)
      warnings.push({
        code: 'JSONLD_REPAIRED',
        message: `JSON-LD block ${index} was not valid JSON; it was repaired (raw line breaks, trailing commas or the like) and read`,
      });
    values.push(parsed.value);
  });
  return { ...findJobPostings(values), warnings };
}
