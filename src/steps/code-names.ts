/**
 * An Expressive Code plugin that names a step's code blocks from the step's heading, in the page's
 * language: render-steps.ts puts `codelabel="…"` (the scrolling code region: "Code: Start the
 * project") and `copylabel="…"` (its copy button: "Copy: Start the project") in the block's meta,
 * instead of ~30 unnamed regions and identical "Copy to clipboard" buttons per page.
 */
import { definePlugin } from '@astrojs/starlight/expressive-code';
import { select, setProperty } from '@astrojs/starlight/expressive-code/hast';

export function stepCodeNames() {
  return definePlugin({
    name: 'step-code-names',
    hooks: {
      postprocessRenderedBlock: ({ codeBlock, renderData }) => {
        const code = codeBlock.metaOptions.getString('codelabel');
        const copy = codeBlock.metaOptions.getString('copylabel');
        const pre = select('pre', renderData.blockAst);
        if (pre && code) setProperty(pre, 'aria-label', code);
        const button = select('.copy button', renderData.blockAst);
        if (button && copy) setProperty(button, 'aria-label', copy);
      },
    },
  });
}
