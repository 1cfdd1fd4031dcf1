/** Writes the step manifest of a content folder without building the site: `node scripts/write-manifest.ts <content-dir> <out.json>`. */
import { writeFileSync } from 'node:fs';
import { collectContent } from '../src/steps/collect.ts';

const [dir = 'content', out = 'dist/steps.json'] = process.argv.slice(2);
const manifest = collectContent(dir);
writeFileSync(out, `${JSON.stringify(manifest, null, 2)}\n`);
console.log(`${out}: ${manifest.steps.length} steps in ${manifest.chapters.length} chapters`);
