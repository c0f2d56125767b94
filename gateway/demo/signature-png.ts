// A handwritten-looking signature as a real PNG (8-bit greyscale), drawn in code so the demo needs
// no image file: the hub sniffs uploads and accepts only genuine PNG or JPEG signatures.
import { crc32, deflateSync } from 'node:zlib';

const WIDTH = 200;
const HEIGHT = 60;

/** A distinct scribble per signer (the same signer always signs alike). */
export function signaturePng(signer: string): Uint8Array {
  const seed = [...signer].reduce((sum, ch) => (sum * 31 + ch.codePointAt(0)!) % 9973, 7);
  const pixels = Buffer.alloc(WIDTH * HEIGHT, 255);
  const ink = (x: number, y: number) => {
    for (let dx = 0; dx < 2; dx++)
      for (let dy = 0; dy < 2; dy++) {
        const px = Math.round(x) + dx;
        const py = Math.round(y) + dy;
        if (px >= 0 && px < WIDTH && py >= 0 && py < HEIGHT) pixels[py * WIDTH + px] = 20;
      }
  };
  // A looping stroke across the field: a slow wave carrying fast loops, sized by the seed.
  const loops = 5 + (seed % 4);
  for (let t = 0; t <= 1; t += 1 / 4000) {
    const x = 12 + t * (WIDTH - 24) + 9 * Math.cos(2 * Math.PI * loops * t);
    const y =
      HEIGHT / 2 +
      (10 + (seed % 7)) * Math.sin(2 * Math.PI * (1 + (seed % 3)) * t) * (1 - t / 2) +
      8 * Math.sin(2 * Math.PI * loops * t + seed);
    ink(x, y);
  }
  const rows = Buffer.alloc((WIDTH + 1) * HEIGHT);
  for (let y = 0; y < HEIGHT; y++) {
    rows[y * (WIDTH + 1)] = 0; // filter: none
    pixels.copy(rows, y * (WIDTH + 1) + 1, y * WIDTH, (y + 1) * WIDTH);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(WIDTH, 0);
  header.writeUInt32BE(HEIGHT, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}
