// Renders ./favicon.svg into ./favicon.ico (16, 32 and 48 px PNGs in one ICO), for the browsers and tools that ask for
// /favicon.ico; the page itself links the SVG. Both files are committed; run this after changing the SVG:
//   npx tsx src/page/favicon.ts          (needs /usr/bin/chromium: apt-get install chromium)
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const SIZES = [16, 32, 48];

async function main(): Promise<void> {
  const svg = await readFile(join(here, 'favicon.svg'), 'utf8');
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  try {
    const pngs: Buffer[] = [];
    for (const size of SIZES) {
      const page = await browser.newPage({ viewport: { width: size, height: size } });
      await page.setContent(
        `<body style="margin:0">${svg.replace('<svg ', `<svg width="${size}" height="${size}" `)}</body>`,
      );
      pngs.push(await page.screenshot({ omitBackground: true }));
      await page.close();
    }
    await writeFile(join(here, 'favicon.ico'), ico(pngs));
  } finally {
    await browser.close();
  }
}

/** An ICO file of PNG images (each `SIZES[i]` square): a 6-byte header, a 16-byte entry per image, then the images. */
function ico(pngs: Buffer[]): Buffer {
  const header = Buffer.alloc(6 + 16 * pngs.length);
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(pngs.length, 4);
  let offset = header.length;
  pngs.forEach((png, i) => {
    const entry = 6 + 16 * i;
    header.writeUInt8(SIZES[i] % 256, entry); // width and height; 0 would mean 256
    header.writeUInt8(SIZES[i] % 256, entry + 1);
    header.writeUInt16LE(1, entry + 4); // colour planes
    header.writeUInt16LE(32, entry + 6); // bits per pixel
    header.writeUInt32LE(png.length, entry + 8);
    header.writeUInt32LE(offset, entry + 12);
    offset += png.length;
  });
  return Buffer.concat([header, ...pngs]);
}

await main();
