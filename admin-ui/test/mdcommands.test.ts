import { describe, expect, it } from 'vitest';
import { applyCommand, applyEdit, type Command, type CommandArgs } from '../src/lib/mdcommands';

function run(text: string, from: number, to: number, cmd: Command, args?: CommandArgs) {
  const e = applyCommand(text, { from, to }, cmd, args);
  const out = applyEdit(text, e);
  return { out, sel: out.slice(e.selFrom, e.selTo) };
}

describe('toolbar commands', () => {
  it('bold and italic wrap the selection, or a placeholder, and unwrap again', () => {
    expect(run('make this strong', 10, 16, 'bold')).toEqual({ out: 'make this **strong**', sel: 'strong' });
    expect(run('', 0, 0, 'italic')).toEqual({ out: '_italic text_', sel: 'italic text' });
    expect(run('**x**', 0, 5, 'bold').out).toBe('x');
  });
  it('headings prefix the line (replacing another heading level) and toggle off', () => {
    expect(run('Title\nbody', 2, 2, 'h2').out).toBe('## Title\nbody');
    expect(run('### Title', 0, 0, 'h2').out).toBe('## Title');
    expect(run('## Title', 0, 0, 'h2').out).toBe('Title');
  });
  it('lists and quotes prefix every selected line', () => {
    expect(run('a\nb\nc', 0, 3, 'ul').out).toBe('- a\n- b\nc');
    expect(run('a\nb', 0, 3, 'ol').out).toBe('1. a\n2. b');
    expect(run('a\nb', 0, 3, 'quote').out).toBe('> a\n> b');
    expect(run('> a\n> b', 0, 7, 'quote').out).toBe('a\nb');
  });
  it('code: inline for a word, fenced for lines', () => {
    expect(run('run ls now', 4, 6, 'code').out).toBe('run `ls` now');
    expect(run('x\nline1\nline2', 2, 13, 'code').out).toBe('x\n```\nline1\nline2\n```\n');
  });
  it('link selects the address to type over; image inserts on its own line', () => {
    expect(run('see docs', 4, 8, 'link')).toEqual({ out: 'see [docs](https://)', sel: 'https://' });
    expect(run('text', 4, 4, 'image', { url: 'https://x/a.png', alt: 'A [chart]' }).out).toBe('text\n\n![A chart](https://x/a.png)\n');
  });
});
