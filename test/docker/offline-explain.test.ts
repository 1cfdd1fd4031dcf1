/**
 * Clear answers offline, with the real engine and images: in the shared and the isolated lab, a Dockerfile's `FROM python:3.13.9`,
 * `docker run nginx:1.25.3` and `docker pull nginx:1.25.3` end in Docker's own error and then two lines
 * that name the local stand-ins with the versions they really carry; `pip install django==4.2.7` in the
 * python:3.13 stand-in ends in pip's error and then the installed Django version, for `python -m pip` too; and
 * `docker compose pull`/`build` of a service naming an unavailable tag is explained the same way. And the lab builds
 * with BuildKit. Needs a machine where Docker Hub does not answer (this one, CI); skipped elsewhere.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { docker } from '../../runner/engine/engine.ts';
import { resolveProfile } from '../../runner/images/profile.ts';
import { provision } from '../../runner/images/provision.ts';
import type { LabMode } from '../../runner/targets/lab-container.ts';
import { LabTarget } from '../../runner/targets/lab.ts';
import { childOutput } from './child-output.ts';

const offline = (await resolveProfile()).profile === 'offline';
const BUILT = 'runnable-tutorial-test/offline-explain:test';
let runs = 0;

/** A lab of `mode` on a workspace of its own, and a way to run bash in it as a step does. */
function labOf(mode: LabMode) {
  const workspace = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'offline-explain-')));
  const home = path.join(workspace, 'home');
  mkdirSync(home);
  const lab = new LabTarget({ workspace, profile: 'offline', mode });
  /** Runs a bash command in the lab the way a step does (pipes, the session's environment). */
  const inLab = async (script: string) => {
    const child = lab.spawn(['bash', '-c', script], {
      cwd: workspace,
      env: lab.baseEnv(home),
      runId: `offline-explain-${process.pid}-${++runs}`,
    });
    return childOutput(child);
  };
  return { workspace, lab, inLab };
}

/** What an image really carries, asked of it here (not what the shim says). */
async function versionIn(image: string, code: string): Promise<string> {
  return docker(['run', '--rm', '--network', 'none', '--entrypoint', 'python3', image, '-c', code]);
}

for (const mode of ['shared', 'isolated'] as const) {
  describe(
    `clear answers offline (${mode} lab)`,
    { timeout: 900_000, skip: !offline && 'Docker Hub answers here' },
    () => {
      let python = '';
      let django = '';
      let nginx = '';
      const { workspace, lab, inLab } = labOf(mode);
      before(async () => {
        await provision({ profile: 'offline', images: ['python:3.13', 'nginx:latest'] });
        // Isolated: the shared image store is filled, but the lab's own engine holds no image yet,
        // which is the case the explanation must handle (it looks in the store too).
        if (mode === 'isolated') await lab.prepareImages(() => {});
        else await lab.ensureReady();
        python = await versionIn('python:3.13', 'import platform; print(platform.python_version())');
        django = await versionIn('python:3.13', 'import importlib.metadata as m; print(m.version("django"))');
        const nginxV = await docker(['run', '--rm', '--network', 'none', 'nginx:latest', 'sh', '-c', 'nginx -v 2>&1']);
        nginx = nginxV.slice(nginxV.lastIndexOf('/') + 1);
      });
      after(async () => {
        await docker(['image', 'rm', BUILT]).catch(() => {});
        await lab.remove().catch(() => {});
        rmSync(workspace, { recursive: true, force: true });
      });

      it("explains a Dockerfile's FROM python:3.13.9 with the local python:3.13 and its real versions", async () => {
        const context = path.join(workspace, 'from-3.13.9');
        mkdirSync(context);
        writeFileSync(path.join(context, 'Dockerfile'), 'FROM python:3.13.9\nWORKDIR /usr/src/app\n');
        const out = await inLab(`cd ${context} && docker build -t ${BUILT} .`);
        assert.notEqual(out.code, 0);
        const lines = out.stderr.trimEnd().split('\n').slice(-2);
        assert.deepEqual(lines, [
          "offline: the Dockerfile's FROM python:3.13.9 is not on this machine, and no registry answers here (Docker Hub cannot be reached), so it cannot be pulled.",
          `offline: this machine has python:3.13 (Python ${python}, Django ${django}) instead: change the line to \`FROM python:3.13\`.`,
        ]);
      });

      for (const command of ['docker run --rm nginx:1.25.3', 'docker pull nginx:1.25.3']) {
        it(`explains \`${command}\` with the local nginx and its real version, keeping Docker's error and exit code`, async () => {
          const out = await inLab(command);
          assert.equal(out.code, command.includes(' run ') ? 125 : 1, out.stderr);
          assert.match(out.stderr, /registry-1\.docker\.io|no such host|dial tcp/, "Docker's own error comes first");
          assert.deepEqual(out.stderr.trimEnd().split('\n').slice(-2), [
            'offline: nginx:1.25.3 is not on this machine, and no registry answers here (Docker Hub cannot be reached), so it cannot be pulled.',
            `offline: this machine has nginx:latest (nginx ${nginx}) instead: use nginx:latest in place of nginx:1.25.3.`,
          ]);
        });
      }

      // The stand-in itself, on the host's engine: once is enough.
      it(
        'explains an exact pin in the python:3.13 stand-in with the installed Django version',
        { skip: mode === 'isolated' },
        async () => {
          const out = await childOutput(
            spawn('docker', ['run', '--rm', 'python:3.13', 'pip', 'install', 'django==4.2.7']),
          );
          assert.equal(out.code, 1, out.stderr);
          assert.match(out.stderr, /ERROR: No matching distribution found for django==4\.2\.7/);
          const [major, minor] = django.split('.');
          assert.deepEqual(out.stderr.trimEnd().split('\n').slice(-2), [
            `offline: pip was asked for django==4.2.7, but no package index answers here (PIP_NO_INDEX=1), so pip can only use what is installed: Django ${django}.`,
            `offline: ask for a range the installed version meets instead, e.g. \`django>=${major}.${minor},<${major}.${Number(minor) + 1}\`.`,
          ]);
        },
      );

      it('explains the exact pin of a requirements file in the lab, naming the file', async () => {
        const out = await inLab(
          `cd ${workspace} && printf 'django==4.2.7\\n' > requirements.txt && pip install -r requirements.txt`,
        );
        assert.equal(out.code, 1, out.stderr);
        assert.match(out.stderr, /offline: pip was asked for django==4\.2\.7 \(in requirements\.txt\)/);
        assert.match(out.stderr, new RegExp(`installed: Django ${django.replaceAll('.', '\\.')}\\.\\n`));
      });

      it('explains an exact pin asked of `python -m pip`, not only of `pip`, in the stand-in and in the lab', async () => {
        const [major, minor] = django.split('.');
        const expected = [
          `offline: pip was asked for django==4.2.7, but no package index answers here (PIP_NO_INDEX=1), so pip can only use what is installed: Django ${django}.`,
          `offline: ask for a range the installed version meets instead, e.g. \`django>=${major}.${minor},<${major}.${Number(minor) + 1}\`.`,
        ];
        const standin = await childOutput(
          spawn('docker', ['run', '--rm', 'python:3.13', 'python', '-m', 'pip', 'install', 'django==4.2.7']),
        );
        assert.equal(standin.code, 1, standin.stderr);
        assert.match(
          standin.stderr,
          /ERROR: No matching distribution found for django==4\.2\.7/,
          "pip's own error first",
        );
        assert.deepEqual(standin.stderr.trimEnd().split('\n').slice(-2), expected);
        const inTheLab = await inLab('python3 -m pip install django==4.2.7');
        assert.equal(inTheLab.code, 1, inTheLab.stderr);
        assert.deepEqual(inTheLab.stderr.trimEnd().split('\n').slice(-2), expected);
      });

      it("explains `docker compose pull` of a service's unavailable image tag with the local image's real version", async () => {
        const project = path.join(workspace, 'compose-pull');
        mkdirSync(project);
        writeFileSync(path.join(project, 'compose.yaml'), 'services:\n  proxy:\n    image: nginx:1.25.3\n');
        const out = await inLab(`cd ${project} && docker compose pull`);
        assert.notEqual(out.code, 0, out.stderr);
        assert.deepEqual(out.stderr.trimEnd().split('\n').slice(-2), [
          'offline: nginx:1.25.3 (service proxy of the compose file) is not on this machine, and no registry answers here (Docker Hub cannot be reached), so it cannot be pulled.',
          `offline: this machine has nginx:latest (nginx ${nginx}) instead: use nginx:latest in place of nginx:1.25.3.`,
        ]);
      });

      it('explains `docker compose build` of a service whose Dockerfile names an unavailable FROM', async () => {
        const project = path.join(workspace, 'compose-build');
        mkdirSync(project);
        writeFileSync(path.join(project, 'Dockerfile'), 'FROM python:3.13.9\nWORKDIR /usr/src/app\n');
        writeFileSync(path.join(project, 'compose.yaml'), 'services:\n  web:\n    build: .\n');
        const out = await inLab(`cd ${project} && docker compose build`);
        assert.notEqual(out.code, 0, out.stderr);
        assert.deepEqual(out.stderr.trimEnd().split('\n').slice(-2), [
          "offline: the Dockerfile's FROM python:3.13.9 (service web of the compose file) is not on this machine, and no registry answers here (Docker Hub cannot be reached), so it cannot be pulled.",
          `offline: this machine has python:3.13 (Python ${python}, Django ${django}) instead: change the line to \`FROM python:3.13\`.`,
        ]);
      });

      it('builds with BuildKit in the lab: numbered steps, no legacy-builder notice', async () => {
        const context = path.join(workspace, 'buildkit');
        mkdirSync(context);
        writeFileSync(path.join(context, 'Dockerfile'), 'FROM python:3.13\nWORKDIR /usr/src/app\nCOPY . .\n');
        // A step's output is a pipe: BuildKit prints plain progress there ("#5 [2/3] WORKDIR ...").
        const piped = await inLab(`cd ${context} && docker build --no-cache -t ${BUILT} .`);
        assert.equal(piped.code, 0, piped.stderr);
        assert.doesNotMatch(piped.stdout + piped.stderr, /legacy builder is deprecated/);
        assert.match(piped.stderr, /^#\d+ \[2\/3\] WORKDIR \/usr\/src\/app$/m);
        // In a terminal (the learner's own), the post's view: "=> [2/3] WORKDIR /usr/src/app".
        const tty = await inLab(`cd ${context} && script -qec 'docker build --no-cache -t ${BUILT} .' /dev/null`);
        assert.equal(tty.code, 0, tty.stdout);
        assert.match(tty.stdout, /=> (CACHED )?\[2\/3\] WORKDIR \/usr\/src\/app/);
        assert.match(tty.stdout, /=> => naming to docker\.io\/runnable-tutorial-test\/offline-explain:test/);
      });
    },
  );
}
