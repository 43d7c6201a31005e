/**
 * DOT → SVG in JavaScript, with Graphviz compiled to WebAssembly (@viz-js/viz; see
 * docs/adr/0004-graphviz-wasm.md). No `dot` binary and no network: the WASM module ships inside
 * the package. The instance is created once per process and reused.
 */
import { instance, type Viz } from '@viz-js/viz';

let viz: Promise<Viz> | null = null;

/** The shared Graphviz instance (created on first use). */
function graphviz(): Promise<Viz> {
  viz ??= instance();
  return viz;
}

/** Render DOT to a standalone SVG document; rejects with Graphviz's messages when the DOT is invalid. */
export async function renderSvg(dot: string): Promise<string> {
  const v = await graphviz();
  const r = v.render(dot, { format: 'svg', engine: 'dot' });
  if (r.status !== 'success') {
    throw new Error(`internal error: Graphviz could not render the graph: ${r.errors.map((e) => e.message).join('; ')} (this is a bug in memweave)`);
  }
  return r.output;
}

/** An SVG document without its XML declaration, DOCTYPE and leading comments, for inlining into HTML. */
export function svgForInline(svg: string): string {
  const at = svg.indexOf('<svg');
  return at < 0 ? svg : svg.slice(at);
}
