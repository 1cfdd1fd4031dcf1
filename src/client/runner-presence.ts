/** <runner-presence>: the landing page's line saying whether a runner is connected. */
import { runner } from './runner-connection.ts';
import { TEXT } from './texts.ts';
import { rich } from './ui-text.ts';

class RunnerPresence extends HTMLElement {
  private unsubscribe: (() => void) | null = null;

  connectedCallback(): void {
    if (this.unsubscribe) return;
    const text = this.querySelector<HTMLElement>('.runner-presence-text');
    runner.start();
    this.unsubscribe = runner.subscribe({
      connection: (state) => {
        this.dataset.connection = state;
        text?.replaceChildren(rich(TEXT.landing[state]));
      },
    });
  }

  disconnectedCallback(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }
}

if (!customElements.get('runner-presence')) customElements.define('runner-presence', RunnerPresence);
