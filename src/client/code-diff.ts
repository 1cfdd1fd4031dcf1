/**
 * What the learner changed in a step's code, as lines to show: removed (−), added (+) and a line
 * of context around each change, with longer unchanged stretches folded into one "… n unchanged
 * lines" row. The line matching itself is the `diff` package's (Myers' algorithm); this only
 * shapes it for a small <pre>. Pure, for the unit test.
 */
import { diffLines } from 'diff';

export type DiffRow =
  | { kind: 'same' | 'add' | 'del'; text: string }
  /** `count` unchanged lines, not shown. */
  | { kind: 'fold'; count: number };

/** Lines of context kept on each side of a change. */
const CONTEXT = 1;

function lines(value: string): string[] {
  const split = value.replace(/\n$/, '').split('\n');
  return value === '' ? [] : split;
}

export function codeDiff(original: string, edited: string): DiffRow[] {
  const rows: { kind: 'same' | 'add' | 'del'; text: string }[] = [];
  // A last line without its newline would otherwise read as changed when a line is added after it.
  const ended = (text: string) => (text === '' || text.endsWith('\n') ? text : `${text}\n`);
  for (const part of diffLines(ended(original), ended(edited))) {
    const kind = part.added ? 'add' : part.removed ? 'del' : 'same';
    for (const text of lines(part.value)) rows.push({ kind, text });
  }
  // Keep unchanged lines only near a change; fold the others.
  const near = rows.map((_, i) => rows.slice(Math.max(0, i - CONTEXT), i + CONTEXT + 1).some((r) => r.kind !== 'same'));
  const shown: DiffRow[] = [];
  rows.forEach((row, i) => {
    if (row.kind !== 'same' || near[i]) return void shown.push(row);
    const last = shown.at(-1);
    if (last?.kind === 'fold') last.count++;
    else shown.push({ kind: 'fold', count: 1 });
  });
  return shown;
}

/** Whether the edit changes anything (a trailing newline alone does not count). */
export function isChanged(original: string, edited: string): boolean {
  return original.replace(/\n$/, '') !== edited.replace(/\n$/, '');
}
