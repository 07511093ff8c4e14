/**
 * A progress line on stderr, only when stderr is a terminal (pipes and CI logs stay clean):
 * "label  42%  [=====     ]  ETA 12s". Redraws at most every 100 ms.
 */
export interface Progress {
  update(done: number, total: number): void;
  done(): void;
}

const silent: Progress = { update() {}, done() {} };

export function progress(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY || process.env.DTAO_NO_PROGRESS) return silent;
  const start = Date.now();
  let last = 0;
  let drawn = false;
  return {
    update(done, total) {
      const now = Date.now();
      if (now - last < 100 || total <= 0) return;
      last = now;
      const f = Math.min(1, done / total);
      const width = 24;
      const bar = '='.repeat(Math.round(f * width)).padEnd(width);
      const elapsed = (now - start) / 1000;
      const eta = f > 0.01 ? Math.max(0, (elapsed * (1 - f)) / f) : NaN;
      const etaText = Number.isFinite(eta) ? `ETA ${formatSeconds(eta)}` : '';
      stream.write(`\r${label}  ${(f * 100).toFixed(0).padStart(3)}%  [${bar}]  ${etaText}   `);
      drawn = true;
    },
    done() {
      if (drawn) stream.write('\r\x1b[K');
    },
  };
}

export function formatSeconds(s: number): string {
  if (s < 60) return `${s.toFixed(0)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
