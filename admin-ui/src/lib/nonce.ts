// The CSP nonce folio put in index.html (meta csp-nonce), for code that
// injects <style> elements (CodeMirror).
export function cspNonce(): string {
  const v = document.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]')?.content ?? '';
  return v === '__CSP_NONCE__' ? '' : v;
}
