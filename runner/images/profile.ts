/**
 * Online or offline: with a registry, the official `python:3.13` and `nginx:latest` are pulled;
 * without one, stand-ins are built from Debian packages. The learner can force either with
 * TUTORIAL_PROFILE, e.g. to test the offline path on a connected machine.
 */
import { english, say, type Message } from '../../contract/messages.ts';
import { portAnswers } from '../net/port-probe.ts';

export type Profile = 'online' | 'offline';

export interface ProfileChoice {
  profile: Profile;
  /** One sentence for the learner: why this profile (English; `why` is the same as a code, for the page). */
  reason: string;
  why: Message;
}

/** Where `docker pull python:3.13` goes first: Docker Hub's registry, over HTTPS. */
export const DOCKER_HUB_REGISTRY = { host: 'registry-1.docker.io', port: 443 };

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
    return chosen(override, say('profile.asked', { profile: override }));
  }
  if (input.registryAnswers) return chosen('online', say('profile.online'));
  return chosen('offline', say('profile.offline'));
}

/**
 * True when the registry accepts a TCP connection within `timeoutMs`. A connect, not an HTTP
 * request: Node's fetch (or even its TLS stack) would stay in the runner's memory for good, ~15 MB
 * of its 100 MB budget, for a question asked once. The cost: a network that accepts every
 * connection (a captive portal) reads as online; the pulls then fail with Docker's own message,
 * and TUTORIAL_PROFILE=offline chooses the stand-ins.
 */
export function probeRegistry(timeoutMs = 3000, registry = DOCKER_HUB_REGISTRY): Promise<boolean> {
  return portAnswers(registry.port, timeoutMs, registry.host);
}

/** The profile for this run: probes the registry only when nothing overrides it. */
export async function resolveProfile(
  options: { override?: string | undefined; timeoutMs?: number } = {},
): Promise<ProfileChoice> {
  const override = 'override' in options ? options.override : process.env.TUTORIAL_PROFILE;
  if (override?.trim()) return chooseProfile({ override });
  return chooseProfile({ registryAnswers: await probeRegistry(options.timeoutMs) });
}

function chosen(profile: Profile, why: Message): ProfileChoice {
  return { profile, reason: english(why), why };
}
