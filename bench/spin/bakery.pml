/*
 * Lamport's bakery algorithm (L. Lamport, "A new solution of Dijkstra's concurrent programming
 * problem", CACM 17(8), 1974), the Promela twin of examples/locks/bakery.mw, written for
 * bench/spin.bench.ts: N threads, K rounds; take a number one larger than every number seen,
 * then wait for every thread j with a smaller (number, id) pair. Checked: mutual exclusion and
 * counter = N*K at the end. SC only; every shared access is its own step, as in the .mw version.
 * The ghost counter `inside` that states mutual exclusion is folded into the first and the last
 * shared access of the critical region (one atomic step each), so the checking apparatus costs
 * SPIN no states of its own; every shared access of the .mw version is still its own step.
 */
#ifndef N
#define N 3
#endif
#ifndef K
#define K 2
#endif

bit choosing[N];
byte number[N];
byte counter = 0;
byte inside = 0;
byte finished = 0;

active [N] proctype T() {
  byte k = 0;
  byte j;
  byte m;
  byte v;
  byte c;
  do
  :: k < K ->
     choosing[_pid] = 1;
     m = 0;
     j = 0;
     do
     :: j < N -> v = number[j]; if :: v > m -> m = v :: else -> skip fi; j++
     :: else -> break
     od;
     number[_pid] = m + 1;
     choosing[_pid] = 0;
     j = 0;
     do
     :: j < N ->
        (choosing[j] == 0);
        v = number[j];
        do
        :: (v != 0 && (v < m + 1 || (v == m + 1 && j < _pid))) -> v = number[j]
        :: else -> break
        od;
        j++
     :: else -> break
     od;
     atomic { c = counter; inside++; assert(inside == 1) };   /* critical { c = load(counter) */
     atomic { counter = c + 1; inside-- };                 /* store(counter, c + 1) } */
     number[_pid] = 0;
     k++
  :: else -> break
  od;
  finished++
}

active proctype Final() {
  (finished == N) -> assert(counter == N * K)
}
