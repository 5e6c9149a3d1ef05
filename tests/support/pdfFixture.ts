/**
 * Small, valid PDFs written by hand for book upload tests: each page is a coloured background
 * with a filled rectangle whose place moves with the page number, so pages differ from each
 * other. No PDF library needed; poppler's pdfinfo and pdftoppm read the result cleanly.
 */
export function makePdf(pageCount: number, options: { width?: number; height?: number } = {}): Buffer {
  const width = options.width ?? 600;
  const height = options.height ?? 450;
  return makePdfOfPages(Array.from({ length: pageCount }, () => ({ width, height })));
}

/** One page of `makePdfOfPages`: its media box in points, a /Rotate, and a crop box if given. */
export interface FixturePage {
  width: number;
  height: number;
  rotate?: number;
  /** [x1 y1 x2 y2] in points. */
  cropBox?: [number, number, number, number];
}

/** A PDF whose pages each have a size (and turn) of their own, drawn as `makePdf` draws them. */
export function makePdfOfPages(pages: FixturePage[]): Buffer {
  const pageCount = pages.length;
  const objects: string[] = [];
  // Object numbers: 1 catalog, 2 page tree, then a page and its content stream for each page.
  const pageIds = Array.from({ length: pageCount }, (_, i) => 3 + i * 2);
  objects[1] = '<< /Type /Catalog /Pages 2 0 R >>';
  objects[2] = `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pageCount} >>`;
  pageIds.forEach((pageId, i) => {
    const { width, height, rotate, cropBox } = pages[i]!;
    const hue = (i * 0.37) % 1;
    const [r, g, b] = [hue, 1 - hue, (hue * 3) % 1].map((v) => v.toFixed(3));
    const size = Math.min(width, height) / 3;
    const x = ((i * 53) % Math.max(1, width - size)).toFixed(1);
    const y = ((i * 31) % Math.max(1, height - size)).toFixed(1);
    const content = `1 0.97 0.9 rg 0 0 ${width} ${height} re f\n${r} ${g} ${b} rg ${x} ${y} ${size} ${size} re f\n`;
    const turn = rotate === undefined ? '' : ` /Rotate ${rotate}`;
    const crop = cropBox ? ` /CropBox [${cropBox.join(' ')}]` : '';
    objects[pageId] =
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${width} ${height}]${crop}${turn} /Resources << >> /Contents ${pageId + 1} 0 R >>`;
    objects[pageId + 1] = `<< /Length ${Buffer.byteLength(content)} >>\nstream\n${content}endstream`;
  });

  let pdf = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  for (let id = 1; id < objects.length; id++) {
    offsets[id] = Buffer.byteLength(pdf, 'latin1');
    pdf += `${id} 0 obj\n${objects[id]}\nendobj\n`;
  }
  const xrefAt = Buffer.byteLength(pdf, 'latin1');
  pdf += `xref\n0 ${objects.length}\n0000000000 65535 f \n`;
  for (let id = 1; id < objects.length; id++) pdf += `${String(offsets[id]).padStart(10, '0')} 00000 n \n`;
  pdf += `trailer\n<< /Size ${objects.length} /Root 1 0 R >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}

/** Starts like a PDF and then is nothing of the kind. */
export function makeCorruptPdf(): Buffer {
  return Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from('this is not a document at all\n'.repeat(40))]);
}
