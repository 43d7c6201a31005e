/*
 * Ticket lock (Mellor-Crummey & Scott, ACM TOCS 9(1), 1991, §2.2), the Promela twin of
 * examples/locks/ticket.mw, written for bench/spin.bench.ts: N threads, K rounds each; take a
 * ticket with an atomic fetch-and-add on `next`, wait until `serving` shows it, increment a
 * shared counter inside the critical region (read, then write), hand the lock on. Checked:
 * mutual exclusion (an assert on the number of threads inside) and, at the end, counter = N*K.
 * SC only (SPIN's interleaving semantics), as memweave's --model sc.
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
     inside++;                               /* critical { */
     assert(inside == 1);
     c = counter;
     counter = c + 1;
     inside--;                               /* } */
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
