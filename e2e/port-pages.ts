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

export const PORT_PAGES: Record<string, PortPage> = {
  'django-runserver': { url: 'http://127.0.0.1:8000/', text: DJANGO, shot: 'django-runserver-8000' },
  'django-run-weweb01': { url: 'http://127.0.0.1:8000/', text: DJANGO, shot: 'django-weweb01-container-8000' },
  'nginx-run-mynginx01': { url: 'http://127.0.0.1/', text: 'Welcome to nginx!', shot: 'nginx-welcome-80' },
  'nginx-run-nginxtest': { url: 'http://127.0.0.1/', text: DJANGO, shot: 'django-through-nginx-80' },
};
