/**
 * Faults the devnet can inject into its answers, so that a client's timeouts, retries and
 * reconnects can be tested against real network behaviour: a late answer, no answer, a
 * JSON-RPC error, a dropped connection.
 */

export interface FaultRule {
  /** JSON-RPC method(s) the rule applies to (exact names or a pattern); every request when absent. */
  method?: string | string[] | RegExp;
  /** How many matching requests it affects before it retires; unlimited when absent. */
  times?: number;
  /** Answer only after this many milliseconds. */
  delayMs?: number;
  /** Answer with this JSON-RPC error instead of the result. */
  error?: { code: number; message: string };
  /** Close the client's connection abruptly instead of answering. */
  drop?: boolean;
  /** Never answer. */
  hang?: boolean;
}

function matches(rule: FaultRule, method: string): boolean {
  const m = rule.method;
  if (m === undefined) return true;
  if (typeof m === 'string') return m === method;
  if (Array.isArray(m)) return m.includes(method);
  return m.test(method);
}

export class FaultInjector {
  private rules: Array<{ rule: FaultRule; left: number }> = [];

  /** Adds a rule; returns a function that removes it. Earlier rules win. */
  add(rule: FaultRule): () => void {
    const entry = { rule, left: rule.times ?? Number.POSITIVE_INFINITY };
    this.rules.push(entry);
    return () => {
      this.rules = this.rules.filter((e) => e !== entry);
    };
  }

  clear(): void {
    this.rules = [];
  }

  /** The fault for this request, if any, counting it against the rule's `times`. */
  take(method: string): FaultRule | undefined {
    const entry = this.rules.find((e) => e.left > 0 && matches(e.rule, method));
    if (!entry) return undefined;
    entry.left -= 1;
    if (entry.left <= 0) this.rules = this.rules.filter((e) => e !== entry);
    return entry.rule;
  }
}
