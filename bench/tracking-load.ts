// The load generator of bench/tracking.bench.ts, in a child process of its own so that autocannon does not share
// the server's event loop (the server, its PGlite and this process still share the machine's cores). It takes one
// job at a time over IPC and answers with the figures; it exits when the parent goes away.
import autocannon from 'autocannon';

export interface LoadJob {
  /** http://127.0.0.1:port */
  url: string;
  /** Spread over the connections: each request takes the next path, round-robin from a random start. */
  paths: string[];
  headers: Record<string, string>;
  connections: number;
  /** Seconds. */
  duration: number;
}

export interface LoadResult {
  /** Mean of autocannon's per-second samples. */
  rps: number;
  /** Responses received in the run, all statuses. */
  responses: number;
  /** Responses by status code. */
  statuses: Record<string, number>;
  /** 2xx and 3xx responses the client received: each must have become a stored hit. */
  answered: number;
  errors: number;
  timeouts: number;
  /** Latency of every response (all statuses, including 302), in ms, from this process's own record. */
  p50: number;
  p99: number;
  max: number;
  /** autocannon's own p99 (its histogram keeps whole milliseconds). */
  autocannonP99: number;
}

function percentile(sorted: Float64Array, p: number) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

export async function runLoad(job: LoadJob): Promise<LoadResult> {
  let next = Math.floor(Math.random() * job.paths.length);
  let latencies = new Float64Array(1 << 16);
  let n = 0;
  let instance!: autocannon.Instance;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon({
      url: job.url,
      connections: job.connections,
      duration: job.duration,
      headers: job.headers,
      // A new path for every request; the same per-request work for every phase, hello-world included.
      requests: [{ setupRequest: (req) => ({ ...req, path: job.paths[next++ % job.paths.length] }) }],
    }, (err, result) => (err ? reject(err) : resolve(result)));
  });
  instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => {
    if (n === latencies.length) {
      const grown = new Float64Array(latencies.length * 2);
      grown.set(latencies);
      latencies = grown;
    }
    latencies[n++] = ms;
  });
  const result = await done;
  const sorted = latencies.slice(0, n).sort();
  const statuses: Record<string, number> = {};
  for (const [code, { count }] of Object.entries(result.statusCodeStats ?? {})) statuses[code] = count ?? 0;
  return {
    rps: result.requests.average,
    responses: n,
    statuses,
    answered: result['2xx'] + result['3xx'],
    errors: result.errors,
    timeouts: result.timeouts,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    max: sorted[n - 1] ?? NaN,
    autocannonP99: result.latency.p99,
  };
}

if (process.send) {
  process.on('message', (job: LoadJob) => {
    runLoad(job).then(
      (result) => process.send!({ result }),
      (err) => process.send!({ error: String(err?.stack ?? err) }),
    );
  });
  process.on('disconnect', () => process.exit(0));
  process.send({ ready: true });
}
