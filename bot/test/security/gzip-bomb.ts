import { createGzip } from 'node:zlib';

/**
 * `megabytes` of zeros, gzipped (256 MB becomes about 261 kB), built from one reused 1 MB
 * buffer so the test process never holds what the bomb would inflate to.
 */
export function gzipBomb(megabytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const gzip = createGzip({ level: 9 });
    const parts: Buffer[] = [];
    gzip.on('data', (c: Buffer) => parts.push(c)).on('end', () => resolve(Buffer.concat(parts))).on('error', reject);
    const zeros = Buffer.alloc(1024 * 1024);
    let left = megabytes;
    const write = () => {
      while (left > 0) {
        left--;
        if (!gzip.write(zeros)) return void gzip.once('drain', write);
      }
      gzip.end();
    };
    write();
  });
}
