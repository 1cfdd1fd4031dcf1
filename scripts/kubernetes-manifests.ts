/**
 * Writes docs/kubernetes/classroom.yaml: the Kubernetes objects of a two-learner classroom, as
 * runner/targets/lab-kubernetes.ts makes them (see docs/kubernetes.md). The unit test fails when
 * the file and the code disagree.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../runner/paths.ts';
import { kubernetesClassroom } from '../runner/targets/lab-kubernetes.ts';
import { EXAMPLE, toYaml } from '../runner/targets/lab-kubernetes-example.ts';

const file = path.join(REPO_ROOT, 'docs/kubernetes/classroom.yaml');
writeFileSync(file, toYaml(kubernetesClassroom(EXAMPLE)));
console.log(`wrote ${path.relative(REPO_ROOT, file)}`);
