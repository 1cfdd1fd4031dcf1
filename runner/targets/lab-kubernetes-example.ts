/** The two-learner classroom of docs/kubernetes/classroom.yaml, and how it is written as YAML. */
import yaml from 'js-yaml';
import { planSeats } from '../classroom/seats.ts';
import type { KubernetesClassroomOptions } from './lab-kubernetes.ts';

export const EXAMPLE: KubernetesClassroomOptions = {
  namespace: 'classroom-example',
  seats: planSeats({ seats: 2, workspaceRoot: '/ws', labPorts: [80, 8000], labPortBase: 20000, runnerPort: 4321 }),
  labPorts: [80, 8000],
  limits: { memory: '1g', cpus: 1 },
  domain: 'labs.example.org',
};

export function toYaml(objects: object[]): string {
  return objects.map((o) => yaml.dump(o, { lineWidth: 120, noRefs: true })).join('---\n');
}
