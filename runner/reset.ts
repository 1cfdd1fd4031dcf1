/**
 * Reset: everything (stops runs and services, removes what the tutorial made in Docker, empties the
 * workspace, forgets every status) or one chapter (only what that chapter's steps made).
 */
import type { Manifest } from '../contract/manifest.ts';
import { say, sayBoth, type Said } from '../contract/messages.ts';
import type { RunnerEvent, TargetInfo } from '../contract/protocol.ts';
import { removeChapterFootprint } from './runs/chapter-reset.ts';
import { RunRefused, type Runs } from './runs/runs.ts';
import type { SessionLogStore } from './runs/session-log.ts';
import { missingStage } from './runs/stage.ts';
import type { StatusStore } from './runs/status-store.ts';
import type { Transcripts } from './runs/transcripts.ts';
import type { LabTarget } from './targets/lab.ts';
import { engineStatus, hostShimDir, removeTutorialDockerObjects, type EngineCli } from './tutorial-docker.ts';
import type { Workspace } from './workspace.ts';

/** What a reset touches; the app hands it over (see app.ts). */
export interface ResetScope {
  manifest: Manifest;
  workspace: Workspace;
  status: StatusStore;
  transcripts: Transcripts;
  runs: Pick<Runs, 'whilePaused' | 'setStage'>;
  /** The session log starts again with a full reset. */
  sessionLog: Pick<SessionLogStore, 'clear'>;
  /** The lab, when this runner has one. */
  lab: LabTarget | undefined;
  /** A lab with a name of its own is one learner's among others on this engine. */
  labHasOwnName: boolean;
  publish: (event: RunnerEvent) => void;
  refreshContainers: () => Promise<void>;
  targetInfo: () => TargetInfo;
  /**
   * The engine the steps talk to (the isolated lab's own, started if it was stopped, since its
   * objects live in its engine's volume; or this machine's).
   */
  chaptersEngine: () => Promise<EngineCli>;
  /** The isolated lab's image store was removed with it. */
  forgetImages: () => void;
}

/** Stops everything, removes what the tutorial made in Docker, and empties the workspace. */
export async function resetEverything(scope: ResetScope): Promise<void> {
  const progress = (said: Said) => scope.publish({ type: 'progress', task: 'reset', ...sayBoth(said) });
  progress(say('reset.stopping'));
  await scope.runs.whilePaused(say('refused.busy-reset'), () => clearEverything(scope, progress));
  await scope.refreshContainers();
  scope.publish({ type: 'progress', task: 'reset', ...sayBoth(say('reset.done')), final: true });
  scope.publish({ type: 'target', target: scope.targetInfo() });
}

/**
 * Reset this chapter: stops its runs and services, removes what its steps made (and only that),
 * and forgets its statuses. Other chapters keep their work and their progress.
 */
export async function resetChapter(scope: ResetScope, chapterId: string): Promise<void> {
  const { manifest, status } = scope;
  const chapter = manifest.chapters.find((c) => c.id === chapterId);
  if (!chapter) throw new RunRefused(404, say('refused.unknown-chapter', { chapter: chapterId }));
  const progress = (said: Said, final = false) =>
    scope.publish({ type: 'progress', task: 'reset', ...sayBoth(said), ...(final && { final }) });
  progress(say('reset.chapter-stopping'));
  await scope.runs.whilePaused(say('refused.busy-chapter-reset'), async () => {
    await scope.lab?.syncWorkspace(); // a remote lab's latest, before its folders are removed here
    const engine = (await engineStatus()).ok ? await scope.chaptersEngine() : undefined;
    const removed = await removeChapterFootprint(manifest, chapterId, scope.workspace, engine);
    await scope.lab?.syncWorkspace(); // and the removal carried to it
    for (const id of chapter.steps) {
      status.delete(id);
      scope.transcripts.remove(id);
    }
    progress(
      removed.length ? say('reset.chapter-removed', { what: removed.join(', ') }) : say('reset.chapter-nothing'),
    );
  });
  await scope.refreshContainers();
  // A chapter starts from what the chapters before it leave (runs/stage.ts): set what is missing.
  const missing = missingStage(manifest, chapterId, (id) => status.get(id));
  if (missing.length === 0) return progress(say('reset.done'), true);
  const from = manifest.chapters.filter((c) => missing.some((s) => c.steps.includes(s.id)));
  const chapters = {
    text: from.map((c) => `"${c.title}"`).join(', '),
    in: { ko: from.map((c) => `“${c.titles?.ko ?? c.title}”`).join(', ') },
  };
  progress(say('reset.setting-stage', { count: missing.length, chapters }), true);
  scope.runs.setStage(chapterId, missing);
}

async function clearEverything(scope: ResetScope, progress: (message: Said) => void): Promise<void> {
  const engine = await engineStatus();
  if (engine.ok && scope.lab?.mode === 'isolated') {
    progress(say('reset.removing-lab'));
    await scope.lab.remove();
    scope.forgetImages(); // the next Docker step checks the image store again
  }
  // A lab with a name of its own is one learner's among others on this engine: its Reset removes
  // that lab and nothing else. Otherwise what steps made on the host target or in a shared lab goes too.
  if (engine.ok && !scope.labHasOwnName) {
    progress(say('reset.removing-docker'));
    progress(await removeTutorialDockerObjects());
  }
  progress(say('reset.emptying'));
  await emptyWorkspace(scope.workspace, scope.lab);
  hostShimDir(scope.workspace); // the label shim lived in the workspace too
  scope.status.clear();
  scope.sessionLog.clear();
}

/**
 * Steps hand their files back to the learner when they end (session/session.sh), but what a lab
 * service still running wrote belongs to root; only the lab can delete that for a runner that is not root.
 */
async function emptyWorkspace(workspace: Workspace, lab: LabTarget | undefined): Promise<void> {
  try {
    workspace.empty();
  } catch (error) {
    if (!lab || (error as NodeJS.ErrnoException).code !== 'EACCES') throw error;
    await lab.ensureReady();
    const child = lab.spawn(['find', workspace.root, '-mindepth', '1', '-delete'], {
      cwd: workspace.root,
      env: lab.baseEnv(workspace.home),
      runId: `reset-${Date.now()}`,
    });
    await new Promise((resolve) => child.once('close', resolve));
    workspace.empty();
  }
}
