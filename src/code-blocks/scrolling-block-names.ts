/**
 * Runs in the page (as an Expressive Code JS module): names the code blocks that Expressive Code
 * turns into scrolling regions. Its own script gives a block that overflows `role="region"` and
 * `tabindex="0"` so keyboard users can scroll it, but no name, and a page full of unnamed regions
 * is a list of identical landmarks ("region, region, region"). The name says what the block is
 * and where it sits: its caption (a file name) or kind, and the heading above it, e.g.
 * "Terminal: Install PyYAML"; blocks under the same heading are numbered so every name is unique.
 * Self-contained on purpose: the plugin ships this function's source text.
 */
export function nameScrollingCodeBlocks(): void {
  const BLOCK = '.expressive-code pre';
  let names = new Map<Element, string>();

  const kindOf = (pre: Element): string => {
    const frame = pre.closest('figure');
    const caption = frame?.querySelector('figcaption .title')?.textContent?.trim();
    if (caption) return caption;
    if (pre.closest('.step-verified')) return 'Last verified output';
    if (frame?.classList.contains('is-terminal')) return 'Terminal';
    return 'Code';
  };

  const nameAll = (): void => {
    names = new Map();
    const used = new Map<string, number>();
    let heading = document.title;
    for (const element of document.querySelectorAll(`h1, h2, h3, h4, h5, h6, ${BLOCK}`)) {
      if (element.matches('pre')) {
        const base = `${kindOf(element)}: ${heading}`;
        const count = (used.get(base) ?? 0) + 1;
        used.set(base, count);
        names.set(element, count === 1 ? base : `${base} (${count})`);
      } else {
        heading = element.textContent?.trim() || heading;
      }
    }
  };

  // A step's blocks come named from the build ("Code: Start the project", src/steps/code-names.ts):
  // that name wins; it is kept aside while the block does not scroll.
  const given = new Map<Element, string>();
  const sync = (pre: Element): void => {
    const label = pre.getAttribute('aria-label');
    if (label && !given.has(pre) && !names.has(pre)) given.set(pre, label);
    if (pre.getAttribute('role') !== 'region') {
      pre.removeAttribute('aria-label'); // a plain <pre> may not carry a name
      return;
    }
    if (!names.has(pre)) nameAll();
    pre.setAttribute('aria-label', given.get(pre) ?? names.get(pre) ?? kindOf(pre));
  };

  new MutationObserver((mutations) => {
    for (const { target } of mutations) {
      if (target instanceof Element && target.matches(BLOCK)) sync(target);
    }
  }).observe(document.body, { attributes: true, attributeFilter: ['role'], subtree: true });
  document.querySelectorAll(BLOCK).forEach(sync);
}
