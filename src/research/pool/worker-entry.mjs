// Entry of a research worker thread. Worker threads start without the TypeScript loader the
// main thread registered, so this plain module registers tsx first and then loads the worker's
// TypeScript code.
import { register } from 'tsx/esm/api';

register();
await import('./worker-main.ts');
