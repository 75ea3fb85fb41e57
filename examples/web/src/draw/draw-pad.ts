/** A point of a stroke, in fractions of the pad's width and height, so strokes survive a resize. */
type Point = [x: number, y: number];

/** The pen's width as a fraction of the pad's width: with a digit filling most of the pad, about MNIST's 2–3 pixels. */
const PEN_WIDTH = 0.085;

/**
 * The drawing canvas: strokes from a mouse, a pen or a finger (pointer events, with the coalesced points of fast
 * movements), drawn as round-capped lines. The ink is the canvas's alpha channel; the paper is the page behind it.
 * Delete, Backspace or Escape clear it when it has the keyboard focus.
 */
export class DrawPad {
  private readonly context: CanvasRenderingContext2D;
  private strokes: Point[][] = [];
  /** An image shown instead of strokes (a test digit), drawn under any strokes added after it. */
  private image: HTMLCanvasElement | undefined;
  private pointer: number | undefined;
  private frame = 0;

  /** @param onChange - called at most once per animation frame after the drawing changed */
  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly onChange: () => void,
  ) {
    const context = canvas.getContext('2d', { willReadFrequently: true });
    if (!context) throw new Error('DrawPad: this browser gives no 2-D canvas context');
    this.context = context;
    canvas.addEventListener('pointerdown', (event) => this.down(event));
    canvas.addEventListener('pointermove', (event) => this.move(event));
    for (const type of ['pointerup', 'pointercancel'] as const) {
      canvas.addEventListener(type, (event) => this.up(event));
    }
    canvas.addEventListener('keydown', (event) => {
      if (event.key === 'Delete' || event.key === 'Backspace' || event.key === 'Escape') {
        event.preventDefault();
        this.clear();
      }
    });
    new ResizeObserver(() => this.resize()).observe(canvas);
    this.resize();
  }

  /** Whether anything is drawn. */
  get empty(): boolean {
    return this.strokes.length === 0 && this.image === undefined;
  }

  /** The ink of every pixel, 0 (paper) to 255, row-major, with the canvas's size in pixels. */
  ink(): { ink: Uint8Array; width: number; height: number } {
    const { width, height } = this.canvas;
    const rgba = this.context.getImageData(0, 0, width, height).data;
    const ink = new Uint8Array(width * height);
    for (let i = 0; i < ink.length; i++) ink[i] = rgba[4 * i + 3];
    return { ink, width, height };
  }

  /** Wipes the pad. */
  clear(): void {
    this.strokes = [];
    this.image = undefined;
    this.pointer = undefined;
    this.redraw();
  }

  /** Shows a 28×28 grey image (an MNIST test digit) as ink, filling the pad, in place of the drawing. */
  showImage(pixels: Uint8Array): void {
    const tile = document.createElement('canvas');
    tile.width = 28;
    tile.height = 28;
    const data = new ImageData(28, 28);
    for (let i = 0; i < 784; i++) data.data[4 * i + 3] = pixels[i];
    tile.getContext('2d')?.putImageData(data, 0, 0);
    this.strokes = [];
    this.image = tile;
    this.redraw();
  }

  private down(event: PointerEvent): void {
    // One stroke at a time: a second finger while drawing is ignored rather than joined to the first.
    if (this.pointer !== undefined || (event.pointerType === 'mouse' && event.button !== 0)) return;
    event.preventDefault();
    this.pointer = event.pointerId;
    this.canvas.setPointerCapture(event.pointerId);
    this.strokes.push([this.point(event)]);
    this.redraw();
  }

  private move(event: PointerEvent): void {
    if (event.pointerId !== this.pointer) return;
    const stroke = this.strokes[this.strokes.length - 1];
    // A fast movement delivers one event for several samples; the coalesced list has them all.
    const samples = typeof event.getCoalescedEvents === 'function' ? event.getCoalescedEvents() : [];
    for (const sample of samples.length > 0 ? samples : [event]) stroke.push(this.point(sample));
    this.redraw();
  }

  private up(event: PointerEvent): void {
    if (event.pointerId !== this.pointer) return;
    this.pointer = undefined;
    this.redraw();
  }

  private point(event: PointerEvent): Point {
    const box = this.canvas.getBoundingClientRect();
    return [(event.clientX - box.left) / box.width, (event.clientY - box.top) / box.height];
  }

  /** Matches the canvas's pixels to its displayed size (times the device pixel ratio, for sharp strokes). */
  private resize(): void {
    const box = this.canvas.getBoundingClientRect();
    const width = Math.max(1, Math.round(box.width * devicePixelRatio));
    const height = Math.max(1, Math.round(box.height * devicePixelRatio));
    if (width === this.canvas.width && height === this.canvas.height) return;
    this.canvas.width = width;
    this.canvas.height = height;
    this.redraw();
  }

  private redraw(): void {
    const { context, canvas } = this;
    const { width, height } = canvas;
    context.clearRect(0, 0, width, height);
    if (this.image) {
      context.imageSmoothingEnabled = true;
      context.drawImage(this.image, 0, 0, width, height);
    }
    context.lineCap = 'round';
    context.lineJoin = 'round';
    context.lineWidth = PEN_WIDTH * width;
    context.strokeStyle = '#111';
    context.fillStyle = '#111';
    for (const stroke of this.strokes) {
      const [x0, y0] = stroke[0];
      if (stroke.length === 1) {
        // A tap is a dot.
        context.beginPath();
        context.arc(x0 * width, y0 * height, context.lineWidth / 2, 0, 2 * Math.PI);
        context.fill();
        continue;
      }
      context.beginPath();
      context.moveTo(x0 * width, y0 * height);
      for (let i = 1; i < stroke.length; i++) context.lineTo(stroke[i][0] * width, stroke[i][1] * height);
      context.stroke();
    }
    if (this.frame === 0) {
      this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        this.onChange();
      });
    }
  }
}
