/*
 * Peterson's algorithm for two threads (G. L. Peterson, IPL 12(3), 1981), the Promela twin of
 * examples/locks/peterson.mw, written for bench/spin.bench.ts: K rounds each; checked: mutual
 * exclusion and counter = 2*K at the end. SC only. One difference: memweave's await re-reads
 * flag[1-i] and turn one after the other (a spin loop of two loads), here the guard reads both
 * in one step — both are correct under SC; the memweave version has more states.
 * The ghost counter `inside` that states mutual exclusion is folded into the first and the last
 * shared access of the critical region (one atomic step each), so the checking apparatus costs
 * SPIN no states of its own; every shared access of the .mw version is still its own step.
 */
#ifndef K
#define K 3
#endif

bit flag[2];
bit turn = 0;
byte counter = 0;
byte inside = 0;
byte finished = 0;

active [2] proctype T() {
  byte k = 0;
  byte c;
  do
  :: k < K ->
     flag[_pid] = 1;                          /* I am interested */
     turn = 1 - _pid;                         /* but you go first */
     (flag[1 - _pid] == 0 || turn == _pid);
     atomic { c = counter; inside++; assert(inside == 1) };   /* critical { c = load(counter) */
     atomic { counter = c + 1; inside-- };                 /* store(counter, c + 1) } */
     flag[_pid] = 0;
     k++
  :: else -> break
  od;
  finished++
}

active proctype Final() {
  (finished == 2) -> assert(counter == 2 * K)
}
