/**
 * The learner's own version of a step: an Edit button in the step's bar opens a labelled editor
 * with the step's shipped code (asked of the runner: GET /api/steps/<id>/source); while the code
 * differs from the original the step is marked "edited", shows the line diff (code-diff.ts) and
 * offers Restore. Run then sends the code to POST /api/runs/edited (runnable-step.ts asks
 * `editedCode()`). The edit lives in localStorage under the step's id and hash, so it survives a
 * reload until restored; a chapter that changed the step (another hash) drops it.
 */
import type { StepSource } from '../../contract/protocol.ts';
import { codeDiff, isChanged } from './code-diff.ts';
import { ApiRequestError, runner } from './runner-connection.ts';
import type { StepView } from './step-model.ts';
import { TEXT } from './texts.ts';
import { withCode } from './ui-text.ts';

/** Kinds the runner takes an edited version of (runner/runs/edited-step.ts). */
const EDITABLE_KINDS = new Set(['shell', 'python', 'repl', 'file']);

interface SavedEdit {
  hash: string;
  original: string;
  code: string;
}

export interface StepEditorOptions {
  id: string;
  name: string;
  hash: string;
  kind: string;
  /** Ctrl+Enter in the editor: run the step (as Run would). */
  run: () => void;
}

const storageKey = (id: string) => `runnable-tutorial.edit.${id}`;

function storage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined; // storage off (a private window's policy): the edit lasts as long as the page
  }
}

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<Record<string, string>> = {},
  text?: string,
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) if (value !== undefined) el.setAttribute(key, value);
  if (text !== undefined) el.textContent = text;
  return el;
}

export class StepEditor {
  private readonly options: StepEditorOptions;
  private readonly editButton: HTMLButtonElement;
  private readonly badge: HTMLElement;
  private readonly panel: HTMLElement;
  private readonly form: HTMLElement;
  private readonly textarea: HTMLTextAreaElement;
  private readonly changes: HTMLElement;
  private readonly diff: HTMLPreElement;
  private readonly note: HTMLElement;
  private readonly error: HTMLElement;
  private saved: SavedEdit | undefined;
  private maxChars = Infinity;
  private memory: SavedEdit | undefined; // when localStorage is off

  static editable(kind: string): boolean {
    return EDITABLE_KINDS.has(kind);
  }

  /** Builds the controls into the step: the button and badge in `bar`, the panel just before `before`. */
  constructor(bar: HTMLElement, before: HTMLElement, options: StepEditorOptions) {
    this.options = options;
    const panelId = `step-editor-${options.id}`;
    const textareaId = `step-editor-code-${options.id}`;
    this.editButton = element(
      'button',
      {
        type: 'button',
        class: 'step-edit',
        'aria-expanded': 'false',
        'aria-controls': panelId,
        'aria-label': TEXT.editor.editLabel(options.name),
      },
      TEXT.editor.edit,
    );
    this.editButton.hidden = true;
    this.badge = element('span', { class: 'step-edited-badge', title: TEXT.editor.editedTitle }, TEXT.editor.edited);
    this.badge.hidden = true;
    const authors = bar.querySelector('.step-authors');
    bar.insertBefore(this.editButton, authors);
    bar.insertBefore(this.badge, authors);

    this.panel = element('div', { class: 'step-editor', id: panelId, 'data-pagefind-ignore': 'all' });
    this.form = element('div', { class: 'step-editor-form' });
    this.form.hidden = true;
    const label = element(
      'label',
      { for: textareaId, class: 'step-editor-label' },
      TEXT.editor.textareaLabel(options.name),
    );
    this.textarea = element('textarea', {
      id: textareaId,
      class: 'step-editor-code',
      spellcheck: 'false',
      autocapitalize: 'off',
      autocomplete: 'off',
      wrap: 'off',
      'aria-describedby': `${textareaId}-hint`,
    });
    const hint = element('p', { class: 'step-editor-hint', id: `${textareaId}-hint` }, TEXT.editor.hint);
    const close = element('button', { type: 'button', class: 'step-editor-close' }, TEXT.editor.close);
    this.form.append(label, this.textarea, hint, close);

    this.changes = element('div', { class: 'step-editor-changes' });
    this.changes.hidden = true;
    const caption = element('p', { class: 'step-editor-diff-title', id: `${panelId}-diff` }, TEXT.editor.diffTitle);
    this.diff = element('pre', {
      class: 'step-editor-diff',
      tabindex: '0',
      'aria-label': TEXT.editor.diffLabel(options.name),
    });
    const restore = element(
      'button',
      { type: 'button', class: 'step-editor-restore', 'aria-label': TEXT.editor.restoreLabel(options.name) },
      TEXT.editor.restore,
    );
    this.note = element('p', { class: 'step-editor-note' });
    this.note.hidden = true;
    this.changes.append(caption, this.diff, restore, this.note);
    this.error = element('p', { class: 'step-editor-error', role: 'alert' });
    this.error.hidden = true;
    this.panel.append(this.form, this.changes, this.error);
    before.parentElement!.insertBefore(this.panel, before);

    this.editButton.addEventListener('click', () => void this.toggle());
    close.addEventListener('click', () => this.close());
    restore.addEventListener('click', () => this.restore());
    this.textarea.addEventListener('input', () => this.changed());
    this.textarea.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') this.close();
      else if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        this.options.run();
      }
    });

    this.saved = this.load();
    this.renderEdit();
  }

  /** The code to run instead of the shipped step's, when the learner changed it. */
  editedCode(): string | undefined {
    return this.saved && isChanged(this.saved.original, this.saved.code) ? this.saved.code : undefined;
  }

  /** Follows the runner: Edit only with a runner; a note when the last run was of the edited version. */
  render(connected: boolean, view: StepView | undefined): void {
    this.editButton.hidden = !connected;
    const state = view?.phase === 'finished' ? view.state : undefined;
    const note = !state?.edited
      ? ''
      : state.status === 'failed' && view?.expect && !view.expect.ok
        ? TEXT.editor.mismatchEdited
        : TEXT.editor.ranEdited;
    this.note.hidden = !note || !this.editedCode();
    this.note.textContent = note;
  }

  private async toggle(): Promise<void> {
    if (!this.form.hidden) return this.close();
    this.showError('');
    let source: StepSource;
    try {
      source = await runner.json<StepSource>(`/api/steps/${encodeURIComponent(this.options.id)}/source`);
    } catch (error) {
      const why = error instanceof ApiRequestError ? error.message : TEXT.noAnswer;
      return this.showError(`${TEXT.editor.couldNotLoad}: ${why}`);
    }
    if (!source.editable) return this.showError(TEXT.editor.notEditable);
    this.maxChars = source.maxChars;
    // The page and the runner must agree on the step; an edit of another version starts over.
    if (!this.saved || this.saved.original !== source.code)
      this.saved = { hash: this.options.hash, original: source.code, code: source.code };
    this.textarea.value = this.saved.code;
    this.textarea.rows = Math.min(24, Math.max(3, this.saved.code.split('\n').length + 1));
    this.form.hidden = false;
    this.editButton.setAttribute('aria-expanded', 'true');
    this.textarea.focus();
  }

  private close(): void {
    this.form.hidden = true;
    this.editButton.setAttribute('aria-expanded', 'false');
    this.editButton.focus();
  }

  private restore(): void {
    if (this.saved) this.saved = { ...this.saved, code: this.saved.original };
    this.textarea.value = this.saved?.code ?? '';
    this.store();
    this.renderEdit();
    (this.form.hidden ? this.editButton : this.textarea).focus();
  }

  private changed(): void {
    if (!this.saved) return;
    this.saved = { ...this.saved, code: this.textarea.value };
    this.showError(this.textarea.value.length > this.maxChars ? TEXT.editor.tooLong(this.maxChars) : '');
    this.store();
    this.renderEdit();
  }

  private renderEdit(): void {
    const code = this.editedCode();
    this.badge.hidden = code === undefined;
    this.changes.hidden = code === undefined;
    if (code === undefined || !this.saved) return void this.diff.replaceChildren();
    const rows = codeDiff(this.saved.original, code).map((row) => {
      const span = document.createElement('span');
      if (row.kind === 'fold') {
        span.className = 'diff-fold';
        span.textContent = TEXT.editor.unchanged(row.count);
      } else {
        span.className = row.kind === 'add' ? 'diff-add' : row.kind === 'del' ? 'diff-del' : 'diff-same';
        span.textContent = `${row.kind === 'add' ? '+' : row.kind === 'del' ? '-' : ' '} ${row.text}`;
      }
      return span;
    });
    this.diff.replaceChildren(...rows);
  }

  private showError(text: string): void {
    this.error.hidden = !text;
    this.error.replaceChildren(...(text ? [withCode(text)] : []));
  }

  private load(): SavedEdit | undefined {
    try {
      const raw = storage()?.getItem(storageKey(this.options.id));
      const saved = raw ? (JSON.parse(raw) as Partial<SavedEdit>) : this.memory;
      if (
        saved &&
        saved.hash === this.options.hash &&
        typeof saved.original === 'string' &&
        typeof saved.code === 'string'
      )
        return saved as SavedEdit;
    } catch {
      // a damaged entry: as good as none
    }
    return undefined;
  }

  private store(): void {
    const edit = this.editedCode() !== undefined ? this.saved : undefined;
    this.memory = edit;
    try {
      if (edit) storage()?.setItem(storageKey(this.options.id), JSON.stringify(edit));
      else storage()?.removeItem(storageKey(this.options.id));
    } catch {
      // full or off: kept in memory for this page
    }
  }
}
