/**
 * A small XML well-formedness checker for the SVG the graph command produces (no dependency, no
 * DTD processing): one root element; tags properly nested and closed; attribute names followed
 * by quoted values, no duplicate attribute; no raw `<` in text or attribute values; `&` only as
 * a known entity (amp, lt, gt, quot, apos) or a character reference; comments, CDATA, processing
 * instructions and a DOCTYPE (skipped as a unit, before the root only). Returns null when the
 * text is well formed, else the first problem with its offset.
 */

const NAME = /^[A-Za-z_:][\w.:-]*/;

function checkText(text: string, at: number): string | null {
  if (text.includes('<')) return `raw '<' in text at ${at}`;
  const amp = /&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.exec(text);
  return amp === null ? null : `bare '&' at ${at + amp.index}`;
}

/** null when `xml` is a well-formed XML document, else a description of the first problem. */
export function xmlProblem(xml: string): string | null {
  const stack: string[] = [];
  let i = 0;
  let roots = 0;
  let sawRoot = false;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const textEnd = lt < 0 ? xml.length : lt;
    const text = xml.slice(i, textEnd);
    if (stack.length === 0 && text.trim() !== '') return `text outside the root element at ${i}`;
    const bad = checkText(text, i);
    if (bad !== null) return bad;
    if (lt < 0) break;
    if (xml.startsWith('<!--', lt)) {
      const end = xml.indexOf('-->', lt + 4);
      if (end < 0) return `unterminated comment at ${lt}`;
      if (xml.slice(lt + 4, end).includes('--')) return `'--' inside a comment at ${lt}`;
      i = end + 3;
    } else if (xml.startsWith('<![CDATA[', lt)) {
      if (stack.length === 0) return `CDATA outside the root at ${lt}`;
      const end = xml.indexOf(']]>', lt);
      if (end < 0) return `unterminated CDATA at ${lt}`;
      i = end + 3;
    } else if (xml.startsWith('<?', lt)) {
      const end = xml.indexOf('?>', lt);
      if (end < 0) return `unterminated processing instruction at ${lt}`;
      i = end + 2;
    } else if (xml.startsWith('<!DOCTYPE', lt)) {
      if (sawRoot) return `DOCTYPE after the root element at ${lt}`;
      const end = xml.indexOf('>', lt);
      if (end < 0) return `unterminated DOCTYPE at ${lt}`;
      i = end + 1;
    } else if (xml.startsWith('</', lt)) {
      const m = NAME.exec(xml.slice(lt + 2));
      if (m === null) return `bad closing tag at ${lt}`;
      const end = xml.indexOf('>', lt);
      if (end < 0 || xml.slice(lt + 2 + m[0].length, end).trim() !== '') return `bad closing tag </${m[0]} at ${lt}`;
      const open = stack.pop();
      if (open !== m[0]) return `</${m[0]}> at ${lt} closes <${open ?? 'nothing'}>`;
      i = end + 1;
    } else {
      const m = NAME.exec(xml.slice(lt + 1));
      if (m === null) return `bad tag at ${lt}`;
      if (stack.length === 0) {
        roots++;
        sawRoot = true;
        if (roots > 1) return `second root element <${m[0]}> at ${lt}`;
      }
      let j = lt + 1 + m[0].length;
      const attrs = new Set<string>();
      for (;;) {
        const ws = /^\s*/.exec(xml.slice(j))?.[0].length ?? 0;
        j += ws;
        if (xml.startsWith('/>', j)) {
          j += 2;
          break;
        }
        if (xml[j] === '>') {
          stack.push(m[0]);
          j += 1;
          break;
        }
        if (ws === 0) return `missing space before an attribute in <${m[0]}> at ${j}`;
        const a = NAME.exec(xml.slice(j));
        if (a === null) return `bad attribute in <${m[0]}> at ${j}`;
        if (attrs.has(a[0])) return `duplicate attribute ${a[0]} in <${m[0]}> at ${j}`;
        attrs.add(a[0]);
        j += a[0].length;
        const eq = /^\s*=\s*/.exec(xml.slice(j));
        if (eq === null) return `attribute ${a[0]} without a value at ${j}`;
        j += eq[0].length;
        const q = xml[j];
        if (q !== '"' && q !== "'") return `unquoted value of ${a[0]} at ${j}`;
        const close = xml.indexOf(q, j + 1);
        if (close < 0) return `unterminated value of ${a[0]} at ${j}`;
        const problem = checkText(xml.slice(j + 1, close), j + 1);
        if (problem !== null) return `${problem} (in attribute ${a[0]})`;
        j = close + 1;
      }
      i = j;
    }
  }
  if (stack.length > 0) return `unclosed <${stack[stack.length - 1] ?? ''}>`;
  if (roots === 0) return 'no root element';
  return null;
}
