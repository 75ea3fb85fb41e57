/** Shades from dark to bright; a pixel's byte value picks one. */
const SHADES = ' .:-=+*#%@';

/**
 * Renders a 28×28 (or any `width`-wide) grey image as text, two characters per pixel so it keeps its aspect ratio in
 * a terminal. Returns one string per row.
 */
export function drawDigit(pixels: Uint8Array | Float32Array, width = 28): string[] {
  const scale = pixels instanceof Float32Array ? 255 : 1;
  const rows: string[] = [];
  for (let y = 0; y < pixels.length / width; y++) {
    let row = '';
    for (let x = 0; x < width; x++) {
      const value = Math.min(255, Math.max(0, pixels[y * width + x] * scale));
      const shade = SHADES[Math.min(SHADES.length - 1, Math.floor((value / 256) * SHADES.length))];
      row += shade + shade;
    }
    rows.push(row);
  }
  return rows;
}
