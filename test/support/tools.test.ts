/** Tests for test/support/tools.ts: when a test that needs an external tool runs, skips or fails. */
import { describe, expect, it } from 'vitest';
import { commandWorks, toolGate } from './tools.js';

describe('toolGate', () => {
  it('runs when the tool is present', () => {
    expect(toolGate('X', true, 'SKIP_X', {})).toEqual({ skip: false, note: '' });
  });
  it('skips, saying why, when the tool is missing and nothing requires it', () => {
    const g = toolGate('X', false, 'SKIP_X', {});
    expect(g.skip).toBe(true);
    expect(g.note).toContain('X not installed');
  });
  it('runs (to fail loudly) when the tool is missing but MEMWEAVE_REQUIRE_TOOLS=1', () => {
    expect(toolGate('X', false, 'SKIP_X', { MEMWEAVE_REQUIRE_TOOLS: '1' }).skip).toBe(false);
  });
  it('skips on its own variable even when the tool is present or required', () => {
    expect(toolGate('X', true, 'SKIP_X', { SKIP_X: '1', MEMWEAVE_REQUIRE_TOOLS: '1' }).skip).toBe(true);
  });
});

describe('commandWorks', () => {
  it('tells a command that runs from one that does not exist', () => {
    expect(commandWorks(process.execPath, ['--version'])).toBe(true);
    expect(commandWorks('memweave-no-such-command-here', [])).toBe(false);
  });
});
