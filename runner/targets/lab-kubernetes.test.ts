/**
 * The classroom's Kubernetes objects, validated against Kubernetes' own schemas (the OpenAPI
 * schemas the kubernetes-models package ships and checks with validate()): required fields,
 * types, enums and formats. Not tested: that a cluster accepts and runs them (no cluster here),
 * and unknown fields (these schemas allow them; the API server's strict field validation would not).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { LimitRange } from 'kubernetes-models/v1/LimitRange';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { Pod } from 'kubernetes-models/v1/Pod';
import { ResourceQuota } from 'kubernetes-models/v1/ResourceQuota';
import { Service } from 'kubernetes-models/v1/Service';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { REPO_ROOT } from '../paths.ts';
import { NESTED_ENGINE_FLAGS } from './lab-container.ts';
import { kubernetesClassroom } from './lab-kubernetes.ts';
import { EXAMPLE, toYaml } from './lab-kubernetes-example.ts';

const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  Namespace,
  ResourceQuota,
  LimitRange,
  PersistentVolumeClaim,
  Pod,
  Service,
  Ingress,
  NetworkPolicy,
};

function validate(object: { kind: string }): void {
  const Model = MODELS[object.kind];
  assert.ok(Model, `no schema model for kind ${object.kind}`);
  new Model(object as never).validate();
}

describe('kubernetesClassroom', () => {
  const objects = kubernetesClassroom(EXAMPLE);

  it("every object is valid by Kubernetes' own schema", () => {
    assert.deepEqual(
      objects.map((o) => o.kind),
      [
        'Namespace',
        'ResourceQuota',
        'LimitRange',
        'NetworkPolicy',
        ...['PersistentVolumeClaim', 'Pod', 'Service', 'Ingress'],
        ...['PersistentVolumeClaim', 'Pod', 'Service', 'Ingress'],
      ],
    );
    for (const object of objects) validate(object);
  });

  it('the validation catches a broken object (the check can fail)', () => {
    const pod = structuredClone(objects.find((o) => o.kind === 'Pod')!) as unknown as {
      spec: { containers: { ports: unknown[] }[] };
    };
    pod.spec.containers[0]!.ports = [{ containerPort: 'eighty' }];
    assert.throws(() => validate(pod as never), /containerPort must be integer/);
  });

  it("gives the lab the Docker lab's nested-engine settings, and limits", () => {
    const pod = objects.find((o) => o.kind === 'Pod') as unknown as {
      spec: {
        containers: { securityContext: Record<string, unknown>; resources: { limits: Record<string, string> } }[];
      };
    };
    const context = pod.spec.containers[0]!.securityContext as {
      capabilities: { add: string[]; drop: string[] };
      seccompProfile: { type: string };
      appArmorProfile: { type: string };
      privileged: boolean;
    };
    const flags = NESTED_ENGINE_FLAGS.join(' ');
    assert.ok(flags.includes(`--cap-add=${context.capabilities.add[0]}`));
    assert.ok(flags.includes(`--cap-drop=${context.capabilities.drop[0]}`));
    assert.ok(flags.includes('seccomp=unconfined') && context.seccompProfile.type === 'Unconfined');
    assert.ok(flags.includes('apparmor=unconfined') && context.appArmorProfile.type === 'Unconfined');
    assert.equal(context.privileged, false);
    assert.deepEqual(pod.spec.containers[0]!.resources.limits, { memory: '1Gi', cpu: '1' });
  });

  it('docs/kubernetes/classroom.yaml is what the code makes (regenerate: node scripts/kubernetes-manifests.ts)', () => {
    const committed = readFileSync(path.join(REPO_ROOT, 'docs/kubernetes/classroom.yaml'), 'utf8');
    assert.equal(committed, toYaml(objects));
  });
});
