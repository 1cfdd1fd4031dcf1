import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KO_MESSAGES } from './messages-ko.ts';
import { EN_MESSAGES, english, koreanDuration, languageOf, render, say, type MessageCode } from './messages.ts';

const HANGUL = /[\uAC00-\uD7A3]/;

/** Sample parameters for any code: every name its English text reads gets a value. */
function sampleParams(code: MessageCode): Record<string, string> {
  const names = [...EN_MESSAGES[code].toString().matchAll(/p\.(\w+)/g)].map((m) => m[1]!);
  return Object.fromEntries(names.map((n) => [n, `<${n}>`]));
}

test('every code has a Korean text, in Hangul, that differs from the English', () => {
  const missing: string[] = [];
  for (const code of Object.keys(EN_MESSAGES) as MessageCode[]) {
    const ko = (KO_MESSAGES as Record<string, ((p: unknown) => string) | undefined>)[code];
    if (typeof ko !== 'function') {
      missing.push(`${code}: no Korean text`);
      continue;
    }
    const params = sampleParams(code);
    const text = ko(params);
    // A text made only of its parameters and punctuation ("<base>: <hint>") has no words to translate.
    const structural = !/[A-Za-z]/.test((EN_MESSAGES[code] as (p: unknown) => string)(params).replace(/<\w+>/g, ''));
    if (structural) continue;
    if (!HANGUL.test(text)) missing.push(`${code}: "${text}" has no Hangul`);
    if (text === (EN_MESSAGES[code] as (p: unknown) => string)(params)) missing.push(`${code}: same as English`);
    // Every parameter the English shows, the Korean shows too (a name, a port, a command).
    for (const value of Object.values(params)) {
      if (!text.includes(value)) missing.push(`${code}: Korean text drops ${value}`);
    }
  }
  assert.deepEqual(missing, []);
});

test('the Korean catalog has no code the English one lacks', () => {
  const extra = Object.keys(KO_MESSAGES).filter((code) => !(code in EN_MESSAGES));
  assert.deepEqual(extra, []);
});

test('a message renders in either language, nested messages and durations too', () => {
  const message = say('run.failed-because', {
    base: say('run.exit-code', { code: 125 }),
    hint: say('hint.port-taken', { port: 8000 }),
  });
  assert.equal(
    english(message),
    'exit code 125: port 8000 is taken, usually by a container from an earlier step: docker container ls, then stop it',
  );
  const ko = render(message, 'ko');
  assert.match(ko, /^종료 코드 125: 포트 8000을 이미 누군가 쓰고 있습니다/);
  const timeout = say('run.timeout', { limit: { ms: 125_000 }, took: { ms: 4200 } });
  assert.equal(english(timeout), 'timed out after 2 min 5 s and was stopped (took 4.2 s)');
  assert.equal(render(timeout, 'ko'), '2분 5초 안에 끝나지 않아 중지했습니다(실행 시간 4.2초)');
});

test('a name with a spelling per language (a chapter title) is shown in the page language', () => {
  const message = say('reset.setting-stage', {
    chapters: { text: '"Environment"', in: { ko: '“환경 준비하기”' } },
    count: 3,
  });
  assert.match(english(message), /setting the stage: 3 steps of the chapters before this one \("Environment"\)/);
  assert.match(render(message, 'ko'), /앞 장\(“환경 준비하기”\)의 단계 3개/);
});

test('an unknown code (a newer runner) falls back to the English text it came with', () => {
  assert.equal(render({ code: 'no.such' as MessageCode }, 'ko', 'the English'), 'the English');
});

test('languageOf: Korean tags are Korean, everything else English', () => {
  assert.equal(languageOf('ko'), 'ko');
  assert.equal(languageOf('ko-KR'), 'ko');
  assert.equal(languageOf('en'), 'en');
  assert.equal(languageOf(undefined), 'en');
  assert.equal(koreanDuration(45), '45ms');
});
