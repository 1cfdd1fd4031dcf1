/**
 * The runner's own sentences in this page's language: the runner sends each one as a code with
 * parameters beside its English text (contract/messages.ts), and the page renders the code in its
 * <html lang>. A message without a code (an older runner, or Docker's own words) stays as sent.
 */
import { languageOf, render, type Message } from '../../contract/messages.ts';

const LANGUAGE = languageOf(typeof document === 'undefined' ? undefined : document.documentElement.lang);

/** The text to show for a field pair of the protocol (`message` + `msg`, `error` + `msg`…). */
export function shown(msg: Message | undefined, english: string): string;
export function shown(msg: Message | undefined, english: string | undefined): string | undefined;
export function shown(msg: Message | undefined, english: string | undefined): string | undefined {
  return msg ? render(msg, LANGUAGE, english) : english;
}

/**
 * Why a Run all stopped, without the "stopped at <step>" the toolbar says in its own words: the
 * code's `why`, or the English after that prefix.
 */
export function stopReason(msg: Message | undefined, english: string | undefined): string | undefined {
  const why = msg?.code === 'batch.stopped-at' ? msg.params?.why : undefined;
  if (why !== undefined) return typeof why === 'object' && 'code' in why ? render(why, LANGUAGE) : String(why);
  return shown(msg, english)?.replace(/^stopped at [\w-]+:\s*/i, '');
}
