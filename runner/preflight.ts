/**
 * Before a step runs: is what it `requires` here? A missing Docker engine fails the step with how
 * to start it; missing internet *skips* it (the learner can go on offline); a port that is already
 * taken names who holds it.
 */
import { say, type Message, type Said } from '../contract/messages.ts';
import type { Step } from '../contract/step-schema.ts';
import type { TargetName } from './targets/target.ts';
import { portAnswers } from './net/port-probe.ts';

/** A skip's or failure's reason is a message code (contract/messages.ts), or English from elsewhere (Docker's status). */
export type Verdict = { action: 'run' } | { action: 'skip'; message: Said } | { action: 'fail'; message: Said };

export interface Machine {
  target: TargetName;
  dockerStatus(): Promise<{ ok: true } | { ok: false; message: string; why?: Message }>;
  internet(): Promise<boolean>;
  isRoot(): boolean;
  /**
   * Whether something listens on a port where the target's servers appear (default: a connect to
   * 127.0.0.1; the isolated lab looks inside, since its published ports always accept on the host).
   */
  portInUse?(port: number): Promise<boolean>;
  /** Who holds a port: a running step's service or a container; undefined when unknown. */
  portHolder(port: number): Promise<Message | string | undefined>;
}

export async function preflight(step: Step, machine: Machine): Promise<Verdict> {
  if (step.requires.includes('internet') && !(await machine.internet())) {
    // The page says "Skipped" beside it: the message is only the why. The lab was built with what
    // these steps download; this machine (the host target) may not have it.
    return {
      action: 'skip',
      message: machine.target === 'lab' ? say('preflight.no-internet') : say('preflight.no-internet-host'),
    };
  }
  if (step.requires.includes('docker')) {
    const docker = await machine.dockerStatus();
    if (!docker.ok) return { action: 'fail', message: docker.why ?? docker.message };
  }
  if (step.requires.includes('root') && machine.target === 'host' && !machine.isRoot()) {
    return {
      action: 'fail',
      message: say('preflight.needs-root'),
    };
  }
  if (step.port !== undefined && (await (machine.portInUse ?? portAnswers)(step.port))) {
    const holder = (await machine.portHolder(step.port)) ?? say('preflight.holder-unknown');
    return { action: 'fail', message: say('preflight.port-taken', { port: String(step.port), holder }) };
  }
  return { action: 'run' };
}

/** Internet reachability, cached briefly: one TCP connect to a well-known HTTPS host. */
export function internetProbe(hosts = ['pypi.org', 'registry-1.docker.io'], ttlMs = 30_000): () => Promise<boolean> {
  const forced = process.env.RUNNER_INTERNET;
  let cached: { at: number; ok: boolean } | undefined;
  return async () => {
    if (forced === 'off') return false;
    if (forced === 'on') return true;
    if (cached && Date.now() - cached.at < ttlMs) return cached.ok;
    const results = await Promise.all(hosts.map((host) => portAnswers(443, 2500, host)));
    cached = { at: Date.now(), ok: results.some(Boolean) };
    return cached.ok;
  };
}
