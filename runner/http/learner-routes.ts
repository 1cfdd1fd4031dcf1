/**
 * The API of the learner's own hands: their edited version of a step, and the workspace's files.
 * server.ts has already checked the token, Host and Origin and bounded the body when it hands a
 * request here; this only routes. Shipped steps still run by id and hash only (POST /api/runs):
 * code from the page arrives on POST /api/runs/edited alone, so it can be turned off
 * (--no-edited-runs) and is recorded as edited.
 */
import type { StepSource } from '../../contract/protocol.ts';
import { BadRequest, parseEditedRunRequest, parseFileWriteRequest } from '../api/requests.ts';
import type { RunnerApp } from '../app.ts';
import { EDITED_CODE_MAX_CHARS, isEditable } from '../runs/edited-step.ts';
import { RunRefused } from '../runs/runs.ts';
import { readWorkspaceFile, writeWorkspaceFile } from '../workspace-files/file-access.ts';
import { workspaceTree } from '../workspace-files/tree.ts';

export interface LearnerRouteOptions {
  /** False with --no-edited-runs: the editor is offered nowhere and the endpoint answers 403. */
  editedRuns: boolean;
}

/** An answer to send, or undefined when the route is not one of these. */
export async function learnerRoute(
  app: RunnerApp,
  options: LearnerRouteOptions,
  route: string,
  url: URL,
  body: () => Promise<unknown>,
): Promise<{ status: number; body: unknown } | undefined> {
  let match: RegExpMatchArray | null;
  if (route === 'POST /api/runs/edited') {
    if (!options.editedRuns)
      throw new RunRefused(403, 'edited steps do not run here: the runner was started with --no-edited-runs');
    const request = parseEditedRunRequest(await body());
    return { status: 202, body: app.runs.startEdited(request.id, request.hash, request.code) };
  }
  if ((match = route.match(/^GET \/api\/steps\/([\w-]+)\/source$/))) {
    const step = app.manifest.steps.find((s) => s.id === match![1]);
    if (!step) throw new RunRefused(404, `unknown step "${match[1]}"`, 'reload the page: it does not match the runner');
    const source: StepSource = {
      id: step.id,
      hash: step.hash,
      kind: step.kind,
      code: step.code,
      editable: options.editedRuns && isEditable(step),
      maxChars: EDITED_CODE_MAX_CHARS,
    };
    return { status: 200, body: source };
  }
  // A remote lab's workspace is a copy (targets/lab-workspace-sync.ts): the panel reads the lab's
  // latest, and a save reaches the lab at once (a server with autoreload sees it).
  if (route === 'GET /api/files') {
    await app.syncWorkspace();
    return { status: 200, body: workspaceTree(app.workspace.root) };
  }
  if (route === 'GET /api/files/content') {
    const path = url.searchParams.get('path');
    if (!path) throw new BadRequest('missing query parameter "path"');
    await app.syncWorkspace();
    return { status: 200, body: readWorkspaceFile(app.workspace.root, path) };
  }
  if (route === 'PUT /api/files/content') {
    const request = parseFileWriteRequest(await body());
    await app.syncWorkspace();
    const written = writeWorkspaceFile(app.workspace.root, request.path, request.text);
    await app.syncWorkspace();
    return { status: 200, body: written };
  }
  return undefined;
}
