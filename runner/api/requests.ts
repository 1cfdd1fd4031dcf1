/**
 * Validation of API request bodies. Hand-written rather than zod: the runner must stay under its
 * memory budget (see the output-cap test), and zod alone would add ~17 MB to a ~70 MB process
 * for four tiny shapes. Each parser returns the typed body or throws BadRequest naming the field.
 */
export class BadRequest extends Error {}

type Shape = Record<string, { type: 'string'; optional?: boolean; max?: number; oneOf?: readonly string[] }>;

function parse<T>(body: unknown, shape: Shape): T {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new BadRequest('the body must be a JSON object');
  const record = body as Record<string, unknown>;
  // Own keys only: `in` would also find toString, constructor and __proto__ on the prototype.
  for (const key of Object.keys(record)) {
    if (!Object.hasOwn(shape, key))
      throw new BadRequest(`unexpected field "${key}" (expected: ${Object.keys(shape).join(', ') || 'none'})`);
  }
  const parsed: Record<string, string> = {};
  for (const [key, rule] of Object.entries(shape)) {
    const value = Object.hasOwn(record, key) ? record[key] : undefined;
    if (value === undefined) {
      if (rule.optional) continue;
      throw new BadRequest(`missing field "${key}"`);
    }
    if (typeof value !== 'string') throw new BadRequest(`field "${key}" must be a string`);
    if (rule.max !== undefined && value.length > rule.max)
      throw new BadRequest(`field "${key}" is longer than ${rule.max} characters`);
    if (rule.oneOf && !rule.oneOf.includes(value))
      throw new BadRequest(`field "${key}" must be one of ${rule.oneOf.join(', ')}`);
    parsed[key] = value;
  }
  return parsed as T;
}

const ID = { type: 'string', max: 200 } as const;

export const parseRunRequest = (body: unknown) => parse<{ id: string; hash: string }>(body, { id: ID, hash: ID });
export const parseChapterRunRequest = (body: unknown) =>
  parse<{ until?: string }>(body, { until: { ...ID, optional: true } });
export const parseTargetRequest = (body: unknown) =>
  parse<{ name: 'lab' | 'host' }>(body, { name: { type: 'string', oneOf: ['lab', 'host'] } });
export const parseYamlRequest = (body: unknown) => parse<{ text: string }>(body, { text: { type: 'string' } });
/** The learner's version of a step; the code's own cap (runs/edited-step.ts) gives the clearer message. */
export const parseEditedRunRequest = (body: unknown) =>
  parse<{ id: string; hash: string; code: string }>(body, { id: ID, hash: ID, code: { type: 'string' } });
export const parseFileWriteRequest = (body: unknown) =>
  parse<{ path: string; text: string }>(body, { path: { type: 'string', max: 1000 }, text: { type: 'string' } });
