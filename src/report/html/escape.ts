/** Escaping for text placed in HTML and for JSON placed inside a <script> element. */

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * JSON that can sit inside <script type="application/json">: "<" is written as \u003c so no
 * "</script>" (or "<!--") in a subnet name can end the element early; U+2028/2029 likewise.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** A script's source placed inline: "</script" inside it would end the element. */
export function inlineScript(source: string): string {
  return source.replace(/<\/script/gi, '<\\/script');
}
