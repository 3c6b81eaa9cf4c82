// A schema.org JobPosting (from JSON-LD or microdata) as posting fields: nested organisation,
// places, salary and contact points flattened to the text a reader (and the rules) expect.
import { htmlToText, type CheerioModule } from './text.js';
import { isObject, type JsonObject, type Resolver } from './jsonld.js';

export interface JobContext {
  cheerio: CheerioModule;
  resolve: Resolver;
  /** The page's URL (or undefined for a saved file), to resolve relative links against. */
  base?: string;
}

/** Properties kept as extra fields (scored too): they often carry the lure when the description is bland. */
const EXTRA = [
  'employmentType',
  'industry',
  'occupationalCategory',
  'responsibilities',
  'qualifications',
  'skills',
  'experienceRequirements',
  'educationRequirements',
  'jobBenefits',
  'incentiveCompensation',
  'workHours',
  'applicantLocationRequirements',
  'eligibilityToWorkRequirement',
  'specialCommitments',
];

const MAX_DEPTH = 6;

/** Any JSON-LD value as text: strings (HTML stripped), numbers, lists one per line, objects by name. */
export function textOf(value: unknown, context: JobContext, depth = 0): string {
  const resolved = context.resolve(value);
  if (typeof resolved === 'string') return htmlToText(context.cheerio, resolved);
  if (typeof resolved === 'number' || typeof resolved === 'boolean') return String(resolved);
  if (depth >= MAX_DEPTH) return '';
  if (Array.isArray(resolved)) return unique(resolved.map((item) => textOf(item, context, depth + 1))).join('\n');
  if (!isObject(resolved)) return '';
  for (const key of ['@value', 'name', 'description']) {
    const text = textOf(resolved[key], context, depth + 1);
    if (text !== '') return text;
  }
  return unique(
    Object.entries(resolved)
      .filter(([key]) => !key.startsWith('@'))
      .map(([, inner]) => textOf(inner, context, depth + 1)),
  ).join(', ');
}

function unique(parts: string[]): string[] {
  return [...new Set(parts.filter((part) => part !== ''))];
}

function organisation(value: unknown, context: JobContext): string {
  const org = context.resolve(value);
  if (!isObject(org)) return textOf(org, context);
  return textOf(org.name ?? org.legalName ?? org.alternateName, context);
}

function address(value: unknown, context: JobContext): string {
  const resolved = context.resolve(value);
  if (!isObject(resolved)) return textOf(resolved, context);
  const parts = ['streetAddress', 'addressLocality', 'addressRegion', 'postalCode', 'addressCountry'].map((key) => textOf(resolved[key], context));
  return unique(parts).join(', ');
}

function place(value: unknown, context: JobContext): string {
  const resolved = context.resolve(value);
  if (!isObject(resolved)) return textOf(resolved, context);
  return address(resolved.address, context) || textOf(resolved.name, context);
}

function locations(job: JsonObject, context: JobContext): string {
  const places = Array.isArray(job.jobLocation) ? job.jobLocation : [job.jobLocation];
  const parts = places.map((p) => place(p, context));
  if (String(job.jobLocationType ?? '').toUpperCase() === 'TELECOMMUTE') parts.push('Remote');
  return unique(parts).join('; ');
}

function amount(value: unknown): string {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (Number.isFinite(n)) return n.toLocaleString('en-US', { maximumFractionDigits: 2 });
  return typeof value === 'string' ? value.trim() : '';
}

/** `THB 70,000 - 90,000 / month` from a MonetaryAmount (or whatever a site put there). */
function salary(value: unknown, context: JobContext): string {
  const money = context.resolve(value);
  if (!isObject(money)) return textOf(money, context);
  const currency = textOf(money.currency, context);
  const inner = context.resolve(money.value);
  let range: string;
  let unit = textOf(money.unitText, context);
  if (isObject(inner)) {
    const min = amount(inner.minValue);
    const max = amount(inner.maxValue);
    range = min && max && min !== max ? `${min} - ${max}` : min || max || amount(inner.value);
    unit = textOf(inner.unitText, context) || unit;
  } else range = amount(inner) || textOf(inner, context);
  if (range === '') return textOf(money, context);
  return [currency, range].filter(Boolean).join(' ') + (unit ? ` / ${unit.toLowerCase()}` : '');
}

function contactPoint(value: unknown, context: JobContext): string {
  const point = context.resolve(value);
  if (!isObject(point)) return textOf(point, context);
  return unique(['name', 'contactType', 'email', 'telephone', 'url'].map((key) => textOf(point[key], context))).join(' ');
}

function contacts(job: JsonObject, context: JobContext): string {
  const parts = [contactPoint(job.applicationContact, context)];
  const org = context.resolve(job.hiringOrganization);
  if (isObject(org)) parts.push(textOf(org.email, context), textOf(org.telephone, context), contactPoint(org.contactPoint, context));
  return unique(parts).join('; ');
}

function link(value: unknown, context: JobContext): string {
  const text = textOf(value, context).split('\n')[0] ?? '';
  if (text === '') return '';
  try {
    return new URL(text, context.base).href;
  } catch {
    return text;
  }
}

/** Posting fields from one JobPosting node. */
export function jobPostingFields(job: JsonObject, context: JobContext): Record<string, string> {
  const fields: Record<string, string> = {
    title: textOf(job.title ?? job.name, context),
    company: organisation(job.hiringOrganization, context),
    location: locations(job, context),
    salary: salary(job.baseSalary ?? job.estimatedSalary, context),
    contact: contacts(job, context),
    url: link(job.url, context),
    description: textOf(job.description, context),
  };
  for (const key of EXTRA) fields[key] = textOf(job[key], context);
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== ''));
}
