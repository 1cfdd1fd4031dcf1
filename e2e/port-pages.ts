/**
 * What the learner should see in the browser after each step that opens a port: the proof that
 * the tutorial works through the forwarded ports. Every step with `port=` in chapters 2–4 must
 * have an entry here (the e2e test fails on one that has not).
 */
export interface PortPage {
  url: string;
  /** Text that proves the right server answered. */
  text: string;
  /** Screenshot name under e2e/artifacts/. */
  shot: string;
}

const DJANGO = 'The install worked successfully! Congratulations!';

/**
 * E2E_LAB_PORTS=18000:8000,18080:80 runs the suite against an isolated lab whose ports are
 * published on other numbers (a lab named e2e-myserver01), so it can run beside a runner that
 * holds 8000 and 80. Empty: the lab's own numbers, as a learner has them.
 */
export const E2E_LAB_PORTS = process.env.E2E_LAB_PORTS ?? '';

/** The page's address on this machine: 127.0.0.1:8000 → 127.0.0.1:18000 under E2E_LAB_PORTS. */
export function onThisMachine(url: string): string {
  const parsed = new URL(url);
  const labPort = Number(parsed.port || 80);
  for (const pair of E2E_LAB_PORTS.split(',').filter(Boolean)) {
    const [host, lab] = pair.split(':').map(Number);
    if (lab === labPort) parsed.port = String(host);
  }
  return parsed.toString();
}

export const PORT_PAGES: Record<string, PortPage> = {
  'django-runserver': { url: 'http://127.0.0.1:8000/', text: DJANGO, shot: 'django-runserver-8000' },
  'django-run-weweb01': { url: 'http://127.0.0.1:8000/', text: DJANGO, shot: 'django-weweb01-container-8000' },
  'nginx-run-mynginx01': { url: 'http://127.0.0.1/', text: 'Welcome to nginx!', shot: 'nginx-welcome-80' },
  'nginx-run-nginxtest': { url: 'http://127.0.0.1/', text: DJANGO, shot: 'django-through-nginx-80' },
};
