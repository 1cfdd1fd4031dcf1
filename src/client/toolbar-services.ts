/**
 * The chapter toolbar's list of what runs in the background: services (background steps) and the
 * containers steps started with `docker run -d`, each with its Open link and a Stop button.
 */
import type { ContainerInfo, ServiceInfo } from '../../contract/protocol.ts';
import { store } from './page-store.ts';
import { runner } from './runner-connection.ts';
import type { PageModel } from './step-model.ts';
import { openHref, serviceAddress, TEXT } from './texts.ts';

/** Runs an API call, shows its failure in the toolbar; true when it succeeded. */
export type Call = (what: string, action: () => Promise<unknown>) => Promise<boolean>;

/** Fills `list` (and shows `section`) from the model; without a runner (null), hides it. */
export function renderServiceList(
  list: HTMLUListElement,
  section: HTMLElement,
  model: PageModel | null,
  call: Call,
): void {
  const services = model?.services ?? [];
  const containers = model?.containers ?? [];
  section.hidden = services.length === 0 && containers.length === 0;
  const host = model?.target?.portHost; // a lab on a remote engine publishes there
  const key = JSON.stringify([services, containers, host]);
  if (list.dataset.key === key) return;
  list.dataset.key = key;
  list.replaceChildren(
    ...containers.map((container) => containerItem(container, call, host)),
    ...services.map((service) => serviceItem(service, call, host)),
  );
}

function serviceItem(service: ServiceInfo, call: Call, host?: string): HTMLLIElement {
  const item = document.createElement('li');
  const name = store.info[service.stepId]?.name ?? service.stepId;
  item.append(name);
  const address = service.url ?? (service.port ? serviceAddress(service.port, '/', host) : '');
  if (address && service.state === 'ready') item.append(' ', link(openHref(address, service.runId), address));
  const state = document.createElement('span');
  state.className = 'service-state';
  state.dataset.state = service.state;
  state.textContent = TEXT.toolbar.serviceState[service.state];
  const stop = button('service-stop', TEXT.stop, TEXT.toolbar.stopService(name));
  stop.addEventListener('click', () => {
    stop.disabled = true;
    void call(TEXT.toolbar.couldNot.stop(name), () =>
      runner.json(`/api/runs/${encodeURIComponent(service.runId)}/cancel`, 'POST', {}),
    ).then((ok) => (stop.disabled = ok));
  });
  item.append(' ', state, ' ', stop);
  return item;
}

/** A container a step started with `docker run -d`: it outlives the step, so it is listed here too. */
function containerItem(container: ContainerInfo, call: Call, host = '127.0.0.1'): HTMLLIElement {
  const item = document.createElement('li');
  const name = document.createElement('code');
  name.textContent = container.name;
  item.append(`${TEXT.toolbar.container} `, name, ` (${container.image})`);
  for (const port of container.hostPorts) {
    // Unique per container, so a page another container served on this port is never shown from cache.
    const address = serviceAddress(port, '/', host);
    // host:port with the port always shown (URL.host drops :80, and the learner looks for ":80").
    item.append(' ', link(openHref(address, container.name), `${new URL(address).hostname}:${port}`));
  }
  const stop = button('service-stop', TEXT.stop, TEXT.toolbar.stopContainer(container.name));
  stop.addEventListener('click', () => {
    stop.disabled = true;
    void call(TEXT.toolbar.couldNot.stop(container.name), () =>
      runner.json(`/api/containers/${encodeURIComponent(container.name)}/stop`, 'POST', {}),
    ).then((ok) => (stop.disabled = ok));
  });
  item.append(' ', stop);
  return item;
}

function link(href: string, label: string): HTMLAnchorElement {
  const a = document.createElement('a');
  a.href = href;
  a.target = '_blank';
  a.rel = 'noopener';
  a.textContent = label.replace(/^https?:\/\//, '').replace(/\/$/, '');
  return a;
}

function button(className: string, label: string, name: string): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = className;
  b.textContent = label;
  b.setAttribute('aria-label', name);
  return b;
}
