/**
 * A progress bar on standard error, shown only when work lasts more than a second and stderr
 * is a terminal (so scripts and CI logs stay clean).
 */

const SHOW_AFTER_MS = 1000;
const REDRAW_EVERY_MS = 100;
const BAR_WIDTH = 30;

/** Reports progress of reading `label`; call `done()` at the end. */
export function makeProgress(label: string, stream: NodeJS.WriteStream = process.stderr) {
  const startedAt = Date.now();
  let lastDraw = 0;
  let drawn = false;

  const update = (done: number, total: number | null) => {
    const now = Date.now();
    if (!stream.isTTY || now - startedAt < SHOW_AFTER_MS || now - lastDraw < REDRAW_EVERY_MS) {
      return;
    }
    lastDraw = now;
    drawn = true;
    const mb = (done / 1e6).toFixed(1);
    if (total === null || total <= 0) {
      stream.write(`\r${label}: ${mb} MB read`);
      return;
    }
    const share = Math.min(1, done / total);
    const filled = Math.round(share * BAR_WIDTH);
    const bar = '█'.repeat(filled) + '░'.repeat(BAR_WIDTH - filled);
    stream.write(`\r${label} ${bar} ${(share * 100).toFixed(0).padStart(3)} % ${mb} MB`);
  };

  const done = () => {
    if (drawn) stream.write('\r\u001b[2K');
  };

  return { update, done };
}
