/**
 * The runner's own sentences that a learner sees on the page (status lines, failure hints, skip
 * reasons, refusals, Reset and provisioning lines), as a code with parameters. The runner sends
 * the code and, beside it, the English text (what `npm run verify` and the terminal print); the
 * page renders the code in its own language. The Korean catalog is ./messages-ko.ts: its type
 * makes a code without Korean text a type error, and messages.test.ts fails on one at run time.
 * Kept whole: this English catalog is the reference messages-ko.ts mirrors code by code, and its
 * parameter types are read from here.
 *
 * Parameters are names, paths, numbers and commands (never translated), a duration (each language
 * writes its own units), or another message (a failure's cause and its hint), rendered in the
 * same language.
 */
import { formatDuration } from './format.ts';
import { KO_MESSAGES } from './messages-ko.ts';

/** A duration in milliseconds, written in the page's language ("4.2 s", "4.2초"). */
export interface Duration {
  ms: number;
}
/** A name that has its own spelling per language (a chapter's title): `text` unless `in` has the page's. */
export interface Localized {
  text: string;
  in: Partial<Record<Language, string>>;
}
export type Param = string | number | Duration | Localized | Message;

/** English texts: also the reference for every code's parameters. Light markup: `code`. */
export const EN_MESSAGES = {
  // How a run ended (the step's one-line result).
  'run.timeout': (p: { limit: string; took: string }) => `timed out after ${p.limit} and was stopped (took ${p.took})`,
  'run.cancelled': () => 'cancelled; every process of the step was ended',
  'run.exit-code': (p: { code: string }) => `exit code ${p.code}`,
  'run.failed-because': (p: { base: string; hint: string }) => `${p.base}: ${p.hint}`,
  'run.output-differs': () => 'the output differs from the expected output',
  'run.output-differs-edited': () =>
    "the output differs from the expected output; this step was edited, and the expected output is the original step's",
  'run.already-done': (p: { test: string }) => `already done (\`${p.test}\` holds), so it was not run again`,
  'run.port-silent': (p: { url: string; limit: string }) =>
    `the command succeeded, but ${p.url} did not answer within ${p.limit}`,
  'run.runner-error': (p: { where: string; error: string }) => `runner error in ${p.where}: ${p.error}`,
  'run.stopped-with-runner': () => 'the runner stopped while this step ran',
  'run.ended-with-runner': () => 'ran in the background until the runner stopped; ended when the runner started again',
  'run.unqueued': () => 'taken off the queue before it ran',
  'run.manual': () => 'manual step: the runner does not execute it',
  'service.output-differs': () => 'the service started, but its output differs from the expected output',
  'service.serving': (p: { url: string }) => `serving on ${p.url}`,
  'service.background': () => 'running in the background',
  'service.served-then': (p: { url: string; how: string }) => `served ${p.url}, then ${p.how}`,
  'service.served-background-then': (p: { how: string }) => `served in the background, then ${p.how}`,
  'service.stopped': () => 'stopped',
  'service.exited': (p: { code: string }) => `exited by itself (exit code ${p.code})`,
  'service.exited-signal': () => 'exited by itself (signal)',
  'service.exited-early': (p: { port: string }) => `exited before port ${p.port} answered`,

  // Where steps run, and which images (the runner panel).
  'target.host': (p: { system: string; user: string }) => `this machine (${p.system}, user ${p.user})`,
  'target.lab': (p: { name: string; engine: string }) => `lab container ${p.name} (Debian trixie, ${p.engine})`,
  'target.lab-profile': (p: { name: string; engine: string; profile: string }) =>
    `lab container ${p.name} (Debian trixie, ${p.engine}, ${p.profile} images)`,
  'target.engine-own': () => 'its own Docker engine',
  'target.engine-host': () => "the host's network and Docker engine",
  'target.online': () => 'online',
  'target.offline': () => 'offline',
  'profile.asked': (p: { profile: string }) => `${p.profile} because it was asked for (TUTORIAL_PROFILE or --profile)`,
  'profile.online': () => 'online because Docker Hub answered: the official images will be pulled',
  'profile.offline': () =>
    'offline because Docker Hub did not answer: stand-ins for python:3.13, nginx and postgres:17 are built from Debian packages',

  // The Docker engine (runner/engine/engine-status.ts) and the lab container.
  'engine.not-installed': () =>
    'Docker is not installed: the `docker` command was not found on PATH. Install Docker Desktop (macOS, Windows) or the docker.io package (Debian/Ubuntu: `sudo apt-get install docker.io`), then try again.',
  'engine.permission': () =>
    'Docker is installed but this user may not talk to the engine (permission denied on its socket). Add yourself to the docker group with `sudo usermod -aG docker $USER`, then log out and in again (or run `newgrp docker`).',
  'engine.not-running': (p: { detail: string }) =>
    `The Docker engine is not running (${p.detail}). Start it: \`sudo systemctl start docker\` on a systemd Linux, \`sudo dockerd &\` where there is no systemd, or open Docker Desktop.`,
  'engine.no-answer': (p: { detail: string }) =>
    `Docker does not answer: ${p.detail}. Check that \`docker version\` works in a terminal.`,
  'lab.foreign-container': (p: { name: string }) =>
    `A container named ${p.name} exists that the runner did not create. Rename or remove it (docker rm -f ${p.name}), or use the host target.`,

  // Before a step runs (preflight).
  // The page says "Skipped" beside these: the message is only the why.
  'preflight.no-internet': () =>
    'needs internet, and none answers here. The lab already has what this step would download: read on, or run it later on a connected machine.',
  'preflight.no-internet-host': () =>
    'needs internet, and none answers here: read on, or run it later on a connected machine.',
  'preflight.needs-root': () =>
    'needs root: start the runner as root, or switch to the lab target, where steps run as root',
  'preflight.port-taken': (p: { port: string; holder: string }) =>
    `port ${p.port} is already in use by ${p.holder}; stop it first (or Reset), then run this step again`,
  'preflight.holder-unknown': () => 'another program on this machine',
  'preflight.holder-step': (p: { step: string }) => `step ${p.step} (a running service)`,
  'preflight.holder-container': (p: { name: string }) => `the container ${p.name} (docker container stop ${p.name})`,

  // Failure hints (runner/runs/failure-hints.ts).
  'hint.container-left': (p: { name: string }) =>
    `a container named ${p.name} is left from an earlier run: remove it (docker container rm -f ${p.name}) or use Reset`,
  'hint.network-left': (p: { name: string }) =>
    `the network ${p.name} exists from an earlier run: docker network rm ${p.name}, or Reset`,
  'hint.port-taken': (p: { port: string }) =>
    `port ${p.port} is taken, usually by a container from an earlier step: docker container ls, then stop it`,
  'hint.no-engine': () => 'the Docker engine is not running: start Docker, then run the step again',
  'hint.no-download': () => 'an image could not be downloaded: run `npm run provision` for the offline stand-ins',
  'hint.runserver-running': () => 'a development server is still running: stop the runserver step first',
  'hint.not-installed': (p: { command: string }) => `${p.command} is not installed on this target`,
  'hint.project-exists': () => 'the project folder exists from an earlier run: delete it or Reset the workspace',
  'hint.missing-path': (p: { path: string }) =>
    `${p.path} does not exist yet: run the steps before this one first (or the previous chapter, which makes it)`,
  'hint.command-missing': (p: { command: string }) => `the command ${p.command} is not installed on this target`,
  'hint.command-install': (p: { command: string; label: string; install: string }) =>
    `the command ${p.command} is not installed on this target (${p.label}): ${p.install}`,
  'hint.command-install-step': (p: { command: string; label: string; step: string; where: string; install: string }) =>
    `the command ${p.command} is not installed on this target (${p.label}): step ${p.step} (${p.where}) installs it, or ${p.install}`,

  // Files a step writes or edits (status lines and results).
  'file.wrote': (p: { path: string; lines: number }) => `wrote ${p.path} (${p.lines} line${p.lines === 1 ? '' : 's'})`,
  'file.wrote-short': (p: { path: string }) => `wrote ${p.path}`,
  'file.created': (p: { path: string }) => `created ${p.path} with the new lines`,
  'file.created-short': (p: { path: string }) => `created ${p.path}`,
  'file.already': (p: { path: string }) => `already applied: ${p.path} already contains this change`,
  'file.already-short': () => 'already applied',
  'file.appended': (p: { path: string; lines: number }) => `appended ${p.lines} line(s) to ${p.path}`,
  'file.appended-short': (p: { path: string }) => `appended to ${p.path}`,
  'file.replaced': (p: { path: string; line: number; find: string }) => `${p.path}:${p.line}: replaced ${p.find}`,
  'file.edited-short': (p: { path: string }) => `edited ${p.path}`,
  'file.not-found': (p: { path: string }) => `${p.path} not found`,
  'file.find-missing': (p: { path: string }) => `text to replace not found in ${p.path}`,

  // What a run is doing now (status lines).
  'status.could-not-end': (p: { error: string }) => `could not end every process: ${p.error}`,
  'output.live-only': (p: { size: string }) => `[log kept for replay up to ${p.size}; from here it is shown live only]`,
  'output.capped': (p: { size: string }) =>
    `[output capped at ${p.size}; the rest is counted, and its last lines are shown when the step ends]`,
  'output.not-shown': (p: { size: string }) => `[${p.size} of output not shown; it ended with:]`,
  'status.waiting-port': (p: { port: string }) => `waiting for port ${p.port} to answer...`,
  'status.ready': (p: { url: string }) => `ready: ${p.url}`,
  'status.started': () => 'started',
  'status.service-ended': (p: { how: string }) => `service ${p.how}`,
  'status.stopping-first': (p: { step: string }) => `stopping ${p.step} first (like pressing Ctrl+C in its terminal)`,
  'status.lab-image': (p: { image: string; reason: string }) =>
    `Preparing the lab image ${p.image} (${p.reason}); the first time takes a minute or two`,
  'status.lab-starting': (p: { name: string }) => `Starting ${p.name}`,
  'status.lab-recreating': (p: { name: string; why: string }) => `Recreating ${p.name}: ${p.why}`,
  'status.lab-starting-from': (p: { name: string; image: string }) => `Starting ${p.name} from ${p.image}`,
  'status.store-filled': (p: { seconds: string }) => `image store filled in ${p.seconds} s`,
  'status.store-filling': (p: { images: string }) => `filling the labs' shared image store with ${p.images}`,
  'status.store-copying': (p: { image: string }) => `copying ${p.image} into the store`,
  'status.image-step': (p: { image: string; what: string; percent: number }) => `${p.image}: ${p.what} (${p.percent}%)`,
  'status.image-to-remote': (p: { image: string; from: string; to: string }) =>
    `copying ${p.image} from the engine at ${p.from} to the lab's engine at ${p.to} (docker save | docker load)`,
  'status.workspace-conflict': (p: { path: string; copy: string }) =>
    `${p.path} was changed both here and in the lab since the last copy: this side's version stays, the lab's is kept as ${p.copy}`,
  'status.image-to-remote-progress': (p: { image: string; mb: number }) => `${p.image}: ${p.mb} MB copied`,

  // Provisioning an image (one image's progress).
  'image.line': (p: { image: string; what: string }) => `${p.image}: ${p.what}`,
  'image.retrieving': (p: { name: string }) => `retrieving ${p.name}`,
  'image.validating': (p: { name: string }) => `validating ${p.name}`,
  'image.extracting': (p: { name: string }) => `extracting ${p.name}`,
  'image.unpacking': (p: { name: string }) => `unpacking ${p.name}`,
  'image.configuring': (p: { name: string }) => `configuring ${p.name}`,
  'image.writing': (p: { path: string }) => `writing ${p.path}`,
  'image.running': (p: { script: string }) => `running ${p.script}`,
  'image.customised': () => 'customised',
  'image.importing': (p: { done: string; total: string }) => `${p.done} of ${p.total} MiB`,
  'image.imported': (p: { total: string }) => `${p.total} MiB imported`,
  'image.checking': () => 'checking the local image',
  'image.downloading': (p: { count: number }) => `downloading packages for ${p.count} images`,
  'image.kept': (p: { reason: string }) => `kept: ${p.reason}`,
  'image.done': (p: { action: string; seconds: string }) => `${p.action} in ${p.seconds} s`,
  'image.action-pull': () => 'pulled',
  'image.action-build-online': () => 'built from debian:trixie',
  'image.action-build-offline': () => 'built from Debian packages',
  'image.reason-missing': () => 'missing',
  'image.reason-lab-changed': () => 'lab recipe changed',
  'image.reason-lab-current': () => 'lab image is current',
  'image.reason-official': () => 'official image present',
  'image.reason-standin': () => 'stand-in is current',
  'image.reason-replace-official': (p: { what: string }) => `replacing ${p.what} with the official image`,
  'image.reason-replace-standin': (p: { what: string }) => `replacing ${p.what} (not the current stand-in)`,
  'image.what-standin': () => 'the offline stand-in',
  'image.what-local': () => 'a local image of that name',
  'provision.ready': () => 'images ready',
  'provision.done': () => 'done',
  'provision.failed': (p: { error: string }) => `failed: ${p.error}`,

  // Reset (the whole tutorial, or one chapter).
  'reset.stopping': () => 'stopping running steps and services',
  'reset.removing-lab': () => "removing the lab and its Docker engine's state",
  'reset.removing-docker': () => "removing the tutorial's containers, networks and images",
  'reset.emptying': () => 'emptying the workspace',
  'reset.done': () => 'done',
  'reset.chapter-stopping': () => 'this chapter: stopping its steps and services',
  'reset.chapter-removed': (p: { what: string }) => `removed ${p.what}`,
  'reset.chapter-nothing': () => 'nothing of this chapter was left',
  'reset.setting-stage': (p: { count: number; chapters: string }) =>
    `done; setting the stage: ${p.count} steps of the chapters before this one (${p.chapters})`,

  // The YAML live view's Python side (runner/yaml-bridge.ts, session/yaml-to-json.py).
  'yaml.self-alias': () => 'this YAML refers to itself through an alias (a node that contains its own anchor)',
  'yaml.expands-too-far': () =>
    'the aliases in this YAML expand to more than 1,000,000 characters of data (a "billion laughs" document?); refused so nothing freezes',
  'yaml.no-pyyaml': () => 'PyYAML is not installed in this Python (pip install pyyaml)',
  'yaml.too-deep': () => 'this YAML is nested too deeply for Python to load',
  'yaml.answer-too-big': (p: { mib: number }) =>
    `Python's parse answer grew over ${p.mib} MiB and was stopped (aliases expanding?)`,
  'yaml.too-slow': () => "Python's parse took over 10 s and was stopped (a YAML bomb?)",
  'yaml.replaced': () => "Python's parse was replaced by a newer request",
  'yaml.no-python': (p: { target: string }) =>
    `python3 could not parse it: python3 was not found on the ${p.target} target`,
  'yaml.python-failed': (p: { detail: string }) => `python3 could not parse it: ${p.detail}`,
  'yaml.not-json': (p: { start: string }) => `python3 printed something that is not JSON: ${p.start}`,

  // Run all (batch) endings.
  'batch.could-not-start': (p: { step: string; error: string }) => `could not start ${p.step}: ${p.error}`,
  'batch.stopped-by-reset': () => 'stopped by a reset or shutdown',
  'batch.stopped-at': (p: { step: string; why: string }) => `stopped at ${p.step}: ${p.why}`,
  'batch.stopped-at-said': (p: { step: string; why: string; said: string }) =>
    `stopped at ${p.step}: ${p.why} (${p.said})`,

  // Refusals the page shows (HTTP answers other than 2xx).
  'refused.unknown-step': (p: { step: string }) => `unknown step "${p.step}"`,
  'refused.unknown-step-hint': () => 'reload the page: it does not match the runner',
  'refused.stale-page': (p: { step: string }) => `step "${p.step}" on this page differs from the runner's copy`,
  'refused.stale-page-hint': () => 'reload the page (or rebuild the site)',
  'refused.manual': (p: { step: string }) => `step "${p.step}" is a manual step; do it yourself`,
  'refused.running': (p: { step: string }) => `step "${p.step}" is already running`,
  'refused.running-service-hint': () => 'stop the service first',
  'refused.running-hint': () => 'wait or cancel it',
  'refused.queued': (p: { step: string }) => `step "${p.step}" is already queued`,
  'refused.queued-hint': () => 'it runs when the step before it ends',
  'refused.unknown-chapter': (p: { chapter: string }) => `unknown chapter "${p.chapter}"`,
  'refused.not-in-chapter': (p: { step: string; chapter: string }) =>
    `step "${p.step}" is not in chapter "${p.chapter}"`,
  'refused.chapter-running': (p: { chapter: string }) => `chapter "${p.chapter}" is already running`,
  'refused.not-paused': (p: { chapter: string }) => `chapter "${p.chapter}" is not waiting at a checkpoint`,
  'refused.busy-reset': () => 'a reset is in progress',
  'refused.busy-chapter-reset': () => 'a reset of this chapter is in progress',
  'refused.busy-target': () => 'a switch of target is in progress',
  'refused.busy-lab-restart': () => 'a restart of the lab is in progress',
  'refused.busy-lab-stop': () => 'stopping an idle lab is in progress',
  'refused.busy-hint': () => 'wait a moment and try again',
  'refused.busy-run-hint': () => 'wait for it to finish, then run the step again',
  'refused.host-off': () => 'the host target is off here: steps run in your lab',
  'refused.host-off-hint': () => 'ask the instructor',
  'refused.no-token': () => 'this request has no token',
  'refused.wrong-token': () => 'wrong token',
  'refused.no-token-hint': () => 'open the link with ?token=... that `npm start` printed',
  'refused.old-token-hint': () => 'the runner was restarted? open the new link that `npm start` printed',
  'refused.foreign-origin': (p: { origin: string }) => `Origin "${p.origin}" is not this runner's own page`,
  'refused.not-dev-origin': (p: { origin: string }) => `Origin "${p.origin}" is not the dev server's page`,
  'refused.not-dev-origin-hint': (p: { page: string }) =>
    `open the tutorial at ${p.page}/ (the link \`npm run dev\` printed)`,
  'refused.foreign-origin-hint': () => 'only the tutorial pages served by this runner may call it',
  'refused.no-container-hint': () => 'reload the page to see which containers still run',
} satisfies Record<string, (p: never) => string>;

export type MessageCode = keyof typeof EN_MESSAGES;

/** A code this runner knows (a script's answer names one by its text). */
export function isMessageCode(code: string): code is MessageCode {
  return Object.hasOwn(EN_MESSAGES, code);
}
/** The parameters a code's text needs, each one as plain text (after rendering). */
export type ParamsOf<C extends MessageCode> = Parameters<(typeof EN_MESSAGES)[C]> extends [infer P] ? P : undefined;

/** A message as the runner sends it: its code and the parameters, before rendering. */
export interface Message {
  code: MessageCode;
  params?: Record<string, Param>;
}

/** The Korean catalog's shape: every code, with the same parameters as the English one. */
export type MessageCatalog = { [C in MessageCode]: (p: ParamsOf<C>) => string };

type ParamsIn<C extends MessageCode> = ParamsOf<C> extends undefined ? [] : [{ [K in keyof ParamsOf<C>]: Param }];

/** say('status.waiting-port', { port: 8000 }): a message, typed by its code's parameters. */
export function say<C extends MessageCode>(code: C, ...params: ParamsIn<C>): Message {
  return params[0] === undefined ? { code } : { code, params: params[0] as Record<string, Param> };
}

export type Language = 'en' | 'ko';

/** "ko", "ko-KR" → ko; anything else → en (English is the runner's and the CLI's language). */
export function languageOf(tag: string | undefined): Language {
  return tag?.toLowerCase().startsWith('ko') ? 'ko' : 'en';
}

/** The message in a language: a code the catalog does not know (a newer runner) falls back to `fallback`. */
export function render(message: Message, language: Language, fallback?: string): string {
  const catalog = (language === 'ko' ? KO_MESSAGES : EN_MESSAGES) as Record<string, (p: unknown) => string>;
  const text = catalog[message.code];
  if (!text) return fallback ?? message.code;
  const params: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(message.params ?? {})) params[name] = paramText(value, language);
  return text(params);
}

/** The English text, as the terminal and `npm run verify` print it. */
export function english(message: Message): string {
  return render(message, 'en');
}

/** A message, or English text not (yet) given a code: what a runner's hook may pass on. */
export type Said = string | Message;

export function isMessage(value: unknown): value is Message {
  return typeof value === 'object' && value !== null && typeof (value as Message).code === 'string';
}

/** The English text of either kind. */
export function textOf(said: Said): string {
  return typeof said === 'string' ? said : english(said);
}

/** An error whose message has a code: the runner shows it on the page in the page's language. */
export class SaidError extends Error {
  readonly msg: Message;
  constructor(msg: Message) {
    super(english(msg));
    this.msg = msg;
  }
}

/** `{ message, msg }` for a field pair of the protocol: the English text and, if it has one, the code. */
export function sayBoth(said: Said): { message: string; msg?: Message } {
  return typeof said === 'string' ? { message: said } : { message: english(said), msg: said };
}

function paramText(value: Param, language: Language): string | number {
  if (typeof value === 'string' || typeof value === 'number') return value;
  if ('ms' in value) return language === 'ko' ? koreanDuration(value.ms) : formatDuration(value.ms);
  if ('text' in value) return value.in[language] ?? value.text;
  return render(value, language);
}

/** 45 → "45ms", 4_200 → "4.2초", 125_000 → "2분 5초" (the same roundings as formatDuration). */
export function koreanDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)}초`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}초`;
  return `${Math.floor(seconds / 60)}분 ${seconds % 60}초`;
}
