/**
 * What the host target needs that the lab image has built in: before a chapter runs on this
 * machine, which of the commands and Python packages its steps use are missing, each with the one
 * command that installs it. A step that still fails with "command not found" (exit code 127) is
 * told which command is missing and which earlier step of the tutorial provides it.
 *
 * What a step needs is read from its own code and `requires`, so a new step that types `tree` or
 * `import yaml` is covered without a list of step ids to keep up to date.
 */
import { execFile } from 'node:child_process';
import { say, type Message } from '../contract/messages.ts';
import type { Step } from '../contract/step-schema.ts';

export interface HostRequirement {
  id: string;
  /** What the learner reads, e.g. "Python 3 with Django (python, django-admin)". */
  label: string;
  /** Does this step use it? */
  usedBy(step: Step): boolean;
  /** A shell command that exits 0 when it is there, run with the steps' own PATH. */
  check: string;
  /** The one command that installs it. */
  install: { debian: string; macos: string };
  /** Commands it provides (for the exit-127 hint). */
  commands: string[];
  /** The tutorial's own step that installs it, if one does. */
  providedBy?: string;
  /** A Python package: then the Python found on PATH is named, since a pyenv or venv one may shadow the system's. */
  pip?: string;
}

const runsCommand = (name: string) => (step: Step) =>
  (step.kind === 'shell' || step.kind === 'python') &&
  new RegExp(`(^|[\\s;|&(\`$])${name.replace(/[.]/g, '\\.')}(?=[\\s;|&)]|$)`, 'm').test(step.code);
const imports = (module: string) => (step: Step) =>
  (step.kind === 'repl' || step.kind === 'python') &&
  new RegExp(`^\\s*(>>> )?import ${module}\\b`, 'm').test(step.code);

export const HOST_REQUIREMENTS: HostRequirement[] = [
  {
    id: 'tree',
    label: 'tree (prints a folder as a tree)',
    usedBy: runsCommand('tree'),
    check: 'command -v tree',
    install: { debian: 'sudo apt-get install -y tree', macos: 'brew install tree' },
    commands: ['tree'],
    providedBy: 'env-install-tree',
  },
  {
    id: 'django',
    label: 'Python 3 with Django (python, django-admin)',
    usedBy: (step) => runsCommand('django-admin')(step) || /\bpython manage\.py\b/.test(step.code),
    check: 'command -v django-admin && python -c "import django"',
    install: {
      debian: 'sudo apt-get install -y python3-django python-is-python3',
      macos: 'python3 -m pip install django',
    },
    commands: ['python', 'django-admin'],
    providedBy: 'env-pip-install',
    pip: 'django',
  },
  {
    id: 'gunicorn',
    label: 'Gunicorn for Python 3',
    usedBy: imports('gunicorn'),
    check: 'python3 -c "import gunicorn"',
    install: { debian: 'sudo apt-get install -y gunicorn', macos: 'python3 -m pip install gunicorn' },
    commands: ['gunicorn'],
    providedBy: 'env-pip-install',
    pip: 'gunicorn',
  },
  {
    id: 'psycopg2',
    label: 'psycopg2 for Python 3 (the PostgreSQL driver)',
    usedBy: imports('psycopg2'),
    check: 'python3 -c "import psycopg2"',
    install: { debian: 'sudo apt-get install -y python3-psycopg2', macos: 'python3 -m pip install psycopg2-binary' },
    commands: [],
    providedBy: 'env-pip-install',
    pip: 'psycopg2-binary',
  },
  {
    id: 'pyyaml',
    label: 'PyYAML for Python 3, and pip',
    usedBy: (step) => imports('yaml')(step) || /\bpip install pyyaml\b/i.test(step.code),
    check: 'command -v pip && python3 -c "import yaml"',
    install: { debian: 'sudo apt-get install -y python3-yaml python3-pip', macos: 'python3 -m pip install pyyaml' },
    commands: ['pip'],
    providedBy: 'yaml-install-pyyaml',
    pip: 'pyyaml',
  },
  {
    // Debian and Ubuntu mark the system Python as managed by apt (PEP 668): `pip install` refuses
    // there even for a package that is installed. A virtualenv that sees the system's packages
    // lets pip answer "Requirement already satisfied", as the lab's Python does.
    id: 'pip-may-install',
    label: 'a Python where pip may install (a virtualenv: the system Python is managed by apt)',
    usedBy: (step) => /(^|[\s;&|])pip3? install\b/m.test(step.code),
    check:
      'python3 -c "import os, sys, sysconfig; sys.exit(sys.prefix == sys.base_prefix and ' +
      "os.path.exists(os.path.join(sysconfig.get_path('stdlib'), 'EXTERNALLY-MANAGED')))\"",
    install: {
      debian:
        'python3 -m venv --system-site-packages ~/.venvs/tutorial && . ~/.venvs/tutorial/bin/activate ' +
        '(then start the runner from that shell)',
      macos: '(Homebrew Python: the same) python3 -m venv ~/.venvs/tutorial && . ~/.venvs/tutorial/bin/activate',
    },
    commands: [],
    providedBy: 'env-virtualenv',
  },
  {
    id: 'docker',
    label: 'the Docker CLI',
    usedBy: (step) => step.requires.includes('docker'),
    check: 'command -v docker',
    install: { debian: 'sudo apt-get install -y docker.io', macos: 'brew install --cask docker (Docker Desktop)' },
    commands: ['docker'],
  },
  {
    id: 'curl',
    label: 'curl',
    usedBy: runsCommand('curl'),
    check: 'command -v curl',
    install: { debian: 'sudo apt-get install -y curl', macos: '(built in)' },
    commands: ['curl'],
  },
];

/** The requirements the given steps use, each with the first step that uses it. */
export function requirementsOf(
  steps: Step[],
  requirements = HOST_REQUIREMENTS,
): { requirement: HostRequirement; firstStep: Step }[] {
  const found: { requirement: HostRequirement; firstStep: Step }[] = [];
  for (const requirement of requirements) {
    // Steps that need the internet are skipped offline; they still count: online they run.
    // The step that installs it names it too, but does not need it.
    const first = steps.find(
      (step) => step.kind !== 'manual' && step.id !== requirement.providedBy && requirement.usedBy(step),
    );
    if (first) found.push({ requirement, firstStep: first });
  }
  return found;
}

export interface Missing {
  requirement: HostRequirement;
  firstStep: Step;
  /** For a Python package: the `python3` the steps would use, e.g. /root/.pyenv/shims/python3. */
  python?: string;
}

/** Runs each check with `sh -c` in the steps' environment; resolves to what is missing. */
export async function missingOnHost(steps: Step[], env: Record<string, string>): Promise<Missing[]> {
  const needed = requirementsOf(steps);
  const results = await Promise.all(needed.map(({ requirement }) => succeeds(requirement.check, env)));
  const python = await output('command -v python3', env);
  return needed.filter((_, i) => !results[i]).map((m) => (m.requirement.pip && python ? { ...m, python } : m));
}

/** The list for the learner: what is missing, for which step, and the one command to install it. */
export function describeMissing(missing: Missing[], platform: NodeJS.Platform = process.platform): string {
  const os = platform === 'darwin' ? 'macos' : 'debian';
  const lines = missing.map(
    ({ requirement, firstStep, python }) =>
      `  - ${requirement.label}, first used by ${firstStep.id} (${firstStep.source.file}:${firstStep.source.line})\n` +
      `      install: ${requirement.install[os]}` +
      (python && !python.startsWith('/usr/bin/')
        ? `\n      (python3 on PATH is ${python}, not the system's: install into it with ` +
          `\`python3 -m pip install ${requirement.pip}\`, or put /usr/bin first on PATH)`
        : ''),
  );
  return `This machine lacks what these steps use on the host target:\n${lines.join('\n')}\nOr run them in the lab, which has all of it.`;
}

/**
 * For a step that ended with exit code 127: which command was not found, and which earlier step
 * (or which install command) provides it. Undefined when the output names no missing command.
 */
export function missingCommandHint(output: string, steps: Step[]): Message | undefined {
  const match = /(?:^|\n)(?:[\w/.-]+: )?(?:line \d+: |\d+: )?([\w.+-]+): (?:command )?not found/.exec(output);
  const command = match?.[1];
  if (!command) return undefined;
  const requirement = HOST_REQUIREMENTS.find((r) => r.commands.includes(command));
  if (!requirement) return say('hint.command-missing', { command });
  const provider = requirement.providedBy ? steps.find((s) => s.id === requirement.providedBy) : undefined;
  const os = process.platform === 'darwin' ? 'macos' : 'debian';
  const { label, install } = { label: requirement.label, install: requirement.install[os] };
  return provider
    ? say('hint.command-install-step', {
        command,
        label,
        step: provider.id,
        where: `${provider.source.file}:${provider.source.line}`,
        install,
      })
    : say('hint.command-install', { command, label, install });
}

function output(script: string, env: Record<string, string>): Promise<string> {
  return new Promise((resolve) => {
    execFile('/bin/sh', ['-c', script], { env, timeout: 10_000 }, (error, stdout) =>
      resolve(error ? '' : stdout.trim()),
    );
  });
}

function succeeds(script: string, env: Record<string, string>): Promise<boolean> {
  return new Promise((resolve) => {
    execFile('/bin/sh', ['-c', script], { env, timeout: 10_000 }, (error) => resolve(!error));
  });
}
