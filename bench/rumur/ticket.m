-- Ticket lock (Mellor-Crummey & Scott, ACM TOCS 9(1), 1991, §2.2), the Murphi twin of
-- examples/locks/ticket.mw for bench/rumur.bench.ts (rumur, the Murphi verifier): N threads,
-- K rounds each; take a ticket with an atomic fetch-and-add on `next`, wait until `serving` shows
-- it, increment a shared counter inside the critical region (read, then write), hand the lock on
-- (read serving, then write serving + 1). Every shared access of the .mw version is one rule.
-- The thread index is a scalarset: rumur's symmetry reduction permutes the threads (Ip & Dill,
-- FMSD 9, 1996). Checked: mutual exclusion (an invariant over the pcs) and, when every thread is
-- done, counter = N*K. SC only (Murphi's interleaving semantics), as memweave's --model sc.
-- N and K: edit the two constants (bench/rumur.bench.ts rewrites them).
const
  N: 4;
  K: 3;
type
  pid: scalarset(N);
  num: 0..N*K;
  rounds: 0..K;
  -- pcs: TAKE, WAIT, CLOAD (critical: load counter), CSTORE (critical: store counter), SLOAD, SSTORE, DONE
  loc: enum { TAKE, WAIT, CLOAD, CSTORE, SLOAD, SSTORE, DONE };
var
  next: num;
  serving: num;
  counter: num;
  pc: array[pid] of loc;
  k: array[pid] of rounds;
  t: array[pid] of num;
  c: array[pid] of num;
  s: array[pid] of num;

startstate
begin
  next := 0; serving := 0; counter := 0;
  for p: pid do pc[p] := TAKE; k[p] := 0; t[p] := 0; c[p] := 0; s[p] := 0; end;
end;

ruleset p: pid do
  rule "take a ticket (fetch_add next)" pc[p] = TAKE & next < N*K ==>
  begin t[p] := next; next := next + 1; pc[p] := WAIT; end;

  rule "await serving = t" pc[p] = WAIT & serving = t[p] ==>
  begin pc[p] := CLOAD; end;

  rule "c = load counter" pc[p] = CLOAD ==>
  begin c[p] := counter; pc[p] := CSTORE; end;

  rule "store counter, c + 1" pc[p] = CSTORE ==>
  begin counter := c[p] + 1; pc[p] := SLOAD; end;

  rule "s = load serving" pc[p] = SLOAD ==>
  begin s[p] := serving; pc[p] := SSTORE; end;

  rule "store serving, s + 1" pc[p] = SSTORE ==>
  begin
    serving := s[p] + 1; k[p] := k[p] + 1;
    -- dead values reset, as memweave's dead-register reset does
    t[p] := 0; c[p] := 0; s[p] := 0;
    if k[p] = K then pc[p] := DONE; else pc[p] := TAKE; end;
  end;
end;

-- a finished run is not a deadlock (memweave: every thread at its end is a final state)
rule "all done" forall p: pid do pc[p] = DONE end ==> begin end;

invariant "mutual exclusion"
  forall p: pid do forall q: pid do
    (p != q & (pc[p] = CSTORE | pc[p] = CLOAD)) -> !(pc[q] = CSTORE | pc[q] = CLOAD)
  end end;

invariant "counter = N*K at the end"
  (forall p: pid do pc[p] = DONE end) -> counter = N*K;
