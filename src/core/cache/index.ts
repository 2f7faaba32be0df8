// The answer cache: the store's contract (store.ts), where it lives (paths.ts), the SQLite store (sqlite.ts).
export { defaultCacheDir, makeDirectories } from './paths.js';
export { openCache } from './sqlite.js';
export {
  type AnswerCache,
  CacheBusyError,
  type CacheCleanup,
  type CacheKey,
  type CacheStats,
  type CacheTtl,
  type Claim,
  decodeAnswer,
  type Eventually,
  encodeAnswer,
  type LocalAnswerCache,
  type StoredAnswer,
} from './store.js';
