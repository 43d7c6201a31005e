/** Programs whose check cannot be complete under default settings (issue 12's inconclusive cases). */

/** Five plain stores must all sit in P0's buffer for both loads to read 0 (P1's sc store goes straight to memory). */
export const DEEP_SB = `test deep_sb
shared a = 0;
shared y = 0;
thread P0 {
  store.plain(a, 1);
  store.plain(a, 2);
  store.plain(a, 3);
  store.plain(a, 4);
  store.plain(a, 5);
  r0 = load.plain(y);
}
thread P1 {
  store.sc(y, 1);
  r1 = load.plain(a);
}
~exists (P0:r0=0 /\\ P1:r1=0)
`;

/** Every execution spins forever: a livelock, found only when the edge list fits. */
export const SPIN = `test spin
shared x = 0;
shared y = 0;
thread P0 { while (1) { r = load.sc(x); store.sc(x, (r + 1) & 31); } }
thread P1 { while (1) { s = load.sc(y); store.sc(y, (s + 1) & 31); } }
`;

/** Three threads count without bound: the stateful search never ends (every count is a new state), and the graph engine's executions are past counting (each loop runs to the --unroll bound). */
export const ENDLESS = `test endless
shared x = 0;
thread P0 { while (1) { r = load.plain(x); store.plain(x, r + 1); } }
thread P1 { while (1) { s = load.plain(x); store.plain(x, s + 2); } }
thread P2 { while (1) { t = load.plain(x); store.plain(x, t + 3); } }
exists (x = 1)
`;
