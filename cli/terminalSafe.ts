/**
 * The last guard between a program's text and the terminal: everything a command writes to
 * stdout or stderr passes through {@link terminalSafe}, which writes control characters
 * (model/syntax/controls.ts: ESC, BEL, NUL, other C0 and C1 controls, DEL, bidirectional
 * overrides) as `\uXXXX`, and a carriage return as `\r` unless it ends a line (CRLF). So a test
 * name, a string, an assertion message or a file name cannot move the cursor, clear the screen,
 * set the window title, ring the bell, make a hyperlink or reorder text, whatever command prints
 * it. JSON output is unchanged in meaning: `\uXXXX` inside a JSON string is the same character.
 *
 * What passes: exactly the escape sequences memweave writes itself, and only where it writes them
 * — the colour codes of the renderer and of `check` when colour is on, and `check`'s progress line
 * rewrite (`\r` + erase line) on a terminal's stderr. A program could use those few to colour
 * text, nothing more.
 */
import { escapeUnit, isUnsafeControl } from '../model/syntax/controls.js';
import type { CliIo } from './types.js';

/** The SGR sequences memweave itself emits (cli/render.ts palette, cli/commands/check.ts style). */
const OWN_SGR = /^\x1b\[(?:0|1|2|1;31|1;32|1;33|1;34)m/;
/** `check`'s progress line: return to column 1 and erase the line. */
const OWN_REWRITE = /^\r\x1b\[K/;
const OWN_ERASE = /^\x1b\[K/;

/** What may pass unescaped on one stream. */
export interface TerminalAllow {
  /** memweave's own colour codes (colour is on) */
  readonly color: boolean;
  /** memweave's own progress-line rewrite (a terminal's stderr) */
  readonly rewrite: boolean;
}

/** `s` as it may reach a terminal: every control written out, except memweave's own sequences allowed by `allow`. */
export function terminalSafe(s: string, allow: TerminalAllow): string {
  if (!/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/.test(s)) return s;
  let out = '';
  let i = 0;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c === 0x0d) {
      if (s.charCodeAt(i + 1) === 0x0a) {
        out += '\r\n';
        i += 2;
        continue;
      }
      const own = allow.rewrite ? OWN_REWRITE.exec(s.slice(i, i + 4)) : null;
      if (own !== null) {
        out += own[0];
        i += own[0].length;
        continue;
      }
      out += '\\r';
      i++;
      continue;
    }
    if (c === 0x1b) {
      const head = s.slice(i, i + 8);
      const own = (allow.color ? OWN_SGR.exec(head) : null) ?? (allow.rewrite ? OWN_ERASE.exec(head) : null);
      if (own !== null) {
        out += own[0];
        i += own[0].length;
        continue;
      }
    }
    out += isUnsafeControl(c) ? escapeUnit(c) : (s[i] ?? '');
    i++;
  }
  return out;
}

/** `io` with stdout and stderr passed through {@link terminalSafe}; everything else as it was. */
export function terminalSafeIo(io: CliIo): CliIo {
  const errTTY = io.errIsTTY ?? io.isTTY;
  const safe: CliIo = {
    ...io,
    stdout: (s) => io.stdout(terminalSafe(s, { color: io.color, rewrite: false })),
    stderr: (s) => io.stderr(terminalSafe(s, { color: io.color, rewrite: errTTY })),
  };
  return safe;
}
