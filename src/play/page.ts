/**
 * The teaching playground (issue 20): one self-contained HTML page that opens from disk with no network.
 * It carries the simulator bundled for the browser (dist/play/worker.js, built by scripts/bundle-play.mjs
 * during `npm run build`), runs it in a Web Worker made from a Blob URL, and redraws the run report's
 * charts (src/report/html.ts: `reportMain` and `lsimDraw`) after every change of a control. The controls
 * (src/play/controls.ts) edit the scenario's YAML, which the page shows and exports; the lessons
 * (src/play/lessons.ts) and the scenario files given to `lsim play` are its starting points.
 * Same inputs → same bytes: no timestamps, no random ids.
 */
import { readFileSync } from 'node:fs';
import { UserError } from '../errors.js';
import { chartJsSource, DRAW_SCRIPT, esc, PAGE_CSS } from '../report/html.js';
import { CONTROLS } from './controls.js';
import { LESSONS, type Lesson } from './lessons.js';
import { PLAY_FILE } from './run.js';

/** A starting point of the page: a lesson, or a scenario file given on the command line. */
export type Start = Lesson;

/** The worker bundle of this installation (dist/play/worker.js). @throws UserError when it was not built. */
export function workerBundle(): string {
  const url = new URL('../../dist/play/worker.js', import.meta.url);
  try {
    return readFileSync(url, 'utf8');
  } catch {
    throw new UserError(`the playground's worker bundle ${url.pathname} is missing; run npm run build`);
  }
}

/** Text safe inside a <script> element (JSON or JavaScript): no closing tag, no comment opener. */
function inScript(text: string): string {
  return text.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** A lesson-like start from a scenario file's text. */
export function fileStart(file: string, text: string, index: number): Start {
  return {
    id: `file-${index + 1}`,
    title: `Your scenario: ${file}`,
    question: 'Move a control and watch which chart answers; the YAML below is the scenario that ran.',
    lookFor: 'The controls act on the first workload and the function it invokes.',
    yaml: text,
  };
}

/**
 * The playground page. `starts`: the scenario files given (first shown first), then the lessons.
 * `worker`: the worker bundle's text (default: this installation's).
 */
export function playPage(files: readonly Start[], worker: string = workerBundle()): string {
  const starts = [...files, ...LESSONS];
  const data = { file: PLAY_FILE, controls: CONTROLS, starts };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>lsim playground</title>
<style>${PAGE_CSS}${PLAY_CSS}</style>
</head>
<body data-state="loading">
<header>
<h1>lsim playground</h1>
<p class="desc">Move a control, watch the charts redraw: the simulator runs in this page, offline. Every rule is AWS's documented behaviour; its source is the section of lsim's docs/sources.md named beside it.</p>
<p class="start"><label for="start">start from</label> <select id="start">${starts.map((s, i) => `<option value="${i}">${esc(s.title)}</option>`).join('')}</select></p>
<section class="lesson" aria-label="lesson"><p><b>Question.</b> <span id="question"></span></p><p><b>What to look for.</b> <span id="lookfor"></span></p></section>
</header>
<div class="play">
<aside class="controls" aria-label="controls">
<h2>Controls</h2>
${CONTROLS.map(controlHtml).join('\n')}
</aside>
<section class="out">
<div class="status"><span id="status" role="status">loading</span> <progress id="progress" max="1" value="0"></progress> <button id="cancel" type="button" disabled>cancel</button></div>
<pre id="error" class="error" hidden></pre>
<details open><summary>Scenario YAML (what ran; copy it and <code>lsim run ${PLAY_FILE}</code> gives the same numbers)</summary>
<textarea id="yaml" spellcheck="false" rows="12" aria-label="scenario YAML"></textarea>
<p><button id="copy" type="button">copy YAML</button> <button id="run-yaml" type="button">run this YAML</button> <a id="download" download="${PLAY_FILE}" href="#">download ${PLAY_FILE}</a> <span id="copied"></span></p>
</details>
<div id="meta"></div>
<main id="report"></main>
</section>
</div>
<footer><p>Made by lsim play. The simulator is lsim's own, bundled for the browser; results are the bytes <code>lsim run -f json</code> writes for the YAML shown. Charts: Chart.js (MIT), inlined.</p></footer>
<script type="application/json" id="play-data">${inScript(JSON.stringify(data))}</script>
<script type="text/plain" id="play-worker">${inScript(worker)}</script>
<script>${inScript(chartJsSource())}</script>
<script>${DRAW_SCRIPT}</script>
<script>${PLAY_SCRIPT}</script>
</body>
</html>
`;
}

function controlHtml(c: (typeof CONTROLS)[number]): string {
  const only = c.only ? ` data-only="${esc(c.only.join(' '))}"` : '';
  const input =
    c.kind === 'choice'
      ? `<select id="c-${c.id}" data-control="${c.id}">${c.choices!.map((o) => `<option value="${esc(o.value)}">${esc(o.label)}</option>`).join('')}</select>`
      : `<input type="range" id="r-${c.id}" data-range="${c.id}" min="${c.min}" max="${c.max}" step="${c.step}" aria-label="${esc(c.label)} slider"> <input type="number" id="c-${c.id}" data-control="${c.id}" min="${c.min}" max="${c.max}" step="${c.step}">${c.unit ? ` <span class="unit">${esc(c.unit)}</span>` : ''}${c.none !== undefined ? ` <span class="none" id="n-${c.id}"></span>` : ''}`;
  return `<div class="control" data-for="${c.id}"${only}><label for="c-${c.id}">${esc(c.label)}</label><div class="input">${input}</div><p class="rule">${esc(c.rule)} <cite>docs/sources.md ${esc(c.source)}</cite></p></div>`;
}

const PLAY_CSS = `
.start { margin: 0.4em 0; } .lesson { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 6px 12px; }
.lesson p { margin: 0.3em 0; }
.play { display: grid; grid-template-columns: 340px minmax(0, 1fr); gap: 18px; margin-top: 12px; }
.controls h2 { margin-top: 0; } .control { border-bottom: 1px solid var(--line); padding: 6px 0; }
.control label { font-weight: 600; display: block; } .control .input { display: flex; gap: 6px; align-items: center; }
.control input[type=range] { flex: 1; min-width: 0; } .control input[type=number] { width: 6.5em; } .control select { max-width: 100%; }
.rule { color: var(--muted); font-size: 0.82em; margin: 0.2em 0 0; } cite { font-style: normal; }
.control[hidden] { display: none; } .status { display: flex; gap: 8px; align-items: center; } progress { width: 160px; }
.error { color: #8c1c13; white-space: pre-wrap; background: #fbeeee; border: 1px solid #e0b4b4; padding: 6px 10px; border-radius: 6px; }
textarea#yaml { width: 100%; font: 13px/1.35 ui-monospace, "DejaVu Sans Mono", monospace; }
@media (max-width: 900px) { .play { grid-template-columns: 1fr; } }
`;

/**
 * Runs in the page: the controls, the worker (started from the bundle's text as a Blob URL), progress and
 * cancel, and the redraw. Each run sends the YAML of the last finished run and the controls changed since;
 * a newer change cancels a run in flight (the worker is terminated and a fresh one started). Plain ES2017.
 */
const PLAY_SCRIPT = `
(function () {
  'use strict';
  var P = JSON.parse(document.getElementById('play-data').textContent);
  var url = URL.createObjectURL(new Blob([document.getElementById('play-worker').textContent], { type: 'text/javascript' }));
  var $ = function (id) { return document.getElementById(id); };
  var worker = null, runId = 0, running = false, base = '', pending = [], timer = 0, lastJson = '', runs = 0, t0 = 0;
  function start() { worker = new Worker(url); worker.onmessage = onMessage; }
  function state(s, text) { document.body.setAttribute('data-state', s); $('status').textContent = text; }
  function run() {
    if (running) { worker.terminate(); start(); }
    runId++;
    running = true;
    $('progress').value = 0;
    $('cancel').disabled = false;
    state('running', 'running…');
    t0 = performance.now();
    worker.postMessage({ id: runId, yaml: base, changes: pending.slice() });
  }
  function cancel() {
    if (!running) return;
    worker.terminate();
    start();
    running = false;
    runId++;
    pending = [];
    $('cancel').disabled = true;
    state('cancelled', 'cancelled: the charts show the last finished run');
    show(base, null);
  }
  function show(yaml, settings) {
    $('yaml').value = yaml;
    $('download').href = 'data:text/yaml;charset=utf-8,' + encodeURIComponent(yaml);
    if (settings) setControls(settings);
  }
  function onMessage(e) {
    var m = e.data;
    if (m.id !== runId) return;
    if (m.type === 'progress') { $('progress').value = m.fraction; $('status').textContent = 'running… ' + Math.round(m.fraction * 100) + '%'; return; }
    running = false;
    $('cancel').disabled = true;
    $('progress').value = 1;
    var o = m.outcome;
    base = o.yaml;
    pending = [];
    show(o.yaml, o.settings);
    runs++;
    document.body.setAttribute('data-run', String(runs));
    if (!o.ok) {
      $('error').hidden = false;
      $('error').textContent = o.message;
      state('error', 'the scenario was refused: the charts show the last run');
      return;
    }
    $('error').hidden = !o.warnings.length;
    $('error').textContent = o.warnings.map(function (w) { return 'warning: ' + w; }).join('\\n');
    lastJson = o.json;
    $('meta').innerHTML = o.meta;
    $('report').innerHTML = o.html;
    lsimDraw(o.data);
    // From the change to the charts drawn: the wall time shown, never part of a result.
    var ms = Math.round(performance.now() - t0);
    document.body.setAttribute('data-ms', String(ms));
    state('done', 'done in ' + ms + ' ms (run ' + runs + ')');
    document.body.setAttribute('data-charts-ready', '1');
  }
  function setControls(s) {
    P.controls.forEach(function (c) {
      var el = $('c-' + c.id), v = s[c.id];
      if (v === undefined) return;
      el.value = String(v);
      var r = $('r-' + c.id);
      if (r) r.value = String(v);
      var n = $('n-' + c.id);
      if (n) n.textContent = v === c.none ? 'none' : '';
      var box = el.closest('.control');
      var only = box.getAttribute('data-only');
      box.hidden = !!only && only.split(' ').indexOf(String(s.invoke)) < 0;
    });
  }
  function change(id, value) {
    pending = pending.filter(function (p) { return p[0] !== id; }).concat([[id, value]]);
    clearTimeout(timer);
    timer = setTimeout(run, 150);
  }
  P.controls.forEach(function (c) {
    var el = $('c-' + c.id), r = $('r-' + c.id);
    var value = function (x) { return c.kind === 'choice' ? x.value : Number(x.value); };
    el.addEventListener('change', function () { if (r) r.value = el.value; change(c.id, value(el)); });
    if (r) {
      r.addEventListener('input', function () { el.value = r.value; var n = $('n-' + c.id); if (n) n.textContent = Number(r.value) === c.none ? 'none' : ''; });
      r.addEventListener('change', function () { change(c.id, value(r)); });
    }
  });
  function begin(i) {
    var s = P.starts[i];
    $('question').textContent = s.question;
    $('lookfor').textContent = s.lookFor;
    base = s.yaml;
    pending = [];
    show(base, null);
    run();
  }
  $('start').addEventListener('change', function () { begin(Number($('start').value)); });
  $('cancel').addEventListener('click', cancel);
  $('run-yaml').addEventListener('click', function () { base = $('yaml').value; pending = []; run(); });
  $('copy').addEventListener('click', function () {
    var t = $('yaml');
    t.select();
    var done = function () { $('copied').textContent = 'copied'; };
    if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(t.value).then(done, function () { document.execCommand('copy'); done(); });
    else { document.execCommand('copy'); done(); }
  });
  window.lsimPlay = { json: function () { return lastJson; }, yaml: function () { return base; }, begin: begin, cancel: cancel };
  start();
  begin(0);
})();`;
