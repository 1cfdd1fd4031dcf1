/**
 * Classroom mode (`npm start -- --classroom N`): one runner per learner, in this one process, each
 * with its own token, workspace, session, isolated lab (own engine, own network, own limits) and
 * its own port, so the browser keeps learners apart by origin as well as by token. The learner's
 * API is today's API (http/server.ts), unchanged. The instructor gets a page of their own, with a
 * token of its own, that shows every learner's progress, who is stuck where, resets or restarts
 * one learner's lab, and frees a seat for someone else. Idle labs are stopped after a time the
 * instructor sets; a lab that was stopped or died comes back on the learner's next step, with the
 * workspace (it is on this machine's disk, not in the lab).
 */
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { Manifest } from '../../contract/manifest.ts';
import { RunnerApp } from '../app.ts';
import { createRunnerServer, type RunnerServer } from '../http/server.ts';
import type { SecurityPolicy } from '../http/security.ts';
import { attachTerminalSocket } from '../http/terminal-socket.ts';
import type { ProfileChoice } from '../images/profile.ts';
import { labPorts, type LabLimits } from '../targets/lab-container.ts';
import { planSeats, type Seat } from './seats.ts';
import { createInstructorServer } from './instructor-server.ts';
import { SeatDispenser } from './join.ts';

export interface ClassroomOptions {
  manifest: Manifest;
  seats: number;
  workspaceRoot: string;
  host: string;
  /** The instructor's port; learner k's is port + k (0: the OS picks each). */
  port: number;
  labPortBase: number;
  limits: LabLimits;
  /** Idle labs are stopped after this many minutes without a request or an open page (0: never). */
  idleMinutes: number;
  siteDir?: string;
  version: string;
  profile?: ProfileChoice;
  /** Whether learners may run edited versions of steps (main.ts --no-edited-runs turns it off). */
  editedRuns?: boolean;
}

export interface Learner {
  seat: Seat;
  app: RunnerApp;
  server: RunnerServer;
  /** The link the learner opens. */
  url: string;
  /** The learner runner's address, without the token. */
  origin: string;
  /** Last API request (ms since epoch). */
  lastActive: number;
  /** Lab ports → the learner's ports, for the instructor's list. */
  ports: Record<number, number>;
  /** The learner runner's token, Host and Origin checks: freeing the seat replaces its token. */
  policy: SecurityPolicy;
}

export interface Classroom {
  instructorUrl: string;
  instructorToken: string;
  learners: Learner[];
  idleMinutes: number;
  /** The join link's seats: a learner who opens it gets the next free one. */
  join: SeatDispenser;
  /** Stops every learner's runs, removes every learner's lab, engine state and network. */
  end(): Promise<void>;
}

export async function startClassroom(options: ClassroomOptions): Promise<Classroom> {
  const seats = planSeats({
    seats: options.seats,
    workspaceRoot: options.workspaceRoot,
    labPorts: labPorts(options.manifest.steps.map((s) => s.port)),
    labPortBase: options.labPortBase,
    runnerPort: options.port,
  });
  const learners: Learner[] = [];
  for (const seat of seats) {
    const app = await RunnerApp.create({
      manifest: options.manifest,
      workspace: seat.workspace,
      target: 'lab',
      labMode: 'isolated',
      labName: seat.labName,
      labHostPorts: seat.hostPorts,
      labLimits: options.limits,
      labNetwork: true,
      allowHostTarget: false,
      profile: options.profile,
    });
    const policy = { token: seat.token, port: seat.runnerPort, allowRemote: false };
    const server = createRunnerServer({
      app,
      policy,
      siteDir: options.siteDir,
      version: options.version,
      editedRuns: options.editedRuns,
    });
    // No terminal in a classroom yet: a shell would keep a lab busy that idle culling cannot see.
    attachTerminalSocket(server, { policy, terminals: undefined, offReason: 'it is off in classroom mode' });
    const learner: Learner = {
      seat,
      app,
      server,
      url: '',
      origin: '',
      lastActive: Date.now(),
      ports: seat.hostPorts,
      policy,
    };
    server.on('request', () => (learner.lastActive = Date.now()));
    const port = await listen(server, seat.runnerPort, options.host);
    policy.port = port; // Host and Origin checks name the port actually used
    learner.url = `http://${shown(options.host)}:${port}/?token=${seat.token}`;
    learner.origin = `http://${shown(options.host)}:${port}`;
    learners.push(learner);
  }

  const instructorToken = randomBytes(24).toString('hex');
  const classroom: Classroom = {
    instructorUrl: '',
    instructorToken,
    learners,
    idleMinutes: options.idleMinutes,
    join: new SeatDispenser(seats.map((s) => s.id)),
    end: async () => {
      clearInterval(culler);
      // Every learner's lab goes, even when another's removal fails.
      await Promise.allSettled(
        learners.map(async ({ app, server }) => {
          await app.shutdown();
          await app.labTargetIfAny?.remove();
          server.closeAllConnections();
          server.close();
        }),
      );
      instructor.closeAllConnections();
      instructor.close();
    },
  };
  const policy = { token: instructorToken, port: options.port, allowRemote: false };
  const instructor = createInstructorServer({ classroom, policy });
  policy.port = await listen(instructor, options.port, options.host);
  classroom.instructorUrl = `http://${shown(options.host)}:${policy.port}/?token=${instructorToken}`;

  // The culler: a lab with no request and no open page for idleMinutes is stopped.
  const culler = setInterval(() => void cullIdle(classroom), 15_000);
  culler.unref();
  return classroom;
}

/**
 * Frees a learner's seat for someone else: their runs stop, their lab, engine state and workspace
 * go (Reset), their token is replaced so the old link and any open page stop working, and the join
 * link hands the seat to the next newcomer. Returns the seat's new link.
 */
export async function freeSeat(classroom: Classroom, learner: Learner): Promise<string> {
  await learner.app.reset();
  const token = randomBytes(24).toString('hex');
  learner.seat.token = token;
  learner.policy.token = token; // the server checks every request against this object
  // Open pages of the previous holder lose their event streams now; reconnecting needs the new token.
  learner.server.closeAllConnections();
  learner.url = `${learner.origin}/?token=${token}`;
  classroom.join.release(learner.seat.id);
  return learner.url;
}

/** Stops the labs of learners idle for longer than the classroom's idle time; returns their ids. */
export async function cullIdle(classroom: Classroom, now = Date.now()): Promise<string[]> {
  if (classroom.idleMinutes <= 0) return [];
  const stopped: string[] = [];
  for (const learner of classroom.learners) {
    const idleMs = now - learner.lastActive;
    if (idleMs < classroom.idleMinutes * 60_000 || learner.server.eventStreams.size > 0) continue;
    if (await learner.app.stopIdleLab().catch(() => false)) stopped.push(learner.seat.id);
  }
  return stopped;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

function shown(host: string): string {
  return host === '::1' ? '[::1]' : host;
}
