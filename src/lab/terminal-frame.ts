// How a live view reaches a terminal: redrawn in place on a TTY (no scrolling, no full-screen
// clear per frame), or as plain lines when the output is a pipe or a file.

/** Control sequences (ECMA-48) used to redraw in place. */
const ERASE_LINE_END = '\u001b[K';
const ERASE_BELOW = '\u001b[J';
const HIDE_CURSOR = '\u001b[?25l';
export const SHOW_CURSOR = '\u001b[?25h';

/** Moves the cursor to the start of the line `n` lines up (nothing for 0). */
function linesUp(n: number): string {
  return n > 0 ? `\u001b[${n}F` : '';
}

/**
 * The bytes that replace the previous frame (`previousLines` lines tall, 0 for the first) with
 * `frame` in place: back to the first line of the previous frame, each line rewritten and its
 * tail erased, everything below erased. A frame taller than `rows - 1` is cut (with a last line
 * saying so) so the terminal never scrolls. Returns the text and the new frame's line count.
 */
export function redrawInPlace(
  frame: string,
  previousLines: number,
  rows?: number,
): { text: string; lines: number } {
  let lines = frame.replace(/\n$/, '').split('\n');
  if (rows !== undefined && rows > 1 && lines.length > rows - 1) {
    const hidden = lines.length - (rows - 2);
    lines = [...lines.slice(0, rows - 2), `… ${hidden} more lines (enlarge the terminal)`];
  }
  const body = lines.map((l) => `${l}${ERASE_LINE_END}`).join('\n');
  const text = `${previousLines === 0 ? HIDE_CURSOR : ''}${linesUp(previousLines)}${body}\n${ERASE_BELOW}`;
  return { text, lines: lines.length };
}
