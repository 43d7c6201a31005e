/**
 * The one catalogue of diagnostic codes. Codes are stable: never renumber, only add.
 * Ranges:
 *   E0xx  lexical           P1xx  parse              N2xx  names and scopes
 *   S3xx  static checks     H4xx  herd .litmus import U5xx  usage (command line, -D)
 *   R6xx  run-time errors found while checking or running a program
 * docs/diagnostics.md documents every entry; a test keeps the two in step.
 */
import type { Severity } from './diagnostic.js';

/** One catalogue entry. */
export interface CodeEntry {
  readonly severity: Severity;
  /** a one-line title used in docs/diagnostics.md */
  readonly title: string;
  /** default help line, when one helps */
  readonly help?: string;
}

/** Every diagnostic code memweave can emit. */
export const DIAGNOSTIC_CODES = {
  // ---- E0xx lexical
  E001: { severity: 'error', title: 'unexpected character' },
  E002: { severity: 'error', title: 'unterminated string literal', help: 'close the string with a double quote on the same line' },
  E003: { severity: 'error', title: 'unterminated block comment', help: 'close the comment with */' },
  E004: { severity: 'error', title: 'integer literal out of 32-bit range', help: 'values are 32-bit signed integers: -2147483648 to 2147483647 (or up to 0xffffffff in hex)' },
  // ---- P1xx parse
  P101: { severity: 'error', title: 'unexpected token' },
  P102: { severity: 'error', title: 'expected an expression' },
  P103: { severity: 'error', title: 'expected a statement' },
  P104: { severity: 'error', title: 'expected a top-level declaration', help: 'a .mw file holds: test, description, param, shared, thread, a final condition (exists/~exists/forall), locations and filter' },
  P105: { severity: 'error', title: 'unknown access mode', help: 'modes are plain, sc, rel, acq, rlx and acq_rel' },
  P106: { severity: 'error', title: 'wrong number of operands for a memory operation' },
  P107: { severity: 'error', title: 'duplicate test header' },
  P108: { severity: 'error', title: 'more than one final condition', help: 'a test has at most one exists / ~exists / forall condition' },
  P109: { severity: 'error', title: 'expected a condition term' },
  P110: { severity: 'error', title: 'malformed view', help: 'a view is written after a whole location with an element index: x.i8[1], a.i16[k], x.i32[0]; the views are .i8, .i16 and .i32' },
  // ---- N2xx names
  N201: { severity: 'error', title: 'undefined name' },
  N202: { severity: 'error', title: 'duplicate declaration' },
  N203: { severity: 'error', title: 'undefined label' },
  N204: { severity: 'error', title: 'duplicate label' },
  N205: { severity: 'error', title: 'unknown thread in a condition' },
  N206: { severity: 'error', title: 'unknown register in a condition' },
  N207: { severity: 'error', title: 'name is not a shared location' },
  N208: { severity: 'error', title: 'shared location used as a register', help: 'shared memory is read and written only by memory operations with an explicit mode, e.g. r = load.sc(x) or store.plain(x, 1)' },
  N209: { severity: 'error', title: 'assignment to a name that is not a register' },
  N210: { severity: 'error', title: 'register name shadows a shared location, parameter or constant' },
  // ---- S3xx static checks
  S301: { severity: 'error', title: 'access mode not allowed for this operation' },
  S302: { severity: 'error', title: 'array index out of bounds' },
  S303: { severity: 'error', title: 'indexing a scalar location or using an array without an index' },
  S304: { severity: 'error', title: 'expression is not a compile-time constant', help: 'array sizes, template ranges and for-loop bounds may use only integers, params and arithmetic' },
  S305: { severity: 'error', title: 'memory operation in a position that must not have side effects', help: 'only loads may appear inside a larger expression; stores, read-modify-writes, wait and notify must be a whole statement or the whole right-hand side of an assignment' },
  S306: { severity: 'error', title: 'invalid array size or template range' },
  S307: { severity: 'error', title: 'too many initial values for an array' },
  S308: { severity: 'error', title: 'nested critical region with the same name' },
  S309: { severity: 'error', title: 'goto into or out of a critical region', help: 'a critical region is entered and left only through its braces' },
  S310: { severity: 'error', title: 'division by zero in a constant expression' },
  S311: { severity: 'warning', title: 'unreachable code' },
  S312: { severity: 'error', title: 'program too large', help: 'memweave limits programs to 64 threads, 4096 memory words and 256 registers per thread' },
  S313: { severity: 'error', title: 'no threads', help: 'declare at least one thread' },
  S314: { severity: 'error', title: 'an ordering the chosen memory model does not have', help: 'JavaScript (--model js, js2017) has plain accesses (Unordered: typed-array elements) and sc ones (SeqCst: Atomics), RMWs that are SeqCst, and no fences; rel, acq, rlx, acq_rel and fences are C11 orderings (--model ra or rc11)' },
  S315: { severity: 'error', title: 'view element index out of bounds', help: "a view's elements cover the location's bytes: 4 × size bytes, so x.i8[0..3], x.i16[0..1], x.i32[0] for a scalar" },
  S316: { severity: 'error', title: 'mixed-size access under a model that does not model it', help: 'views narrower than i32 are modelled by the models whose record says mixedSize (see docs/js-memory-model.md)' },
  S317: { severity: 'error', title: 'wait or notify on a view narrower than i32', help: 'Atomics.wait and Atomics.notify take only an Int32Array (or a BigInt64Array): use the word, x or x.i32[k]' },
  S320: { severity: 'warning', title: 'register written and never read' },
  // ---- H4xx herd .litmus import
  H401: { severity: 'error', title: 'malformed litmus header', help: 'the first line of a .litmus file is the architecture and the test name, e.g. "X86 SB"' },
  H402: { severity: 'error', title: 'unsupported litmus architecture', help: 'memweave imports the X86, X86_64 and C dialects of herd7 litmus tests' },
  H403: { severity: 'error', title: 'malformed init block' },
  H404: { severity: 'error', title: 'malformed thread table' },
  H405: { severity: 'error', title: 'unsupported instruction' },
  H406: { severity: 'error', title: 'malformed operand' },
  H407: { severity: 'error', title: 'malformed final condition' },
  H408: { severity: 'error', title: 'unsupported C construct' },
  H409: { severity: 'error', title: 'unknown memory order' },
  H410: { severity: 'error', title: 'nesting too deep', help: 'memweave accepts at most 200 levels of parentheses, blocks, negations and chained operators' },
  H411: { severity: 'error', title: 'value out of range', help: 'memweave values are 32-bit signed integers (-2147483648 to 2147483647, or 0x0 to 0xffffffff written in hex); a 64-bit or 128-bit value that does not fit cannot be imported' },
  H412: { severity: 'warning', title: 'Linux-kernel memory model not modelled', help: 'each Linux-kernel macro is mapped to its closest C11 primitive (docs/litmus-import.md); the verdict is that of the C11 mapping under the chosen model, which may differ from LKMM (herd7 with linux-kernel.cat)' },
  // ---- U5xx usage
  U501: { severity: 'error', title: 'malformed -D definition', help: 'write -D NAME=VALUE with an integer VALUE, e.g. -D N=3' },
  U502: { severity: 'error', title: '-D names an undeclared param' },
  U503: { severity: 'error', title: 'cannot read input file' },
  U504: { severity: 'error', title: 'unknown file type', help: 'memweave reads .mw programs and herd7 .litmus tests' },
  U505: { severity: 'error', title: 'invalid command line', help: "an unknown option, a missing or extra argument, or an option value out of range: run 'memweave <command> --help'" },
  U506: { severity: 'error', title: 'cannot write output file', help: 'check that the directory exists, that the file is writable and that the disk is not full' },
  U507: { severity: 'error', title: 'cannot listen on the address', help: "choose another port with --port (0 picks a free one), or a host of this machine with --host" },
  U508: { severity: 'error', title: 'the playground site is not built', help: "run 'npm run build' in the memweave checkout (it writes dist/playground); an installed package ships it built" },
  U509: { severity: 'error', title: 'merge refuses its inputs', help: "give every shard's JSON of one run once: the files 'memweave check --shard I/N --format json' wrote for I = 0..N-1, of one program, model, engine and options" },
  // ---- R6xx run-time errors (found while exploring or running)
  // R601 and R602 are carried by `runtime` violations (Violation.code), found by either engine or on workers
  R601: { severity: 'error', title: 'array index out of bounds at run time', help: 'an index evaluated outside the array in some execution: the trace shows the values that led there; guard the index or size the array' },
  R602: { severity: 'error', title: 'division by zero at run time', help: 'a divisor evaluated to 0 in some execution: the trace shows the values that led there' },
  // R603 (wait on an invalid address) is retired: a wait's address is a shared location the resolver checks, and an index out of bounds is R601
  R604: { severity: 'error', title: 'invalid program or options given to the checker API', help: 'pass the IR compileSource produced (unchanged), a model of MODEL_NAMES and a positive integer bufferBound' },
} as const satisfies Record<string, CodeEntry>;

/** A code from the catalogue. */
export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

/** All codes in catalogue order. */
export const ALL_CODES: readonly DiagnosticCode[] = Object.keys(DIAGNOSTIC_CODES) as DiagnosticCode[];
