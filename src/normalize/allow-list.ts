/**
 * The `--allow` list: known false positives by hash, one per line with a comment saying why.
 *
 *     # comment lines and blank lines are ignored
 *     275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f  our installer, FP in two engines
 *     44d88612fea8a8f36de82e1278abb02f  # EICAR test file used by the smoke test
 */
import { InputError } from '../errors.js';
import type { Target } from '../model/report.js';

/** Lower-case hash → comment. */
export type AllowList = ReadonlyMap<string, string>;

const HASH = /^(?:[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64})$/;

/** Parses an allow-list file; `source` names it in errors (`allow.txt:3: …`). */
export function parseAllowList(text: string, source: string): AllowList {
  const list = new Map<string, string>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const [first = '', ...rest] = line.split(/\s+/);
    const hash = first.toLowerCase();
    const where = `${source}:${index + 1}`;
    if (!HASH.test(hash)) throw new InputError(`${where}: expected an MD5, SHA1 or SHA256, got "${first}"`);
    const comment = rest.join(' ').replace(/^#\s*/, '').trim();
    if (comment === '')
      throw new InputError(`${where}: add a comment after the hash saying why it is allowed`);
    list.set(hash, comment);
  });
  return list;
}

/** The comment of the first of the target's hashes on the list, if any. */
export function allowListComment(list: AllowList, target: Target): string | undefined {
  for (const hash of [target.sha256, target.sha1, target.md5]) {
    const comment = hash ? list.get(hash) : undefined;
    if (comment !== undefined) return comment;
  }
  return undefined;
}
