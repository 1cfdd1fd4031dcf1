/**
 * <workspace-files>: the Files panel under the chapter's runner panel (PageTitle.astro). It lists
 * the workspace as `tree` shows it (GET /api/files), follows the steps (the list is fetched again
 * whenever a run ends while the panel is open), and opens a file: text in a labelled editor with
 * Save (PUT /api/files/content, which the runner writes through fs/safe-write.ts), binary or
 * oversized files only named. Everything it shows comes from the runner; it keeps no state of
 * its own beyond the open file.
 */
import type { WorkspaceEntry, WorkspaceFile, WorkspaceTree } from '../../contract/protocol.ts';
import { store } from './page-store.ts';
import { ApiRequestError, runner } from './runner-connection.ts';
import type { PageModel } from './step-model.ts';
import { TEXT } from './texts.ts';

const T = TEXT.files;

function part<T extends Element>(root: Element, selector: string): T {
  const el = root.querySelector<T>(selector);
  if (!el) throw new Error(`workspace-files: the server render lacks ${selector}`);
  return el;
}

function why(error: unknown): string {
  return error instanceof ApiRequestError ? `${error.message}${error.hint ? ` (${error.hint})` : ''}` : TEXT.noAnswer;
}

/** What changes when a run ends: the ids and states of finished runs. */
function runsEnded(model: PageModel): string {
  return Object.entries(model.steps)
    .filter(([, view]) => view.phase === 'finished')
    .map(([id, view]) => `${id}:${view.state?.runId ?? ''}:${view.state?.status ?? ''}`)
    .join(',');
}

class WorkspaceFiles extends HTMLElement {
  private details!: HTMLDetailsElement;
  private treeBox!: HTMLElement;
  private viewer!: HTMLElement;
  private status!: HTMLElement;
  private error!: HTMLElement;
  private ended = '';
  private open_: WorkspaceFile | null = null;
  private unsubscribe: (() => void) | null = null;
  private loading = false;

  connectedCallback(): void {
    if (this.unsubscribe) return;
    this.details = part(this, 'details');
    this.treeBox = part(this, '.files-tree');
    this.viewer = part(this, '.files-viewer');
    this.status = part(this, '.files-status');
    this.error = part(this, '.files-error');
    part<HTMLButtonElement>(this, '.files-refresh').addEventListener('click', () => void this.refresh());
    this.details.addEventListener('toggle', () => {
      if (this.details.open) void this.refresh();
    });
    store.start(this.dataset.chapter ?? '');
    this.unsubscribe = store.subscribe((model) => this.render(model));
  }

  disconnectedCallback(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  private render(model: PageModel): void {
    this.hidden = model.connection !== 'connected';
    const ended = runsEnded(model);
    // The panel follows the steps: a run that ended may have written files.
    if (ended !== this.ended) {
      this.ended = ended;
      if (this.details.open && !this.hidden) void this.refresh();
    }
  }

  private async refresh(): Promise<void> {
    if (this.loading) return;
    this.loading = true;
    try {
      const tree = await runner.json<WorkspaceTree>('/api/files');
      this.treeBox.replaceChildren(this.treeView(tree));
      this.error.textContent = '';
    } catch (error) {
      this.fail(`${T.couldNot.list}: ${why(error)}`);
    } finally {
      this.loading = false;
    }
  }

  private treeView(tree: WorkspaceTree): Node {
    if (tree.entries.length === 0) return paragraph('files-empty', T.empty);
    const root = this.list(tree.entries);
    root.setAttribute('aria-label', T.treeLabel);
    if (!tree.truncated) return root;
    const fragment = document.createDocumentFragment();
    fragment.append(root, paragraph('files-truncated', T.truncated));
    return fragment;
  }

  private list(entries: WorkspaceEntry[]): HTMLUListElement {
    const ul = document.createElement('ul');
    for (const entry of entries) {
      const li = document.createElement('li');
      li.dataset.type = entry.type;
      if (entry.type === 'dir') {
        const name = document.createElement('span');
        name.className = 'files-dir';
        name.textContent = `${entry.name}/`;
        li.append(name);
        if (entry.children?.length) li.append(this.list(entry.children));
      } else if (entry.type === 'file') {
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'files-open';
        button.textContent = entry.name;
        button.setAttribute('aria-label', T.open(entry.path));
        button.dataset.path = entry.path;
        button.addEventListener('click', () => void this.openFile(entry.path));
        li.append(button);
      } else {
        li.textContent = entry.type === 'link' ? `${entry.name} (${T.link})` : entry.name;
      }
      ul.append(li);
    }
    return ul;
  }

  private async openFile(path: string): Promise<void> {
    try {
      const file = await runner.json<WorkspaceFile>(`/api/files/content?path=${encodeURIComponent(path)}`);
      this.show(file);
      this.say('');
      this.error.textContent = '';
    } catch (error) {
      this.fail(`${T.couldNot.open}: ${why(error)}`);
    }
  }

  private show(file: WorkspaceFile): void {
    this.open_ = file;
    const heading = document.createElement('p');
    heading.className = 'files-path';
    const code = document.createElement('code');
    code.textContent = file.path;
    heading.append(code);
    const close = document.createElement('button');
    close.type = 'button';
    close.className = 'files-close';
    close.textContent = T.close;
    close.addEventListener('click', () => {
      this.open_ = null;
      this.viewer.replaceChildren();
      this.viewer.hidden = true;
      this.details.querySelector<HTMLButtonElement>(`.files-open[data-path="${CSS.escape(file.path)}"]`)?.focus();
    });
    const nodes: Node[] = [heading];
    if (file.binary || file.tooLarge || file.text === undefined) {
      nodes.push(paragraph('files-note', file.binary ? T.binary : T.tooLarge));
    } else if (!file.editable) {
      const pre = document.createElement('pre');
      pre.className = 'files-text';
      pre.tabIndex = 0;
      pre.setAttribute('aria-label', T.fileLabel(file.path));
      pre.textContent = file.text;
      nodes.push(paragraph('files-note', T.readOnly), pre);
    } else {
      const id = `files-edit-${Math.random().toString(36).slice(2, 8)}`;
      const label = document.createElement('label');
      label.htmlFor = id;
      label.className = 'files-label';
      label.textContent = T.editLabel(file.path);
      const textarea = document.createElement('textarea');
      textarea.id = id;
      textarea.className = 'files-text';
      textarea.spellcheck = false;
      textarea.setAttribute('autocapitalize', 'off');
      textarea.wrap = 'off';
      textarea.rows = Math.min(20, Math.max(4, file.text.split('\n').length + 1));
      textarea.value = file.text;
      const save = document.createElement('button');
      save.type = 'button';
      save.className = 'files-save';
      save.textContent = T.save;
      save.addEventListener('click', () => void this.save(file.path, textarea.value));
      nodes.push(label, textarea, save);
    }
    nodes.push(close);
    this.viewer.replaceChildren(...nodes);
    this.viewer.hidden = false;
    this.viewer.querySelector<HTMLElement>('textarea, pre, .files-close')?.focus();
  }

  private async save(path: string, text: string): Promise<void> {
    try {
      const file = await runner.json<WorkspaceFile>('/api/files/content', 'PUT', { path, text });
      if (this.open_?.path === file.path) this.open_ = file;
      this.say(T.saved);
      await this.refresh();
      this.say(T.saved);
    } catch (error) {
      this.fail(`${T.couldNot.save}: ${why(error)}`);
    }
  }

  /**
   * A line beside the panel's controls. Not a live region: the chapter has one polite region
   * (the runner panel's); a failure is an alert instead.
   */
  private say(text: string): void {
    this.status.textContent = text;
    if (text) this.error.textContent = '';
  }

  private fail(text: string): void {
    this.status.textContent = '';
    this.error.textContent = text;
  }
}

function paragraph(className: string, text: string): HTMLParagraphElement {
  const p = document.createElement('p');
  p.className = className;
  p.textContent = text;
  return p;
}

if (!customElements.get('workspace-files')) customElements.define('workspace-files', WorkspaceFiles);
