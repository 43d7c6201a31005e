/**
 * Graphviz's SVG, made safe to put in the page: parsed as XML (never as HTML) and rebuilt from
 * an allow-list of drawing elements and attributes. No script, style sheet, foreign object,
 * event handler or link survives, whatever the labels in the program said (Graphviz escapes
 * them, and this does not rely on it).
 */

const ELEMENTS: ReadonlySet<string> = new Set(['svg', 'g', 'title', 'path', 'polygon', 'polyline', 'ellipse', 'circle', 'line', 'rect', 'text', 'tspan', 'defs']);
const ATTRIBUTES: ReadonlySet<string> = new Set([
  'id', 'class', 'width', 'height', 'viewBox', 'preserveAspectRatio', 'transform', 'points', 'd', 'cx', 'cy', 'rx', 'ry', 'r', 'x', 'y', 'x1', 'y1', 'x2', 'y2',
  'fill', 'stroke', 'stroke-width', 'stroke-dasharray', 'stroke-opacity', 'fill-opacity', 'font-family', 'font-size', 'font-weight', 'font-style', 'text-anchor', 'dominant-baseline', 'opacity',
]);
const SVG_NS = 'http://www.w3.org/2000/svg';

function copy(from: Element, doc: Document): Element | null {
  const name = from.localName;
  if (from.namespaceURI !== SVG_NS || !ELEMENTS.has(name)) return null;
  const to = doc.createElementNS(SVG_NS, name);
  for (const a of Array.from(from.attributes)) {
    if (a.namespaceURI === null && ATTRIBUTES.has(a.name)) to.setAttribute(a.name, a.value);
  }
  for (const child of Array.from(from.childNodes)) {
    if (child.nodeType === Node.TEXT_NODE) to.append(doc.createTextNode(child.textContent ?? ''));
    else if (child.nodeType === Node.ELEMENT_NODE) {
      // an <a> (tooltip link) is unwrapped: its drawing kept, the link dropped
      if ((child as Element).localName === 'a') {
        for (const g of Array.from(child.childNodes)) {
          if (g.nodeType === Node.ELEMENT_NODE) {
            const c = copy(g as Element, doc);
            if (c !== null) to.append(c);
          }
        }
        continue;
      }
      const c = copy(child as Element, doc);
      if (c !== null) to.append(c);
    }
  }
  return to;
}

/** The SVG document's root rebuilt from the allow-list, or null when the text is not SVG. */
export function sanitizeSvg(text: string): SVGSVGElement | null {
  const parsed = new DOMParser().parseFromString(text, 'image/svg+xml');
  const root = parsed.documentElement;
  if (root.localName !== 'svg' || parsed.getElementsByTagName('parsererror').length > 0) return null;
  return copy(root, document) as SVGSVGElement | null;
}
