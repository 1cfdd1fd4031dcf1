/**
 * Online or offline: with a registry, the official `python:3.13` and `nginx:latest` are pulled;
 * without one, stand-ins are built from Debian packages. The learner can force either with
 * TUTORIAL_PROFILE, e.g. to test the offline path on a connected machine.
 */
export type Profile = 'online' | 'offline';

export interface ProfileChoice {
  profile: Profile;
  /** One sentence for the learner: why this profile. */
  reason: string;
}

/** Docker Hub's registry API root: answers 401 to anyone, which is all we need to know. */
export const DOCKER_HUB_REGISTRY = 'https://registry-1.docker.io/v2/';

/**
 * `override` (TUTORIAL_PROFILE or --profile) wins; otherwise online iff the registry answered.
 * Throws on an override that is neither `online` nor `offline`.
 */
export function chooseProfile(input: {
  override?: string | undefined;
  registryAnswers?: boolean | undefined;
}): ProfileChoice {
  const override = input.override?.trim();
  if (override) {
    if (override !== 'online' && override !== 'offline') {
      throw new Error(`Unknown profile "${override}" (from TUTORIAL_PROFILE or --profile): use online or offline.`);
    }
    return { profile: override, reason: `${override} because it was asked for (TUTORIAL_PROFILE or --profile)` };
  }
  if (input.registryAnswers) {
    return { profile: 'online', reason: 'online because Docker Hub answered: the official images will be pulled' };
  }
  return {
    profile: 'offline',
    reason:
      'offline because Docker Hub did not answer: stand-ins for python:3.13 and nginx are built from Debian packages',
  };
}

/**
 * True when `url` gives any HTTP answer within `timeoutMs` (401 included); false on a DNS or
 * connection error or a timeout.
 */
export async function probeRegistry(timeoutMs = 3000, url = DOCKER_HUB_REGISTRY): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
    await response.body?.cancel();
    return true;
  } catch {
    return false;
  }
}

/** The profile for this run: probes the registry only when nothing overrides it. */
export async function resolveProfile(
  options: { override?: string | undefined; timeoutMs?: number } = {},
): Promise<ProfileChoice> {
  const override = 'override' in options ? options.override : process.env.TUTORIAL_PROFILE;
  if (override?.trim()) return chooseProfile({ override });
  return chooseProfile({ registryAnswers: await probeRegistry(options.timeoutMs) });
}
