/**
 * Tokenizer for the attribute block on a fence line: ```sh {id=build cwd="ch03/ex 03" background}
 *
 * Grammar (whitespace separated, inside one pair of braces):
 *   key=value        bare value, no spaces or quotes
 *   key="a value"    double-quoted, `\"` and `\\` escapes
 *   key              a flag, the same as key=true
 * Keys are lower-case words with dashes. A key may appear once.
 * This layer knows nothing about what keys mean; `schema.ts` validates them.
 */

export interface RawAttribute {
  key: string;
  /** `true` for a bare flag; the written text otherwise. */
  value: string | true;
}

export class AttributeSyntaxError extends Error {}

const KEY = /^[a-z][a-z0-9-]*$/;

/** True when the meta string opens an attribute block, i.e. the fence is meant as a step. */
export function hasAttributeBlock(meta: string | null | undefined): boolean {
  return meta != null && meta.trimStart().startsWith('{');
}

export function parseAttributeBlock(meta: string): RawAttribute[] {
  const text = meta.trim();
  if (!text.startsWith('{') || !text.endsWith('}')) {
    throw new AttributeSyntaxError(
      `the attribute block must be wrapped in one pair of braces, like {id=my-step}; got ${JSON.stringify(text)}`,
    );
  }
  const body = text.slice(1, -1);
  const attributes: RawAttribute[] = [];
  const seen = new Set<string>();
  let i = 0;

  while (i < body.length) {
    if (/\s/.test(body[i]!)) {
      i++;
      continue;
    }
    const keyStart = i;
    while (i < body.length && !/[\s=]/.test(body[i]!)) i++;
    const key = body.slice(keyStart, i);
    if (!KEY.test(key)) {
      throw new AttributeSyntaxError(
        `"${key}" is not a valid attribute name (use lower-case letters, digits and dashes)`,
      );
    }
    if (seen.has(key)) throw new AttributeSyntaxError(`attribute "${key}" is given twice`);
    seen.add(key);

    if (body[i] !== '=') {
      attributes.push({ key, value: true });
      continue;
    }
    i++; // past '='
    if (body[i] === '"') {
      const [value, next] = readQuoted(body, i, key);
      attributes.push({ key, value });
      i = next;
      if (i < body.length && !/\s/.test(body[i]!)) {
        throw new AttributeSyntaxError(`attribute "${key}": put a space after the closing quote`);
      }
    } else {
      const valueStart = i;
      while (i < body.length && !/\s/.test(body[i]!)) i++;
      const value = body.slice(valueStart, i);
      if (value === '') throw new AttributeSyntaxError(`attribute "${key}" has "=" but no value`);
      if (value.includes('"')) {
        throw new AttributeSyntaxError(
          `attribute "${key}": a quote inside a bare value; quote the whole value instead`,
        );
      }
      attributes.push({ key, value });
    }
  }
  return attributes;
}

function readQuoted(body: string, openAt: number, key: string): [string, number] {
  let value = '';
  let i = openAt + 1;
  while (i < body.length) {
    const ch = body[i]!;
    if (ch === '\\' && (body[i + 1] === '"' || body[i + 1] === '\\')) {
      value += body[i + 1];
      i += 2;
    } else if (ch === '"') {
      return [value, i + 1];
    } else {
      value += ch;
      i++;
    }
  }
  throw new AttributeSyntaxError(`attribute "${key}": the quoted value is never closed`);
}
