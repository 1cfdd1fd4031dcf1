/**
 * What the chapter's runner panel says, from the page model: progress (only passed steps fill the
 * bar), the Run all line (running, paused at a checkpoint, finished with skips, stopped) and the
 * task line. Pure, unit-tested with the model (step-model.test.ts).
 */
import { chapterProgress, type PageModel, type StepInfo } from './step-model.ts';
import { TEXT } from './texts.ts';

export interface ToolbarDisplay {
  passed: number;
  total: number;
  progressText: string;
  /** Run all is running for this chapter (Cancel shows), or paused at a checkpoint (Continue shows). */
  mine: boolean;
  paused: boolean;
  otherChapterRunning: boolean;
  batchLine: string;
  taskLine?: string;
  taskBar?: { done: number; total: number };
}

export function toolbarDisplay(
  model: PageModel,
  info: Record<string, StepInfo>,
  chapter: string,
  lastKnown: boolean,
): ToolbarDisplay {
  const { passed, total, skipped } = chapterProgress(model, info);
  const name = (id: string | undefined) => (id ? (info[id]?.name ?? id) : undefined);
  let progressText = TEXT.toolbar.progress(passed, total);
  if (skipped.length > 0) progressText += TEXT.toolbar.progressSkipped(skipped.length);
  if (lastKnown && passed + skipped.length > 0) progressText += TEXT.toolbar.progressLastKnown;

  const batch = model.batch;
  const mine = batch?.chapter === chapter;
  const paused = mine && batch?.pausedAt !== undefined;
  let batchLine = '';
  if (batch && mine && batch.stage) {
    batchLine = TEXT.toolbar.stageRunning(batch.stage.done + 1, batch.stage.total, batch.current);
  } else if (batch && mine && paused) {
    batchLine = TEXT.toolbar.checkpoint(name(batch.pausedAt)!, model.checkpointText);
  } else if (batch && mine) {
    const scope = batch.until ? TEXT.toolbar.batchUpTo(name(batch.until)!) : TEXT.toolbar.batchAll;
    batchLine = TEXT.toolbar.batchRunning(scope, name(batch.current));
  } else if (batch) {
    batchLine = TEXT.toolbar.batchOther(batch.chapter);
  } else if (model.batchEnd) {
    const end = model.batchEnd;
    const skippedNames = (end.skipped ?? []).map((id) => `“${name(id)}”`).join(', ');
    if (end.stage && end.state === 'done') {
      batchLine = TEXT.toolbar.stageDone(end.stage.total);
    } else if (end.stage) {
      const why = end.message?.replace(/^stopped at [\w-]+:\s*/i, '');
      batchLine = TEXT.toolbar.stageStopped(end.current, why);
    } else if (end.state === 'done' && skippedNames) {
      batchLine = TEXT.toolbar.batchDoneSkipped(end.skipped!.length, skippedNames);
    } else if (end.state === 'done') {
      batchLine = TEXT.toolbar.batchDone(name(end.until));
    } else {
      const why = end.message; // without "stopped at <step>:" (runner-messages.ts stopReason)
      batchLine = TEXT.toolbar.batchStopped(name(end.current), why);
    }
  }

  const task = model.task;
  return {
    passed,
    total,
    progressText,
    mine,
    paused,
    otherChapterRunning: Boolean(batch) && !mine,
    batchLine,
    ...(task && { taskLine: `${TEXT.toolbar.task[task.task]}: ${task.message}` }),
    ...(task?.total && !task.final && { taskBar: { done: task.done ?? 0, total: task.total } }),
  };
}
