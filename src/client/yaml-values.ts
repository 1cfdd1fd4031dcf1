/**
 * Loaded YAML values shown the way each language prints them (a JavaScript object literal, a
 * Python dict), and compared across the two parsers.
 */
import { TEXT } from './texts.ts';
export type Flavour = 'js' | 'python';

/**
 * Characters of data a loaded document may stand for once its aliases are written out. A parser
 * shares an aliased node, so loading a "billion laughs" document is instant, but printing or
 * comparing it would walk every repetition and freeze the tab. Same limit as the runner's bridge.
 */
export const EXPANDED_LIMIT = 1_000_000;

/**
 * Why a loaded value is too big to show, or null when it is fine. Linear in the document: each
 * shared object is measured once (a WeakMap), and the walk stops as soon as the limit is passed.
 */
export function expansionProblem(value: unknown, limit = EXPANDED_LIMIT): string | null {
  const sizes = new WeakMap<object, number>();
  const inProgress = new WeakSet<object>();
  class TooBig extends Error {}
  const size = (item: unknown): number => {
    if (typeof item === 'string') return item.length + 2;
    if (!isContainer(item)) return 8;
    const known = sizes.get(item);
    if (known !== undefined) return known;
    if (inProgress.has(item)) throw new TooBig(TEXT.yaml.selfAlias);
    inProgress.add(item);
    let total = 2;
    const entries: [string | null, unknown][] = Array.isArray(item)
      ? item.map((child) => [null, child])
      : Object.entries(item);
    for (const [name, child] of entries) {
      total += 2 + size(child) + (name === null ? 0 : name.length + 2);
      if (total > limit) {
        throw new TooBig(TEXT.yaml.tooBig(limit.toLocaleString('en')));
      }
    }
    inProgress.delete(item);
    sizes.set(item, total);
    return total;
  };
  try {
    size(value);
    return null;
  } catch (error) {
    if (error instanceof TooBig) return error.message;
    if (error instanceof RangeError) return TEXT.yaml.tooDeep; // call stack
    throw error;
  }
}

const INLINE_MAX = 60;
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

function scalar(value: unknown, flavour: Flavour): string {
  const py = flavour === 'python';
  if (value === null || value === undefined) return py ? 'None' : 'null';
  if (typeof value === 'boolean') return py ? (value ? 'True' : 'False') : String(value);
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return py ? 'nan' : 'NaN';
    if (!Number.isFinite(value)) return py ? (value > 0 ? 'inf' : '-inf') : String(value);
    return String(value);
  }
  if (value instanceof Date) return py ? `datetime(${value.toISOString()})` : `Date(${value.toISOString()})`;
  if (typeof value === 'string') return py ? pythonString(value) : JSON.stringify(value);
  return String(value);
}

function pythonString(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  const body = text
    .replace(/\\/g, '\\\\')
    .replace(/\n/g, '\\n')
    .replace(/\t/g, '\\t')
    .replace(new RegExp(quote, 'g'), `\\${quote}`);
  return `${quote}${body}${quote}`;
}

function key(name: string, flavour: Flavour): string {
  if (flavour === 'python') return pythonString(name);
  return IDENTIFIER.test(name) ? name : JSON.stringify(name);
}

function isContainer(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !(value instanceof Date);
}

/** A readable, indented rendering; short lists and maps of scalars stay on one line. */
export function formatValue(value: unknown, flavour: Flavour, indent = ''): string {
  if (!isContainer(value)) return scalar(value, flavour);
  const inner = `${indent}  `;
  const entries = Array.isArray(value)
    ? value.map((item) => formatValue(item, flavour, inner))
    : Object.entries(value).map(([k, v]) => `${key(k, flavour)}: ${formatValue(v, flavour, inner)}`);
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  if (entries.length === 0) return `${open}${close}`;
  const children = Array.isArray(value) ? value : Object.values(value);
  const oneLine = `${open}${entries.join(', ')}${close}`;
  if (!children.some(isContainer) && oneLine.length + indent.length <= INLINE_MAX) return oneLine;
  return `${open}\n${entries.map((e) => `${inner}${e}`).join(',\n')}\n${indent}${close}`;
}

/**
 * Where two loaded values first differ, as a phrase ("at spec.ports[0]: js-yaml gives "yes",
 * PyYAML gives True"), or null when they are the same data. `a` comes from js-yaml, `b` from
 * PyYAML through JSON, so js-yaml's Dates are compared as instants with Python's ISO strings.
 */
export function firstDifference(a: unknown, b: unknown, path = ''): string | null {
  const at = path ? `at ${path}` : 'at the top level';
  const describe = () => `${at}: js-yaml gives ${brief(a, 'js')}, PyYAML gives ${brief(b, 'python')}`;
  if (a instanceof Date) {
    return typeof b === 'string' && Date.parse(b) === a.getTime() ? null : describe();
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b)) return describe();
    if (a.length !== b.length) return `${at}: js-yaml has ${a.length} items, PyYAML has ${b.length}`;
    for (let i = 0; i < a.length; i++) {
      const d = firstDifference(a[i], b[i], `${path}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  if (isContainer(a) || isContainer(b)) {
    if (!isContainer(a) || !isContainer(b)) return describe();
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    const missing = ka.find((k) => !(k in b)) ?? kb.find((k) => !(k in a));
    if (missing !== undefined)
      return `${at}: key ${JSON.stringify(missing)} is only in ${missing in a ? 'js-yaml' : 'PyYAML'}’s result`;
    for (const k of ka) {
      const d = firstDifference(
        (a as Record<string, unknown>)[k],
        (b as Record<string, unknown>)[k],
        path ? `${path}.${k}` : k,
      );
      if (d) return d;
    }
    return null;
  }
  if (typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b)) return null;
  return Object.is(a, b) || (a === 0 && b === 0) ? null : describe();
}

/** A difference between the two parsers' results, at a path such as `spec.containers[0].ports`. */
export interface Difference {
  path: string;
  /** The path as written: keys and list positions, for finding the line. */
  steps: (string | number)[];
  text: string;
}

/** Every place where two loaded values differ (not only the first), in document order. */
export function differences(a: unknown, b: unknown, steps: (string | number)[] = []): Difference[] {
  const path = steps.reduce<string>((p, s) => (typeof s === 'number' ? `${p}[${s}]` : p ? `${p}.${s}` : s), '');
  const here = (text: string): Difference[] => [{ path, steps, text }];
  if (a instanceof Date) {
    return typeof b === 'string' && Date.parse(b) === a.getTime()
      ? []
      : here(TEXT.yaml.gives(brief(a, 'js'), brief(b, 'python')));
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const found: Difference[] = [];
    for (let i = 0; i < Math.min(a.length, b.length); i++) found.push(...differences(a[i], b[i], [...steps, i]));
    if (a.length !== b.length) found.push(...here(TEXT.yaml.items(a.length, b.length)));
    return found;
  }
  if (isContainer(a) && isContainer(b) && !Array.isArray(a) && !Array.isArray(b)) {
    const found: Difference[] = [];
    const ra = a as Record<string, unknown>;
    const rb = b as Record<string, unknown>;
    for (const k of new Set([...Object.keys(ra), ...Object.keys(rb)])) {
      if (!(k in rb) || !(k in ra)) {
        found.push({
          path: path ? `${path}.${k}` : k,
          steps: [...steps, k],
          text: TEXT.yaml.onlyIn(k in ra ? 'js-yaml' : 'PyYAML'),
        });
      } else found.push(...differences(ra[k], rb[k], [...steps, k]));
    }
    return found;
  }
  return firstDifference(a, b) === null ? [] : here(TEXT.yaml.gives(brief(a, 'js'), brief(b, 'python')));
}

/**
 * The 1-based line where a path is written in block-style YAML (`spec:` / `  containers:` /
 * `  - name: x`), or undefined when it cannot be told (flow style, anchors, the document itself).
 */
export function lineOf(text: string, steps: (string | number)[]): number | undefined {
  const lines = text.split('\n');
  const lead = (line: string) => line.length - line.trimStart().length;
  const blank = (line: string) => /^\s*(#.*)?$/.test(line);
  let start = 0; // first line of the current block
  let parent = -1; // column of the current block's owner: its contents sit further right
  let onItemLine = false; // the block starts on a "- " line (its first key shares that line)
  let at: number | undefined;
  for (const step of steps) {
    at = undefined;
    let dash = -1;
    let seen = -1;
    for (let i = start; i < lines.length; i++) {
      const line = lines[i]!;
      if (blank(line)) continue;
      const c = lead(line);
      const first = i === start && onItemLine;
      if (!first && c <= parent) break; // left the block
      if (typeof step === 'number') {
        if (!/^\s*-(\s|$)/.test(line) || (dash !== -1 && c !== dash)) continue;
        dash = c;
        if (++seen === step) {
          at = i;
          parent = c;
          start = i;
          onItemLine = true;
          break;
        }
      } else {
        const keyColumn = first ? c + 2 : c;
        const body = first ? line.slice(c + 2) : line.slice(c);
        const match = /^(["']?)(.+?)\1\s*:(\s|$)/.exec(body);
        if (match && match[2] === step) {
          at = i;
          parent = keyColumn;
          start = i + 1;
          onItemLine = false;
          break;
        }
      }
    }
    if (at === undefined) return undefined;
  }
  return at === undefined ? undefined : at + 1;
}

function brief(value: unknown, flavour: Flavour): string {
  const text = formatValue(value, flavour).replace(/\s*\n\s*/g, ' ');
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}
