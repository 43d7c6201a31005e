/**
 * The tutorial shows what the commands really print (issue 12: its `--model all` block left out
 * the js race and the exit code 1 every plain-access litmus test gets).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../cli/main.js';
import { fakeIo } from '../cli/fakeIo.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');

describe('docs/tutorial.md', () => {
  it('the SB --model all block is the real output and exit code', async () => {
    const text = readFileSync(join(ROOT, 'docs', 'tutorial.md'), 'utf8');
    const m = /```\n\$ memweave check examples\/litmus\/SB\.mw --model all\n([\s\S]*?)\$ echo \$\?\n(\d+)\n```/.exec(text);
    expect(m).not.toBeNull();
    const io = fakeIo({ diskRoot: ROOT });
    const code = await main(['check', 'examples/litmus/SB.mw', '--model', 'all'], io);
    expect(io.out).toBe(m![1]);
    expect(String(code)).toBe(m![2]);
  });

  it('the Part 6 message-passing block under js is the real output and exit code', async () => {
    const text = readFileSync(join(ROOT, 'docs', 'tutorial.md'), 'utf8');
    const m = /```\n\$ memweave check examples\/js\/MP\+popl\+poap\.mw --model js --engine graph\n([\s\S]*?)\$ echo \$\?\n(\d+)\n```/.exec(text);
    expect(m).not.toBeNull();
    const io = fakeIo({ diskRoot: ROOT });
    const code = await main(['check', 'examples/js/MP+popl+poap.mw', '--model', 'js', '--engine', 'graph'], io);
    // the timing in the statistics line differs run to run
    const untimed = (t: string): string => t.replace(/; [\d.]+ ms \(graph engine/, '; ? ms (graph engine');
    expect(untimed(io.out)).toBe(untimed(m![1]!));
    expect(String(code)).toBe(m![2]);
  });

  it('the pictures of docs/js-memory-model.md are what `graph --model js` draws now', async () => {
    const doc = readFileSync(join(ROOT, 'docs', 'js-memory-model.md'), 'utf8');
    const commands = [...doc.matchAll(/`memweave graph (examples\/js\/[\w+]+\.mw) --model js --format svg -o (docs\/img\/[\w-]+\.svg)`/g)];
    expect(commands.length).toBe(3);
    for (const [, program, picture] of commands) {
      const io = fakeIo({ diskRoot: ROOT });
      const code = await main(['graph', program as string, '--model', 'js', '--format', 'svg', '-o', 'picture.svg'], io);
      expect(code, io.err).toBe(0);
      expect(io.written.get('picture.svg'), `${picture as string} is out of date: rerun the command in the doc`).toBe(readFileSync(join(ROOT, picture as string), 'utf8'));
      expect(doc).toContain(`](${(picture as string).replace('docs/', '')})`);
    }
  });

  it('the README tour says why SB under --model all exits 1', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme).toMatch(/check examples\/sb\.mw --model all +# .*exit 1: the js row reports SB's data race/);
  });
});
