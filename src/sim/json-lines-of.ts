/**
 * Line numbers of the values in a JSON text, by path (["groups", 2, "flows", "drift"]), so that
 * an error in a scenario file can say file:line:field. The text must already be valid JSON
 * (JSON.parse has accepted it); this scanner only walks it.
 */

export type JsonPath = ReadonlyArray<string | number>;

export function jsonValueLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  let i = 0;
  let line = 1;

  const skipSpace = () => {
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 10) line++;
      else if (c !== 32 && c !== 9 && c !== 13) return;
      i++;
    }
  };
  const readString = (): string => {
    const start = i;
    i++; // opening quote
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 92 /* \ */) i += 2;
      else if (c === 34 /* " */) {
        i++;
        break;
      } else i++;
    }
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (path: (string | number)[]) => {
    skipSpace();
    lines.set(JSON.stringify(path), line);
    const c = text.charCodeAt(i);
    if (c === 123 /* { */) {
      i++;
      skipSpace();
      if (text.charCodeAt(i) === 125) {
        i++;
        return;
      }
      for (;;) {
        skipSpace();
        const key = readString();
        skipSpace();
        i++; // colon
        value([...path, key]);
        skipSpace();
        if (text.charCodeAt(i++) === 125 /* } */) return;
      }
    } else if (c === 91 /* [ */) {
      i++;
      skipSpace();
      if (text.charCodeAt(i) === 93) {
        i++;
        return;
      }
      for (let k = 0; ; k++) {
        value([...path, k]);
        skipSpace();
        if (text.charCodeAt(i++) === 93 /* ] */) return;
      }
    } else if (c === 34) {
      readString();
    } else {
      while (i < text.length && !/[\s,\]}]/.test(text[i]!)) i++;
    }
  };
  value([]);
  return lines;
}

/** The line of the value at `path`, or of its nearest ancestor that exists in the text. */
export function lineOf(lines: Map<string, number>, path: JsonPath): number {
  for (let n = path.length; n >= 0; n--) {
    const hit = lines.get(JSON.stringify(path.slice(0, n)));
    if (hit !== undefined) return hit;
  }
  return 1;
}

/** "groups[2].flows.drift" */
export function formatJsonPath(path: JsonPath): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${p}` : p;
  return out;
}

/** Line of a JSON.parse syntax error, from the position in its message when there is one. */
export function syntaxErrorLine(text: string, err: unknown): number | undefined {
  const m = /position (\d+)/.exec(String((err as Error)?.message ?? ''));
  if (!m) return undefined;
  const pos = Number(m[1]);
  let line = 1;
  for (let k = 0; k < pos && k < text.length; k++) if (text.charCodeAt(k) === 10) line++;
  return line;
}
