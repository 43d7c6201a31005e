/**
 * Characters that must never reach a terminal raw from a program's text: C0 controls other than
 * tab, line feed and carriage return (ESC, BEL, NUL, …), DEL, C1 controls, and the bidirectional
 * embedding, override and isolate controls behind "Trojan Source" (CVE-2021-42574, the set rustc
 * lints in literals and comments). A program may hold them (in strings and comments); what prints
 * it writes them as `\uXXXX`, which a .mw string reads back as the same character. Pure.
 */

/** True for a code unit that must not be printed raw (see the module comment). */
export function isUnsafeControl(c: number): boolean {
  if (c < 0x20) return c !== 0x09 && c !== 0x0a && c !== 0x0d;
  if (c < 0x7f) return false;
  if (c <= 0x9f) return true; // DEL and C1
  return (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

/** `\u001b` for one code unit: the JSON, JavaScript and .mw string spelling, readable in a terminal. */
export function escapeUnit(c: number): string {
  return `\\u${c.toString(16).padStart(4, '0')}`;
}

/** The characters of {@link isUnsafeControl}, as a global pattern (all in the BMP). */
export const UNSAFE_CONTROLS = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;

/** `s` with every unsafe control written as `\uXXXX`; everything else unchanged. */
export function escapeControls(s: string): string {
  return s.replace(UNSAFE_CONTROLS, (ch) => escapeUnit(ch.charCodeAt(0)));
}
