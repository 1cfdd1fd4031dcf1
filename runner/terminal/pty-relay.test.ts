/**
 * pty-relay.py with a real pty: the command sees a terminal of the size asked for, a resize on
 * fd 3 reaches it (SIGWINCH), Ctrl-C typed as a byte interrupts it, and the exit status comes back.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { test } from 'node:test';

const RELAY = path.join(import.meta.dirname, 'pty-relay.py');

function relay(rows: number, cols: number, script: string) {
  const child = spawn(
    'python3',
    [RELAY, String(rows), String(cols), '--', 'bash', '--norc', '--noprofile', '-c', script],
    {
      stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const seen = (text: string) =>
    new Promise<void>((resolve) => {
      const check = () => output.includes(text) && (child.stdout!.off('data', check), resolve());
      child.stdout!.on('data', check);
      check();
    });
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('close', resolve));
  return { child, control: child.stdio[3] as Writable, seen, exit, output: () => output };
}

test('the command gets a terminal of the asked size, and a resize on fd 3 reaches it', async () => {
  const r = relay(
    20,
    70,
    'trap \'echo "winch $(stty size)"\' WINCH; [ -t 0 ] && echo "tty $(stty size)"; read -r line; echo "got $line"; sleep 0.5; exit 3',
  );
  await r.seen('tty 20 70');
  r.control.write('33 101\n');
  r.child.stdin!.write('hello\r'); // bash runs the trap once `read` returns
  await r.seen('got hello');
  await r.seen('winch 33 101');
  assert.equal(await r.exit, 3);
});

test('Ctrl-C typed as a byte interrupts the foreground command; closing stdin hangs up', async () => {
  const r = relay(24, 80, 'trap "echo interrupted" INT; echo ready; sleep 30 & wait; echo after; sleep 30');
  await r.seen('ready');
  r.child.stdin!.write('\x03');
  await r.seen('after');
  assert.match(r.output(), /interrupted/);
  const started = Date.now();
  r.child.stdin!.end();
  await r.exit;
  assert.ok(Date.now() - started < 5000, 'the hang-up ended the shell at once');
});
