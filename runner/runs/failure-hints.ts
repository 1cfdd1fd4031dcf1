/**
 * Turns the usual failures of a re-run tutorial into a next step: Docker's messages for names,
 * networks and ports left over from an earlier run, a missing engine, a missing command.
 *
 * The patterns run over up to 1 MiB of output on the event loop, so every one must be linear:
 * each repetition is bounded ({1,128}, not +), so a start position costs a bounded amount of
 * backtracking whatever the output (an unbounded `.*:(\d+)` once took 80 s on one long line).
 * The messages they look for are short single lines; nothing is lost by the bounds.
 */
const HINTS: [RegExp, (m: RegExpMatchArray) => string][] = [
  [
    /container name "\/?([\w.-]{1,128})" is already in use/i,
    (m) =>
      `a container named ${m[1]} is left from an earlier run: remove it (docker container rm -f ${m[1]}) or use Reset`,
  ],
  [
    /network with name ([\w.-]{1,128}) already exists/i,
    (m) => `the network ${m[1]} exists from an earlier run: docker network rm ${m[1]}, or Reset`,
  ],
  [
    /Bind for [\d.:]{1,64}:(\d{1,5}) failed: port is already allocated|:(\d{1,5}): bind: address already in use|address already in use[^\n]{0,60}?:(\d{1,5})/i,
    (m) =>
      `port ${m[1] ?? m[2] ?? m[3]} is taken, usually by a container from an earlier step: docker container ls, then stop it`,
  ],
  [
    /Cannot connect to the Docker daemon/i,
    () => 'the Docker engine is not running: start Docker, then run the step again',
  ],
  [
    /pull access denied|failed to resolve reference|no such host/i,
    () => 'an image could not be downloaded: run `npm run provision` for the offline stand-ins',
  ],
  [/Error: That port is already in use/i, () => 'a development server is still running: stop the runserver step first'],
  [
    /(?:^|\n)(?:bash: )?(?:line \d{1,9}: )?([\w.-]{1,128}): command not found/,
    (m) => `${m[1]} is not installed on this target`,
  ],
  [
    /CommandError: '[^'\n]{0,512}' already exists/,
    () => 'the project folder exists from an earlier run: delete it or Reset the workspace',
  ],
  [
    /cannot stat '([^'\n]{1,512})'|\[Errno 2\] No such file or directory: '([^'\n]{1,512})'|cd: ([^:\n]{1,512}): No such file or directory/,
    (m) =>
      `${m[1] ?? m[2] ?? m[3]} does not exist yet: run the steps before this one first (or the previous chapter, which makes it)`,
  ],
];

export function failureHint(output: string): string | undefined {
  for (const [pattern, hint] of HINTS) {
    const match = output.match(pattern);
    if (match) return hint(match);
  }
  return undefined;
}
