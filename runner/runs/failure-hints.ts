/**
 * Turns the usual failures of a re-run tutorial into a next step: Docker's messages for names,
 * networks and ports left over from an earlier run, a missing engine, a missing command.
 *
 * The patterns run over up to 1 MiB of output on the event loop, so every one must be linear:
 * each repetition is bounded ({1,128}, not +), so a start position costs a bounded amount of
 * backtracking whatever the output (an unbounded `.*:(\d+)` once took 80 s on one long line).
 * The messages they look for are short single lines; nothing is lost by the bounds.
 *
 * A hint is a message code (contract/messages.ts): the page shows it in its language, the
 * terminal in English.
 */
import { say, type Message } from '../../contract/messages.ts';

const HINTS: [RegExp, (m: RegExpMatchArray) => Message][] = [
  [/container name "\/?([\w.-]{1,128})" is already in use/i, (m) => say('hint.container-left', { name: m[1]! })],
  [/network with name ([\w.-]{1,128}) already exists/i, (m) => say('hint.network-left', { name: m[1]! })],
  [
    /Bind for [\d.:]{1,64}:(\d{1,5}) failed: port is already allocated|:(\d{1,5}): bind: address already in use|address already in use[^\n]{0,60}?:(\d{1,5})/i,
    (m) => say('hint.port-taken', { port: (m[1] ?? m[2] ?? m[3])! }),
  ],
  [/Cannot connect to the Docker daemon/i, () => say('hint.no-engine')],
  [/pull access denied|failed to resolve reference|no such host/i, () => say('hint.no-download')],
  [/Error: That port is already in use/i, () => say('hint.runserver-running')],
  [
    /(?:^|\n)(?:bash: )?(?:line \d{1,9}: )?([\w.-]{1,128}): command not found/,
    (m) => say('hint.not-installed', { command: m[1]! }),
  ],
  [/CommandError: '[^'\n]{0,512}' already exists/, () => say('hint.project-exists')],
  [
    /cannot stat '([^'\n]{1,512})'|\[Errno 2\] No such file or directory: '([^'\n]{1,512})'|cd: ([^:\n]{1,512}): No such file or directory/,
    (m) => say('hint.missing-path', { path: (m[1] ?? m[2] ?? m[3])! }),
  ],
];

export function failureHint(output: string): Message | undefined {
  for (const [pattern, hint] of HINTS) {
    const match = output.match(pattern);
    if (match) return hint(match);
  }
  return undefined;
}
