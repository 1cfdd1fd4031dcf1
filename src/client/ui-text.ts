/**
 * UI text with light markup — `code` and **strong** — turned into DOM nodes, so messages from the
 * runner (errors, hints) are always text, never HTML.
 */

/** "Run `npm start`" → text, <code>, text. */
export function withCode(text: string): DocumentFragment {
  const fragment = document.createDocumentFragment();
  text.split('`').forEach((part, i) => {
    if (!part) return;
    if (i % 2 === 1) {
      const code = document.createElement('code');
      code.textContent = part;
      fragment.append(code);
    } else {
      fragment.append(part);
    }
  });
  return fragment;
}

/** withCode() plus **strong** spans. */
export function rich(text: string): DocumentFragment {
  const fragment = document.createDocumentFragment();
  text.split('**').forEach((part, i) => {
    if (i % 2 === 1) {
      const strong = document.createElement('strong');
      strong.append(withCode(part));
      fragment.append(strong);
    } else {
      fragment.append(withCode(part));
    }
  });
  return fragment;
}
