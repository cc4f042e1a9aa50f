import { readFileSync } from 'node:fs';
import { PNG } from 'pngjs';

/** Decodes a PNG and says how big it is and how much of it is not background white. */
export function pngFacts(pathOrBytes: string | Buffer) {
  const png = PNG.sync.read(typeof pathOrBytes === 'string' ? readFileSync(pathOrBytes) : pathOrBytes);
  let ink = 0;
  const colours = new Set<number>();
  for (let i = 0; i < png.data.length; i += 4) {
    const [r, g, b] = [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!];
    if (r < 240 || g < 240 || b < 240) ink++;
    colours.add((r << 16) | (g << 8) | b);
  }
  return { width: png.width, height: png.height, inkShare: ink / (png.width * png.height), colours };
}

/** Whether some pixel is close to this colour (anti-aliasing blurs the exact value at edges only). */
export const hasColour = (colours: Set<number>, hex: string) => {
  const want = Number.parseInt(hex.slice(1), 16);
  return colours.has(want);
};
