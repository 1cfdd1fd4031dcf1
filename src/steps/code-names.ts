/**
 * An Expressive Code plugin that names a step's code blocks from the step's heading: render-steps.ts
 * puts `stepname="…"` (the code), `verifiedof="…"` (its last verified output) or `expectedof="…"`
 * (its expected output) in the block's meta, and this labels the scrolling code region ("Code: Start
 * the project") and the copy button ("Copy: Start the project") instead of ~30 unnamed regions and
 * identical "Copy to clipboard" buttons per page.
 */
import { definePlugin } from '@astrojs/starlight/expressive-code';
import { select, setProperty } from '@astrojs/starlight/expressive-code/hast';
import { CODE_LABELS } from '../client/texts.ts';

export function stepCodeNames() {
  return definePlugin({
    name: 'step-code-names',
    hooks: {
      postprocessRenderedBlock: ({ codeBlock, renderData }) => {
        const meta = codeBlock.metaOptions;
        const labels = (['stepname', 'verifiedof', 'expectedof'] as const)
          .map((key) => [key, meta.getString(key)] as const)
          .find(([, name]) => name);
        if (!labels) return;
        const [key, name] = labels as [keyof typeof CODE_LABELS, string];
        const pre = select('pre', renderData.blockAst);
        if (pre) setProperty(pre, 'aria-label', CODE_LABELS[key].code(name));
        const copy = select('.copy button', renderData.blockAst);
        if (copy) setProperty(copy, 'aria-label', CODE_LABELS[key].copy(name));
      },
    },
  });
}
