/** Collects what the server's logger writes, for tests that scan the log. */
export function logCapture() {
  const lines: string[] = [];
  return {
    stream: {
      write(line: string) {
        lines.push(line);
      },
    },
    text: () => lines.join(''),
    lines,
  };
}
