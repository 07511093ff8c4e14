#!/usr/bin/env node
// Entry point of the `dtao` command. The sources are TypeScript and run through tsx's
// loader, so a checkout works right after `npm install` with no build step, and a user's
// own strategy file (TypeScript) loads the same way as the built-in ones.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
