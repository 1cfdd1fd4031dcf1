/**
 * A classroom's seats: for each learner a token, a workspace, a lab container, a network and host
 * ports of their own. Pure, so the plan is unit-tested; classroom.ts starts it.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { LAB_CONTAINER } from '../images/recipes.ts';

export interface Seat {
  /** `learner-1`, ... */
  id: string;
  token: string;
  workspace: string;
  /** The lab container (and its network): `myserver01-learner-1`. */
  labName: string;
  /** Lab port → the learner's port on this machine. */
  hostPorts: Record<number, number>;
  /** The learner's runner port (0: the OS picks). */
  runnerPort: number;
}

export interface SeatPlanOptions {
  seats: number;
  /** Each learner's workspace is `<root>/<id>`. */
  workspaceRoot: string;
  /** Ports published by every lab (labPorts of the manifest). */
  labPorts: number[];
  /** Learner k's lab ports are labPortBase + 10k + i (i: index in labPorts). */
  labPortBase: number;
  /** The instructor's runner port; learner k's is this + k (0: all picked by the OS). */
  runnerPort: number;
}

export const MAX_SEATS = 200;

export function planSeats(options: SeatPlanOptions): Seat[] {
  const { seats, labPorts, labPortBase } = options;
  if (!Number.isInteger(seats) || seats < 1 || seats > MAX_SEATS)
    throw new Error(`--classroom ${seats}: expected a number of learners from 1 to ${MAX_SEATS}`);
  if (labPorts.length > 10) throw new Error(`a lab publishes ${labPorts.length} ports; a seat has room for 10`);
  const highest = labPortBase + 10 * seats + 9;
  if (labPortBase < 1024 || highest > 65535)
    throw new Error(
      `--lab-port-base ${labPortBase}: learners' ports would run to ${highest}; choose 1024-${65535 - 10 * seats - 9}`,
    );
  return Array.from({ length: seats }, (_, index) => {
    const k = index + 1;
    const id = `learner-${k}`;
    return {
      id,
      token: randomBytes(24).toString('hex'),
      workspace: path.join(options.workspaceRoot, id),
      labName: `${LAB_CONTAINER}-${id}`,
      hostPorts: Object.fromEntries(labPorts.map((port, i) => [port, labPortBase + 10 * k + i])),
      runnerPort: options.runnerPort === 0 ? 0 : options.runnerPort + k,
    };
  });
}
