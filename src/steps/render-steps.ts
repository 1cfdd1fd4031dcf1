/**
 * Sätteri mdast plugin: renders each runnable fence as a <runnable-step> element around the
 * highlighted code, with a Run button, status badge and output area; and each `output` fence as
 * a labelled "expected output" block. Which fences are steps is decided by read-fence.ts, the
 * same code that builds the manifest, so the page and dist/steps.json always agree.
 */
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { defineMdastPlugin, type MdastContent, type MdastParentContent } from 'satteri';
import { collectChapter } from './collect.ts';
import { stepHash } from '../../contract/manifest.ts';
import { readFence } from './read-fence.ts';
import type { Step } from '../../contract/step-schema.ts';
import type { VerifiedOutputs } from '../../contract/verified-output.ts';

interface Options {
  /** Absolute path of the content folder; files outside it are left alone. */
  contentDir: string;
  /** Project root, for the `content/<file>` paths in error messages. */
  root: string;
  /** Last verified transcripts, by step id (see verified-output.ts). */
  verified: () => VerifiedOutputs;
}

type Props = Record<string, string | number | boolean | undefined>;

/** A block element in mdast clothing: Sätteri turns `data.hName` into the HTML tag. */
function el(tag: string, props: Props, children: MdastContent[] = []): MdastParentContent {
  return { type: 'paragraph', data: { hName: tag, hProperties: props }, children } as MdastParentContent;
}
const text = (value: string) => ({ type: 'text', value }) as MdastContent;

export function renderStepsPlugin(options: Options) {
  return ({ fileURL }: { fileURL?: URL }) => {
    if (!fileURL) return undefined;
    const abs = fileURLToPath(fileURL);
    if (!abs.startsWith(options.contentDir + path.sep)) return undefined;
    const display = path.relative(options.root, abs).split(path.sep).join('/');

    // Steps of this file by line, hashed exactly as the manifest hashes them.
    let byLine = new Map<number, Step>();

    return defineMdastPlugin({
      name: 'runnable-steps',
      options: { position: true },
      before(_root, ctx) {
        const { chapter, steps } = collectChapter(ctx.source, display);
        byLine = new Map(
          steps.map((draft, order) => [
            draft.source.line,
            { ...draft, chapter: chapter.id, order, hash: stepHash(draft) },
          ]),
        );
      },
      code(node, ctx) {
        const line = node.position?.start.line ?? 0;
        const meaning = readFence({ lang: node.lang, meta: node.meta, code: node.value, line }, display);
        if (meaning.type === 'plain') return;
        if (meaning.type === 'output') {
          ctx.setProperty(node, 'lang', 'text'); // "output" is our marker, not a language to highlight
          ctx.setProperty(node, 'meta', 'frame="none"');
          ctx.wrapNode(
            node,
            el('figure', { class: 'expected-output', 'data-match': meaning.match }, [
              el('figcaption', {}, [
                text(
                  meaning.match === 'none' ? 'Output you should see' : `Expected output · checked: ${meaning.match}`,
                ),
              ]),
            ]),
          );
          return;
        }
        const step = byLine.get(line);
        if (!step) throw new Error(`${display}:${line}: step not found on second read (please report this)`);
        ctx.setProperty(node, 'meta', step.title ? `title=${JSON.stringify(step.title)}` : '');
        // A REPL block holds the Python lines the reader types; Shiki has no "pycon" grammar.
        if (step.kind === 'repl') ctx.setProperty(node, 'lang', 'python');
        ctx.wrapNode(node, stepShell(step, options.verified()[step.id]));
      },
    });
  };
}

function stepShell(step: Step, verified: VerifiedOutputs[string] | undefined): MdastParentContent {
  const runnable = step.kind !== 'manual';
  const chips = step.requires.map((r) => el('span', { class: 'chip', 'data-requires': r }, [text(`needs ${r}`)]));
  const bar = el('div', { class: 'step-bar' }, [
    ...(runnable
      ? [
          el(
            'button',
            {
              type: 'button',
              class: 'step-run',
              'data-action': 'run',
              disabled: true,
              'aria-label': `Run step ${step.id}`,
            },
            [text('Run')],
          ),
          el(
            'button',
            {
              type: 'button',
              class: 'step-cancel',
              'data-action': 'cancel',
              hidden: true,
              'aria-label': `${step.background ? 'Stop service' : 'Cancel step'} ${step.id}`,
            },
            [text(step.background ? 'Stop' : 'Cancel')],
          ),
          el('span', { class: 'step-status', role: 'status', 'data-status': 'idle' }, [text('not run')]),
        ]
      : [el('span', { class: 'step-status', 'data-status': 'manual' }, [text('manual step: do this yourself')])]),
    el('span', { class: 'step-meta' }, [
      el('code', { class: 'step-id' }, [text(step.id)]),
      el('span', { class: 'step-kind' }, [text(kindLabel(step))]),
      ...chips,
    ]),
    el('span', { class: 'step-hint', hidden: true }, []),
  ]);

  const children: MdastContent[] = [bar, el('div', { class: 'step-output', hidden: true }, [])];
  if (verified) {
    // A code node, not a text node: its whitespace is kept as printed (indentation matters).
    const transcript = { type: 'code', lang: 'text', meta: 'frame="none"', value: verified.output.replace(/\n$/, '') };
    children.push(
      el('details', { class: 'step-verified' }, [
        el('summary', {}, [text(`Last verified output · ${verified.date} · ${verified.tools}`)]),
        transcript as MdastContent,
      ]),
    );
  }
  return el(
    'runnable-step',
    {
      class: 'not-content', // our own layout; Starlight's prose spacing would fight it
      'data-step-id': step.id,
      'data-hash': step.hash,
      'data-kind': step.kind,
      'data-chapter': step.chapter,
      'data-order': step.order,
      'data-background': step.background ? 'true' : undefined,
      'data-port': step.port,
    },
    children,
  );
}

function kindLabel(step: Step): string {
  if (step.background) return `service on :${step.port ?? '?'}`;
  switch (step.kind) {
    case 'file':
      return 'writes a file';
    case 'edit':
      return 'edits a file';
    case 'python':
      return 'python script';
    case 'repl':
      return 'python session';
    case 'manual':
      return 'manual';
    default:
      return 'shell';
  }
}
