// The spec's SignalR client (npm @microsoft/signalr) against a real `aar serve`: over WebSockets and
// forced to server-sent events, each run uploads a real zip, subscribes, starts the analysis and must
// see ProgressUpdate for all four phases, at least one FindingUpdate and JobCompleted with the job's
// report id. Another organization's key cannot subscribe and receives nothing. Then the server is
// killed mid-job and started again: withAutomaticReconnect reconnects, the client resubscribes in
// onreconnected and receives the rest of the job's events (the new process resumes the job from its
// checkpoint once the dead one's lease expired; the lease is 60 s here so that the job cannot go on
// before the client is back, whatever the machine's speed).
// Run by .ci/e2e with AAR_JAR, AAR_ZIP, AAR_WORK (an empty directory) and NODE_PATH holding
// @microsoft/signalr.
'use strict';
const { spawn } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const net = require('net');
const path = require('path');
const signalR = require('@microsoft/signalr');

const PHASES = ['Extracting', 'Indexing', 'Analyzing', 'Saving'];
const env = (name) => { const v = process.env[name]; if (!v) throw new Error(name + ' is not set'); return v; };
const step = (text) => console.log(new Date().toISOString() + ' signalr e2e: ' + text);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const jar = env('AAR_JAR');
const zip = env('AAR_ZIP');
const work = env('AAR_WORK');
const data = path.join(work, 'data');
const secret = () => 'aar_' + crypto.randomBytes(32).toString('base64url');
const KEY = secret();       // organization "default"
const INTRUDER = secret();  // organization "intruder"

let server = null;
let port = 0;
let base = '';

function writeKeys() {
  fs.mkdirSync(data, { recursive: true });
  const entry = (org, name, s) => ({ id: crypto.randomUUID(), organizationId: org, name,
    sha256: crypto.createHash('sha256').update(s, 'utf8').digest('hex'), createdAt: new Date().toISOString() });
  fs.writeFileSync(path.join(data, 'api-keys.json'),
    JSON.stringify([entry('default', 'signalr e2e', KEY), entry('intruder', 'signalr e2e', INTRUDER)]));
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
    s.on('error', reject);
  });
}

async function startServer() {
  const log = fs.openSync(path.join(work, 'serve.log'), 'a');
  const childEnv = { ...process.env };
  for (const v of ['AAR_DATABASE_URL', 'AZURE_STORAGE_CONNECTION_STRING', 'AZURE_OPENAI_ENDPOINT', 'AZURE_OPENAI_KEY', 'OPENAI_API_KEY']) delete childEnv[v];
  const config = path.join(work, 'appsettings.json');
  fs.writeFileSync(config, JSON.stringify({ WorkerProcessing: { LeaseSeconds: 60 } }));
  server = spawn('java', ['-jar', jar, 'serve', '--port', String(port), '--data', data, '--config', config],
    { env: childEnv, stdio: ['ignore', log, log] });
  const exited = new Promise((resolve) => server.once('exit', resolve));
  server.exited = exited;
  for (let i = 0; i < 240; i++) {
    try {
      const r = await fetch(base + '/health/ready');
      if (r.ok) return;
    } catch (e) { /* not listening yet */ }
    if (server.exitCode !== null) break;
    await sleep(250);
  }
  throw new Error('aar serve did not become ready; see ' + path.join(work, 'serve.log'));
}

async function stopServer(signal = 'SIGTERM') {
  if (!server || server.exitCode !== null) return;
  server.kill(signal);
  const timeout = sleep(30000).then(() => 'timeout');
  if (await Promise.race([server.exited, timeout]) === 'timeout') {
    server.kill('SIGKILL');
    throw new Error('aar serve did not stop within 30 s of SIGTERM');
  }
}

async function api(method, url, key, body, contentType) {
  const headers = { 'X-Api-Key': key };
  if (contentType) headers['Content-Type'] = contentType;
  const r = await fetch(base + url, { method, headers, body });
  const text = await r.text();
  if (!r.ok) throw new Error(`${method} ${url}: HTTP ${r.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

async function uploadProject(name) {
  const project = await api('POST', '/api/v1/projects/upload?name=' + encodeURIComponent(name), KEY,
    fs.readFileSync(zip), 'application/zip');
  const preflight = await api('POST', '/api/v1/preflight/analyze/' + project.id, KEY);
  if (preflight && preflight.requiresApproval) await api('POST', '/api/v1/preflight/' + project.id + '/approve', KEY);
  return project.id;
}

const startAnalysis = async (projectId) => (await api('POST', `/api/v1/projects/${projectId}/analyses`, KEY,
  JSON.stringify({ priority: 'High' }), 'application/json')).jobId;

/** The spec's client code, with accessTokenFactory; `transport` forces one transport. */
function connect(key, transport, reconnectDelays) {
  const options = { accessTokenFactory: () => key };
  if (transport !== undefined) options.transport = transport;
  const builder = new signalR.HubConnectionBuilder()
    .withUrl(base + '/hubs/analysis', options)
    .configureLogging(signalR.LogLevel.Warning);
  const connection = (reconnectDelays ? builder.withAutomaticReconnect(reconnectDelays) : builder.withAutomaticReconnect()).build();
  const events = [];
  connection.on('ProgressUpdate', (progress) => {
    events.push({ name: 'ProgressUpdate', body: progress });
  });
  connection.on('FindingUpdate', (finding) => {
    if (!finding.finding.severity || !finding.finding.description) throw new Error('FindingUpdate without severity/description');
    events.push({ name: 'FindingUpdate', body: finding });
  });
  connection.on('JobCompleted', (completion) => {
    events.push({ name: 'JobCompleted', body: completion });
  });
  return { connection, events };
}

async function waitFor(predicate, ms, what) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (predicate()) return;
    await sleep(100);
  }
  throw new Error('timed out waiting for ' + what);
}

function checkRun(label, events, jobId, reportId) {
  const mine = events.filter((e) => e.body.jobId === jobId);
  const phases = new Set(mine.filter((e) => e.name === 'ProgressUpdate').map((e) => e.body.phase));
  for (const p of PHASES) if (!phases.has(p)) throw new Error(`${label}: no ProgressUpdate for phase ${p} (saw ${[...phases]})`);
  const progress = mine.find((e) => e.name === 'ProgressUpdate').body;
  for (const field of ['projectId', 'jobId', 'phase', 'progressPercent', 'processedFiles', 'totalFiles']) {
    if (!(field in progress)) throw new Error(`${label}: ProgressUpdate has no ${field}: ${JSON.stringify(progress)}`);
  }
  const findings = mine.filter((e) => e.name === 'FindingUpdate');
  if (findings.length < 1) throw new Error(label + ': no FindingUpdate');
  const done = mine.filter((e) => e.name === 'JobCompleted');
  if (done.length !== 1) throw new Error(`${label}: ${done.length} JobCompleted events`);
  if (!done[0].body.isSuccess || done[0].body.reportId !== reportId) {
    throw new Error(`${label}: JobCompleted ${JSON.stringify(done[0].body)}, expected success with report ${reportId}`);
  }
  step(`${label}: ${mine.length} events, phases ${[...phases].join(' ')}, ${findings.length} findings, report ${reportId}`);
}

async function run(label, transport) {
  const projectId = await uploadProject('signalr-' + label);
  const { connection, events } = connect(KEY, transport);
  await connection.start();
  const used = connection.connection.transport.constructor.name;
  await connection.invoke('SubscribeToProject', projectId);

  // another organization: the invoke fails and nothing of this project reaches it
  const intruder = connect(INTRUDER, transport);
  await intruder.connection.start();
  let refused = null;
  try {
    await intruder.connection.invoke('SubscribeToProject', projectId);
  } catch (e) {
    refused = e;
  }
  if (!refused || !/not found/.test(refused.message)) throw new Error(label + ': another organization could subscribe');

  const jobId = await startAnalysis(projectId);
  await waitFor(() => events.some((e) => e.name === 'JobCompleted' && e.body.jobId === jobId), 600000, label + ' JobCompleted');
  const job = await api('GET', '/api/v1/jobs/' + jobId, KEY);
  checkRun(`${label} (${used})`, events, jobId, job.reportId);
  await sleep(500); // anything leaking would have arrived by now: the intruder's connection got every ping
  if (intruder.events.length) throw new Error(`${label}: another organization received ${intruder.events.length} events`);
  step(`${label}: another organization's SubscribeToProject failed ("${refused.message}") and it received nothing`);
  await intruder.connection.stop();
  await connection.stop();
  const expected = transport === signalR.HttpTransportType.WebSockets ? 'WebSocketTransport' : 'ServerSentEventsTransport';
  if (used !== expected) throw new Error(`${label}: the client used ${used}, expected ${expected}`);
  return used;
}

async function reconnect() {
  const projectId = await uploadProject('signalr-reconnect');
  // the default delays (0, 2, 10, 30 s) would leave the resumed job time to finish before the
  // client is back; retrying every 500 ms for two minutes keeps the test about reconnecting, not timing
  const { connection, events } = connect(KEY, signalR.HttpTransportType.WebSockets, new Array(240).fill(500));
  let reconnecting = 0;
  let reconnected = 0;
  connection.onreconnecting(() => { reconnecting++; });
  connection.onreconnected(async () => {
    reconnected++;
    await connection.invoke('SubscribeToProject', projectId);
  });
  await connection.start();
  await connection.invoke('SubscribeToProject', projectId);
  const jobId = await startAnalysis(projectId);
  await waitFor(() => events.some((e) => e.name === 'ProgressUpdate' && e.body.jobId === jobId), 120000, 'the first ProgressUpdate');
  const before = events.length;
  step(`reconnect: ${before} events received; killing the server mid-job`);
  await stopServer('SIGKILL');
  step('reconnect: server killed');
  await startServer();
  step('reconnect: server started again');
  await waitFor(() => reconnected > 0, 60000, 'onreconnected');
  await waitFor(() => events.some((e) => e.name === 'JobCompleted' && e.body.jobId === jobId), 600000, 'JobCompleted after the restart');
  const after = events.slice(before).filter((e) => e.body.jobId === jobId);
  const job = await api('GET', '/api/v1/jobs/' + jobId, KEY);
  const done = after.find((e) => e.name === 'JobCompleted').body;
  if (!done.isSuccess || done.reportId !== job.reportId) throw new Error('reconnect: JobCompleted ' + JSON.stringify(done));
  if (!after.some((e) => e.name === 'ProgressUpdate')) throw new Error('reconnect: no ProgressUpdate after the restart');
  step(`reconnect: reconnecting ${reconnecting}x, reconnected ${reconnected}x, ${after.length} events after the restart, report ${job.reportId}`);
  await connection.stop();
}

async function main() {
  writeKeys();
  port = await freePort();
  base = 'http://127.0.0.1:' + port;
  await startServer();
  try {
    await run('websockets', signalR.HttpTransportType.WebSockets);
    await run('server-sent-events', signalR.HttpTransportType.ServerSentEvents);
    await reconnect();
  } finally {
    await stopServer();
  }
  step('3 passed, 0 failed');
}

main().then(() => process.exit(0), (e) => {
  console.error('signalr e2e: FAILED: ' + (e && e.stack || e));
  stopServer().finally(() => process.exit(1));
});
