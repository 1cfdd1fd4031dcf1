/**
 * Where a session lives on disk, and the helper scripts every target needs. The scripts are
 * copied into the workspace because the lab container sees the workspace (at the same absolute
 * path) but not the runner's own source tree.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { SESSION_SCRIPTS } from '../paths.ts';
import type { Workspace } from '../workspace.ts';

const SCRIPTS = ['session.sh', 'repl-driver.py', 'yaml-to-json.py'] as const;

export interface SessionFiles {
  /** session.sh: the kernel (`serve`) and one-off steps (`once`). */
  session: string;
  replDriver: string;
  yamlToJson: string;
  /** Folder with `learner.sh`, the saved state of one target's session. */
  stateDir: string;
  /** Folder where each run's code is written before it runs. */
  codeDir: string;
}

export function sessionFiles(workspace: Workspace, targetName: string): SessionFiles {
  const bin = workspace.state('bin');
  mkdirSync(bin, { recursive: true });
  for (const name of SCRIPTS) {
    const to = path.join(bin, name);
    const from = path.join(SESSION_SCRIPTS, name);
    if (!existsSync(to) || !readFileSync(to).equals(readFileSync(from))) copyFileSync(from, to);
  }
  const stateDir = workspace.state('sessions', targetName);
  const codeDir = workspace.state('code');
  mkdirSync(stateDir, { recursive: true });
  mkdirSync(codeDir, { recursive: true });
  return {
    session: path.join(bin, 'session.sh'),
    replDriver: path.join(bin, 'repl-driver.py'),
    yamlToJson: path.join(bin, 'yaml-to-json.py'),
    stateDir,
    codeDir,
  };
}

/** Writes a run's code to its own file and returns the path. */
export function writeCode(files: SessionFiles, stepId: string, ext: string, code: string): string {
  const file = path.join(files.codeDir, `${stepId}.${ext}`);
  writeFileSync(file, code.endsWith('\n') ? code : `${code}\n`);
  return file;
}
