/*
 * Ticket lock (Mellor-Crummey & Scott, ACM TOCS 9(1), 1991, §2.2), the Promela twin of
 * examples/locks/ticket.mw, written for bench/spin.bench.ts: N threads, K rounds each; take a
 * ticket with an atomic fetch-and-add on `next`, wait until `serving` shows it, increment a
 * shared counter inside the critical region (read, then write), hand the lock on. Checked:
 * mutual exclusion (an assert on the number of threads inside) and, at the end, counter = N*K.
 * SC only (SPIN's interleaving semantics), as memweave's --model sc.
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

byte next = 0;
byte serving = 0;
byte counter = 0;
byte inside = 0;
byte finished = 0;

active [N] proctype T() {
  byte k = 0;
  byte t;
  byte c;
  byte s;
  do
  :: k < K ->
     atomic { t = next; next = next + 1 };   /* fetch_add.sc(next, 1) */
     (serving == t);                         /* await (load.sc(serving) == t) */
     atomic { c = counter; inside++; assert(inside == 1) };   /* critical { c = load(counter) */
     atomic { counter = c + 1; inside-- };                 /* store(counter, c + 1) } */
     s = serving;                            /* only the holder writes serving */
     serving = s + 1;
     k++
  :: else -> break
  od;
  finished++
}

active proctype Final() {
  (finished == N) -> assert(counter == N * K)
}
