// The Markdown editor: CodeMirror 6 with Markdown mode. Loaded lazily (its
// own chunk), so the first load stays small; until it arrives the field is
// a plain textarea with the same label and content.
import { autocompletion, type CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { highlightSelectionMatches, search, searchKeymap } from '@codemirror/search';
import { defineLanguageFacet, HighlightStyle, Language, LanguageSupport, syntaxHighlighting } from '@codemirror/language';
import { tags as t } from '@lezer/highlight';
import { GFM, parser as markdownParser } from '@lezer/markdown';
import { EditorState, Prec } from '@codemirror/state';
import { EditorView, keymap, placeholder } from '@codemirror/view';
import { BLOCKS, blockEdit, continueMarkup, indentList, type Command, type Edit, type Sel } from '../lib/mdcommands';

export interface MdEditorOptions {
  doc: string;
  /** Where the caret was in the textarea this editor replaces. */
  selection?: Sel;
  labelledBy: string;
  describedBy?: string;
  nonce: string;
  placeholder?: string;
  onChange: (doc: string) => void;
  onCommand: (cmd: Command) => void;
  /** Ctrl+/ (or Cmd+/): show the keyboard shortcuts. */
  onShortcuts?: () => void;
  onBlur?: () => void;
  /** The drawn lines or their heights changed (after a scroll, a resize, fonts): positions are now measured. */
  onGeometry?: () => void;
}

export interface MdEditor {
  getDoc(): string;
  setDoc(doc: string): void;
  selection(): Sel;
  apply(e: Edit): void;
  focus(): void;
  /** The line (1-based) at a height in the viewport (px from its top), for the preview's scroll sync. */
  lineAt(viewportY: number): number;
  destroy(): void;
}

// Colours from the app's theme (app.css), so light and dark both hold.
const theme = EditorView.theme({
  '&': { fontSize: '15px', backgroundColor: 'var(--surface)', color: 'var(--text)', border: '1px solid var(--border-strong)', borderRadius: '6px' },
  '&.cm-focused': { outline: '3px solid var(--focus)', outlineOffset: '2px' },
  '.cm-content': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', padding: '10px 4px', minHeight: '18rem', caretColor: 'var(--text)' },
  '.cm-cursor, .cm-dropCursor': { borderLeftColor: 'var(--text)' },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection': { backgroundColor: 'var(--selection)' },
  '.cm-scroller': { lineHeight: '1.55' },
  '.cm-placeholder': { color: 'var(--muted)' },
  '.cm-panels': { backgroundColor: 'var(--bg)', color: 'var(--text)' },
  '.cm-panels.cm-panels-top': { borderBottom: '1px solid var(--border)' },
  '.cm-panel.cm-search input, .cm-panel.cm-search button': { font: 'inherit', fontSize: '14px', color: 'var(--text)' },
  '.cm-searchMatch': { backgroundColor: 'var(--mark)', outline: '1px solid var(--border-strong)' },
  '.cm-searchMatch.cm-searchMatch-selected': { backgroundColor: 'var(--mark-strong)' },
  '.cm-tooltip': { backgroundColor: 'var(--surface)', color: 'var(--text)', border: '1px solid var(--border-strong)', borderRadius: '6px' },
  '.cm-tooltip-autocomplete > ul > li': { padding: '4px 8px', fontFamily: 'var(--font)' },
  '.cm-tooltip-autocomplete > ul > li[aria-selected]': { backgroundColor: 'var(--primary)', color: 'var(--primary-text)' },
  '.cm-completionDetail': { marginLeft: '0.75em', fontStyle: 'normal', opacity: '0.85' },
});

// Markdown's marks in the app's colours (light and dark alike hold 4.5:1).
const highlight = HighlightStyle.define([
  { tag: t.heading, fontWeight: '700' },
  { tag: t.strong, fontWeight: '700' },
  { tag: t.emphasis, fontStyle: 'italic' },
  { tag: t.strikethrough, textDecoration: 'line-through' },
  { tag: t.link, color: 'var(--primary)' },
  { tag: t.url, color: 'var(--muted)', textDecoration: 'underline' },
  { tag: t.monospace, color: 'var(--text)', backgroundColor: 'var(--code-bg)' },
  { tag: t.quote, color: 'var(--muted)' },
  { tag: [t.processingInstruction, t.meta, t.contentSeparator, t.labelName], color: 'var(--muted)' },
]);

/** The "/" menu: at the start of a line (or after a space), "/" and a word offer blocks to insert. */
function blockMenu(run: (cmd: Command) => void) {
  return (ctx: CompletionContext): CompletionResult | null => {
    const m = ctx.matchBefore(/(?:^|\s)\/\w*$/);
    if (!m) return null;
    const from = m.text.startsWith('/') ? m.from : m.from + 1;
    return {
      from,
      filter: true,
      options: BLOCKS.map((b, i) => ({
        label: '/' + b.label.toLowerCase().replace(/\s+/g, '-'),
        displayLabel: b.label,
        detail: b.detail,
        boost: -i,
        apply: (view: EditorView, _c: unknown, f: number, t: number) => {
          if (b.command) {
            view.dispatch({ changes: { from: f, to: t, insert: '' }, selection: { anchor: f } });
            run(b.command);
            return;
          }
          const e = blockEdit(view.state.doc.toString(), f, t, b);
          view.dispatch({ changes: { from: e.from, to: e.to, insert: e.insert }, selection: { anchor: e.selFrom, head: e.selTo }, scrollIntoView: true });
        },
      })),
    };
  };
}

// Markdown (with GitHub's tables, task lists, strikethrough) straight from
// @lezer/markdown: @codemirror/lang-markdown would also bring HTML, CSS and
// JavaScript modes for embedded code, tripling this chunk.
const markdownLanguage = new Language(
  defineLanguageFacet({ commentTokens: { block: { open: '<!--', close: '-->' } } }),
  markdownParser.configure([GFM]),
  [],
  'markdown',
);

const sel = (v: EditorView): Sel => ({ from: v.state.selection.main.from, to: v.state.selection.main.to });

function edit(v: EditorView, e: Edit | null): boolean {
  if (!e) return false;
  v.dispatch({ changes: { from: e.from, to: e.to, insert: e.insert }, selection: { anchor: e.selFrom, head: e.selTo }, scrollIntoView: true, userEvent: 'input' });
  return true;
}

export function createEditor(parent: HTMLElement, o: MdEditorOptions): MdEditor {
  let applying = false;
  const attrs: Record<string, string> = { 'aria-labelledby': o.labelledBy, 'aria-multiline': 'true', role: 'textbox', spellcheck: 'true' };
  if (o.describedBy) attrs['aria-describedby'] = o.describedBy;
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: o.doc,
      selection: o.selection ? { anchor: Math.min(o.selection.from, o.doc.length), head: Math.min(o.selection.to, o.doc.length) } : undefined,
      extensions: [
        EditorView.cspNonce.of(o.nonce),
        history(),
        search({ top: true }),
        highlightSelectionMatches(),
        autocompletion({ override: [blockMenu((c) => o.onCommand(c))], icons: false, activateOnTyping: true }),
        Prec.high(
          keymap.of([
            // Lists and quotes: Enter continues them, Tab and Shift-Tab indent
            // items. Elsewhere Tab is not the editor's: focus moves on (and
            // Escape, then Tab, leaves from inside a list too).
            { key: 'Enter', run: (v) => edit(v, continueMarkup(v.state.doc.toString(), sel(v))) },
            { key: 'Tab', run: (v) => edit(v, indentList(v.state.doc.toString(), sel(v), 1)) },
            { key: 'Shift-Tab', run: (v) => edit(v, indentList(v.state.doc.toString(), sel(v), -1)) },
          ]),
        ),
        keymap.of([
          { key: 'Mod-b', run: () => (o.onCommand('bold'), true) },
          { key: 'Mod-i', run: () => (o.onCommand('italic'), true) },
          { key: 'Mod-k', run: () => (o.onCommand('link'), true) },
          { key: 'Mod-/', run: () => (o.onShortcuts?.(), true) },
          ...searchKeymap,
          ...defaultKeymap,
          ...historyKeymap,
        ]),
        EditorView.domEventHandlers({ blur: () => void o.onBlur?.() }),
        new LanguageSupport(markdownLanguage),
        syntaxHighlighting(highlight),
        EditorView.lineWrapping,
        EditorView.contentAttributes.of(attrs),
        placeholder(o.placeholder ?? ''),
        theme,
        EditorView.updateListener.of((u) => {
          if (u.docChanged && !applying) o.onChange(u.state.doc.toString());
          if (u.viewportChanged || u.heightChanged || u.geometryChanged) o.onGeometry?.();
        }),
      ],
    }),
  });
  return {
    getDoc: () => view.state.doc.toString(),
    setDoc(doc) {
      if (doc === view.state.doc.toString()) return;
      applying = true;
      const head = Math.min(view.state.selection.main.head, doc.length);
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: doc }, selection: { anchor: head } });
      applying = false;
    },
    selection: () => ({ from: view.state.selection.main.from, to: view.state.selection.main.to }),
    apply(e) {
      view.dispatch({ changes: { from: e.from, to: e.to, insert: e.insert }, selection: { anchor: e.selFrom, head: e.selTo }, scrollIntoView: true });
      view.focus();
    },
    focus: () => view.focus(),
    lineAt(viewportY) {
      const h = viewportY - view.documentTop;
      if (h <= 0) return 1;
      const block = view.lineBlockAtHeight(Math.min(h, view.contentHeight));
      return view.state.doc.lineAt(block.from).number;
    },
    destroy: () => view.destroy(),
  };
}
