import { describe, expect, it } from 'vitest';
import { formatAmount, parseAmount, toRao, numberToPlainString, fixedToNumber, AmountFormatError } from '../../src/core/units.ts';

describe('amounts in rao', () => {
  it('parses decimal strings exactly', () => {
    expect(parseAmount('0')).toBe(0n);
    expect(parseAmount('1')).toBe(1_000_000_000n);
    expect(parseAmount('0.000000001')).toBe(1n);
    expect(parseAmount('26194.707363751')).toBe(26_194_707_363_751n);
    // above 2^53 rao: must not lose digits through doubles
    expect(parseAmount('20999999.999999999')).toBe(20_999_999_999_999_999n);
    expect(parseAmount('123456789012.5')).toBe(123_456_789_012_500_000_000n);
  });

  it('accepts JSON numbers by their shortest decimal text', () => {
    expect(parseAmount(0.1)).toBe(100_000_000n);
    expect(parseAmount(4.9908e-5)).toBe(49_908n);
  });

  it('rejects what the format forbids', () => {
    for (const bad of ['-1', '1.0000000001', '1e5', '', '.5', '5.', 'abc', '1,5', ' 1']) {
      expect(() => parseAmount(bad), bad).toThrow(AmountFormatError);
    }
  });

  it('formats canonically', () => {
    expect(formatAmount(0n)).toBe('0');
    expect(formatAmount(1n)).toBe('0.000000001');
    expect(formatAmount(1_500_000_000n)).toBe('1.5');
    expect(formatAmount(-2_000_000_000n)).toBe('-2');
    expect(formatAmount(20_999_999_999_999_999n)).toBe('20999999.999999999');
  });

  it('round-trips every canonical text', () => {
    for (const s of ['0', '1', '0.1', '12.000000001', '9007199.254740993', '1234567890.123456789']) {
      expect(formatAmount(parseAmount(s))).toBe(s);
    }
  });

  it('floors user amounts beyond 9 decimals', () => {
    expect(toRao('1.1234567899')).toBe(1_123_456_789n);
    expect(toRao(0.3)).toBe(300_000_000n);
    expect(toRao('-0.5')).toBe(-500_000_000n);
  });

  it('writes numbers without exponent', () => {
    expect(numberToPlainString(1e-7)).toBe('0.0000001');
    expect(numberToPlainString(1.5e21)).toBe('1500000000000000000000');
    expect(numberToPlainString(0.008634752)).toBe('0.008634752');
  });

  it('decodes fixed point', () => {
    expect(fixedToNumber(3n << 32n, 32)).toBe(3);
    expect(fixedToNumber((1n << 32n) + (1n << 31n), 32)).toBe(1.5);
    expect(fixedToNumber(1n << 62n, 64)).toBe(0.25);
  });
});
