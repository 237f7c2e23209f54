// Tiny DOM helpers for the playground components. Text always goes through `textContent` and
// attributes through `setAttribute`, so strings from the host or from files are never parsed as HTML.

type Child = Node | string | null | undefined | false;

/** Creates an element with attributes and children; strings become text nodes. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) if (c) e.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return e;
}

const SVG_NS = 'http://www.w3.org/2000/svg';
export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

/** Reads a theme colour (a VS Code CSS variable) for canvas drawing, with a fallback outside VS Code. */
export function themeColor(element: Element, variable: string, fallback: string): string {
  const v = getComputedStyle(element).getPropertyValue(variable).trim();
  return v || fallback;
}

/** Counts go through the one formatter every surface uses (`12.3M`, `1,234,567 (1.23M)`). */
export { formatCount, formatCountBoth, formatPercent } from '../../extension/core/numberFormat';
