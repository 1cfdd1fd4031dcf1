/**
 * Where a session lives on disk, and the helper scripts every target needs. The scripts are
 * copied into the workspace because the lab container sees the workspace (at the same absolute
 * path) but not the runner's own source tree.
 */
import path from 'node:path';
import { installInside, mkdirInside, writeInside } from '../fs/safe-write.ts';
import { SESSION_SCRIPTS } from '../paths.ts';
import type { Workspace } from '../workspace.ts';

const SCRIPTS = ['session.sh', 'terminal-rc.sh', 'repl-driver.py', 'yaml-to-json.py'] as const;

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
  // Through fs/safe-write.ts: a step (or the lab, as root) may have planted symlinks or FIFOs
  // under .runner/; they are replaced, never written through.
  const bin = workspace.state('bin');
  for (const name of SCRIPTS) {
    installInside(
      workspace.root,
      path.relative(workspace.root, path.join(bin, name)),
      path.join(SESSION_SCRIPTS, name),
      0o644,
    );
  }
  const stateDir = workspace.state('sessions', targetName);
  const codeDir = workspace.state('code');
  mkdirInside(workspace.root, path.relative(workspace.root, stateDir), 0o700);
  mkdirInside(workspace.root, path.relative(workspace.root, codeDir), 0o700);
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
  const root = path.resolve(files.codeDir, '../..'); // the workspace: <root>/.runner/code
  writeInside(root, path.relative(root, file), code.endsWith('\n') ? code : `${code}\n`, {
    mode: 0o600,
    dirMode: 0o700,
    existing: 'replace',
  });
  return file;
}
