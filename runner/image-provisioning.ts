/**
 * The two ways the tutorial's images get made: on demand before the first Docker step (once per
 * runner, with progress on the step and the page), and on request (POST /api/provision, every image).
 */
import { say, sayBoth, type Said } from '../contract/messages.ts';
import type { RunnerEvent } from '../contract/protocol.ts';
import { RunRefused } from './runs/runs.ts';
import type { LabTarget } from './targets/lab.ts';
import { chapterImages, engineStatus, provisionImages, type ProfileChoice } from './tutorial-docker.ts';

export interface ImageProvisioningOptions {
  profile: ProfileChoice['profile'];
  publish: (event: RunnerEvent) => void;
  /** The isolated lab when steps run in it: it pulls the images from the shared store. */
  isolatedLab: () => LabTarget | undefined;
}

export class ImageProvisioning {
  private readonly options: ImageProvisioningOptions;
  private ready?: Promise<void>;

  constructor(options: ImageProvisioningOptions) {
    this.options = options;
  }

  /**
   * Before the first Docker step: the base images the chapters' Dockerfiles name must exist
   * (pulled online, built from Debian packages offline). Fast when they do; the first offline
   * build takes a minute or two, with progress on the page.
   */
  beforeDockerStep(progress: (message: Said) => void): Promise<void> {
    const { profile, publish } = this.options;
    this.ready ??= (async () => {
      // A lab on a remote engine: the images come from this machine's engine, not a build there.
      await this.options.isolatedLab()?.copyToEngine(chapterImages(), progress);
      let last = '';
      await provisionImages(
        profile,
        (what, done, total, image) => {
          const line = say('image.line', { image, what });
          publish({ type: 'progress', task: 'provision', ...sayBoth(line), done, total });
          const tenth = `${image} ${Math.floor(done / 10)}`;
          if (tenth !== last) progress(say('status.image-step', { image, what, percent: done }));
          last = tenth;
        },
        chapterImages(),
      );
      // The isolated lab pulls them from the shared store; it must hold the images just made.
      await this.options.isolatedLab()?.prepareImages(progress);
      publish({ type: 'progress', task: 'provision', ...sayBoth(say('provision.ready')), final: true });
    })().catch((error: unknown) => {
      this.ready = undefined; // try again next time
      throw error;
    });
    return this.ready;
  }

  /** The image store went away (the isolated lab was removed): the next Docker step checks again. */
  forget(): void {
    this.ready = undefined;
  }

  /** Every image, on request, with progress as events. */
  async all(): Promise<void> {
    const { profile, publish } = this.options;
    const status = await engineStatus();
    if (!status.ok) throw new RunRefused(503, status.why);
    await provisionImages(profile, (what, done, total, image) =>
      publish({ type: 'progress', task: 'provision', ...sayBoth(say('image.line', { image, what })), done, total }),
    );
    publish({ type: 'progress', task: 'provision', ...sayBoth(say('provision.done')), final: true });
  }
}
