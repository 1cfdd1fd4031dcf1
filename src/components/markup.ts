/**
 * The light markup of the page texts (`code` and **strong**, see src/client/texts.ts) as HTML, for
 * the server render. Escapes first: the texts are ours, never the runner's, but stay text.
 */
export function textToHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>');
}
