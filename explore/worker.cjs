// @ts-nocheck
/**
 * The thread runtime of memweave's explorer (explore/): one worker_thread per thread under test.
 * Plain CommonJS on purpose: worker_threads cannot load TypeScript, and this file must run both
 * from the sources (vitest) and from dist/ (tsc copies it, allowJs).
 *
 * The worker evaluates the modules explore/transform.ts produced (main thread), whose every
 * shared-memory operation is a call of `__mw.*`. Each such call is one scheduling point: the
 * worker posts the operation to the scheduler (main thread), blocks on its doorbell word
 * (Atomics.wait), and returns the value the scheduler's modelled memory answers. Between
 * operations the thread runs its local code freely.
 *
 * The buffer handed to user code is a real SharedArrayBuffer (so `instanceof` checks and typed
 * array construction work), but its bytes are never the memory: typed arrays over it are
 * proxies whose element reads and writes throw an escape error, so an access the transform did not
 * see (an untransformed module, a destructuring, `fill`, …) is reported, never silently wrong.
 *
 * Spin collapse (`spinLimit` > 0): a read-only operation, at a source position that has already
 * read this element's current value, on an element nobody has written since this thread read it
 * (each reply lists the byte ranges others wrote since this thread's previous reply) and since
 * its own last write, returns the same value; the worker answers it locally, without a scheduling
 * point. The first read at each position is always a scheduling point, so straight-line code that
 * reads an element twice sees a write between the reads; a loop's later iterations are answered
 * locally. After `spinLimit` such operations in a row the thread parks: the scheduler wakes it
 * when one of the elements it reads is written. See docs/explore.md.
 */
'use strict';
const { workerData, receiveMessageOnPort } = require('node:worker_threads');
const { createRequire } = require('node:module');
const vm = require('node:vm');
const path = require('node:path');

const { port, bells, index: self, modules, entry, exportName, spinLimit } = workerData;
const bell = new Int32Array(bells);
// bell[0]: main's doorbell (a counter), bell[1 + i]: worker i's doorbell (a counter)
let myBellSeen = 0;

function post(msg) {
  port.postMessage(msg);
  Atomics.add(bell, 0, 1);
  Atomics.notify(bell, 0);
}

function receive() {
  for (;;) {
    const m = receiveMessageOnPort(port);
    if (m !== undefined) return m.message;
    Atomics.wait(bell, 1 + self, myBellSeen);
    myBellSeen = Atomics.load(bell, 1 + self);
  }
}

/** Thrown into user code to end an execution early (another thread failed): not a user error. */
class AbortExecution extends Error {}
/** Something escaped the model (a shared access not seen, nondeterminism): reported as such. */
class EscapeError extends Error {
  constructor(message, pos) {
    super(message);
    this.name = 'EscapeError';
    this.pos = pos;
  }
}

// ---------- the modelled buffer and its typed arrays ----------

const TYPES = ['Int8', 'Uint8', 'Uint8Clamped', 'Int16', 'Uint16', 'Int32', 'Uint32', 'Float32', 'Float64', 'BigInt64', 'BigUint64'];
const REAL = {};
for (const t of TYPES) REAL[t] = globalThis[`${t}Array`];
const realAtomics = globalThis.Atomics;
/** proxy → { ta (the real typed array), type, byteOffset, length, bpe } */
const modelled = new WeakMap();
let sharedBuffer = null; // the current execution's modelled SharedArrayBuffer
let mode = 'idle'; // 'setup' | 'thread' | 'check' | 'idle' | 'aborting'
let currentPos = null;

function isModelledBuffer(b) {
  return b !== null && b === sharedBuffer;
}

const PASS_METHODS = new Set(['subarray']);
function wrap(ta, type) {
  const info = { ta, type, byteOffset: ta.byteOffset, length: ta.length, bpe: ta.BYTES_PER_ELEMENT };
  const proxy = new Proxy(ta, {
    get(target, key) {
      if (typeof key === 'string' && isIndexKey(key)) throw escape(`an element read of a ${type}Array over the modelled buffer that the transform did not see (index ${key})`);
      const v = Reflect.get(target, key, target);
      if (typeof v === 'function' && key !== 'constructor') {
        if (PASS_METHODS.has(key)) return (...args) => wrap(v.apply(target, args), type);
        return () => {
          throw escape(`${type}Array.prototype.${String(key)} on the modelled buffer is not modelled: use element accesses or Atomics`);
        };
      }
      return v;
    },
    set(target, key, value) {
      if (typeof key === 'string' && isIndexKey(key)) throw escape(`an element write of a ${type}Array over the modelled buffer that the transform did not see (index ${key})`);
      return Reflect.set(target, key, value, target);
    },
    has(target, key) {
      return Reflect.has(target, key);
    },
    ownKeys() {
      throw escape(`enumerating a ${type}Array over the modelled buffer is not modelled`);
    },
  });
  modelled.set(proxy, info);
  return proxy;
}

function isIndexKey(key) {
  return key !== '' && String(Number(key)) === key;
}

for (const t of TYPES) {
  const Real = REAL[t];
  globalThis[`${t}Array`] = new Proxy(Real, {
    construct(target, args, newTarget) {
      const ta = Reflect.construct(target, args, newTarget === globalThis[`${t}Array`] ? target : newTarget);
      return isModelledBuffer(args[0]) ? wrap(ta, t) : ta;
    },
  });
}
const RealDataView = globalThis.DataView;
globalThis.DataView = new Proxy(RealDataView, {
  construct(target, args, newTarget) {
    if (isModelledBuffer(args[0])) throw escape('a DataView over the modelled buffer is not modelled: use typed arrays');
    return Reflect.construct(target, args, newTarget === globalThis.DataView ? target : newTarget);
  },
});

// Untransformed code calling Atomics on a modelled array: escape. Others pass through.
const patchedAtomics = {};
for (const name of Object.getOwnPropertyNames(realAtomics)) {
  const f = realAtomics[name];
  if (typeof f !== 'function') continue;
  patchedAtomics[name] = function (ta, ...rest) {
    if (modelled.has(ta)) throw escape(`Atomics.${name} on the modelled buffer from code the transform did not see`);
    return f.call(realAtomics, ta, ...rest);
  };
}
Object.defineProperty(patchedAtomics, Symbol.toStringTag, { value: 'Atomics' });
globalThis.Atomics = patchedAtomics;

// The real setImmediate, for the runtime's own event-loop turns (async threads: settle()).
const realSetImmediate = globalThis.setImmediate;
// Nondeterminism in untransformed code (transformed code is rewritten to __mw.nondet with a position).
const NONDET = [
  [Math, 'random', 'Math.random'],
  [Date, 'now', 'Date.now'],
  [globalThis, 'setTimeout', 'setTimeout'],
  [globalThis, 'setInterval', 'setInterval'],
  [globalThis, 'setImmediate', 'setImmediate'],
];
for (const [obj, key, name] of NONDET) {
  const real = obj[key];
  obj[key] = function (...args) {
    if (mode === 'setup' || mode === 'thread' || mode === 'check') throw escape(`${name}() inside a thread: nondeterminism the explorer cannot control (pass values through setup, or use the seed)`);
    return real.apply(this, args);
  };
}

function escape(message, pos) {
  return new EscapeError(message, pos ?? currentPos);
}

// ---------- operations: each is one message to the scheduler ----------

/**
 * This thread's spin window: element key "Type:byte" → { v: its value, at: the positions that read
 * that value }. invariant: at each reply, every entry holds the element's value in memory (an
 * entry another thread's write overlaps is dropped when the reply reports the write).
 */
const windowValues = new Map();
let localRun = 0;

function dropWritten(ranges) {
  if (ranges === undefined || ranges.length === 0 || windowValues.size === 0) return;
  for (const key of [...windowValues.keys()]) {
    const [type, b] = key.split(':');
    const start = Number(b);
    const end = start + REAL[type].BYTES_PER_ELEMENT;
    if (ranges.some((r) => r[0] < end && start < r[1])) windowValues.delete(key);
  }
}

function infoOf(ta, what, pos) {
  const info = modelled.get(ta);
  if (info !== undefined) return info;
  return null;
}

function request(op) {
  if (mode === 'aborting') throw new AbortExecution();
  post({ t: 'op', op });
  return awaitReply();
}

function awaitReply() {
  const m = receive();
  if (m.t === 'abort') {
    mode = 'aborting';
    throw new AbortExecution();
  }
  if (m.t !== 'reply') throw new Error(`memweave explore worker: internal error, expected a reply, got ${m.t}`);
  dropWritten(m.dirty);
  localRun = 0;
  return m;
}

/** A read-only operation the window can answer, or undefined. */
function localAnswer(op) {
  if (spinLimit <= 0 || mode !== 'thread') return undefined;
  const key = `${op.type}:${op.byte}`;
  const entry = windowValues.get(key);
  if (entry === undefined || !entry.at.has(op.pos)) return undefined;
  const v = entry.v;
  switch (op.kind) {
    case 'load':
      return { value: v };
    case 'cas':
      return sameValue(v, op.expected, op.type) ? undefined : { value: v };
    case 'wait':
      if (!sameValue(v, op.expected, op.type)) return { value: 'not-equal' };
      return op.timeout === Infinity ? undefined : { value: 'timed-out' };
    default:
      return undefined;
  }
}

function sameValue(memValue, expected, type) {
  return memValue === coerce(type, expected);
}

const scratch = {};
for (const t of TYPES) scratch[t] = new REAL[t](1);
function coerce(type, v) {
  const a = scratch[type];
  a[0] = v;
  return a[0];
}

function perform(op) {
  const local = localAnswer(op);
  if (local !== undefined) {
    localRun++;
    if (localRun < spinLimit) return local.value;
    // Spun spinLimit times on memory nobody changes: park until an element read here is written.
    // The scheduler holds the operation as this thread's next step, performed once it is unparked.
    post({ t: 'park', op, reads: [...windowValues.keys()] });
    return finish(op, awaitReply());
  }
  return finish(op, request(op));
}

function finish(op, m) {
  if (m.error !== undefined) {
    const E = m.error.type === 'RangeError' ? RangeError : TypeError;
    throw new E(m.error.message);
  }
  const key = `${op.type}:${op.byte}`;
  if (m.wrote) windowValues.clear();
  if (m.readValue !== undefined && !m.wrote) {
    const entry = windowValues.get(key);
    if (entry !== undefined && entry.v === m.readValue) entry.at.add(op.pos);
    else windowValues.set(key, { v: m.readValue, at: new Set([op.pos]) });
  }
  return m.value;
}

function accessOf(ta, index, pos) {
  const info = infoOf(ta);
  if (info === null) return null;
  const i = typeof index === 'number' ? index : Number(index);
  if (!Number.isInteger(i) || i < 0 || i >= info.length || (typeof index === 'string' && !isIndexKey(index))) return { info, byte: -1 };
  return { info, byte: info.byteOffset + i * info.bpe };
}

const __mw = {
  get(obj, key, pos) {
    const a = accessOf(obj, key, pos);
    if (a === null) return obj[key];
    if (a.byte < 0) return undefined; // not an element: no memory is read
    currentPos = pos;
    return perform({ kind: 'load', plain: true, type: a.info.type, byte: a.byte, pos });
  },
  set(obj, key, value, pos) {
    const a = accessOf(obj, key, pos);
    if (a === null) return (obj[key] = value);
    if (a.byte < 0) return value;
    currentPos = pos;
    perform({ kind: 'store', plain: true, type: a.info.type, byte: a.byte, value: toElement(a.info.type, value), pos });
    return value;
  },
  upd(obj, key, operator, rhs, pos) {
    const a = accessOf(obj, key, pos);
    if (a === null) return (obj[key] = binary(operator, obj[key], rhs()));
    const old = __mw.get(obj, key, pos);
    const v = binary(operator, old, rhs());
    __mw.set(obj, key, v, pos);
    return v;
  },
  inc(obj, key, delta, prefix, pos) {
    const a = accessOf(obj, key, pos);
    if (a === null) {
      const old = obj[key];
      obj[key] = typeof old === 'bigint' ? old + BigInt(delta) : old + delta;
      return prefix ? obj[key] : old;
    }
    const old = __mw.get(obj, key, pos);
    const nv = typeof old === 'bigint' ? old + BigInt(delta) : (old === undefined ? NaN : Number(old) + delta);
    __mw.set(obj, key, nv, pos);
    return prefix ? nv : typeof old === 'bigint' ? old : Number(old);
  },
  atomics(name, pos, ...args) {
    const info = modelled.get(args[0]);
    if (info === undefined) return realAtomics[name](...args);
    currentPos = pos;
    return atomicOp(name, info, args, pos);
  },
  nondet(name, pos) {
    return () => {
      throw escape(`${name}() inside a thread: nondeterminism the explorer cannot control (pass values through setup)`, pos);
    };
  },
};

function toElement(type, v) {
  return type.startsWith('Big') ? BigInt.asIntN(64, typeof v === 'bigint' ? v : BigInt(v)) : Number(v);
}

function binary(op, a, b) {
  switch (op) {
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/': return a / b;
    case '%': return a % b;
    case '**': return a ** b;
    case '<<': return a << b;
    case '>>': return a >> b;
    case '>>>': return a >>> b;
    case '&': return a & b;
    case '|': return a | b;
    case '^': return a ^ b;
    default: throw new Error(`memweave explore: internal error, operator ${op}`);
  }
}

function atomicIndex(info, index, name) {
  const i = Number(index);
  if (!Number.isInteger(i) || i < 0 || i >= info.length) throw new RangeError(`Atomics.${name}: invalid atomic access index`);
  return info.byteOffset + i * info.bpe;
}

function atomicOp(name, info, args, pos) {
  const type = info.type;
  if (type === 'Float32' || type === 'Float64' || type === 'Uint8Clamped') throw new TypeError(`Atomics.${name}: ${type}Array is not an integer typed array`);
  const byte = () => atomicIndex(info, args[1], name);
  switch (name) {
    case 'load':
      return perform({ kind: 'load', type, byte: byte(), pos });
    case 'store': {
      const b = byte();
      const v = toElement(type, args[2]);
      perform({ kind: 'store', type, byte: b, value: v, pos });
      return type.startsWith('Big') ? v : Math.trunc(v) || 0;
    }
    case 'add': case 'sub': case 'and': case 'or': case 'xor': case 'exchange':
      return perform({ kind: 'rmw', fn: name, type, byte: byte(), value: toElement(type, args[2]), pos });
    case 'compareExchange':
      return perform({ kind: 'cas', type, byte: byte(), expected: toElement(type, args[2]), value: toElement(type, args[3]), pos });
    case 'wait': {
      if (type !== 'Int32' && type !== 'BigInt64') throw new TypeError('Atomics.wait: needs an Int32Array or BigInt64Array');
      const t = args[3] === undefined ? Infinity : Number(args[3]);
      return perform({ kind: 'wait', type, byte: byte(), expected: toElement(type, args[2]), timeout: Number.isNaN(t) ? Infinity : Math.max(t, 0), pos });
    }
    case 'waitAsync': {
      if (type !== 'Int32' && type !== 'BigInt64') throw new TypeError('Atomics.waitAsync: needs an Int32Array or BigInt64Array');
      const t = args[3] === undefined ? Infinity : Number(args[3]);
      const r = perform({ kind: 'waitAsync', type, byte: byte(), expected: toElement(type, args[2]), timeout: Number.isNaN(t) ? Infinity : Math.max(t, 0), pos });
      if (!r.async) return { async: false, value: r.value };
      // The promise settles when the scheduler runs its resolution (a notify, or the timeout) while
      // this thread is idle: see settle().
      return { async: true, value: new Promise((resolve) => asyncWaits.set(r.id, resolve)) };
    }
    case 'notify': {
      if (type !== 'Int32' && type !== 'BigInt64') throw new TypeError('Atomics.notify: needs an Int32Array or BigInt64Array');
      const c = args[2] === undefined ? Infinity : Math.max(Math.trunc(Number(args[2])) || 0, 0);
      return perform({ kind: 'notify', type, byte: byte(), count: c, pos });
    }
    case 'isLockFree':
      return realAtomics.isLockFree(args[0]);
    default:
      throw escape(`Atomics.${name} is not modelled yet`, pos);
  }
}

globalThis.__mw = __mw;

// ---------- a small CommonJS loader for the transformed modules ----------

const cache = new Map();
function load(file) {
  const hit = cache.get(file);
  if (hit !== undefined) return hit.exports;
  const mod = modules[file];
  const module = { exports: {} };
  cache.set(file, module);
  const real = createRequire(file);
  const req = (spec) => {
    const target = mod.deps[spec];
    return target !== undefined ? load(target) : real(spec);
  };
  const fn = vm.runInThisContext(`(function (exports, require, module, __filename, __dirname, __mw) {${mod.code}\n})`, { filename: file });
  fn(module.exports, req, module, file, path.dirname(file), __mw);
  return module.exports;
}

function describeError(e) {
  if (e instanceof EscapeError) return { kind: 'escape', message: e.message, pos: e.pos ?? null };
  const message = e instanceof Error ? `${e.name}: ${e.message}` : `thrown: ${String(e)}`;
  return { kind: 'error', message, pos: currentPos, stack: e instanceof Error ? String(e.stack) : '' };
}

// ---------- async threads ----------

/** This run's pending waitAsync promises: id → resolve. */
const asyncWaits = new Map();
/** One event-loop turn: every job (microtask) queued so far, and those they queue, runs first. */
function turn() {
  return new Promise((resolve) => realSetImmediate(resolve));
}
/** A rejection nobody handled during this run (a thread's detached async call that threw). */
let unhandled = null;
process.on('unhandledRejection', (reason) => {
  if (reason instanceof AbortExecution || mode === 'idle' || mode === 'aborting') return;
  if (unhandled === null) unhandled = reason instanceof Error ? reason : new Error(`unhandled rejection: ${String(reason)}`);
});

/**
 * Run an async thread to its end: let its jobs run (each shared operation in them is a round trip
 * as usual); when none is left and its promise is still pending, the thread is idle: tell the
 * scheduler and wait for it to resolve one of this thread's waitAsync promises (or to abort).
 */
async function settle(promise) {
  let state = null;
  promise.then(
    (value) => {
      state = { ok: true, value };
    },
    (error) => {
      state = { ok: false, error };
    },
  );
  for (;;) {
    await turn();
    if (unhandled !== null) throw unhandled;
    if (state !== null) {
      if (state.ok) return state.value;
      throw state.error;
    }
    if (mode === 'aborting') throw new AbortExecution();
    post({ t: 'idle' });
    const m = receive();
    if (m.t === 'abort') {
      mode = 'aborting';
      throw new AbortExecution();
    }
    if (m.t !== 'resolve') throw new Error(`memweave explore worker: internal error, expected a resolution, got ${m.t}`);
    dropWritten(m.dirty);
    localRun = 0;
    const resolve = asyncWaits.get(m.id);
    if (resolve === undefined) throw new Error(`memweave explore worker: internal error, no waitAsync #${m.id}`);
    asyncWaits.delete(m.id);
    resolve(m.value);
  }
}

function isThenable(v) {
  return v !== null && (typeof v === 'object' || typeof v === 'function') && typeof v.then === 'function';
}

// ---------- the run loop ----------

async function main() {
  let scenario;
  try {
    const ns = load(entry);
    scenario = ns[exportName] ?? (exportName === 'default' ? ns : undefined);
    if (scenario === undefined || typeof scenario !== 'object' || !Array.isArray(scenario.threads)) throw new Error(`the module has no export '${exportName}' with a threads array`);
  } catch (e) {
    post({ t: 'loaded', ok: false, error: describeError(e) });
    return;
  }
  post({ t: 'loaded', ok: true, threads: scenario.threads.length, bytes: scenario.bytes, hasSetup: typeof scenario.setup === 'function', hasCheck: typeof scenario.check === 'function' });
  for (;;) {
    const m = receive();
    if (m.t === 'quit') return;
    if (m.t !== 'run') continue;
    sharedBuffer = new SharedArrayBuffer(m.bytes);
    windowValues.clear();
    localRun = 0;
    mode = m.role;
    asyncWaits.clear();
    unhandled = null;
    let msg;
    let wentAsync = false;
    try {
      let value;
      if (m.role === 'setup') value = scenario.setup === undefined ? undefined : scenario.setup(sharedBuffer);
      else if (m.role === 'thread') value = scenario.threads[m.index](sharedBuffer, m.context);
      else value = scenario.check(sharedBuffer, m.results, m.context);
      if (m.role === 'thread') {
        // A thread ends when its promise settles and the jobs it queued (a detached async call) ran.
        wentAsync = true;
        value = await settle(isThenable(value) ? value : Promise.resolve(value));
      } else if (isThenable(value)) throw escape(`the ${m.role} returned a Promise: only threads may be async (setup and the check run synchronously)`);
      msg = { t: 'done', value: cloneable(value) };
    } catch (e) {
      msg = e instanceof AbortExecution ? { t: 'aborted' } : { t: 'failed', error: describeError(e) };
    }
    if (wentAsync) {
      // Jobs this run left queued (a detached async call) meet an aborting runtime now, not the next run.
      mode = 'aborting';
      await turn();
    }
    mode = 'idle';
    sharedBuffer = null;
    post(msg);
  }
}

function cloneable(v) {
  try {
    structuredClone(v);
    return v;
  } catch {
    return String(v);
  }
}

main().catch((e) => {
  post({ t: 'failed', error: describeError(e) });
});
