/**
 * memweave's `check --format herd` against herd7's own published output, line by line: the
 * `.expected` files of herd's regression tests and catalogue, and the SB run printed in herd's
 * manual. The expected blocks below are our copies of herd's output, each citing its file in
 * herdtools7 at commit 5feffe4e8f98d93b60144a3cda322eba92dd9723; the tests they answer are memweave's own versions
 * (test/fixtures/herd/x86_64/, examples/herd/): written for memweave, with the same threads,
 * init and condition as herd's.
 *
 * Models: herd runs its X86_64 tests under x86tso.cat (memweave: tso), its C regression tests
 * under rc11.cat with `-hexa true` (herd/tests/instructions/C/ci.cfg; memweave: rc11,
 * --herd-hexa), its Linux-kernel catalogue under the LKMM (memweave has no LKMM: only tests on
 * which rc11 and the LKMM agree are here; LB+poonceonces, where they differ, is not), and the
 * manual's SB under sc.cat (memweave: sc).
 *
 * Normalised: herd's Time line (its regression runner drops it too). `hash: 'own'` marks a test
 * whose memweave version differs from herd's in text that herd hashes (a C thread's body is
 * hashed as written): its Hash line is then memweave's hash of memweave's text, compared to
 * nothing; everywhere else the Hash line must be herd's.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCommand } from '../../cli/commands/check.js';
import { fakeIo } from '../unit/cli/fakeIo.js';

const ROOT = join(import.meta.dirname, '..', '..');

interface Published {
  readonly file: string;
  readonly model: 'tso' | 'sc' | 'rc11';
  readonly hexa: boolean;
  readonly hash: 'same' | 'own';
  /** where in herdtools7 (5feffe4e8f98) the block comes from */
  readonly source: string;
  /** herd's block, without its Time line and empty lines */
  readonly herd: readonly string[];
}

const PUBLISHED: readonly Published[] = [
  {
    file: 'test/fixtures/herd/x86_64/A000.litmus',
    model: 'tso',
    hexa: false,
    hash: 'same',
    source: 'herd/tests/instructions/X86_64/A000.litmus.expected',
    herd: [
      'Test A000 Required',
      'States 1',
      '0:rax=0;',
      'Ok',
      'Witnesses',
      'Positive: 1 Negative: 0',
      'Condition forall (0:rax=0)',
      'Observation A000 Always 1 0',
      'Hash=e7aa09c554ad7af2223102c50db5f77a',
    ],
  },
  {
    file: 'test/fixtures/herd/x86_64/A001.litmus',
    model: 'tso',
    hexa: false,
    hash: 'same',
    source: 'herd/tests/instructions/X86_64/A001.litmus.expected',
    herd: [
      'Test A001 Required',
      'States 1',
      '0:rip=0;',
      'Ok',
      'Witnesses',
      'Positive: 1 Negative: 0',
      'Condition forall (0:rip=0)',
      'Observation A001 Always 1 0',
      'Hash=5586d6c213112d3683c915b4d7bb700a',
    ],
  },
  {
    file: 'test/fixtures/herd/x86_64/A005.litmus',
    model: 'tso',
    hexa: false,
    hash: 'same',
    source: 'herd/tests/instructions/X86_64/A005.litmus.expected',
    herd: [
      'Test A005 Required',
      'States 1',
      '0:rax=0;',
      'Ok',
      'Witnesses',
      'Positive: 1 Negative: 0',
      'Condition forall (0:rax=0)',
      'Observation A005 Always 1 0',
      'Hash=33e970980643a03ccf92e4989259cd01',
    ],
  },
  {
    file: 'test/fixtures/herd/x86_64/A006.litmus',
    model: 'tso',
    hexa: false,
    hash: 'same',
    source: 'herd/tests/instructions/X86_64/A006.litmus.expected',
    herd: [
      'Test A006 Allowed',
      'States 2',
      '[P1_r0]=0; [x]=2;',
      '[P1_r0]=1; [x]=1;',
      'No',
      'Witnesses',
      'Positive: 0 Negative: 2',
      'Condition exists ([x]=2 /\\ [P1_r0]=1)',
      'Observation A006 Never 0 2',
      'Hash=129271caa23e144554d29606dbb498d0',
    ],
  },
  {
    file: 'test/fixtures/herd/x86_64/A007.litmus',
    model: 'tso',
    hexa: false,
    hash: 'same',
    source: 'herd/tests/instructions/X86_64/A007.litmus.expected',
    herd: [
      'Test A007 Required',
      'States 1',
      '0:rax=4;',
      'Ok',
      'Witnesses',
      'Positive: 1 Negative: 0',
      'Condition forall (0:rax=4)',
      'Observation A007 Always 1 0',
      'Hash=a335aafc9060d9b8c4320424ba909740',
    ],
  },
  {
    file: 'test/fixtures/herd/x86_64/A011.litmus',
    model: 'tso',
    hexa: false,
    hash: 'same',
    source: 'herd/tests/instructions/X86_64/A011.litmus.expected',
    herd: [
      'Test A011 Forbidden',
      'States 2',
      '1:rax=0; [y]=1;',
      '1:rax=1; [y]=2;',
      'Ok',
      'Witnesses',
      'Positive: 2 Negative: 0',
      'Condition ~exists (1:rax=1 /\\ [y]=1)',
      'Observation A011 Never 0 2',
      'Hash=49bac67e78712413113b7c93e987b364',
    ],
  },
  {
    file: 'test/fixtures/herd/x86_64/A012.litmus',
    model: 'tso',
    hexa: false,
    hash: 'same',
    source: 'herd/tests/instructions/X86_64/A012.litmus.expected',
    herd: [
      'Test A012 Required',
      'States 1',
      '[x]=1;',
      'Ok',
      'Witnesses',
      'Positive: 1 Negative: 0',
      'Condition forall ([x]=1)',
      'Observation A012 Always 1 0',
      'Hash=3b021e40517dcff1f1cb8894d645b677',
    ],
  },
  {
    file: 'examples/herd/c-rc11/C01.litmus',
    model: 'rc11',
    hexa: true,
    hash: 'same',
    source: 'herd/tests/instructions/C/C01.litmus.expected',
    herd: [
      'Test C01 Required',
      'States 1',
      '0:r0=0x1;',
      'Ok',
      'Witnesses',
      'Positive: 1 Negative: 0',
      'Condition forall (0:r0=0x1)',
      'Observation C01 Always 1 0',
      'Hash=f26e77b9ef2528a6e6c9757a77f150a1',
    ],
  },
  {
    file: 'examples/herd/c-rc11/C02.litmus',
    model: 'rc11',
    hexa: true,
    hash: 'same',
    source: 'herd/tests/instructions/C/C02.litmus.expected',
    herd: [
      'Test C02 Required',
      'States 1',
      '0:r0=0x0; [y]=0x1;',
      'No',
      'Witnesses',
      'Positive: 0 Negative: 1',
      'Condition forall (0:r0=0x1 /\\ [y]=0x1)',
      'Observation C02 Never 0 1',
      'Hash=d92b65c8b850301b8f1b811599b2f905',
    ],
  },
  {
    file: 'examples/herd/c-rc11/C03.litmus',
    model: 'rc11',
    hexa: true,
    hash: 'own',
    source: 'herd/tests/instructions/C/C03.litmus.expected',
    herd: [
      'Test C03 Required',
      'States 1',
      '[y]=0x1;',
      'Ok',
      'Witnesses',
      'Positive: 1 Negative: 0',
      'Condition forall ([y]=0x1)',
      'Observation C03 Always 1 0',
      'Hash=71a98e010b15b2b87bfe01c34e457390',
    ],
  },
  {
    file: 'examples/herd/c-rc11/C13.litmus',
    model: 'rc11',
    hexa: true,
    hash: 'own',
    source: 'herd/tests/instructions/C/C13.litmus.expected',
    herd: [
      'Test C13 Allowed',
      'States 1',
      '0:r1=0x0; 0:r2=0x0; 1:r4=0x0;',
      'No',
      'Witnesses',
      'Positive: 0 Negative: 3',
      'Condition exists (not (0:r1=0x0))',
      'Observation C13 Never 0 3',
      'Hash=45b06aedc4caf5ef4fdf494a986f8199',
    ],
  },
  {
    file: 'examples/herd/c-rc11/C14.litmus',
    model: 'rc11',
    hexa: true,
    hash: 'own',
    source: 'herd/tests/instructions/C/C14.litmus.expected',
    herd: [
      'Test C14 Required',
      'States 1',
      '[y]=0x2;',
      'Ok',
      'Witnesses',
      'Positive: 2 Negative: 0',
      'Condition forall ([y]=0x2)',
      'Observation C14 Always 2 0',
      'Hash=4ba3dd96c70ac3dd5dac4c7337261858',
    ],
  },
  {
    file: 'examples/herd/c-rc11/C15.litmus',
    model: 'rc11',
    hexa: true,
    hash: 'own',
    source: 'herd/tests/instructions/C/C15.litmus.expected',
    herd: [
      'Test C15 Forbidden',
      'States 2',
      '1:r1=0x0; [y]=0x1;',
      '1:r1=0x1; [y]=0x2;',
      'Ok',
      'Witnesses',
      'Positive: 2 Negative: 0',
      'Condition ~exists (1:r1=0x0 /\\ [y]=0x2)',
      'Observation C15 Never 0 2',
      'Hash=39a09669dfbf2aaf26417bf1bd2480c6',
    ],
  },
  {
    file: 'examples/herd/c/SB+poonceonces.litmus',
    model: 'rc11',
    hexa: false,
    hash: 'same',
    source: 'catalogue/linux/tests/SB+poonceonces.litmus.expected',
    herd: [
      'Test SB+poonceonces Allowed',
      'States 4',
      '0:r0=0; 1:r0=0;',
      '0:r0=0; 1:r0=1;',
      '0:r0=1; 1:r0=0;',
      '0:r0=1; 1:r0=1;',
      'Ok',
      'Witnesses',
      'Positive: 1 Negative: 3',
      'Condition exists (0:r0=0 /\\ 1:r0=0)',
      'Observation SB+poonceonces Sometimes 1 3',
      'Hash=d2b6ca86cddfad6178a05767f57fafbf',
    ],
  },
  {
    file: 'examples/herd/c/SB+fencembonceonces.litmus',
    model: 'rc11',
    hexa: false,
    hash: 'same',
    source: 'catalogue/linux/tests/SB+fencembonceonces.litmus.expected',
    herd: [
      'Test SB+fencembonceonces Allowed',
      'States 3',
      '0:r0=0; 1:r0=1;',
      '0:r0=1; 1:r0=0;',
      '0:r0=1; 1:r0=1;',
      'No',
      'Witnesses',
      'Positive: 0 Negative: 3',
      'Condition exists (0:r0=0 /\\ 1:r0=0)',
      'Observation SB+fencembonceonces Never 0 3',
      'Hash=d66d99523e2cac6b06e66f4c995ebb48',
    ],
  },
  {
    file: 'examples/herd/c/LB+fencembonceonce+ctrlonceonce.litmus',
    model: 'rc11',
    hexa: false,
    hash: 'same',
    source: 'catalogue/linux/tests/LB+fencembonceonce+ctrlonceonce.litmus.expected',
    herd: [
      'Test LB+fencembonceonce+ctrlonceonce Allowed',
      'States 2',
      '0:r0=0; 1:r0=0;',
      '0:r0=1; 1:r0=0;',
      'No',
      'Witnesses',
      'Positive: 0 Negative: 2',
      'Condition exists (0:r0=1 /\\ 1:r0=1)',
      'Observation LB+fencembonceonce+ctrlonceonce Never 0 2',
      'Hash=e5260556f6de495fd39b556d1b831c3b',
    ],
  },
  {
    file: 'examples/herd/c/MP+pooncerelease+poacquireonce.litmus',
    model: 'rc11',
    hexa: false,
    hash: 'same',
    source: 'catalogue/linux/tests/MP+pooncerelease+poacquireonce.litmus.expected',
    herd: [
      'Test MP+pooncerelease+poacquireonce Allowed',
      'States 3',
      '1:r0=0; 1:r1=0;',
      '1:r0=0; 1:r1=1;',
      '1:r0=1; 1:r1=1;',
      'No',
      'Witnesses',
      'Positive: 0 Negative: 3',
      'Condition exists (1:r0=1 /\\ 1:r1=0)',
      'Observation MP+pooncerelease+poacquireonce Never 0 3',
      'Hash=f259d8efc86e0b40c7168bf58524ab49',
    ],
  },
  {
    file: 'examples/herd/x86/SB.litmus',
    model: 'sc',
    hexa: false,
    hash: 'same',
    source: 'doc/herd.tex, the output of "herd7 -cat ./sc.cat SB.litmus"',
    herd: [
      'Test SB Allowed',
      'States 3',
      '0:EAX=0; 1:EAX=1;',
      '0:EAX=1; 1:EAX=0;',
      '0:EAX=1; 1:EAX=1;',
      'No',
      'Witnesses',
      'Positive: 0 Negative: 3',
      'Condition exists (0:EAX=0 /\\ 1:EAX=0)',
      'Observation SB Never 0 3',
      'Hash=7dbd6b8e6dd4abc2ef3d48b0376fb2e3',
    ],
  },
];

/** memweave's block for a test, without Time lines and empty lines. */
async function memweave(p: Published): Promise<string[]> {
  const io = fakeIo({ diskRoot: ROOT });
  const code = await checkCommand.run([p.file, '--model', p.model, '--format', 'herd', ...(p.hexa ? ['--herd-hexa'] : [])], io);
  expect([0, 1], io.err).toContain(code);
  return io.out.split('\n').filter((l) => l !== '' && !l.startsWith('Time '));
}

describe("--format herd against herd7's published output", () => {
  it.each(PUBLISHED.map((p) => [p.file, p] as const))('%s', async (_, p) => {
    const ours = await memweave(p);
    if (p.hash === 'same') {
      expect(ours).toEqual(p.herd);
    } else {
      const noHash = (ls: readonly string[]): string[] => ls.filter((l) => !l.startsWith('Hash='));
      expect(noHash(ours)).toEqual(noHash(p.herd));
      expect(ours.at(-1)).toMatch(/^Hash=[0-9a-f]{32}$/);
      expect(ours.at(-1)).not.toBe(p.herd.at(-1));
    }
  });

  it("covers both x86 dialects and C, herd's three sources, and compares the Hash on most", () => {
    expect(PUBLISHED.length).toBe(18);
    expect(PUBLISHED.filter((p) => p.hash === 'same').length).toBe(14);
    expect(new Set(PUBLISHED.map((p) => p.model))).toEqual(new Set(['tso', 'sc', 'rc11']));
  });
});
