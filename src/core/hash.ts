import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

export interface FileDigest {
  size: number;
  md5: string;
  sha1: string;
  sha256: string;
}

/** Large reads keep the per-chunk overhead low; memory stays at one chunk whatever the file size. */
const CHUNK_BYTES = 1024 * 1024;

/** MD5, SHA1 and SHA256 of a file in one streaming pass. */
export async function hashFile(path: string | Buffer, signal?: AbortSignal): Promise<FileDigest> {
  const md5 = createHash('md5');
  const sha1 = createHash('sha1');
  const sha256 = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: CHUNK_BYTES, signal })) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    md5.update(buffer);
    sha1.update(buffer);
    sha256.update(buffer);
  }
  return { size, md5: md5.digest('hex'), sha1: sha1.digest('hex'), sha256: sha256.digest('hex') };
}
