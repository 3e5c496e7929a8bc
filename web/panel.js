// SPDX-License-Identifier: MIT
// Switchyard operator panel: talks only to /x-switchyard/v1/ and follows the
// event stream (Server-Sent Events); no framework, no build step.
'use strict';
const API = '/x-switchyard/v1/';
let inputs = [], outputs = [], salvos = [];

function $(id) { return document.getElementById(id); }

function showError(msg) {
  const e = $('error');
  e.textContent = msg;
  e.style.display = msg ? 'block' : 'none';
  if (msg) setTimeout(() => showError(''), 5000);
}

async function call(method, path, body) {
  const headers = { 'X-Switchyard-Client': $('client').value || 'panel' };
  if ($('token').value) headers['Authorization'] = 'Bearer ' + $('token').value;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const r = await fetch(API + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  const data = text ? JSON.parse(text) : null;
  if (!r.ok) { showError(r.status + ' ' + (data && data.debug ? data.debug : r.statusText)); throw new Error(r.status); }
  return data;
}

function render() {
  const g = $('grid');
  g.textContent = '';
  const head = g.insertRow();
  head.insertCell().textContent = '';
  for (const i of inputs) {
    const th = document.createElement('th');
    th.className = 'in';
    th.textContent = i.label;
    th.title = i.id + ' (' + i.kind + ', ' + i.status + ')';
    head.appendChild(th);
  }
  head.insertCell().textContent = 'lock';
  head.insertCell().textContent = '';
  for (const o of outputs) {
    const row = g.insertRow();
    const th = document.createElement('th');
    th.textContent = o.label + (o.program ? ' ●' : '');
    th.title = o.id;
    row.appendChild(th);
    for (const i of inputs) {
      const b = document.createElement('button');
      b.className = 'xp' + (o.input === i.id ? ' pgm' : '') +
        (o.pending && o.pending.input === i.id ? ' pending' : '') + (o.preview === i.id ? ' pvw' : '');
      b.title = o.id + ' ← ' + i.id;
      b.onclick = (ev) => ev.shiftKey
        ? call('PUT', 'outputs/' + o.id + '/preview', { input: i.id }).then(refresh).catch(() => {})
        : call('POST', 'outputs/' + o.id + '/take', { input: i.id }).then(refresh).catch(() => {});
      row.insertCell().appendChild(b);
    }
    const lc = row.insertCell();
    lc.className = 'lock';
    lc.textContent = o.lock.kind === 'none' ? '' : o.lock.kind + ' (' + o.lock.owner + ')';
    lc.onclick = () => (o.lock.kind === 'none'
      ? call('PUT', 'outputs/' + o.id + '/lock', { kind: 'protect' })
      : call('DELETE', 'outputs/' + o.id + '/lock')).then(refresh).catch(() => {});
    const cut = document.createElement('button');
    cut.textContent = 'CUT';
    cut.onclick = () => call('POST', 'outputs/' + o.id + '/cut').then(refresh).catch(() => {});
    row.insertCell().appendChild(cut);
  }
  const s = $('salvos');
  s.textContent = '';
  for (const sv of salvos) {
    const b = document.createElement('button');
    b.textContent = sv.label;
    b.title = sv.takes.map(t => t.output + '←' + t.input).join(', ');
    b.onclick = () => call('POST', 'salvos/' + sv.id + '/fire').then(refresh).catch(() => {});
    s.appendChild(b);
  }
}

async function refresh() {
  [inputs, outputs, salvos] = await Promise.all([call('GET', 'inputs'), call('GET', 'outputs'), call('GET', 'salvos')]);
  render();
}

async function start() {
  const st = await call('GET', 'status');
  $('engine').textContent = 'engine: ' + st.engine;
  $('engine').className = 'badge ' + st.engine;
  await refresh();
  const es = new EventSource(API + 'events/stream');
  for (const name of ['take_pending', 'take_done', 'take_failed', 'preview', 'lock', 'label',
                      'salvo_define', 'salvo_delete', 'salvo_fire', 'connection', 'input_lost', 'input_ok']) {
    es.addEventListener(name, (ev) => {
      const li = document.createElement('li');
      li.textContent = name + ' ' + ev.data;
      $('events').prepend(li);
      refresh().catch(() => {});
    });
  }
  setInterval(() => { $('clock').textContent = new Date().toISOString(); }, 1000);
}

start().catch((e) => showError('cannot reach the switcher: ' + e));
