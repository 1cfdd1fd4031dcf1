/**
 * Online, the lab image is built from the official debian:trixie with a Dockerfile generated from
 * its recipe: apt-get installs the same packages, the recipe's files and scripts are copied from a
 * staged build context (files/ mirrors the image's paths, scripts/ holds the scripts).
 */
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { configInstructions } from './image-config.ts';
import { DEBIAN_SUITE, LAB_FILES_DIR, type ImageRecipe } from './recipes.ts';

/** Where recipe scripts run from inside the image; image-clean.sh empties /tmp as the last step. */
const SCRIPTS_IN_IMAGE = '/tmp/recipe';

export function dockerfileFor(
  recipe: ImageRecipe,
  labels: Record<string, string>,
  base = `debian:${DEBIAN_SUITE}`,
): string {
  const lines = [
    `FROM ${base}`,
    'RUN apt-get update \\',
    ' && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \\',
    ...recipe.packages.map((name) => `      ${name} \\`),
    ' && rm -rf /var/lib/apt/lists/*',
  ];
  if (recipe.files.length) lines.push('COPY files/ /');
  if (recipe.scripts.length) {
    lines.push(`COPY scripts/ ${SCRIPTS_IN_IMAGE}/`);
    lines.push(`RUN ${recipe.scripts.map((script) => `sh ${SCRIPTS_IN_IMAGE}/${script}`).join(' && ')}`);
  }
  lines.push(...configInstructions(recipe.config, labels));
  return `${lines.join('\n')}\n`;
}

/** Writes a build context for `recipe` into a new temporary folder and returns its path. */
export function stageBuildContext(recipe: ImageRecipe, labels: Record<string, string>, base?: string): string {
  const context = mkdtempSync(path.join(os.tmpdir(), 'runnable-tutorial-build-'));
  for (const file of recipe.files) {
    const target = path.join(context, 'files', file.target);
    mkdirSync(path.dirname(target), { recursive: true });
    copyFileSync(path.join(LAB_FILES_DIR, file.source), target);
    chmodSync(target, file.mode); // COPY keeps the mode bits of the context
  }
  for (const script of recipe.scripts) {
    mkdirSync(path.join(context, 'scripts'), { recursive: true });
    copyFileSync(path.join(LAB_FILES_DIR, script), path.join(context, 'scripts', script));
  }
  writeFileSync(path.join(context, 'Dockerfile'), dockerfileFor(recipe, labels, base));
  return context;
}
