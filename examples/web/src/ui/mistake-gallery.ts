import type { Mistake } from '../model/test-evaluation.js';
import { percent } from './format.js';

/** Mistakes per row of the sprite sheet. */
const COLUMNS = 12;

/**
 * The test images the model gets wrong, each a button (so the keyboard reaches them) showing the image, its true digit
 * and the model's answer; choosing one puts it on the drawing pad to see all ten probabilities.
 *
 * The images are painted into one sprite sheet, encoded off the main thread (`toBlob`), and each button shows its part
 * of it as a background: one canvas for a hundred images, where a canvas each would cost the page a long task.
 */
export function renderMistakes(
  container: HTMLElement,
  mistakes: readonly Mistake[],
  images: Uint8Array,
  onChoose: (pixels: Uint8Array) => void,
): void {
  const rows = Math.max(1, Math.ceil(mistakes.length / COLUMNS));
  const sheet = document.createElement('canvas');
  sheet.width = COLUMNS * 28;
  sheet.height = rows * 28;
  const image = new ImageData(sheet.width, sheet.height);
  const words = new Uint32Array(image.data.buffer);
  mistakes.forEach((_, i) => {
    const x0 = (i % COLUMNS) * 28;
    const y0 = Math.floor(i / COLUMNS) * 28;
    for (let p = 0; p < 784; p++) {
      const v = images[i * 784 + p];
      // White ink on black, opaque, as little-endian RGBA words.
      words[(y0 + Math.floor(p / 28)) * sheet.width + x0 + (p % 28)] = 0xff000000 | (v << 16) | (v << 8) | v;
    }
  });
  sheet.getContext('2d')?.putImageData(image, 0, 0);

  const pictures: HTMLElement[] = [];
  const items = mistakes.map((mistake, i) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'mistake';
    button.setAttribute(
      'aria-label',
      `Test image ${mistake.index}: a ${mistake.label} read as ${mistake.predicted} (${percent(mistake.confidence, 0)}). Put it on the drawing pad.`,
    );
    const picture = document.createElement('span');
    picture.className = 'mistake-image';
    picture.style.backgroundSize = `${COLUMNS * 100}% ${rows * 100}%`;
    picture.style.backgroundPosition = `${((i % COLUMNS) / Math.max(1, COLUMNS - 1)) * 100}% ${(Math.floor(i / COLUMNS) / Math.max(1, rows - 1)) * 100}%`;
    pictures.push(picture);
    const label = document.createElement('span');
    label.textContent = `${mistake.label} → ${mistake.predicted}`;
    button.append(picture, label);
    button.addEventListener('click', () => onChoose(images.slice(i * 784, (i + 1) * 784)));
    return button;
  });
  const previous = container.dataset.sheet;
  container.replaceChildren(...items);
  sheet.toBlob((blob) => {
    if (!blob) return;
    const url = URL.createObjectURL(blob);
    container.dataset.sheet = url;
    for (const picture of pictures) picture.style.backgroundImage = `url(${url})`;
  });
  if (previous) URL.revokeObjectURL(previous);
}
