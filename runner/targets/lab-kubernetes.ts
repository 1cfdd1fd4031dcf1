/**
 * Past one machine, on paper: the classroom's labs as Kubernetes objects, made from the same
 * pieces as the Docker ones (the seat plan, the lab's ports and limits, the nested-engine
 * settings of lab-container.ts). Nothing here talks to a cluster: docs/kubernetes.md says what
 * is validated (the objects, against Kubernetes' own schemas, in lab-kubernetes.test.ts) and what
 * is not (that a cluster runs them).
 *
 * Per classroom: a Namespace, a ResourceQuota and LimitRange, a NetworkPolicy that keeps labs
 * apart. Per learner: a Pod (the lab, with its own engine), a PersistentVolumeClaim for the
 * workspace (it outlives the Pod: culling deletes the Pod, the next step makes a new one), a
 * Service, and an Ingress whose hosts give the learner's port pages (8000, 80) names of their own.
 */
import type { Seat } from '../classroom/seats.ts';
import { LAB_CONTAINER, LAB_ENGINE_IMAGE } from '../images/recipes.ts';
import { LAB_LABEL } from '../engine/labels.ts';
import type { LabLimits } from './lab-container.ts';

export interface KubernetesClassroomOptions {
  namespace: string;
  seats: Pick<Seat, 'id' | 'labName'>[];
  /** The ports every lab publishes (labPorts of the manifest). */
  labPorts: number[];
  limits: Required<Pick<LabLimits, 'memory' | 'cpus'>>;
  /** Port pages are served as `<learner>-<port>.<domain>`. */
  domain: string;
  /** The registry the cluster pulls the lab image from (the image itself is built as today). */
  image?: string;
  workspaceSize?: string;
}

type Object_ = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
} & Record<string, unknown>;

/** The same capabilities the Docker lab gets (NESTED_ENGINE_FLAGS): all but SYS_RESOURCE, unconfined. */
export const NESTED_ENGINE_SECURITY_CONTEXT = {
  capabilities: { add: ['ALL'], drop: ['SYS_RESOURCE'] },
  seccompProfile: { type: 'Unconfined' },
  appArmorProfile: { type: 'Unconfined' },
  // systempaths=unconfined: /proc unmasked. Needs the ProcMountType feature and a user namespace (hostUsers: false).
  procMount: 'Unmasked',
  allowPrivilegeEscalation: true,
  privileged: false,
} as const;

const LAB_SELECTOR = 'runnable-tutorial/lab';

export function kubernetesClassroom(options: KubernetesClassroomOptions): Object_[] {
  const { namespace, seats, labPorts, limits } = options;
  const ns = { namespace };
  const objects: Object_[] = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels: { [LAB_LABEL]: 'true' } } },
    {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'classroom', ...ns },
      spec: {
        hard: {
          pods: String(seats.length),
          'limits.memory': multiply(limits.memory, seats.length),
          'limits.cpu': String(limits.cpus * seats.length),
          persistentvolumeclaims: String(seats.length),
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: { name: 'lab', ...ns },
      spec: {
        limits: [{ type: 'Container', max: { memory: kubernetesMemory(limits.memory), cpu: String(limits.cpus) } }],
      },
    },
    {
      // Labs accept traffic only from the ingress controller's namespace: not from each other.
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'labs-apart', ...ns },
      spec: {
        podSelector: { matchExpressions: [{ key: LAB_SELECTOR, operator: 'Exists' }] },
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [
              {
                namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } },
              },
            ],
            ports: labPorts.map((port) => ({ protocol: 'TCP', port })),
          },
        ],
      },
    },
  ];
  for (const seat of seats) objects.push(...seatObjects(seat, options));
  return objects;
}

function seatObjects(seat: Pick<Seat, 'id' | 'labName'>, options: KubernetesClassroomOptions): Object_[] {
  const { namespace, labPorts, limits } = options;
  const labels = { [LAB_SELECTOR]: seat.id };
  const workspace = `${seat.labName}-workspace`;
  return [
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: workspace, namespace, labels },
      spec: {
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: options.workspaceSize ?? '2Gi' } },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: seat.labName, namespace, labels },
      spec: {
        hostname: LAB_CONTAINER,
        hostUsers: false,
        automountServiceAccountToken: false, // the lab has no business with the cluster's API
        enableServiceLinks: false,
        containers: [
          {
            name: 'lab',
            image: options.image ?? LAB_ENGINE_IMAGE,
            command: ['/usr/bin/tini', '--', '/usr/local/bin/lab-engine'],
            args: ['sleep', 'infinity'],
            ports: labPorts.map((port) => ({ name: `lab-${port}`, containerPort: port, protocol: 'TCP' })),
            resources: {
              requests: { memory: kubernetesMemory(limits.memory), cpu: String(Math.min(limits.cpus, 0.25)) },
              limits: { memory: kubernetesMemory(limits.memory), cpu: String(limits.cpus) },
            },
            securityContext: NESTED_ENGINE_SECURITY_CONTEXT,
            volumeMounts: [
              { name: 'engine', mountPath: '/var/lib/docker' },
              { name: 'workspace', mountPath: '/workspace' },
            ],
          },
        ],
        volumes: [
          // The engine's state goes with the Pod: Reset is deleting it.
          { name: 'engine', emptyDir: {} },
          { name: 'workspace', persistentVolumeClaim: { claimName: workspace } },
        ],
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: seat.labName, namespace, labels },
      spec: {
        selector: labels,
        ports: labPorts.map((port) => ({ name: `lab-${port}`, port, targetPort: port, protocol: 'TCP' })),
      },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: seat.labName, namespace, labels },
      spec: {
        rules: labPorts.map((port) => ({
          host: `${seat.id}-${port}.${options.domain}`,
          http: {
            paths: [
              {
                path: '/',
                pathType: 'Prefix',
                backend: { service: { name: seat.labName, port: { number: port } } },
              },
            ],
          },
        })),
      },
    },
  ];
}

/** `1g` × 3 → `3Gi` (Docker's sizes are binary, as Kubernetes' Gi and Mi are). */
function multiply(size: string, times: number): string {
  const match = /^(\d+)([kmg])?$/i.exec(size);
  if (!match) throw new Error(`memory "${size}": expected e.g. 512m or 1g`);
  const unit = { k: 'Ki', m: 'Mi', g: 'Gi' }[(match[2] ?? '').toLowerCase() as 'k' | 'm' | 'g'] ?? '';
  return `${Number(match[1]) * times}${unit}`;
}

/** Docker's `1g` as Kubernetes writes it (`1Gi`). */
export function kubernetesMemory(size: string): string {
  return multiply(size, 1);
}
