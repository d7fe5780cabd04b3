// An OpenAI-compatible embeddings server for benchmarks, in Node.js: the same answers as
// FakeEmbeddingServer (one base64 vector of 1,536 float32 for every input, usage from the input
// length), after a fixed latency. Another implementation of the server side, so that a client's
// timing is not an artifact of the JDK's HttpServer. Each answer carries the server's monotonic clock
// (process.hrtime, the same clock as System.nanoTime on Linux) when the request arrived (x-t0), when
// its body was read (x-t1) and when the answer was sent (x-t2), for probes that split a request's time.
//
// Run: node aar-benchmarks/scripts/fake-embedding-server.js [latencyMs=100] [port=8090]
const http = require('http');
const crypto = require('crypto');
const dims = 1536, latency = +(process.argv[2] || 100), port = +(process.argv[3] || 8090);
const raw = Buffer.alloc(4 * dims);
for (let d = 0; d < dims; d++) raw.writeFloatLE(Math.random() - 0.5, d * 4);
const vec = '"' + raw.toString('base64') + '"';
const cache = new Map();
function data(n) {
  if (!cache.has(n)) {
    const parts = [];
    for (let i = 0; i < n; i++) parts.push('{"object":"embedding","index":' + i + ',"embedding":' + vec + '}');
    cache.set(n, Buffer.from('{"object":"list","data":[' + parts.join(',')));
  }
  return cache.get(n);
}
let reqs = 0, inflight = 0;
const server = http.createServer((req, res) => {
  const t0 = process.hrtime.bigint();
  const chunks = [];
  inflight++;
  req.on('data', c => chunks.push(c));
  req.on('end', () => {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    const t1 = process.hrtime.bigint();
    const n = Array.isArray(body.input) ? body.input.length : 1;
    let chars = 0; for (const s of body.input) chars += s.length;
    setTimeout(() => {
      const d = data(n);
      const tail = Buffer.from('],"usage":{"prompt_tokens":' + Math.max(1, chars >> 2) + ',"total_tokens":' + Math.max(1, chars >> 2) + '}}');
      res.writeHead(200, {'Content-Type': 'application/json', 'Content-Length': d.length + tail.length,
        'x-t0': t0.toString(), 'x-t1': t1.toString(), 'x-t2': process.hrtime.bigint().toString()});
      res.write(d); res.end(tail);
      reqs++; inflight--;
    }, latency);
  });
});
server.keepAliveTimeout = 60000;
server.listen(port, '127.0.0.1', () => console.log('OPENAI_BASE_URL=http://127.0.0.1:' + port + '/v1'));
let last = 0;
setInterval(() => { if (reqs !== last) { console.log(new Date().toISOString().slice(11, 19), reqs - last, 'requests'); last = reqs; } }, 1000);
