-- Peterson's lock for two threads (G. L. Peterson, IPL 12(3), 1981), the Murphi twin of
-- examples/locks/peterson.mw for bench/rumur.bench.ts: K rounds each; announce (flag[i] := 1),
-- give the turn away (turn := the other thread), wait until the other is not interested or it is
-- our turn (read flag[other], then turn, and again), increment a shared counter inside the
-- critical region (read, then write), leave (flag[i] := 0). Every shared access is one rule.
-- The thread index is a scalarset(2): Murphi has no `1 - i` on a scalarset, so "the other
-- thread" is the q with q != p. turn starts undefined (no thread's turn), as the .mw version's -1.
-- Checked: mutual exclusion, and counter = 2*K when both are done. SC only, as --model sc.
const
  K: 3;
type
  pid: scalarset(2);
  rounds: 0..K;
  num: 0..2*K;
  loc: enum { FLAG, TURN, RFLAG, RTURN, CLOAD, CSTORE, LEAVE, DONE };
var
  flag: array[pid] of 0..1;
  turn: pid;
  counter: num;
  pc: array[pid] of loc;
  k: array[pid] of rounds;
  c: array[pid] of num;

startstate
begin
  undefine turn; counter := 0;
  for p: pid do flag[p] := 0; pc[p] := FLAG; k[p] := 0; c[p] := 0; end;
end;

ruleset p: pid do
  rule "store flag[i], 1" pc[p] = FLAG ==> begin flag[p] := 1; pc[p] := TURN; end;

  rule "store turn, 1 - i" pc[p] = TURN ==>
  begin for q: pid do if q != p then turn := q; end; end; pc[p] := RFLAG; end;

  rule "await: load flag[1 - i]" pc[p] = RFLAG ==>
  begin
    pc[p] := RTURN;
    for q: pid do if q != p & flag[q] = 0 then pc[p] := CLOAD; end; end;
  end;

  rule "await: load turn" pc[p] = RTURN ==>
  begin if turn = p then pc[p] := CLOAD; else pc[p] := RFLAG; end; end;

  rule "c = load counter" pc[p] = CLOAD ==> begin c[p] := counter; pc[p] := CSTORE; end;

  rule "store counter, c + 1" pc[p] = CSTORE ==> begin counter := c[p] + 1; c[p] := 0; pc[p] := LEAVE; end;

  rule "store flag[i], 0" pc[p] = LEAVE ==>
  begin
    flag[p] := 0; k[p] := k[p] + 1;
    if k[p] = K then pc[p] := DONE; else pc[p] := FLAG; end;
  end;
end;

-- a finished run is not a deadlock (memweave: every thread at its end is a final state)
rule "all done" forall p: pid do pc[p] = DONE end ==> begin end;

invariant "mutual exclusion"
  forall p: pid do forall q: pid do
    (p != q & (pc[p] = CSTORE | pc[p] = CLOAD)) -> !(pc[q] = CSTORE | pc[q] = CLOAD)
  end end;

invariant "counter = 2*K at the end"
  (forall p: pid do pc[p] = DONE end) -> counter = 2*K;
