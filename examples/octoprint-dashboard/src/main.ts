import { setupWorker } from 'msw/browser';
// The package's public entry point, as an app imports it (in this repository, build.mjs and
// examples/tsconfig.json point it at the source).
import { handlers } from 'accord/msw';
import { OctoPrintClient, OctoPrintError, type UserRecord } from './octoprint-client.js';

/**
 * A user-admin dashboard for two OctoPrint servers side by side, each through its own client (seed 000's
 * reason for OctoPrintClient instances). Both servers are accord's OctoPrint mock, running in this page
 * behind msw's service worker: two base URLs, two independent instances with their own users and keys.
 */
const PRINTERS = [
  { id: 'a', title: 'Printer A', baseurl: `${location.origin}/printers/a` },
  { id: 'b', title: 'Printer B', baseurl: `${location.origin}/printers/b` },
];
/** The group the dashboard toggles. */
const TOGGLED = 'admins';

const mocks = handlers('octoprint', {
  baseUrl: PRINTERS.map((p) => p.baseurl),
  log: (line) => console.info(`[accord] ${line}`),
});

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  node.append(...children);
  return node;
}

function panel(printer: (typeof PRINTERS)[number], client: OctoPrintClient): HTMLElement {
  const rows = el('tbody');
  const status = el('p', { class: 'status', 'data-testid': `status-${printer.id}` });
  const name = el('input', { name: 'name', placeholder: 'user name', 'data-testid': `name-${printer.id}` });
  const password = el('input', {
    name: 'password',
    type: 'password',
    placeholder: 'password',
    'data-testid': `password-${printer.id}`,
  });
  const form = el(
    'form',
    { 'data-testid': `create-${printer.id}` },
    name,
    password,
    el('button', { type: 'submit' }, 'Create user'),
  );

  const show = (message: string, error = false) => {
    status.textContent = message;
    status.className = error ? 'status error' : 'status';
  };
  const fail = (e: unknown) =>
    show(
      e instanceof OctoPrintError ? `${e.message}${e.diagnostic ? ` (accord: ${e.diagnostic})` : ''}` : String(e),
      true,
    );

  const render = (users: readonly UserRecord[]) => {
    rows.replaceChildren(
      ...users.map((u) => {
        const toggle = el(
          'button',
          { 'data-testid': `toggle-${printer.id}-${u.name}` },
          u.groups.includes(TOGGLED) ? `Remove from ${TOGGLED}` : `Add to ${TOGGLED}`,
        );
        toggle.addEventListener('click', () => {
          const groups = u.groups.includes(TOGGLED) ? u.groups.filter((g) => g !== TOGGLED) : [...u.groups, TOGGLED];
          client.access.users
            .update(u.name, u.active, u.admin, u.permissions, groups)
            .then((r) => (render(r.users), show(`${u.name}: groups ${groups.join(', ') || '(none)'}`)))
            .catch(fail);
        });
        return el(
          'tr',
          { 'data-testid': `user-${printer.id}-${u.name}` },
          el('td', {}, u.name),
          el('td', { class: 'groups' }, u.groups.join(', ') || '—'),
          el('td', {}, u.admin ? 'admin' : ''),
          el('td', {}, toggle),
        );
      }),
    );
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    client.access.users
      .add({ name: name.value, password: password.value, groups: ['users'] })
      .then((r) => (render(r.users), show(`created ${name.value}`), form.reset()))
      .catch(fail);
  });
  client.access.users
    .list()
    .then((r) => (render(r.users), show(`${r.users.length} users`)))
    .catch(fail);

  const table = el(
    'table',
    {},
    el('thead', {}, el('tr', {}, el('th', {}, 'user'), el('th', {}, 'groups'), el('th', {}, ''), el('th', {}, ''))),
    rows,
  );
  return el(
    'section',
    { class: 'printer', 'data-testid': `printer-${printer.id}` },
    el('h2', {}, printer.title),
    el('p', { class: 'url' }, printer.baseurl),
    table,
    form,
    status,
  );
}

async function main(): Promise<void> {
  await setupWorker(...mocks).start({
    serviceWorker: { url: '/mockServiceWorker.js' },
    onUnhandledRequest: 'bypass',
    quiet: true,
  });
  const root = document.getElementById('app');
  if (!root) return;
  root.replaceChildren(
    ...PRINTERS.map((printer, i) => {
      const apikey = mocks.instances[i]?.dialect.given.adminKey ?? '';
      return panel(printer, new OctoPrintClient({ baseurl: printer.baseurl, apikey }));
    }),
  );
  document.body.dataset['ready'] = 'true';
}

void main();
