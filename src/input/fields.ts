// Column mapping: input column names to posting fields, the id and answer-key columns, and the
// flattening of JSON values to text fields.
import { KNOWN_FIELDS, LurescanError, type Posting, type SourceRef, type Warning } from '../types.js';

/** Folded column names (lower case, letters and digits only) that map to each posting field. */
const ALIASES: Record<string, string[]> = {
  id: ['id', 'jobid', 'postingid', 'adid', 'listingid', 'idoferta'],
  title: [
    'title',
    'jobtitle',
    'position',
    'positiontitle',
    'headline',
    'jobname',
    'jobposition',
    'heading',
    'vacancy',
    'titulo',
    'puesto',
    'têncôngviệc',
    'chứcdanh',
    '职位名称',
    '岗位名称',
    '职位',
    '标题',
    '職位名稱',
    '標題',
    '求人タイトル',
    '職種',
    '채용제목',
  ],
  description: [
    'description',
    'jobdescription',
    'body',
    'text',
    'desc',
    'content',
    'details',
    'message',
    'jobdesc',
    'jobdetails',
    'adtext',
    'bodytext',
    'fulltext',
    'posting',
    'summary',
    'descriptionrequirement',
    'descripcion',
    'deskripsi',
    'môtảcôngviệc',
    'motacongviec',
    '职位描述',
    '岗位职责',
    '职位详情',
    '工作内容',
    '描述',
    '職位描述',
    '職務內容',
    '仕事内容',
    '상세내용',
  ],
  company: [
    'company',
    'companyname',
    'employer',
    'organization',
    'organisation',
    'hiringorganization',
    'empresa',
    'perusahaan',
    'têncôngty',
    'côngty',
    '公司名称',
    '公司',
    '公司名稱',
    '会社名',
    '회사명',
  ],
  location: [
    'location',
    'jobaddr',
    'joblocation',
    'address',
    'workplace',
    'locations',
    'localizacion',
    'ubicacion',
    'lokasi',
    'nơilàmviệc',
    'địađiểm',
    '城市',
    '工作地点',
    '地点',
    '工作地點',
    '勤務地',
    '근무지',
  ],
  salary: [
    'salary',
    'salaryrange',
    'jobsalary',
    'pay',
    'wage',
    'compensation',
    'basesalary',
    'salario',
    'sueldo',
    'gaji',
    'mứclương',
    'mứclươngvnd',
    'lương',
    '工资',
    '薪资',
    '薪水',
    '工资范围',
    '月薪',
    '薪資',
    '給与',
    '급여',
  ],
  contact: ['contact', 'contacts', 'contactinfo', 'apply', 'howtoapply', 'contactphone', 'contactemail', 'contacto', 'liênhệ', '联系方式', '聯絡方式'],
  url: ['url', 'link', 'joburl', 'jobdetailurl', 'permalink', 'urloferta'],
  label: ['label', 'labels', 'fraudulent', 'isfraud', 'isscam', 'scam'],
};
/** Answer-key companions that must never be scored either. */
const NEVER_SCORED = new Set(['labelraw', 'disputed', 'annotatornote', 'expected', 'expectedlabel']);

/** `meta` or `meta.<key>`: what a corpus says about a posting (its language, batch, source), not its text. */
const META_COLUMN = /^meta(?:\.(.+))?$/i;

export function foldColumnName(name: string): string {
  return name
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
}

/** `--map title=headline,description=body`: field to column name. */
export function parseMapOption(spec: string | undefined): Record<string, string> {
  const map: Record<string, string> = {};
  if (!spec) return map;
  const allowed = new Set<string>([...KNOWN_FIELDS, 'id', 'label']);
  for (const part of spec.split(',')) {
    const trimmed = part.trim();
    if (trimmed === '') continue;
    const eq = trimmed.indexOf('=');
    if (eq <= 0 || eq === trimmed.length - 1) {
      throw new LurescanError('USAGE', `--map: \`${trimmed}\` is not field=column (e.g. --map title=headline,description=body)`);
    }
    const field = trimmed.slice(0, eq).trim();
    if (!allowed.has(field)) throw new LurescanError('USAGE', `--map: unknown field \`${field}\` (one of ${[...allowed].join(', ')})`);
    map[field] = trimmed.slice(eq + 1).trim();
  }
  return map;
}

export interface ColumnPlan {
  /** Column index or key to posting field name (known field, or the column's own name for extras). */
  fieldOf: Map<string, string>;
  /** Metadata columns (`meta`, `meta.*`): kept with the posting, never scored. Column to key. */
  metaOf: Map<string, string>;
  idColumn?: string;
  labelColumn?: string;
  skipped: Set<string>;
}

/**
 * Decide what each column becomes: once per file for CSV, once per record for JSON objects. A
 * `--map` column missing from a CSV header is a usage error; JSON records differ in shape, so for
 * them (`missing` given) the absent column is listed in `missing` and its field stays empty.
 */
export function planColumns(columns: readonly string[], overrides: Record<string, string>, missing?: string[]): ColumnPlan {
  const plan: ColumnPlan = { fieldOf: new Map(), metaOf: new Map(), skipped: new Set() };
  const taken = new Set<string>();
  const assign = (column: string, field: string): void => {
    if (field === 'id') plan.idColumn = column;
    else if (field === 'label') plan.labelColumn = column;
    else plan.fieldOf.set(column, field);
    taken.add(field);
  };
  for (const [field, wanted] of Object.entries(overrides)) {
    const column = columns.find((c) => c === wanted) ?? columns.find((c) => foldColumnName(c) === foldColumnName(wanted));
    if (column === undefined) {
      if (missing) {
        missing.push(`${field}=${wanted}`);
        continue;
      }
      const flag = field === 'label' ? `--label ${wanted}` : `--map ${field}=${wanted}`;
      throw new LurescanError('USAGE', `${flag}: no column \`${wanted}\` (columns: ${columns.join(', ')})`);
    }
    assign(column, field);
  }
  const overridden = new Set(Object.values(overrides).map(foldColumnName));
  for (const column of columns) {
    const folded = foldColumnName(column);
    if (overridden.has(folded) || plan.fieldOf.has(column) || plan.idColumn === column || plan.labelColumn === column) continue;
    const meta = META_COLUMN.exec(column);
    if (meta) {
      plan.metaOf.set(column, meta[1] ?? 'meta');
      continue;
    }
    const field = Object.keys(ALIASES).find((f) => ALIASES[f]!.includes(folded));
    if (field !== undefined && !taken.has(field)) {
      assign(column, field);
      continue;
    }
    if (field === 'label' || NEVER_SCORED.has(folded)) {
      plan.skipped.add(column);
      continue;
    }
    if (column.trim() === '') continue;
    // An extra column keeps its own name; a name that collides with a known field gets a suffix.
    let name = column;
    if ((KNOWN_FIELDS as readonly string[]).includes(name) || name === 'id') name = `${column}_2`;
    plan.fieldOf.set(column, name);
  }
  mapNestedKeys(plan, taken);
  return plan;
}

/** Fields a nested key may stand for: not id or label, which a nested object's own `id` would fill wrongly. */
const NESTED_FIELDS = ['title', 'description', 'company', 'location', 'salary', 'contact', 'url'];
/** Last segments that name an object's text rather than a field: `hiringOrganization.name`. */
const VALUE_SEGMENTS = new Set(['name', 'text', 'value']);

/**
 * Nested JSON keys (`jobPosting.title`, `hiringOrganization.name`) for fields no top-level key
 * filled: the last segment, or the one before a `name`/`text`/`value` segment, read as a column
 * name. First key wins, as at the top level.
 */
function mapNestedKeys(plan: ColumnPlan, taken: Set<string>): void {
  for (const [column, field] of plan.fieldOf) {
    if (field !== column || !column.includes('.')) continue;
    const segments = column.split('.').map(foldColumnName);
    const last = segments.at(-1)!;
    const candidates = VALUE_SEGMENTS.has(last) && segments.length > 1 ? [last, segments.at(-2)!] : [last];
    const nested = NESTED_FIELDS.find((f) => !taken.has(f) && candidates.some((c) => ALIASES[f]!.includes(c)));
    if (nested === undefined) continue;
    plan.fieldOf.set(column, nested);
    taken.add(nested);
  }
}

/**
 * When no column is named like a title or a description, their text would be scored only as extra
 * fields, which title- and description-scoped rules do not read (a lure fell from 12 points to 5).
 * Then the column with the longest text in `values` (one record, or a CSV file's first row) becomes
 * the description, with a warning naming the columns; undefined when a text column is named, or
 * none holds text. Not with --map, which names columns itself.
 */
export function describeTextFallback(
  plan: ColumnPlan,
  values: ReadonlyMap<string, string>,
  overrides: Record<string, string>,
): { plan: ColumnPlan; warning: Warning } | undefined {
  if (Object.keys(overrides).length > 0) return undefined;
  const fields = new Set(plan.fieldOf.values());
  if (fields.has('title') || fields.has('description')) return undefined;
  let longest: string | undefined;
  for (const [column, field] of plan.fieldOf) {
    if ((KNOWN_FIELDS as readonly string[]).includes(field)) continue;
    const length = values.get(column)?.trim().length ?? 0;
    if (length >= 20 && (longest === undefined || length > (values.get(longest)?.trim().length ?? 0))) longest = column;
  }
  if (longest === undefined) return undefined;
  const fieldOf = new Map(plan.fieldOf);
  fieldOf.set(longest, 'description');
  const columns = [...plan.fieldOf.keys()].map((c) => `\`${c}\``).join(', ');
  return {
    plan: { ...plan, fieldOf },
    warning: {
      code: 'NO_TEXT_COLUMN',
      message: `no column is named like a title or a description (columns: ${columns}), so \`${longest}\`, the longest text, was read as the description; name the columns with --map title=...,description=... if that is wrong`,
    },
  };
}

const MAX_DEPTH = 4;

/** A JSON value as field text: strings as they are, numbers and booleans printed, lists joined. */
function flattenInto(out: Map<string, string>, key: string, value: unknown, depth: number, warnings: Warning[]): void {
  if (value === null || value === undefined) return;
  if (typeof value === 'string') {
    out.set(key, value);
    return;
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    out.set(key, String(value));
    return;
  }
  if (depth >= MAX_DEPTH) {
    warnings.push({ code: 'DEEP_VALUE', message: `field \`${key}\` is nested more than ${MAX_DEPTH} levels deep; its inner values were not read` });
    return;
  }
  if (Array.isArray(value)) {
    const parts: string[] = [];
    for (const item of value) {
      if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean') parts.push(String(item));
      else if (item !== null && typeof item === 'object') {
        const inner = new Map<string, string>();
        flattenInto(inner, key, item, depth + 1, warnings);
        parts.push(...inner.values());
      }
    }
    if (parts.length > 0) out.set(key, parts.join('\n'));
    return;
  }
  for (const [inner, innerValue] of Object.entries(value as Record<string, unknown>)) {
    if (inner.startsWith('@')) continue;
    flattenInto(out, `${key}.${inner}`, innerValue, depth + 1, warnings);
  }
}

/** A JSON object as flat key/value text, nested keys dotted (`hiringOrganization.name`). */
export function flattenObject(record: Record<string, unknown>, warnings: Warning[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(record)) flattenInto(out, key, value, 0, warnings);
  return out;
}

/** Build a posting from one record's column values, following a column plan. */
export function toPosting(values: ReadonlyMap<string, string>, plan: ColumnPlan, source: SourceRef, fallbackId: string, warnings: Warning[] = []): Posting {
  const known: Record<string, string> = {};
  const extra: Record<string, string> = {};
  let meta: Record<string, string> | undefined;
  for (const [column, value] of values) {
    const metaKey = plan.metaOf.get(column);
    if (metaKey !== undefined) (meta ??= {})[metaKey] = value;
    const field = plan.fieldOf.get(column);
    if (field === undefined) continue;
    if ((KNOWN_FIELDS as readonly string[]).includes(field)) known[field] = value;
    else extra[field] = value;
  }
  const fields: Record<string, string> = {};
  for (const name of KNOWN_FIELDS) if (known[name] !== undefined) fields[name] = known[name]!;
  Object.assign(fields, extra);
  const idValue = plan.idColumn !== undefined ? values.get(plan.idColumn)?.trim() : undefined;
  const posting: Posting = { id: idValue ? idValue : fallbackId, source, fields };
  const labelValue = plan.labelColumn !== undefined ? values.get(plan.labelColumn) : undefined;
  if (labelValue !== undefined) posting.label = labelValue;
  if (meta !== undefined) posting.meta = meta;
  if (warnings.length > 0) posting.warnings = warnings;
  return posting;
}

/** Warnings for text that was damaged on the way in (invalid UTF-8 replaced, NUL bytes). */
export function textWarnings(fields: Record<string, string>, decode: { invalidUtf8: boolean; guessed?: string }): Warning[] {
  const warnings: Warning[] = [];
  const { invalidUtf8 } = decode;
  if (decode.guessed) {
    warnings.push({
      code: 'ENCODING_GUESSED',
      message: `the file is not UTF-8; it was read as ${decode.guessed}, the likeliest encoding of its first bytes (name another with --encoding)`,
    });
  }
  for (const [name, value] of Object.entries(fields)) {
    if (invalidUtf8 && value.includes('\ufffd')) {
      warnings.push({ code: 'INVALID_UTF8', message: `field \`${name}\` had invalid UTF-8 bytes, replaced with U+FFFD; the rest was scanned` });
    }
    if (value.includes('\u0000')) {
      warnings.push({ code: 'NUL_BYTES', message: `field \`${name}\` holds NUL bytes; they were ignored for matching` });
    }
  }
  return warnings;
}
