/**
 * A minimal Debian root filesystem with the recipe's packages, made by debootstrap. Downloaded
 * .debs are kept in a cache folder shared by all images, so a rebuild fetches nothing that has not
 * changed on the mirror.
 */
import { say, type Said } from '../../contract/messages.ts';
import { linkSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';

export interface DebootstrapOptions {
  suite: string;
  /** Empty folder that becomes the root filesystem. */
  target: string;
  mirror: string;
  packages: string[];
  /** Only fill the .deb cache (`--download-only`): lets several builds share one download. */
  downloadOnly?: boolean;
  /** Absolute folder for downloaded .debs (created if missing); several builds may share it at once. */
  debCache: string;
  signal?: AbortSignal;
  onProgress?: (progress: StepProgress) => void;
}

export interface StepProgress {
  done: number;
  total: number;
  /** English, or a code for the page's language (contract/messages.ts). */
  message: Said;
}

export async function debootstrap(options: DebootstrapOptions): Promise<void> {
  // debootstrap downloads straight into its --cache-dir, so two builds sharing one would read each
  // other's half-written files. Each gets its own folder of hard links to the shared .debs, and
  // what it downloaded is linked back once it succeeded (a failed one may hold truncated files).
  const own = path.join(options.debCache, '.in-use', path.basename(options.target));
  mkdirSync(options.debCache, { recursive: true });
  rmSync(own, { recursive: true, force: true });
  mkdirSync(own, { recursive: true });
  linkDebs(options.debCache, own);
  try {
    await runDebootstrap(options, own);
    linkDebs(own, options.debCache);
  } finally {
    rmSync(own, { recursive: true, force: true });
  }
}

async function runDebootstrap(options: DebootstrapOptions, debCache: string): Promise<void> {
  const args = [
    ...(options.downloadOnly ? ['--download-only'] : []),
    '--variant=minbase',
    `--include=${options.packages.join(',')}`,
    `--cache-dir=${debCache}`,
    options.suite,
    options.target,
    options.mirror,
  ];
  const track = debootstrapProgress();
  const run = execa('debootstrap', args, { cancelSignal: options.signal, all: true, reject: false, lines: true });
  for await (const line of run.iterable({ from: 'all' })) {
    const progress = track(line);
    if (progress) options.onProgress?.(progress);
  }
  const result = await run;
  if (result.failed) {
    if (result.code === 'ENOENT') {
      throw new Error(
        'debootstrap is not installed. Install it (`sudo apt-get install debootstrap`) and provision again.',
      );
    }
    if (result.isCanceled) throw new Error('debootstrap was cancelled');
    const tail = result.all.slice(-15).join('\n');
    throw new Error(
      `debootstrap ${options.suite} from ${options.mirror} into ${options.target} failed (exit ${result.exitCode ?? result.signal}). ` +
        `Its last lines:\n${tail}\nIf a package was not found, the mirror may not carry ${options.suite}; ` +
        'set TUTORIAL_DEBIAN_MIRROR to one that does.',
    );
  }
}

/** Hard-links every .deb of `from` that `to` lacks (same file system: both live in the cache folder). */
function linkDebs(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const name of readdirSync(from)) {
    if (!name.endsWith('.deb')) continue;
    try {
      linkSync(path.join(from, name), path.join(to, name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

/**
 * Reads debootstrap's `I: Retrieving|Validating|Extracting|Unpacking|Configuring <package>` lines
 * into progress. Every package is fetched (or validated from the cache), unpacked and configured,
 * and most are extracted first, so the work is about 4 steps per package. The package count is
 * known only once fetching is over; until then it is guessed.
 */
export function debootstrapProgress(guessedPackages = 150): (line: string) => StepProgress | undefined {
  const fetched = new Set<string>();
  let fetching = true;
  let laterSteps = 0;
  return (line) => {
    const match = /^I: (Retrieving|Validating|Extracting|Unpacking|Configuring) (\S+)/.exec(line);
    if (!match) return undefined;
    const [, verb = '', name = ''] = match;
    const code = `image.${verb.toLowerCase()}` as 'image.retrieving';
    const message = say(code, { name: name.replace(/\.+$/, '') });
    if (verb === 'Retrieving' || verb === 'Validating') {
      // Debootstrap also fetches and validates its index files (Release, Packages) under these verbs.
      if (!/^(Release|InRelease|Packages)/.test(name)) fetched.add(name);
    } else {
      fetching = false;
      laterSteps += 1;
    }
    const packages = fetching ? Math.max(guessedPackages, fetched.size + 1) : fetched.size;
    const total = packages * 4;
    return { done: Math.min(fetched.size + laterSteps, total - 1), total, message };
  };
}
