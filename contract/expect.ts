/**
 * Compares what a step printed with the expected output its chapter declares. Pure, so the
 * runner and the tests share one definition of "matches".
 */
import { stripAnsi } from './ansi.ts';
import type { ExpectedOutput } from './step-schema.ts';

export type ExpectResult = { ok: true } | { ok: false; diff: string };

const lines = (text: string) =>
  stripAnsi(text)
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.trimEnd());

const trimBlank = (ls: string[]) => {
  let start = 0;
  let end = ls.length;
  while (start < end && ls[start]!.trim() === '') start++;
  while (end > start && ls[end - 1]!.trim() === '') end--;
  return ls.slice(start, end);
};

export function checkOutput(expected: ExpectedOutput, actual: string): ExpectResult {
  const want = trimBlank(lines(expected.text));
  const got = trimBlank(lines(actual));
  switch (expected.match) {
    case 'none':
      return { ok: true };
    case 'exact':
      return want.join('\n') === got.join('\n') ? { ok: true } : { ok: false, diff: lineDiff(want, got) };
    case 'regex': {
      const re = new RegExp(expected.text.trim(), 'm');
      return re.test(got.join('\n'))
        ? { ok: true }
        : { ok: false, diff: `no match for /${expected.text.trim()}/m in:\n${tail(got)}` };
    }
    case 'contains': {
      // Every expected line, in order, somewhere in the output (each compared trimmed).
      let at = 0;
      for (const line of want) {
        const needle = line.trim();
        while (at < got.length && !got[at]!.includes(needle)) at++;
        if (at === got.length) {
          return { ok: false, diff: `missing line: ${JSON.stringify(needle)}\nin output:\n${tail(got)}` };
        }
        at++;
      }
      return { ok: true };
    }
  }
}

function tail(ls: string[], n = 12): string {
  return ls
    .slice(-n)
    .map((l) => `  | ${l}`)
    .join('\n');
}

/** A short line diff: the first differing line with a little context. */
function lineDiff(want: string[], got: string[]): string {
  let i = 0;
  while (i < want.length && i < got.length && want[i] === got[i]) i++;
  const out = [`first difference at line ${i + 1}:`];
  for (let j = Math.max(0, i - 1); j < Math.max(want.length, got.length) && j < i + 4; j++) {
    if (want[j] === got[j]) out.push(`    ${want[j] ?? ''}`);
    else {
      if (j < want.length) out.push(`  - ${want[j]}`);
      if (j < got.length) out.push(`  + ${got[j]}`);
    }
  }
  return out.join('\n');
}
