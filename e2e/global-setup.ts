/** Builds the site first when it is missing or stale: the specs read dist/ and dist/steps.json. */
import { buildSite, siteIsStale } from '../runner/site-build.ts';

export default function globalSetup(): void {
  if (siteIsStale() && !buildSite()) throw new Error('the site did not build; see the errors above');
}
