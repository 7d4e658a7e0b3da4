/** A parsed XML element: enough XML for TwiML (elements, attributes, text, entities). */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlNode[];
}
export type XmlNode = XmlElement | string;

export class XmlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XmlError';
  }
}

const entities: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
};

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (whole, name: string) => {
    if (name.startsWith('#x')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(parseInt(name.slice(1), 10));
    return entities[name] ?? whole;
  });
}

/** Parses one XML document and returns its root element. */
export function parseXml(source: string): XmlElement {
  let i = 0;
  const text = source.replace(/^\uFEFF/, '');

  const skipMisc = (): void => {
    for (;;) {
      while (i < text.length && /\s/.test(text.charAt(i))) i++;
      if (text.startsWith('<?', i)) {
        const end = text.indexOf('?>', i);
        if (end < 0) throw new XmlError('unterminated declaration');
        i = end + 2;
      } else if (text.startsWith('<!--', i)) {
        const end = text.indexOf('-->', i);
        if (end < 0) throw new XmlError('unterminated comment');
        i = end + 3;
      } else return;
    }
  };

  const element = (): XmlElement => {
    if (text.charAt(i) !== '<') throw new XmlError(`expected < at ${i}`);
    i++;
    const nameMatch = /^[A-Za-z_][\w.:-]*/.exec(text.slice(i));
    if (nameMatch === null) throw new XmlError(`bad element name at ${i}`);
    const name = nameMatch[0];
    i += name.length;
    const attributes: Record<string, string> = {};
    for (;;) {
      while (/\s/.test(text.charAt(i))) i++;
      if (text.startsWith('/>', i)) {
        i += 2;
        return { name, attributes, children: [] };
      }
      if (text.charAt(i) === '>') {
        i++;
        break;
      }
      const attr = /^([A-Za-z_][\w.:-]*)\s*=\s*("([^"]*)"|'([^']*)')/.exec(text.slice(i));
      if (attr === null) throw new XmlError(`bad attribute in <${name}> at ${i}`);
      attributes[attr[1] ?? ''] = decodeEntities(attr[3] ?? attr[4] ?? '');
      i += attr[0].length;
    }
    const children: XmlNode[] = [];
    for (;;) {
      if (i >= text.length) throw new XmlError(`unterminated <${name}>`);
      if (text.startsWith('</', i)) {
        const end = text.indexOf('>', i);
        const closing = text.slice(i + 2, end).trim();
        if (closing !== name) throw new XmlError(`</${closing}> closes <${name}>`);
        i = end + 1;
        return { name, attributes, children };
      }
      if (text.startsWith('<!--', i)) {
        const end = text.indexOf('-->', i);
        if (end < 0) throw new XmlError('unterminated comment');
        i = end + 3;
        continue;
      }
      if (text.startsWith('<![CDATA[', i)) {
        const end = text.indexOf(']]>', i);
        if (end < 0) throw new XmlError('unterminated CDATA');
        children.push(text.slice(i + 9, end));
        i = end + 3;
        continue;
      }
      if (text.charAt(i) === '<') {
        children.push(element());
        continue;
      }
      const next = text.indexOf('<', i);
      const raw = text.slice(i, next < 0 ? text.length : next);
      children.push(decodeEntities(raw));
      i += raw.length;
    }
  };

  skipMisc();
  const root = element();
  skipMisc();
  if (i < text.length) throw new XmlError('content after the root element');
  return root;
}

export function textOf(node: XmlElement): string {
  return node.children.map((child) => (typeof child === 'string' ? child : textOf(child))).join('');
}
