/**
 * Where the demo writes. On a TTY a one-line progress indicator (spinner and elapsed time)
 * sits under the output and is redrawn in place; elsewhere (a pipe, CI, a test) progress
 * becomes an occasional plain line, so logs stay readable.
 */
export interface Terminal {
  readonly tty: boolean;
  line(text: string): void;
  /** Progress while nothing else is printed; `text` says what is awaited. */
  progress(text: string): void;
  /** Removes the progress line (before the summary). */
  clearProgress(): void;
}

const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
/** Without a TTY, a progress line at most this often while nothing else is printed. */
const plainProgressEveryMs = 2000;

export function terminal(write: (chunk: string) => void, tty: boolean): Terminal {
  let frame = 0;
  let shown = false;
  let lastPrinted = Date.now();
  const clear = () => {
    if (shown) write('\r\u001b[2K');
    shown = false;
  };
  return {
    tty,
    line(text) {
      clear();
      write(`${text}\n`);
      lastPrinted = Date.now();
    },
    progress(text) {
      if (tty) {
        clear();
        frame = (frame + 1) % frames.length;
        write(`${frames[frame]} ${text}`);
        shown = true;
        return;
      }
      if (Date.now() - lastPrinted < plainProgressEveryMs) return;
      write(`  … ${text}\n`);
      lastPrinted = Date.now();
    },
    clearProgress: clear,
  };
}
