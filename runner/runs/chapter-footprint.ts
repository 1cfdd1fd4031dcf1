/**
 * What a chapter's steps make, read from the steps themselves, for "Reset this chapter": its own
 * folders (the `cwd`s no earlier chapter uses, outermost only, never the workspace root or home),
 * and the Docker images, named containers and networks its commands create. Pure; the removal
 * (chapter-reset.ts) touches only objects that also carry the tutorial's label.
 */
import type { Manifest } from '../../contract/manifest.ts';
import type { Step } from '../../contract/step-schema.ts';

export interface Footprint {
  folders: string[];
  images: string[];
  containers: string[];
  networks: string[];
}

const words = (code: string) => code.split(/\s+/).filter(Boolean);

/** The value after any of `flags` in a command line: `-t weweb01` → weweb01. */
function after(code: string, flags: string[]): string[] {
  const out: string[] = [];
  for (const line of code.split('\n')) {
    const ws = words(line);
    ws.forEach((w, i) => {
      if (flags.includes(w) && ws[i + 1]) out.push(ws[i + 1]!);
      for (const flag of flags)
        if (flag.startsWith('--') && w.startsWith(`${flag}=`)) out.push(w.slice(flag.length + 1));
    });
  }
  return out;
}

export function chapterFootprint(manifest: Manifest, chapterId: string): Footprint {
  const index = manifest.chapters.findIndex((c) => c.id === chapterId);
  if (index === -1) throw new Error(`unknown chapter "${chapterId}"`);
  const stepsOf = (ids: string[]) => ids.map((id) => manifest.steps.find((s) => s.id === id)!);
  const mine = stepsOf(manifest.chapters[index]!.steps);
  const earlier = manifest.chapters.slice(0, index).flatMap((c) => stepsOf(c.steps));

  const dirs = (steps: Step[]) =>
    new Set(steps.flatMap((s) => (s.cwd && s.cwd !== '.' && !s.cwd.startsWith('~') ? [s.cwd] : [])));
  const before = dirs(earlier);
  const own = [...dirs(mine)].filter(
    (d) => ![...before].some((b) => b === d || d.startsWith(`${b}/`) || b.startsWith(`${d}/`)),
  );
  const folders = own.filter((d) => !own.some((o) => o !== d && d.startsWith(`${o}/`))).sort();

  const docker = mine.filter((s) => s.kind === 'shell' && /\bdocker\b/.test(s.code));
  const pick = (pattern: RegExp, flags: string[]) =>
    docker.flatMap((s) =>
      s.code
        .split('\n')
        .filter((l) => pattern.test(l))
        .flatMap((l) => after(l, flags)),
    );
  return {
    folders,
    images: [...new Set(pick(/\bdocker (image )?build\b/, ['-t', '--tag']))].sort(),
    containers: [...new Set(pick(/\bdocker (container )?(run|create)\b/, ['--name']))].sort(),
    networks: [...new Set(pick(/\bdocker network create\b/, ['create']))].sort(),
  };
}
