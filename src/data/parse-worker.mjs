// Entry of the worker thread that parses the second half of a large data file. Worker
// threads start without the TypeScript loader, so this plain module registers tsx first.
import { register } from 'tsx/esm/api';

register();
await import('./parse-worker.ts');
