// The quick-start page: resumable upload -> preflight -> approval -> live progress -> report.
// Plain browser JavaScript, no build step. Events arrive over server-sent events read with fetch,
// because EventSource cannot send the X-Api-Key header.
'use strict';

const PARALLEL_PARTS = 4;
const PART_RETRIES = 5;
const PHASES = ['Extracting', 'Indexing', 'Analyzing', 'Saving'];
const $ = (id) => document.getElementById(id);

const state = { projectId: null, jobId: null, lastEventId: null, findings: 0, events: null };

$('apiKey').value = localStorage.getItem('aar.apiKey') || '';
$('apiKey').addEventListener('change', () => localStorage.setItem('aar.apiKey', $('apiKey').value.trim()));

function headers(extra) {
  return Object.assign({ 'X-Api-Key': $('apiKey').value.trim() }, extra || {});
}

async function api(method, path, body, extraHeaders) {
  const init = { method, headers: headers(extraHeaders) };
  if (body !== undefined) {
    if (body instanceof Blob || body instanceof ArrayBuffer) { init.body = body; }
    else { init.body = JSON.stringify(body); init.headers['Content-Type'] = 'application/json'; }
  }
  const res = await fetch(path, init);
  const text = await res.text();
  const data = text ? (res.headers.get('Content-Type') || '').includes('json') ? JSON.parse(text) : text : null;
  if (!res.ok) {
    const err = new Error((data && (data.detail || data.title)) || res.statusText);
    err.status = res.status; err.code = data && data.code; err.retryAfter = res.headers.get('Retry-After');
    throw err;
  }
  return data;
}

function say(id, text, isError) {
  const el = $(id); el.textContent = text; el.classList.toggle('error', !!isError);
}

// ---- 1. resumable upload -------------------------------------------------------------------

const drop = $('drop');
drop.addEventListener('click', () => $('file').click());
drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => { e.preventDefault(); drop.classList.remove('over'); if (e.dataTransfer.files[0]) upload(e.dataTransfer.files[0]); });
$('file').addEventListener('change', (e) => { if (e.target.files[0]) upload(e.target.files[0]); });

function fileIdentity(file) { return 'aar.upload.' + [file.name, file.size, file.lastModified].join('|'); }

async function sha256Base64(blob) {
  const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
  return btoa(String.fromCharCode(...new Uint8Array(digest)));
}

async function openSession(file) {
  // A session for the same file (name, size, date) survives a page reload: resume it if still open.
  const saved = localStorage.getItem(fileIdentity(file));
  if (saved) {
    try {
      const status = await api('GET', '/api/v1/uploads/sessions/' + saved);
      if (String(status.status).toUpperCase() === 'ACTIVE') return status;
    } catch (e) { /* expired or gone: start over */ }
  }
  const created = await api('POST', '/api/v1/uploads/sessions', { fileName: file.name, totalSize: file.size });
  localStorage.setItem(fileIdentity(file), created.sessionId);
  return api('GET', '/api/v1/uploads/sessions/' + created.sessionId);
}

async function putPart(session, file, partNumber) {
  const start = (partNumber - 1) * session.partSize;
  const blob = file.slice(start, Math.min(file.size, start + session.partSize));
  const checksum = await sha256Base64(blob);
  for (let attempt = 1; ; attempt++) {
    try {
      return await api('PUT', `/api/v1/uploads/sessions/${session.sessionId}/parts/${partNumber}`, blob,
        { 'x-checksum-sha256': checksum, 'Content-Type': 'application/octet-stream' });
    } catch (e) {
      const permanent = e.status && e.status >= 400 && e.status < 500 && e.status !== 408 && e.status !== 429;
      if (permanent || attempt >= PART_RETRIES) throw e;
      const wait = e.retryAfter ? Number(e.retryAfter) * 1000 : Math.min(8000, 500 * 2 ** attempt);
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}

async function upload(file) {
  try {
    $('uploadBar').parentElement.classList.remove('done');
    say('uploadStatus', 'Opening an upload session…');
    const session = await openSession(file);
    const missing = session.missingParts.slice();
    let done = session.bytesReceived;
    const show = () => {
      $('uploadBar').style.width = (100 * done / Math.max(1, file.size)).toFixed(1) + '%';
      say('uploadStatus', `Uploading ${file.name}: ${(done / 1048576).toFixed(1)} of ${(file.size / 1048576).toFixed(1)} MiB`
        + (session.bytesReceived ? ' (resumed)' : ''));
    };
    show();
    const worker = async () => {
      while (missing.length) {
        const part = missing.shift();
        const stored = await putPart(session, file, part);
        done += stored.size; show();
      }
    };
    await Promise.all(Array.from({ length: PARALLEL_PARTS }, worker));
    say('uploadStatus', 'Assembling…');
    await api('POST', `/api/v1/uploads/sessions/${session.sessionId}/finalize`);
    localStorage.removeItem(fileIdentity(file));
    const project = await api('POST', '/api/v1/projects', { uploadSessionId: session.sessionId, name: file.name });
    $('uploadBar').style.width = '100%'; $('uploadBar').parentElement.classList.add('done');
    say('uploadStatus', `Uploaded ${file.name} as project ${project.id}`);
    state.projectId = project.id;
    await preflight();
  } catch (e) {
    say('uploadStatus', 'Upload failed: ' + e.message + (e.code ? ` [${e.code}]` : '') + ' — drop the same file again to resume.', true);
  }
}

// ---- 2. preflight and approval ------------------------------------------------------------

async function preflight() {
  $('preflightSection').hidden = false;
  const r = await api('POST', `/api/v1/preflight/analyze/${state.projectId}`);
  const rows = [
    ['Indexable files', r.fileCount.toLocaleString()],
    ['Total bytes', r.totalBytes.toLocaleString()],
    ['Estimated tokens', r.estimatedTokens.toLocaleString()],
    ['Estimated cost', r.estimatedCost.toFixed(4)],
    ['Estimated time', r.estimatedProcessingTimeSeconds !== undefined
        ? `${r.estimatedProcessingTimeSeconds.toLocaleString()} s` : `${r.estimatedProcessingTimeMinutes} min`],
    ['Starts in about', `${(r.estimatedStartInSeconds || 0).toLocaleString()} s`],
    ['Estimate based on', r.estimate ? r.estimate.basis : ''],
    ['Within limits', r.isWithinLimits ? 'yes' : 'no'],
    ['Requires approval', r.requiresApproval ? 'yes' : 'no'],
  ];
  const table = $('preflight'); table.textContent = '';
  for (const [k, v] of rows) {
    const tr = table.insertRow(); tr.insertCell().textContent = k; tr.insertCell().textContent = v;
  }
  for (const reason of r.rejectionReasons || []) {
    const tr = table.insertRow(); tr.insertCell().textContent = 'Refused'; tr.insertCell().textContent = `${reason.message} [${reason.code}]`;
  }
  $('start').disabled = !r.isWithinLimits || r.requiresApproval;
  $('approve').hidden = !r.requiresApproval || !r.isWithinLimits;
  say('approvalNote', r.requiresApproval ? 'This project is above the auto-approval threshold: approve it to continue.' : '');
}

$('approve').addEventListener('click', async () => {
  try {
    await api('POST', `/api/v1/preflight/${state.projectId}/approve`);
    $('approve').hidden = true; $('start').disabled = false; say('approvalNote', 'Approved.');
  } catch (e) { say('approvalNote', 'Approval failed: ' + e.message, true); }
});

// ---- 3. analysis with live events -----------------------------------------------------------

$('start').addEventListener('click', async () => {
  try {
    $('start').disabled = true;
    $('progressSection').hidden = false;
    renderPhases();
    listen(state.projectId);
    const job = await api('POST', `/api/v1/projects/${state.projectId}/analyses`, { priority: $('priority').value });
    state.jobId = job.jobId;
    say('jobStatus', `Job ${job.jobId} queued.`);
  } catch (e) { say('jobStatus', 'Could not start: ' + e.message, true); $('start').disabled = false; }
});

function renderPhases() {
  const box = $('phases'); box.textContent = '';
  for (const p of PHASES) {
    const row = document.createElement('div'); row.className = 'phase';
    row.innerHTML = `<span>${p}</span><div class="bar"><div id="bar-${p}"></div></div><span id="pct-${p}">0%</span>`;
    box.appendChild(row);
  }
}

function onEvent(name, data) {
  if (name === 'ProgressUpdate') {
    // phases overlap (Indexing beside Extracting and Analyzing): each bar follows its own phase's
    // events, and each phase ends with a "completed" update at 100%
    setPhase(data.phase, data.progressPercent);
    say('jobStatus', `${data.phase}: ${data.processedFiles}/${data.totalFiles} files` + (data.message ? ' — ' + data.message : ''));
  } else if (name === 'FindingUpdate') {
    addFinding(data.finding);
  } else if (name === 'JobCompleted') {
    if (data.isSuccess) { PHASES.forEach((p) => setPhase(p, 100)); say('jobStatus', 'Done.'); showReport(data.reportId); }
    else say('jobStatus', 'Failed: ' + data.error, true);
  } else if (name === 'JobFailed') {
    say('jobStatus', `Attempt ${data.attempt} failed (${data.error}); retrying at ${data.retryAt}.`, true);
  } else if (name === 'JobDeadLettered') {
    say('jobStatus', `Failed for good after ${data.attempts} attempts: ${data.error}`, true);
  }
}

function setPhase(phase, pct) {
  const bar = $('bar-' + phase); if (!bar) return;
  bar.style.width = Math.min(100, pct) + '%';
  $('pct-' + phase).textContent = Math.round(pct) + '%';
  if (pct >= 100) bar.parentElement.classList.add('done');
}

function addFinding(f) {
  const li = document.createElement('li'); li.className = f.severity;
  const where = f.file ? f.file + (f.line ? ':' + f.line : '') : '';
  li.innerHTML = '<b></b> <span class="rule"></span> — <span class="desc"></span> <div class="where"></div>';
  li.querySelector('b').textContent = f.severity;
  li.querySelector('.rule').textContent = f.rule;
  li.querySelector('.desc').textContent = f.description;
  li.querySelector('.where').textContent = where;
  $('findings').appendChild(li);
  $('findingCount').textContent = ++state.findings;
}

// Reads server-sent events with fetch (so the API key travels in a header) and reconnects with
// Last-Event-ID, so nothing is lost across a dropped connection.
async function listen(projectId) {
  if (state.events) state.events.abort();
  const controller = new AbortController(); state.events = controller;
  while (!controller.signal.aborted) {
    try {
      const h = headers({ Accept: 'text/event-stream' });
      if (state.lastEventId) h['Last-Event-ID'] = state.lastEventId;
      const res = await fetch('/hubs/analysis?projectId=' + encodeURIComponent(projectId), { headers: h, signal: controller.signal });
      if (!res.ok) throw new Error('events: HTTP ' + res.status);
      const reader = res.body.getReader(); const decoder = new TextDecoder();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let cut;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut); buffer = buffer.slice(cut + 2);
          let name = 'message', data = '', id = null;
          for (const line of block.split('\n')) {
            if (line.startsWith('event:')) name = line.slice(6).trim();
            else if (line.startsWith('data:')) data += line.slice(5).trim();
            else if (line.startsWith('id:')) id = line.slice(3).trim();
          }
          if (id) state.lastEventId = id;
          if (data) onEvent(name, JSON.parse(data));
        }
      }
    } catch (e) {
      if (controller.signal.aborted) return;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

// ---- 4. report --------------------------------------------------------------------------------

async function fetchBlobUrl(path, type) {
  const res = await fetch(path, { headers: headers() });
  if (!res.ok) throw new Error('report: HTTP ' + res.status);
  return URL.createObjectURL(new Blob([await res.arrayBuffer()], { type }));
}

async function showReport(reportId) {
  $('reportSection').hidden = false;
  const base = `/api/v1/reports/${reportId}`;
  const html = await fetchBlobUrl(base + '?format=html', 'text/html');
  // a sandboxed frame has an opaque origin and cannot load this page's blob: URLs; srcdoc it is
  $('reportFrame').srcdoc = await (await fetch(html)).text(); $('reportLink').href = html;
  $('reportJson').href = await fetchBlobUrl(base + '?format=json', 'application/json');
  $('reportMd').href = await fetchBlobUrl(base + '?format=md', 'text/markdown');
}
