import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { DEFAULT_RUN_CONFIG, loadRunConfig } from '../../src/config/run-config.ts';
import { REPO_ROOT } from '../helpers/shared.ts';

describe('run configuration', () => {
  it('config/default.json states exactly the built-in defaults', () => {
    expect(loadRunConfig(join(REPO_ROOT, 'config', 'default.json'))).toEqual(DEFAULT_RUN_CONFIG);
  });
});
