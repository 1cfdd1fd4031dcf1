/**
 * The manifest as a Vite virtual module (`virtual:runnable-steps/manifest`), as Starlight hands
 * its config to components: collected once per build by the integration, imported by the pages
 * instead of each component parsing every chapter again.
 */
import type { Plugin } from 'vite';
import type { Manifest } from '../../contract/manifest.ts';

export const MANIFEST_MODULE = 'virtual:runnable-steps/manifest';
export const RESOLVED_MANIFEST_MODULE = `\0${MANIFEST_MODULE}`;

/** `current` is read at load time, so a dev server that re-collects serves the new manifest. */
export function manifestModule(current: () => Manifest): Plugin {
  return {
    name: 'runnable-steps-manifest',
    resolveId: (id) => (id === MANIFEST_MODULE ? RESOLVED_MANIFEST_MODULE : undefined),
    load: (id) => (id === RESOLVED_MANIFEST_MODULE ? `export default ${JSON.stringify(current())};` : undefined),
  };
}
