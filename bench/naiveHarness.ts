/**
 * A deliberately naive litmus harness, written only as a baseline for bench/harness.bench.ts:
 * one shared location set, and for every iteration a full rendezvous with the main thread
 * (reset memory, wake the workers, wait for both to finish) — no per-iteration copies, no
 * batching, no layout or barrier variation. It runs the same compiled thread code as the real
 * harness, so the comparison measures the harness, not the code.
 */
import { Worker } from 'node:worker_threads';
import type { IrProgram } from '../model/ir.js';
import { compileProgram } from '../impl/compile.js';
import { makeLayout } from '../impl/harness.js';

const NAIVE_WORKER = String.raw`
'use strict';
const { workerData } = require('node:worker_threads');
const d = workerData;
const C = new Int32Array(d.control);
const M = new Int32Array(d.memory);
const R = new Int32Array(d.regs);
const fn = new Function(d.source)();
const O = new Int32Array(d.offsets);
const S = new Int32Array([0, 64 + d.thread * 16, 64 + d.thread * 16 + 1]);
const K = new Int32Array([d.regBase, -1]);
let gen = 0;
for (;;) {
  Atomics.wait(C, 0, gen);
  gen = Atomics.load(C, 0);
  if (Atomics.load(C, 2) !== 0) break;
  fn(M, 0, O, R, S, K);
  Atomics.add(C, 1, 1);
  Atomics.notify(C, 1);
}
`;

/** Run `iterations` iterations with one rendezvous each; returns the histogram and the elapsed ms. */
export async function runNaive(program: IrProgram, iterations: number): Promise<{ histogram: Map<string, number>; ms: number }> {
  const compiled = compileProgram(program);
  const order = program.locations.map((_, i) => i);
  const { offsets, stride } = makeLayout(program, 'padded', order);
  const control = new Int32Array(new SharedArrayBuffer(64 * 4));
  const memory = new Int32Array(new SharedArrayBuffer((stride + 64 + 16 * compiled.length) * 4));
  const regBase: number[] = [];
  let nregs = 0;
  for (const c of compiled) {
    regBase.push(nregs);
    nregs += c.registers;
  }
  const regs = new Int32Array(new SharedArrayBuffer(Math.max(1, nregs) * 4));
  const workers = compiled.map(
    (c, t) =>
      new Worker(NAIVE_WORKER, {
        eval: true,
        workerData: { thread: t, source: c.source, control: control.buffer, memory: memory.buffer, regs: regs.buffer, offsets: offsets.buffer.slice(0), regBase: regBase[t] ?? 0 },
      }),
  );
  const histogram = new Map<string, number>();
  const started = Date.now();
  try {
    for (let i = 0; i < iterations; i++) {
      memory.fill(0, 0, stride);
      for (let l = 0; l < program.locations.length; l++) {
        const L = program.locations[l];
        if (L === undefined) continue;
        for (let k = 0; k < L.size; k++) memory[(offsets[l] ?? 0) + k] = L.init[k] ?? 0;
      }
      regs.fill(0);
      Atomics.store(control, 1, 0);
      Atomics.add(control, 0, 1);
      Atomics.notify(control, 0);
      // rendezvous: wait for every worker to finish this iteration
      for (;;) {
        const d = Atomics.load(control, 1);
        if (d >= workers.length) break;
        const r = Atomics.waitAsync(control, 1, d, 1000);
        if (r.async) await r.value;
      }
      const vals = program.observables.map((o) => (o.what.kind === 'reg' ? (regs[(regBase[o.what.thread] ?? 0) + o.what.reg] ?? 0) : (memory[slotOffset(program, offsets, o.what.slot)] ?? 0)));
      const key = JSON.stringify(vals);
      histogram.set(key, (histogram.get(key) ?? 0) + 1);
    }
  } finally {
    Atomics.store(control, 2, 1);
    Atomics.add(control, 0, 1);
    Atomics.notify(control, 0);
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return { histogram, ms: Date.now() - started };
}

function slotOffset(program: IrProgram, offsets: Int32Array, slot: number): number {
  for (let l = 0; l < program.locations.length; l++) {
    const L = program.locations[l];
    if (L !== undefined && slot >= L.base && slot < L.base + L.size) return (offsets[l] ?? 0) + (slot - L.base);
  }
  return 0;
}
