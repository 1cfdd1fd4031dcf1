/**
 * The instructor's page: one table, refreshed every 3 s from /api/classroom. Learner output is
 * shown with textContent only (it is whatever their steps printed). The token comes from the
 * link, is kept in sessionStorage and taken out of the address bar, as the learners' pages do.
 */
export const INSTRUCTOR_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Classroom · instructor</title>
<style>
  body { font: 15px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #1b1b1f; }
  table { border-collapse: collapse; width: 100%; }
  th, td { border-bottom: 1px solid #ccc; padding: .4rem .5rem; text-align: left; vertical-align: top; }
  .stuck { color: #a00; }
  pre { white-space: pre-wrap; max-height: 12rem; overflow: auto; background: #f4f4f6; padding: .4rem; }
  button { margin-right: .3rem; }
</style>
</head>
<body>
<h1>Classroom</h1>
<p><label>Stop labs idle for <input id="idle" type="number" min="0" max="1440" style="width:5em"> minutes (0: never)</label>
<button id="set-idle" type="button">Set</button> <span id="status" role="status"></span></p>
<p><button id="make-join" type="button">Make a join link</button> one link for the whole class: each browser that opens it gets the next free seat (a new link replaces the old one).
<output id="join-link"></output> <span id="joined"></span></p>
<table>
  <thead><tr><th scope="col">Learner</th><th scope="col">Lab</th><th scope="col">Progress</th><th scope="col">Stuck on</th><th scope="col">Actions</th></tr></thead>
  <tbody id="learners"></tbody>
</table>
<script type="module">
  const params = new URLSearchParams(location.search);
  if (params.get('token')) { sessionStorage.setItem('instructor-token', params.get('token')); history.replaceState(null, '', '/'); }
  const token = sessionStorage.getItem('instructor-token') ?? '';
  const api = (path, init = {}) => fetch(path, { ...init, headers: { 'x-runner-token': token, 'content-type': 'application/json' } });
  const el = (tag, text, cls) => { const e = document.createElement(tag); if (text !== undefined) e.textContent = text; if (cls) e.className = cls; return e; };
  const status = document.getElementById('status');
  async function act(id, action) {
    status.textContent = action + ' ' + id + '...';
    const r = await api('/api/classroom/learners/' + id + '/' + action, { method: 'POST' });
    status.textContent = r.ok ? action + ' ' + id + ': done' : action + ' ' + id + ': ' + (await r.json()).error;
    refresh();
  }
  async function refresh() {
    const r = await api('/api/classroom');
    if (!r.ok) { status.textContent = (await r.json()).error; return; }
    const data = await r.json();
    if (document.activeElement?.id !== 'idle') document.getElementById('idle').value = data.idleMinutes;
    document.getElementById('joined').textContent = data.joined.length ? 'seats taken through it: ' + data.joined.join(', ') : '';
    const body = document.getElementById('learners');
    body.replaceChildren(...data.learners.map((l) => {
      const row = el('tr');
      const who = el('td'); who.append(el('strong', l.id), el('br'), el('small', 'ports ' + Object.entries(l.ports).map(([lab, host]) => lab + '→' + host).join(', ')));
      row.append(who);
      row.append(el('td', (l.labRunning ? 'running' : 'stopped') + ' · idle ' + l.idleSeconds + ' s' + (l.running.length ? ' · running ' + l.running.join(', ') : '')));
      const progress = el('td'); for (const c of l.chapters) progress.append(el('div', c.title + ': ' + c.ok + '/' + c.total + (c.failed ? ' (' + c.failed + ' failed)' : '')));
      row.append(progress);
      const stuck = el('td');
      if (l.stuck) { stuck.append(el('div', l.stuck.stepId + ': ' + l.stuck.message, 'stuck')); const d = el('details'); d.append(el('summary', 'last output'), el('pre', l.stuck.output)); stuck.append(d); }
      row.append(stuck);
      const actions = el('td');
      const labels = { reset: 'Reset', restart: 'Restart lab', free: 'Free seat' };
      for (const action of ['reset', 'restart', 'free']) { const b = el('button', labels[action]); b.type = 'button'; b.onclick = () => (action !== 'free' || confirm('Free ' + l.id + "'s seat? Their work is removed and their link stops working; the join link hands the seat to the next newcomer.")) && act(l.id, action); actions.append(b); }
      row.append(actions);
      return row;
    }));
  }
  document.getElementById('set-idle').onclick = async () => {
    const minutes = Number(document.getElementById('idle').value);
    const r = await api('/api/classroom/idle', { method: 'POST', body: JSON.stringify({ minutes }) });
    status.textContent = r.ok ? 'idle time set' : (await r.json()).error;
  };
  document.getElementById('make-join').onclick = async () => {
    const r = await api('/api/classroom/join', { method: 'POST' });
    const data = await r.json();
    document.getElementById('join-link').textContent = r.ok ? data.url : data.error;
  };
  refresh(); setInterval(refresh, 3000);
</script>
</body>
</html>
`;
