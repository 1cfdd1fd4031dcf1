/**
 * Expressive Code plugin that ships nameScrollingCodeBlocks to every page with a code block, next
 * to Expressive Code's own script that makes overflowing blocks scrollable regions.
 */
import { definePlugin } from '@astrojs/starlight/expressive-code';
import { nameScrollingCodeBlocks } from './scrolling-block-names.ts';

export function scrollingBlockNames() {
  return definePlugin({
    name: 'Scrolling code block names',
    jsModules: [`(${nameScrollingCodeBlocks.toString()})();`],
  });
}
