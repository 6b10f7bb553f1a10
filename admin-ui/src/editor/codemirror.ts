// The Markdown editor: CodeMirror 6 with Markdown mode. Loaded lazily (its
// own chunk), so the first load stays small; until it arrives the field is
// a plain textarea with the same label and content.
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { defaultHighlightStyle, defineLanguageFacet, Language, LanguageSupport, syntaxHighlighting } from '@codemirror/language';
import { GFM, parser as markdownParser } from '@lezer/markdown';
import { EditorState } from '@codemirror/state';
import { EditorView, keymap, placeholder } from '@codemirror/view';
import type { Edit, Sel } from '../lib/mdcommands';

export interface MdEditorOptions {
  doc: string;
  /** Where the caret was in the textarea this editor replaces. */
  selection?: Sel;
  labelledBy: string;
  describedBy?: string;
  nonce: string;
  placeholder?: string;
  onChange: (doc: string) => void;
  onCommand: (cmd: 'bold' | 'italic' | 'link') => void;
}

export interface MdEditor {
  getDoc(): string;
  setDoc(doc: string): void;
  selection(): Sel;
  apply(e: Edit): void;
  focus(): void;
  destroy(): void;
}

const theme = EditorView.theme({
  '&': { fontSize: '15px', backgroundColor: '#fff', border: '1px solid #8a929e', borderRadius: '6px' },
  '&.cm-focused': { outline: '3px solid #2563eb', outlineOffset: '2px' },
  '.cm-content': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', padding: '10px 4px', minHeight: '18rem', caretColor: '#1b1f24' },
  '.cm-scroller': { lineHeight: '1.55' },
  '.cm-placeholder': { color: '#5b6470' },
});

// Markdown (with GitHub's tables, task lists, strikethrough) straight from
// @lezer/markdown: @codemirror/lang-markdown would also bring HTML, CSS and
// JavaScript modes for embedded code, tripling this chunk.
const markdownLanguage = new Language(
  defineLanguageFacet({ commentTokens: { block: { open: '<!--', close: '-->' } } }),
  markdownParser.configure([GFM]),
  [],
  'markdown',
);

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
        keymap.of([
          { key: 'Mod-b', run: () => (o.onCommand('bold'), true) },
          { key: 'Mod-i', run: () => (o.onCommand('italic'), true) },
          { key: 'Mod-k', run: () => (o.onCommand('link'), true) },
          ...defaultKeymap,
          ...historyKeymap,
        ]),
        new LanguageSupport(markdownLanguage),
        syntaxHighlighting(defaultHighlightStyle),
        EditorView.lineWrapping,
        EditorView.contentAttributes.of(attrs),
        placeholder(o.placeholder ?? ''),
        theme,
        EditorView.updateListener.of((u) => {
          if (u.docChanged && !applying) o.onChange(u.state.doc.toString());
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
    destroy: () => view.destroy(),
  };
}
