// Kernel benchmark: `npm run bench`. Prints figures; asserts nothing (performance
// lives here, not in timed tests). Wall time is measured out here, never inside the engine.
import { installPingMesh, World } from '../src/engine';

interface Figure {
  name: string;
  events: number;
  messages?: number;
  wallMs: number;
}

function timed(name: string, body: () => { events: number; messages?: number }): Figure {
  const start = performance.now();
  const r = body();
  return { name, ...r, wallMs: performance.now() - start };
}

function timers(): { events: number } {
  // 1,000 periodic timers with jittered periods: the queue under a steady load.
  const w = new World({ seed: 'bench-timers' });
  const rng = w.rng.fork('timers');
  for (let i = 0; i < 1000; i++) {
    const tick = (): void => void w.schedule(5 + rng.int(10), 'timer', tick);
    w.schedule(rng.int(10), 'timer', tick);
  }
  w.runUntil(20_000);
  return { events: w.eventsProcessed };
}

function mesh(traceCapacity: number): { events: number; messages: number } {
  // 100 hosts across 3 zones; each pings a random host every ~10 ms and gets a pong:
  // about 1,000,000 messages in 50 virtual seconds.
  const w = new World({ seed: 'bench-mesh', network: { traceCapacity } });
  const zones = ['zone-a', 'zone-b', 'zone-c'];
  for (let i = 0; i < 100; i++) w.net.addHost(`host-${i + 1}`, zones[i % 3] as string);
  installPingMesh(w, { intervalMs: 10, untilMs: 50_000 });
  w.runUntil(50_100);
  return { events: w.eventsProcessed, messages: w.net.getStats().sent };
}

function meshWithFaults(): { events: number; messages: number } {
  // The same mesh with 5% loss across zones, duplication, reordering and a zone partition flapping every second.
  const w = new World({ seed: 'bench-faults', network: { duplicateProbability: 0.05, reorder: true } });
  const zones = ['zone-a', 'zone-b', 'zone-c'];
  for (let i = 0; i < 100; i++) w.net.addHost(`host-${i + 1}`, zones[i % 3] as string);
  w.net.addLinkFault({ between: ['zone-a', 'zone-b'], lossProbability: 0.05 });
  installPingMesh(w, { intervalMs: 10, untilMs: 50_000 });
  for (let t = 1000; t < 50_000; t += 1000) {
    w.at(t, 'flap', () => ((t / 1000) % 2 === 1 ? w.net.partition([['zone-a'], ['zone-b', 'zone-c']]) : w.net.heal()));
  }
  w.runUntil(50_100);
  return { events: w.eventsProcessed, messages: w.net.getStats().sent };
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

// Warm up the JIT on a short run so the first figure is not the cold one.
timers();
const figures = [timed('event queue: 1,000 periodic timers', timers), timed('network: 100 hosts, 3 zones, trace kept (5,000)', () => mesh(5000)), timed('network: 100 hosts, 3 zones, trace hash only', () => mesh(0)), timed('network: 100 hosts + loss, dup, reorder, flapping partition', meshWithFaults)];

console.log(`kernel benchmark — node ${process.version}, ${new Date().toISOString().slice(0, 10)}`);
for (const f of figures) {
  console.log(`\n${f.name}`);
  console.log(`  events processed : ${fmt(f.events)} in ${fmt(f.wallMs)} ms wall → ${fmt((f.events / f.wallMs) * 1000)} events/s`);
  if (f.messages !== undefined) {
    console.log(`  messages sent    : ${fmt(f.messages)} → ${fmt((f.messages / f.wallMs) * 1000)} messages/s`);
  }
}
