import { describe, expect, it } from 'vitest';
import { redrawInPlace, SHOW_CURSOR } from './terminal-frame.js';

describe('redrawInPlace', () => {
  it('draws the first frame without moving up, and never clears the whole screen', () => {
    const r = redrawInPlace('a\nb\n', 0);
    expect(r.lines).toBe(2);
    expect(r.text).not.toContain('\u001b[2J');
    expect(r.text).not.toMatch(/\u001b\[\d+F/);
    expect(r.text).toBe('\u001b[?25la\u001b[K\nb\u001b[K\n\u001b[J');
  });

  it('moves back up over the previous frame and erases what it leaves below', () => {
    const r = redrawInPlace('x\n', 3);
    expect(r.text.startsWith('\u001b[3F')).toBe(true);
    expect(r.text.endsWith('\n\u001b[J')).toBe(true);
    expect(r.lines).toBe(1);
  });

  it('cuts a frame taller than the terminal so it cannot scroll', () => {
    const frame = Array.from({ length: 30 }, (_, i) => `line ${i}`).join('\n');
    const r = redrawInPlace(frame, 0, 10);
    expect(r.lines).toBe(9);
    expect(r.text).toContain('line 7');
    expect(r.text).not.toContain('line 8\u001b');
    expect(r.text).toContain('… 22 more lines');
  });

  it('gives the sequence that shows the cursor again', () => {
    expect(SHOW_CURSOR).toBe('\u001b[?25h');
  });
});
