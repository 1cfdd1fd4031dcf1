/**
 * An Expressive Code plugin that names a step's code block from the step's heading: render-steps.ts
 * puts `stepname="…"` in the block's meta, and this labels the scrolling code region ("Code: Start
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
        const name = codeBlock.metaOptions.getString('stepname');
        if (!name) return;
        const pre = select('pre', renderData.blockAst);
        if (pre) setProperty(pre, 'aria-label', CODE_LABELS.code(name));
        const copy = select('.copy button', renderData.blockAst);
        if (copy) setProperty(copy, 'aria-label', CODE_LABELS.copy(name));
      },
    },
  });
}
