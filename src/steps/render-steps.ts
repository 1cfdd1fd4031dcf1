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
import { textsFor, type PageTexts } from '../client/texts.ts';
import { TRANSLATIONS } from './locales.ts';

/** The page's one notice on how to start the runner (PageTitle.astro); Run buttons point to it. */
export const RUNNER_NOTICE_ID = 'runner-notice';

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
    // A page in content/ko/ speaks Korean: its controls and captions too.
    const folder = path.relative(options.contentDir, abs).split(path.sep)[0];
    const texts = textsFor(TRANSLATIONS.find((l) => l.dir === folder)?.lang);
    const { TEXT, stepName, CODE_LABELS } = texts;

    // Steps of this file by line, hashed exactly as the manifest hashes them.
    let byLine = new Map<number, Step>();
    let lastStep: Step | undefined;

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
          // Named after the step it belongs to: "Copy the expected output: Start the project".
          // A re-run's block gets a name of its own, so the two regions of one step differ.
          const named =
            lastStep && (meaning.again ? `${stepName(lastStep)} · ${TEXT.expectedAgain}` : stepName(lastStep));
          const owner = named && codeNames(CODE_LABELS.expectedof, named);
          ctx.setProperty(node, 'meta', ['frame="none"', owner].filter(Boolean).join(' '));
          ctx.wrapNode(
            node,
            el('figure', { class: 'expected-output', 'data-match': meaning.match }, [
              el('figcaption', {}, [text(meaning.again ? TEXT.expectedAgain : TEXT.expectedOutput(meaning.match))]),
            ]),
          );
          return;
        }
        const step = byLine.get(line);
        if (!step) throw new Error(`${display}:${line}: step not found on second read (please report this)`);
        lastStep = step;
        // `codelabel`/`copylabel` name the code region and its copy button (code-names.ts); `wrap`: a long
        // command reads in full on a phone too, instead of running off the edge.
        const meta = [
          step.title && `title=${JSON.stringify(step.title)}`,
          codeNames(CODE_LABELS.stepname, stepName(step)),
          'wrap',
        ];
        ctx.setProperty(node, 'meta', meta.filter(Boolean).join(' '));
        // A REPL block holds the Python lines the reader types; Shiki has no "pycon" grammar.
        if (step.kind === 'repl') ctx.setProperty(node, 'lang', 'python');
        ctx.wrapNode(node, stepShell(step, options.verified()[step.id], texts));
      },
    });
  };
}

/** The names of a code block and its copy button, in the block's meta for code-names.ts. */
function codeNames(labels: { code: (name: string) => string; copy: (name: string) => string }, name: string): string {
  return `codelabel=${JSON.stringify(labels.code(name))} copylabel=${JSON.stringify(labels.copy(name))}`;
}

function stepShell(step: Step, verified: VerifiedOutputs[string] | undefined, texts: PageTexts): MdastParentContent {
  const { TEXT, LABELS, stepName, CODE_LABELS } = texts;
  const runnable = step.kind !== 'manual';
  const name = stepName(step);
  // Everything the page script drives is here from the start, named from the heading; the script
  // only shows, hides and fills. Until a runner connects, Run is aria-disabled (still focusable)
  // and described by the page's one notice on how to start it (PageTitle.astro).
  const controls = runnable
    ? [
        el(
          'button',
          {
            type: 'button',
            class: 'step-run',
            'aria-label': LABELS.run(name),
            'aria-disabled': 'true',
            'aria-describedby': RUNNER_NOTICE_ID,
          },
          [text(TEXT.run)],
        ),
        el(
          'button',
          { type: 'button', class: 'step-cancel', hidden: true, 'aria-label': LABELS.cancel(name, step.background) },
          [text(step.background ? TEXT.stop : TEXT.cancel)],
        ),
        ...(step.order > 0
          ? [
              el(
                'button',
                {
                  type: 'button',
                  class: 'step-run-to',
                  'aria-label': LABELS.runToHere(name),
                  'aria-disabled': 'true',
                  'aria-describedby': RUNNER_NOTICE_ID,
                  title: TEXT.runToHereTitle,
                },
                [text(TEXT.runToHere)],
              ),
            ]
          : []),
        // Not a live region: the chapter's one polite region announces results (PageTitle.astro).
        el('span', { class: 'step-status', 'data-status': 'idle' }, [
          el('span', { class: 'step-glyph', 'aria-hidden': 'true' }, []),
          el('span', { class: 'step-status-text' }, [text(TEXT.status.idle)]),
        ]),
        el('span', { class: 'step-elapsed', hidden: true }, []),
        el(
          'a',
          { class: 'step-open', hidden: true, target: '_blank', rel: 'noopener', 'aria-label': LABELS.open(name) },
          [text(step.port ? `${TEXT.open} :${step.port}` : TEXT.open)],
        ),
      ]
    : [
        el('span', { class: 'step-status', 'data-status': 'manual' }, [
          el('span', { class: 'step-glyph', 'aria-hidden': 'true' }, []),
          el('span', { class: 'step-status-text' }, [text(TEXT.manualStep)]),
        ]),
      ];
  const chips = step.requires.map((r) => el('span', { class: 'chip', 'data-requires': r }, [text(TEXT.needs(r))]));
  const authors = el('details', { class: 'step-authors' }, [
    el('summary', { 'aria-label': LABELS.details(name) }, [text(TEXT.authorsDetails)]),
    el('span', { class: 'step-meta' }, [
      el('code', { class: 'step-id', title: TEXT.stepId }, [text(step.id)]),
      el('span', { class: 'step-kind' }, [text(kindLabel(step, TEXT))]),
      ...chips,
    ]),
  ]);
  // Button labels and statuses are not content: the search index holds the prose and the code.
  const bar = el('div', { class: 'step-bar', 'data-pagefind-ignore': 'all' }, [...controls, authors]);

  const output = el('div', { class: 'step-output', hidden: true, 'data-pagefind-ignore': 'all' }, [
    el('p', { class: 'step-statusline', hidden: true }, []),
    el('pre', { class: 'step-log', tabindex: 0, 'aria-label': LABELS.output(name), hidden: true }, []),
    el('div', { class: 'step-summary' }, []),
    el('div', { class: 'step-details' }, []),
  ]);
  const children: MdastContent[] = [bar, ...(runnable ? [output] : [])];
  if (verified) {
    // A code node, not a text node: its whitespace is kept as printed (indentation matters).
    const transcript = {
      type: 'code',
      lang: 'text',
      meta: `frame="none" ${codeNames(CODE_LABELS.verifiedof, name)}`,
      value: verified.output.replace(/\n$/, ''),
    };
    children.push(
      // Open where the chapter shows no expected output of its own; otherwise it would say the same twice.
      el('details', { class: 'step-verified', open: step.expect === undefined ? true : undefined }, [
        el('summary', {}, [text(TEXT.lastVerified(verified.date, verified.tools))]),
        transcript as MdastContent,
      ]),
    );
  }
  return el(
    'runnable-step',
    {
      class: 'not-content', // our own layout; Starlight's prose spacing would fight it
      id: `step-${step.id}`, // the session log links here
      'data-step-id': step.id,
      'data-name': name,
      'data-hash': step.hash,
      'data-kind': step.kind,
      'data-chapter': step.chapter,
      'data-order': step.order,
      'data-background': step.background ? 'true' : undefined,
      'data-port': step.port,
      'data-ready': step.ready,
      'data-checkpoint': step.checkpoint,
    },
    children,
  );
}

function kindLabel(step: Step, TEXT: PageTexts['TEXT']): string {
  if (step.background) return TEXT.kind.service(step.port);
  return TEXT.kind[step.kind];
}
