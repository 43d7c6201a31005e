/*
 * Test-and-set spinlock (Herlihy & Shavit, The Art of Multiprocessor Programming, 2008, §7.2),
 * the Promela twin of examples/locks/tas.mw, written for bench/spin.bench.ts: acquire by
 * atomically exchanging 1 into `lock` until the old value was 0, release by storing 0. N threads,
 * K rounds; checked: mutual exclusion and counter = N*K at the end. SC only.
 * The ghost counter `inside` that states mutual exclusion is folded into the first and the last
 * shared access of the critical region (one atomic step each), so the checking apparatus costs
 * SPIN no states of its own; every shared access of the .mw version is still its own step.
 */
#ifndef N
#define N 4
#endif
#ifndef K
#define K 3
#endif

bit lock = 0;
byte counter = 0;
byte inside = 0;
byte finished = 0;

active [N] proctype T() {
  byte k = 0;
  bit t;
  byte c;
  do
  :: k < K ->
     atomic { t = lock; lock = 1 };          /* t = exchange.sc(lock, 1) */
     do
     :: t != 0 -> atomic { t = lock; lock = 1 }
     :: else -> break
     od;
     atomic { c = counter; inside++; assert(inside == 1) };   /* critical { c = load(counter) */
     atomic { counter = c + 1; inside-- };                 /* store(counter, c + 1) } */
     lock = 0;                               /* store.sc(lock, 0) */
     k++
  :: else -> break
  od;
  finished++
}

active proctype Final() {
  (finished == N) -> assert(counter == N * K)
}
