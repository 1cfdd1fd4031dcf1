/**
 * Every word the runnable parts of a page show, and every link they build, in one place: the
 * server render (src/steps/render-steps.ts, PageTitle.astro) and the page scripts both read them,
 * so a label is written once; the Korean table is ./texts-ko.ts, chosen by textsFor(lang).
 * Pure: no DOM, no Astro. Light markup: `code` and **strong** (see ui-text.ts).
 * Kept whole: one catalog that texts-ko.ts mirrors key by key; split, the two would drift apart.
 */
import type { RunStatus } from '../../contract/protocol.ts';
import { KO, KO_CODE_LABELS, KO_LABELS, koStepName } from './texts-ko.ts';

/** What a step's badge can show: a run status, or one of the page's own states. */
export type Shown = 'idle' | 'queued' | RunStatus | 'ready' | 'stale' | 'already' | 'manual';

/** The parts of a step that name it for people: never its id (that is for authors). */
export interface StepNaming {
  heading?: string;
  headingPart?: { index: number; of: number };
  title?: string;
  order: number;
}

const EN = {
  status: {
    idle: 'not run',
    queued: 'queued',
    running: 'running',
    ready: 'serving',
    ok: 'ok',
    already: 'already done',
    failed: 'failed',
    skipped: 'skipped',
    cancelled: 'cancelled',
    stale: 'changed since it ran',
    manual: 'do this yourself',
  } satisfies Record<Shown, string>,
  result: {
    running: 'Running',
    ok: 'Done',
    failed: 'Failed',
    skipped: 'Skipped',
    cancelled: 'Cancelled',
  } satisfies Record<RunStatus, string>,
  run: 'Run',
  cancel: 'Cancel',
  stop: 'Stop',
  cancelQueued: 'Cancel (queued)',
  runToHere: 'Run to here',
  runToHereTitle: 'Run this chapter’s steps in order, up to and including this one',
  open: 'Open',
  authorsDetails: 'Details',
  stepId: 'Step id',
  queuedLine: 'Queued: it runs when the step before it ends.',
  startingLine: 'Starting…',
  runningLine: 'Running…',
  servingLine: 'Serving. It keeps running until you stop it.',
  alreadyDone: 'Already done',
  staleLine: 'This step has changed since that run; run it again to update.',
  expectOk: (match: string) => `Output matches the expected output (${match}).`,
  expectAgainOk: (match: string) => `Output matches what a re-run prints (${match}).`,
  expectBad: (match: string) => `Output does not match the expected output (${match}).`,
  lastVerified: (date: string, tools: string) => `Last verified output · ${date} · ${tools}`,
  expectedOutput: (match: string) =>
    match === 'none' ? 'Output you should see' : `Expected output · checked: ${match}`,
  expectedAgain: 'What a second run prints',
  manualStep: 'manual step: do this yourself',
  kind: {
    service: (port: number | undefined) => `service on :${port ?? '?'}`,
    file: 'writes a file',
    edit: 'edits a file',
    python: 'python script',
    repl: 'python session',
    manual: 'manual',
    shell: 'shell',
  },
  needs: (what: string) => `needs ${what}`,
  couldNot: {
    run: 'Could not run this step',
    runTo: 'Could not run the chapter up to here',
    cancel: 'Could not cancel',
    stop: 'Could not stop',
    load: 'Could not load the last output',
  },
  noAnswer: 'the runner did not answer.',
  httpStatus: (status: number) => `The runner answered HTTP ${status}.`,
  noAnswerHint: 'Is `npm start` still running? The page reconnects by itself.',
  ago: {
    now: 'just now',
    minutes: (n: number) => `${n} min ago`,
    hours: (n: number) => `${n} h ago`,
  },
  exitCode: (code: number) => `exit code ${code}`,

  // ── the terminal panel (src/client/terminal-panel.ts) ────────────────────────────────────────
  terminal: {
    open: 'Terminal',
    title: 'Terminal',
    close: 'Close',
    closeLabel: 'Close the terminal',
    screenLabel: 'Terminal: your shell in the session the steps run in',
    help: 'Your shell in the same session as the steps: a `cd` or `export` here is where the next step starts, and a step’s `cd` is where your next command runs. **Ctrl+C** stops a command, **Ctrl+Shift+C** copies the selection, **Ctrl+V** pastes. To leave the terminal with the keyboard, press **Esc**, then **Tab**.',
    connecting: 'Connecting…',
    connected: (target: string) => `Connected: ${target}.`,
    lost: 'Connection lost; reconnecting…',
    ended: (message: string) => `${message}. Press Enter in the terminal to start a new shell.`,
    unavailable: (message: string) => `The terminal is not available: ${message}.`,
  },

  // ── a step the learner edits (step-editor.ts) ────────────────────────────────────────────
  editor: {
    edit: 'Edit',
    editLabel: (name: string) => `Edit the code of: ${name}`,
    close: 'Close the editor',
    textareaLabel: (name: string) => `Your version of the code: ${name}`,
    hint: 'Run runs your version; the expected output stays the original’s. Your edit is kept in this browser until you restore the original.',
    edited: 'edited',
    editedTitle: 'You changed this step’s code; Run runs your version',
    restore: 'Restore the original',
    restoreLabel: (name: string) => `Restore the original code: ${name}`,
    diffLabel: (name: string) => `Your changes to the original: ${name}`,
    diffTitle: 'Your changes (− original, + yours)',
    unchanged: (n: number) => `… ${n} unchanged ${n === 1 ? 'line' : 'lines'}`,
    ranEdited: 'This run was of your edited version.',
    mismatchEdited:
      'The output differs from the expected output: this step was edited, and the expected output is the original step’s.',
    notEditable: 'This runner does not run edited steps (it was started with `--no-edited-runs`).',
    couldNotLoad: 'Could not load the step’s code',
    tooLong: (max: number) => `Your version is longer than the ${max} characters the runner takes.`,
  },

  // ── the workspace's files (files-panel.ts) ───────────────────────────────────────────────
  files: {
    title: 'Files in the workspace',
    summary: 'Files in the workspace',
    refresh: 'Refresh',
    empty: 'The workspace is empty: the steps have not made any files yet.',
    truncated: 'The workspace holds more files than are listed here.',
    treeLabel: 'The workspace’s files',
    open: (path: string) => `Open ${path}`,
    fileLabel: (path: string) => `Contents of ${path}`,
    editLabel: (path: string) => `Edit ${path}`,
    binary: 'A binary file: it is not shown here.',
    tooLarge: 'Too large to show here; open it in a terminal.',
    readOnly: 'Read only: too large to edit here.',
    save: 'Save',
    saved: 'Saved.',
    close: 'Close',
    link: 'symlink (not followed)',
    couldNot: {
      list: 'Could not list the workspace',
      open: 'Could not open the file',
      save: 'Could not save the file',
    },
  },

  // ── the chapter's runner panel ───────────────────────────────────────────────────────────
  toolbar: {
    title: 'Runner',
    count: (n: number) => `· ${n} ${n === 1 ? 'runnable step' : 'runnable steps'} in this chapter`,
    staticNotice:
      'To run the steps from this page, start the runner with `npm start` in the project folder and open the link it prints. Without it, each step shows its code and its last verified output.',
    connection: {
      checking: 'Looking for the runner…',
      absent:
        '**Runner not running.** Start it with `npm start` in the project folder and open the link it prints; this page picks it up by itself. Until then each step shows its last verified output.',
      unauthorized:
        '**Runner found, but this page has no valid token.** Open the link that `npm start` printed (or start it with `--new-token` and open the new one).',
      connected: '**Runner connected.**',
    },
    target: (description: string) => `Target: ${description}.`,
    offline: (reason: string) => `**Offline profile:** ${reason}.`,
    runAll: 'Run all',
    running: 'Running…',
    cancelAll: 'Cancel',
    cancelAllLabel: 'Cancel Run all',
    cancelStageLabel: 'Cancel setting the stage',
    continue: 'Continue',
    stopHere: 'Stop here',
    reset: 'Reset everything…',
    resetChapter: 'Reset this chapter…',
    resetChapterConfirm: (title: string) =>
      `Reset “${title}”?\n\nThis stops this chapter’s running steps and services and removes what its steps made: its folders, and the Docker containers, images and networks they created. Other chapters keep their work. Where the steps of earlier chapters that this one builds on have not run, they run next.`,
    targetLabel: 'Run steps on',
    targetLab: 'the lab container (myserver01)',
    targetHost: 'this machine (host)',
    progress: (passed: number, total: number) => `${passed} of ${total} steps passed`,
    progressSkipped: (n: number) => `, ${n} skipped`,
    progressLastKnown: ' (last known; the runner is not connected)',
    servicesTitle: 'Running services',
    container: 'container',
    stopService: (name: string) => `Stop ${name}`,
    stopContainer: (name: string) => `Stop container ${name}`,
    serviceState: { starting: 'starting', ready: 'ready' },
    batchRunning: (scope: string, now?: string) => `Running ${scope}${now ? `; now at “${now}”` : ''}.`,
    batchAll: 'all steps',
    batchUpTo: (name: string) => `up to “${name}”`,
    batchOther: (chapter: string) =>
      `Another chapter (${chapter}) is running its steps; Run all is available when it finishes.`,
    batchDone: (upTo?: string) => (upTo ? `Finished: ran the steps up to “${upTo}”.` : 'Finished: all steps passed.'),
    batchDoneSkipped: (n: number, names: string) =>
      `Finished, but ${n} ${n === 1 ? 'step was' : 'steps were'} skipped: ${names}. See each step for why.`,
    batchStopped: (at: string | undefined, why: string | undefined) =>
      `Stopped${at ? ` at “${at}”` : ''}${why ? `: ${why}` : '.'}`,
    stageRunning: (n: number, total: number, step?: string) =>
      `Setting the stage: this chapter starts from what the chapters before it leave behind. Running their step ${n} of ${total}${step ? ` (\`${step}\`)` : ''}.`,
    stageDone: (total: number) =>
      `The stage is set: ${total} ${total === 1 ? 'step' : 'steps'} of the chapters before this one ran. This chapter can start.`,
    stageStopped: (step: string | undefined, why: string | undefined) =>
      `Setting the stage stopped${step ? ` at the earlier chapters’ step \`${step}\`` : ''}${why ? `: ${why.replace(/\.$/, '')}.` : '.'} Open that chapter to see its output, or press Reset this chapter to try again.`,
    checkpoint: (name: string, what: string | undefined) =>
      `Paused after “${name}”. ${what ?? 'Have a look, then continue.'} Press Continue when you are ready.`,
    task: { reset: 'Reset', provision: 'Preparing images', lab: 'Lab container' },
    resetConfirm:
      'Reset the tutorial?\n\nThis stops every running step and service, removes the tutorial’s Docker containers and images, and empties the workspace folder. Your progress on every chapter starts over.',
    resetStarting: 'Reset: starting…',
    switchConfirm: (name: string, running: string) => `Switching to the ${name} target stops ${running}. Switch?`,
    couldNot: {
      switch: 'Could not switch the target',
      run: 'Could not run the chapter',
      cancel: 'Could not cancel',
      continue: 'Could not continue',
      reset: 'Could not reset',
      resetChapter: 'Could not reset this chapter',
      stop: (name: string) => `Could not stop ${name}`,
    },
  },
  // ── the session log (in the runner panel) ───────────────────────────────────────────────
  log: {
    title: 'Session log',
    intro: 'Every step that ran since the last “Reset everything”, oldest first, with what it printed.',
    loading: 'Loading the session log…',
    empty: 'Nothing has run yet in this session.',
    older: (n: number) => `${n} older ${n === 1 ? 'run is' : 'runs are'} not listed.`,
    omitted: (kib: number) => `… ${kib} KiB of output left out here; the step itself shows its latest run in full.`,
    noOutput: '(no output)',
    refresh: 'Refresh',
    couldNot: 'Could not load the session log',
    entryLabel: (n: number, name: string) => `Run ${n}: ${name}`,
  },
  landing: {
    connected: '**Runner connected.** Open a chapter and press Run on any step.',
    absent: '**No runner connected.** Start it with `npm start` and open the link it prints to run the steps.',
    unauthorized: '**A runner is running, but this browser has no valid token.** Open the link `npm start` printed.',
    checking: 'Looking for the runner…',
  },
  /** The YAML live view (YamlLive.astro, yaml-live.ts, yaml-values.ts). */
  yaml: {
    editBefore: '· edit this copy of ',
    editAfter: '',
    restore: 'Restore the original',
    hints: {
      checking: 'Looking for the runner…',
      absent: 'Start the runner with `npm start` to compare with Python’s PyYAML.',
      unauthorized: 'Open the link with the token that `npm start` printed to compare with Python’s PyYAML.',
      connected: '',
    },
    runnerCouldNot: 'The runner could not parse this with Python.',
    pyCouldNot: 'PyYAML could not load this.',
    at: (line: number, column?: number) => `Line ${line}${column ? `, column ${column}` : ''}: `,
    bothReject: 'Both parsers reject this YAML: fix the line they point at.',
    onlyOne: (parser: string) => `They differ: only ${parser} accepts this YAML.`,
    agree: 'Both parsers agree.',
    differIn: (n: number) => `They differ in ${n} ${n === 1 ? 'place' : 'places'}:`,
    difference: (line: number | undefined, path: string, text: string) =>
      `• ${line ? `line ${line}, ` : ''}${path}: ${text}`,
    wholeDocument: 'the whole document',
    gives: (js: string, py: string) => `js-yaml gives ${js}, PyYAML gives ${py}`,
    items: (js: number, py: number) => `js-yaml has ${js} items, PyYAML has ${py}`,
    onlyIn: (parser: string) => `only in ${parser}’s result`,
    selfAlias: 'this YAML refers to itself through an alias',
    tooBig: (limit: string) =>
      `the aliases in this YAML expand to more than ${limit} characters of data (a “billion laughs” document?); not shown, so the page does not freeze`,
    tooDeep: 'this YAML is nested too deeply to show',
  },
};

/** How people name a step: its heading, numbered when several steps share one. Never the id. */
function enStepName(step: StepNaming): string {
  const base = step.heading ?? step.title ?? `Step ${step.order + 1}`;
  return step.headingPart ? `${base}, part ${step.headingPart.index} of ${step.headingPart.of}` : base;
}

/** Accessible names of a step's controls, built here once ("Run: Start the project"). */
const EN_LABELS = {
  run: (name: string) => `Run: ${name}`,
  cancel: (name: string, background: boolean) => `${background ? 'Stop' : 'Cancel'}: ${name}`,
  runToHere: (name: string) => `Run to here: ${name}`,
  open: (name: string) => `Open the page of: ${name}`,
  output: (name: string) => `Output: ${name}`,
  diff: (name: string) => `Difference from the expected output: ${name}`,
  details: (name: string) => `Details for authors: ${name}`,
  announce: (name: string, status: string) => `${name}: ${status}`,
};

/** Names of a step's code block and its copy button (src/steps/code-names.ts). */
const EN_CODE_LABELS = {
  stepname: { code: (name: string) => `Code: ${name}`, copy: (name: string) => `Copy: ${name}` },
  verifiedof: {
    code: (name: string) => `Last verified output: ${name}`,
    copy: (name: string) => `Copy the last verified output: ${name}`,
  },
  expectedof: {
    code: (name: string) => `Expected output: ${name}`,
    copy: (name: string) => `Copy the expected output: ${name}`,
  },
};

export type EnglishTexts = typeof EN;
export type ControlLabels = typeof EN_LABELS;
export type CodeLabels = typeof EN_CODE_LABELS;

/** Everything a page says, in one language. */
export interface PageTexts {
  TEXT: EnglishTexts;
  LABELS: ControlLabels;
  CODE_LABELS: CodeLabels;
  stepName: (step: StepNaming) => string;
}

/** The texts for a page in `lang` (a BCP 47 tag: "ko", "ko-KR", "en"…); English unless Korean. */
export function textsFor(lang: string | undefined): PageTexts {
  return lang?.toLowerCase().startsWith('ko')
    ? { TEXT: KO, LABELS: KO_LABELS, CODE_LABELS: KO_CODE_LABELS, stepName: koStepName }
    : { TEXT: EN, LABELS: EN_LABELS, CODE_LABELS: EN_CODE_LABELS, stepName: enStepName };
}

/**
 * In the browser: the texts of this page's language (its <html lang>), which the page scripts
 * import directly. The build renders each page with textsFor(its language) instead.
 */
export const { TEXT, LABELS, CODE_LABELS, stepName } = textsFor(
  typeof document === 'undefined' ? undefined : document.documentElement.lang,
);

/**
 * http://127.0.0.1:<port><path>, the address a step's server answers on; `host` instead of
 * 127.0.0.1 for a lab on a remote engine (TargetInfo.portHost).
 */
export function serviceAddress(port: number, path = '/', host = '127.0.0.1'): string {
  const shown = host.includes(':') ? `[${host}]` : host;
  return `http://${shown}:${port}${path.startsWith('/') ? path : `/${path}`}`;
}

/**
 * The link an Open button follows: the service's address with a query unique to the run, so the
 * browser never shows a page it cached from what answered on that port before (nginx's welcome
 * page under the same URL, say). Servers here ignore the query.
 */
export function openHref(url: string, runId: string): string {
  const link = new URL(url);
  link.searchParams.set('run', runId.slice(0, 8));
  return link.href;
}
