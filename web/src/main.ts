/**
 * The lab's page: controls, progress and figures. The network lives in the worker (worker.ts); this file turns
 * clicks into messages and messages into figures and text. Every string that came from a file or a link is set as
 * text (textContent, input values) or drawn by vega as SVG text nodes, never parsed as markup.
 */
import { lossCurveSpec } from '@rnnlab/analysis/browser';
import { TASKS } from '@rnnlab/tasks';
import { parseShareUrl, QUICK_AND, shareUrl } from '@rnnlab/experiments/share';
import { defaultRecipe, fillForm, runFromForm } from './form';
import { cancelPending, draw, drawThrottled } from './plots';
import type { Analysis, FromWorker, LesionRequest, ToWorker } from './messages';

/** Files larger than this are refused before they are read (the authors' largest network is under 1 MB). */
const MAX_FILE_BYTES = 64 * 2 ** 20;

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
const send = (m: ToWorker, transfer: Transferable[] = []) => worker.postMessage(m, transfer);

const losses: number[] = [];
let epochs: Array<{ epoch: number; loss: number; steps: number }> = [];
let lossName = 'loss';

function showError(message: string): void {
  $('error').textContent = message;
  $('error').hidden = false;
}
const clearError = () => ($('error').hidden = true);
const drawError = (e: unknown) => showError(`a figure could not be drawn: ${String(e)}`);

function setState(state: string, reason?: string): void {
  $('status').textContent = reason ? `${state} (${reason})` : state;
  if (state === 'done' || state === 'stopped')
    $('progress-text').textContent = $('progress-text').textContent!.replace(/, at most .* left$/, '');
  $('status').dataset.state = state;
  const training = state === 'training';
  $<HTMLButtonElement>('pause').disabled = !training;
  $<HTMLButtonElement>('resume').disabled = state !== 'paused';
  $<HTMLButtonElement>('stop').disabled = !(training || state === 'paused');
  $<HTMLButtonElement>('export').disabled = ['training', 'starting', 'idle'].includes(state);
  for (const id of ['lesion-mode', 'lesion-fraction', 'lesion-hand'])
    $<HTMLInputElement>(id).disabled = ['training', 'starting', 'idle'].includes(state);
}

function setupTasks(): void {
  const select = $<HTMLSelectElement>('task');
  for (const [name, task] of Object.entries(TASKS)) {
    const o = document.createElement('option');
    o.value = name;
    o.textContent = `${name}: ${task.title}`;
    select.append(o);
  }
  select.addEventListener('change', () => fillForm({ recipe: defaultRecipe(select.value), kernel: 'wasm-simd' }));
}

function startTraining(): void {
  clearError();
  let run;
  try {
    run = runFromForm();
    // The link is the run: read it back as the CLI will, so the page refuses what `--from-url` would refuse.
    const link = shareUrl(location.href, run);
    run = parseShareUrl(link);
    history.replaceState(null, '', link);
    $<HTMLInputElement>('share-url').value = link;
    $('share-cli').textContent = `npx rnnlab train --from-url '${link}'`;
  } catch (e) {
    showError(e instanceof Error ? e.message : String(e));
    return;
  }
  losses.length = 0;
  epochs = [];
  const readout = run.recipe.model.readout ?? 'linear';
  lossName = readout === 'softmax' ? 'loss (cross-entropy)' : readout === 'sigmoid' ? 'loss (BCE)' : 'loss (MSE)';
  cancelPending();
  clearAnalysis();
  setState('starting');
  send({ type: 'train', run });
}

/** The numbers of the last analysis go when the network changes again (a new run, or training resumed). */
function clearAnalysis(): void {
  for (const id of ['weights-sha', 'accuracy', 'eigenvalues', 'fixed-point-count', 'lesion-status'])
    $(id).textContent = '';
}

let startedAt = 0;

function onProgress(m: Extract<FromWorker, { type: 'progress' }>): void {
  const p = m.progress;
  // Updates per second of wall time since the run started, as a user waits for it (bench/lab.ts reads it).
  $('progress').dataset.wallRate = String(p.step / ((performance.now() - startedAt) / 1000));
  losses.push(...m.losses);
  epochs = m.epochs;
  const bar = $<HTMLProgressElement>('progress');
  bar.max = p.totalSteps;
  bar.value = p.step;
  const eta = (p.totalSteps - p.step) / p.stepsPerSecond;
  $('progress-text').textContent =
    `epoch ${p.epoch + (p.step < p.totalSteps ? 1 : 0)}/${p.epochs}, update ${p.step}/${p.totalSteps}, ` +
    `loss ${p.loss.toExponential(3)}, ${p.stepsPerSecond.toFixed(0)} updates/s, ` +
    `${(p.elapsedMs / 1000).toFixed(1)} s, at most ${Number.isFinite(eta) ? eta.toFixed(0) : '?'} s left`;
  if (losses.length) drawThrottled($('fig-loss'), lossCurveSpec(losses, epochs, lossName), 1000, drawError);
}

function onAnalysis(a: Analysis): void {
  for (const id of ['fig-trials', 'fig-pca', 'fig-fixed-points', 'fig-connectivity']) $(id).replaceChildren();
  for (const [name, spec] of a.figures) {
    const el = $(`fig-${name}`);
    if (el) draw(el, spec).catch(drawError);
  }
  $('weights-sha').textContent = a.weightsSha256;
  $('weights-step').textContent = a.steps === null ? '(a loaded network)' : `(after ${a.steps} updates)`;
  $('accuracy').textContent = `${(100 * a.accuracy).toFixed(1)} % on 200 fresh trials`;
  $('eigenvalues').textContent = JSON.stringify(a.eigenvalues);
  $('fixed-point-count').textContent = `${a.fixedPoints.found} fixed or slow point(s), ${a.fixedPoints.stable} stable`;
  const rows = a.lateBehaviour.map((r) => {
    const tr = document.createElement('tr');
    const period = r.period === null ? '' : `period ${r.period.toFixed(1)} steps`;
    for (const text of [r.condition, r.behaviour, period]) {
      const td = document.createElement('td');
      td.textContent = text;
      tr.append(td);
    }
    return tr;
  });
  $('late').replaceChildren(...rows);
  requestLesion();
}

let lesionTimer: number | null = null;
function requestLesion(): void {
  if (lesionTimer !== null) clearTimeout(lesionTimer);
  lesionTimer = window.setTimeout(() => {
    lesionTimer = null;
    // An analysis made at a pause asks for the lesion view; training may have resumed since (its controls are off).
    if (['training', 'starting'].includes($('status').dataset.state ?? '')) return;
    let lesion: LesionRequest;
    try {
      lesion = lesionFromControls();
    } catch (e) {
      showError(e instanceof Error ? e.message : String(e));
      return;
    }
    send({ type: 'lesion', lesion });
  }, 120);
}

function lesionFromControls(): LesionRequest {
  const hand: Array<[number, number]> = [];
  for (const part of $<HTMLInputElement>('lesion-hand')
    .value.split(/[;\s]+/)
    .filter(Boolean)) {
    const m = /^(\d+),(\d+)$/.exec(part);
    if (!m) throw new Error(`"${part.slice(0, 40)}" is not a weight: write row,column (e.g. 3,7)`);
    hand.push([Number(m[1]), Number(m[2])]);
  }
  const fraction = Number($<HTMLInputElement>('lesion-fraction').value) / 100;
  $('lesion-fraction-text').textContent = `${(100 * fraction).toFixed(0)} %`;
  return { mode: $<HTMLSelectElement>('lesion-mode').value as LesionRequest['mode'], fraction, hand };
}

function onMessage(m: FromWorker): void {
  switch (m.type) {
    case 'started':
      startedAt = performance.now();
      $('kernel').textContent = m.kernel;
      $('param-count').textContent = `${m.nParams} parameters, ${m.totalSteps} updates at most`;
      return;
    case 'progress':
      return onProgress(m);
    case 'spectrum':
      return drawThrottled($('fig-spectrum'), m.figure, 500, drawError);
    case 'state':
      if (m.state === 'training') clearAnalysis();
      return setState(m.state, m.reason);
    case 'analysis':
      return onAnalysis(m.analysis);
    case 'lesioned':
      $('lesion-status').textContent = `${m.removed} weights removed; accuracy ${(100 * m.accuracy).toFixed(1)} %`;
      for (const [name, spec] of m.figures) draw($(`fig-${name}`), spec).catch(drawError);
      return;
    case 'model':
      return download(m.text, m.fileName);
    case 'error':
      return showError(m.message);
  }
}

function download(text: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

async function loadFile(file: File): Promise<void> {
  clearError();
  if (file.size > MAX_FILE_BYTES) {
    showError(`"${file.name}" is ${(file.size / 2 ** 20).toFixed(0)} MB; the lab reads files up to 64 MB`);
    return;
  }
  const bytes = await file.arrayBuffer();
  cancelPending();
  // A loaded network has no training: the last run's loss curve and progress go.
  losses.length = 0;
  epochs = [];
  $('fig-loss').replaceChildren();
  $('progress-text').textContent = '';
  $('param-count').textContent = '';
  $<HTMLProgressElement>('progress').value = 0;
  clearAnalysis();
  const psychrnn = {
    alpha: Number($<HTMLInputElement>('alpha').value),
    activation: $<HTMLSelectElement>('activation').value,
  };
  send({ type: 'load', name: file.name, bytes, task: $<HTMLSelectElement>('task').value, psychrnn }, [bytes]);
}

function wire(): void {
  $('train').addEventListener('click', startTraining);
  $('pause').addEventListener('click', () => send({ type: 'pause' }));
  $('resume').addEventListener('click', () => send({ type: 'resume' }));
  $('stop').addEventListener('click', () => send({ type: 'stop' }));
  $('export').addEventListener('click', () => send({ type: 'export' }));
  $('quick').addEventListener('click', () => fillForm({ recipe: QUICK_AND, kernel: 'wasm-simd' }));
  for (const id of ['lesion-mode', 'lesion-fraction', 'lesion-hand']) $(id).addEventListener('input', requestLesion);
  $<HTMLInputElement>('file').addEventListener('change', (e) => {
    const f = (e.target as HTMLInputElement).files?.[0];
    if (f) loadFile(f).catch((err) => showError(String(err)));
  });
  const drop = $('drop');
  drop.addEventListener('dragover', (e) => e.preventDefault());
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    const f = e.dataTransfer?.files[0];
    if (f) loadFile(f).catch((err) => showError(String(err)));
  });
  worker.addEventListener('message', (e: MessageEvent<FromWorker>) => onMessage(e.data));
  worker.addEventListener('error', (e) => showError(`the worker failed: ${e.message}`));
}

function start(): void {
  setupTasks();
  wire();
  setState('idle');
  fillForm({ recipe: QUICK_AND, kernel: 'wasm-simd' });
  readLink();
  // A link pasted into this tab changes only the fragment: no reload, so read it again.
  window.addEventListener('hashchange', readLink);
}

/** The shared run in the page's address, if any, into the form. */
function readLink(): void {
  if (!location.hash.startsWith('#run=')) return;
  try {
    fillForm(parseShareUrl(location.href));
    $('share-note').textContent = 'A shared run was loaded into the form: press Train to reproduce it.';
  } catch (e) {
    showError(`the link's run cannot be read: ${e instanceof Error ? e.message : String(e)}`);
  }
}

start();
