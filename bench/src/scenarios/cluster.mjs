/**
 * Two Huntroom nodes behind one PostgreSQL and one Redis (DESIGN.md's cluster mode), Huntroom only:
 * the peers would need their own cluster setups (Hocuspocus' Redis extension; y-websocket has none),
 * which this benchmark does not configure. Both nodes are pinned to the server core, so they share
 * it; PostgreSQL and Redis run unpinned. Each room's writer is on node A, half of its receivers on
 * A and half on B, so the latency of the Redis hop is the difference between the two halves.
 *
 * Needs BENCH_DATABASE_URL (default: the local test database CI uses) and BENCH_REDIS_URL; each run
 * uses a PostgreSQL schema and a Redis prefix of its own, and drops the schema afterwards.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Writer, driveEdits } from '../writer.mjs';
import { ThinClient, connectAll } from '../thin.mjs';
import { percentile, sleep } from '../stats.mjs';
import { generatorMeter, serverMeter } from '../proc.mjs';

export const CLUSTER_DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const CLUSTER_REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** True when PostgreSQL answers; the scenario is skipped (and reported as not done) otherwise. */
export async function clusterAvailable() {
  const db = new pg.Client({ connectionString: CLUSTER_DATABASE_URL, connectionTimeoutMillis: 3000 });
  try {
    await db.connect();
    await db.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await db.end().catch(() => {});
  }
}

export async function clusterPoint(huntroom, { rooms, clientsPerRoom, editsPerSecond, warmupMs, measureMs, maxGeneratorCpu }) {
  const schema = `hr_bench_${randomBytes(4).toString('hex')}`;
  const url = new URL(CLUSTER_DATABASE_URL);
  url.searchParams.set('schema', schema);
  const env = {
    DATABASE_URL: url.toString(),
    REDIS_URL: CLUSTER_REDIS_URL,
    REDIS_PREFIX: `hrbench-${schema}`,
    SESSION_SECRET: randomBytes(32).toString('hex'),
  };
  const nodes = [];
  try {
    // The first node seeds the demo workspace; the second finds it in the database.
    nodes.push(await huntroom.start({ env }));
    nodes.push(await huntroom.start({ env }));
    const [a, b] = nodes;
    const targets = await a.docs(rooms);
    const writers = targets.map((t) => new Writer(t));
    await Promise.all(writers.map((w) => w.connect()));
    let recording = false;
    const lat = { local: [], remote: [] };
    const receivers = targets.flatMap((t, room) =>
      Array.from({ length: clientsPerRoom }, (_, i) => {
        const side = i % 2 === 0 ? 'local' : 'remote';
        return new ThinClient(side === 'local' ? t : b.sameDocHere(t), {
          onMarker: (seq, now, isUpdate) => {
            if (isUpdate && recording) lat[side].push(now - writers[room].sentAt[seq]);
          },
        });
      }),
    );
    const { failed } = await connectAll(receivers);
    const stop = driveEdits(writers, editsPerSecond);
    await sleep(warmupMs);
    const cpuA = serverMeter(a.pid);
    const cpuB = serverMeter(b.pid);
    const gen = generatorMeter();
    const t0 = performance.now();
    recording = true;
    await sleep(measureMs);
    recording = false;
    const seconds = (performance.now() - t0) / 1000;
    const cpu = cpuA() + cpuB();
    const generatorCpu = gen();
    stop();
    const deliveries = lat.local.length + lat.remote.length;
    const point = {
      connected: receivers.length - failed,
      failed,
      localP50: percentile(lat.local, 50),
      localP99: percentile(lat.local, 99),
      remoteP50: percentile(lat.remote, 50),
      remoteP99: percentile(lat.remote, 99),
      remoteMax: percentile(lat.remote, 100),
      deliveriesPerSec: deliveries / seconds,
      cpuPerDeliveryUs: deliveries ? (cpu * 1e6) / deliveries : NaN,
      generatorCpu,
      invalid: generatorCpu > maxGeneratorCpu,
    };
    for (const w of writers) w.close();
    for (const r of receivers) r.drop();
    return point;
  } finally {
    await Promise.all(nodes.map((n) => n.stop()));
    const db = new pg.Client({ connectionString: CLUSTER_DATABASE_URL });
    await db.connect();
    await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await db.end();
  }
}
