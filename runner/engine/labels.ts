/**
 * The labels that tell the runner's Docker objects apart from the learner's own. Cleanup removes
 * only what carries TUTORIAL_LABEL; provisioning trusts an image only when its recipe label matches.
 */

/** `runnable-tutorial=true`: an object a tutorial step created (added by the docker label shim). */
export const TUTORIAL_LABEL = 'runnable-tutorial';
/** On the offline stand-ins for `python:3.13` and `nginx:latest`. */
export const STANDIN_LABEL = 'runnable-tutorial.standin';
/** On the lab image and the lab container. */
export const LAB_LABEL = 'runnable-tutorial.lab';
/** Hash of what went into an image (packages, files, scripts, config): a different hash means rebuild. */
export const RECIPE_LABEL = 'runnable-tutorial.recipe';
/** The Debian mirror an image's packages came from, and the day it was built. */
export const MIRROR_LABEL = 'runnable-tutorial.debian-mirror';
export const BUILT_LABEL = 'runnable-tutorial.built';
/** How an image was made: `offline` (debootstrap) or `online` (pulled, or built from debian:trixie). */
export const PROFILE_LABEL = 'runnable-tutorial.profile';

/**
 * Docker Compose creates its containers, networks, volumes and images through the engine's API,
 * not through the docker CLI, so the label shim never sees them. Compose labels each of them with
 * its project's name instead; these are the projects of the tutorial's compose files (their
 * top-level `name:`, checked against content/ by compose-projects.test.ts).
 */
export const COMPOSE_PROJECT_LABEL = 'com.docker.compose.project';
export const TUTORIAL_COMPOSE_PROJECTS = ['ch05-ex08'];

/** `--filter` value selecting objects with `label=value`. */
export function labelFilter(label: string, value = 'true'): string {
  return `label=${label}=${value}`;
}
