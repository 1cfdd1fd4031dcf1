/**
 * The containers the tutorial's steps left running (`docker run -d`), as the page lists them
 * beside the services: refreshed after every Docker step, Reset and container stop, and published
 * only when the list changed.
 */
import { say } from '../contract/messages.ts';
import type { ContainerInfo, RunnerEvent } from '../contract/protocol.ts';
import { RunRefused } from './runs/runs.ts';
import { engineStatus, stopTutorialContainer, tutorialContainers, type EngineCli } from './tutorial-docker.ts';

export class TutorialContainers {
  private list: ContainerInfo[] = [];
  private readonly engine: () => EngineCli;
  private readonly publish: (event: RunnerEvent) => void;

  /** `engine`: the engine the steps talk to now (the host's, or an isolated lab's). */
  constructor(engine: () => EngineCli, publish: (event: RunnerEvent) => void) {
    this.engine = engine;
    this.publish = publish;
  }

  get current(): ContainerInfo[] {
    return this.list;
  }

  async refresh(): Promise<void> {
    const containers = (await engineStatus()).ok ? await tutorialContainers(this.engine()).catch(() => []) : [];
    if (JSON.stringify(containers) === JSON.stringify(this.list)) return;
    this.list = containers;
    this.publish({ type: 'containers', containers });
  }

  /** Stops one of the tutorial's containers (never another: see stopTutorialContainer). */
  async stop(name: string): Promise<void> {
    try {
      await stopTutorialContainer(name, this.engine());
    } catch (error) {
      throw new RunRefused(404, (error as Error).message, say('refused.no-container-hint'));
    } finally {
      await this.refresh();
    }
  }
}
