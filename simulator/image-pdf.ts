/** A minimal PDF writer for image-only PDFs: one JPEG per page, page size from its pixels and dpi, no text layer. */

/** One page: a baseline JPEG and the resolution it was scanned at. */
export interface PdfImagePage {
  jpeg: Buffer;
  width: number;
  height: number;
  dpi: number;
}

/** Assembles the PDF: catalog, page tree, then per page the page, its content stream and its image. */
export function imagesToPdf(pages: PdfImagePage[]): Uint8Array {
  const chunks: Buffer[] = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  const offsets: number[] = [];
  let length = chunks[0]!.length;
  const add = (body: Buffer | string) => {
    const buffer = typeof body === 'string' ? Buffer.from(body, 'latin1') : body;
    chunks.push(buffer);
    length += buffer.length;
  };
  const object = (id: number, parts: (Buffer | string)[]) => {
    offsets[id] = length;
    add(`${id} 0 obj\n`);
    for (const part of parts) add(part);
    add('\nendobj\n');
  };
  const pageIds = pages.map((_, index) => 3 + index * 3);
  object(1, ['<< /Type /Catalog /Pages 2 0 R >>']);
  object(2, [`<< /Type /Pages /Count ${pages.length} /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] >>`]);
  pages.forEach((page, index) => {
    const id = pageIds[index]!;
    const widthPt = (page.width * 72) / page.dpi;
    const heightPt = (page.height * 72) / page.dpi;
    const content = `q ${widthPt.toFixed(2)} 0 0 ${heightPt.toFixed(2)} 0 0 cm /Im0 Do Q`;
    object(id, [
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${widthPt.toFixed(2)} ${heightPt.toFixed(2)}] /Resources << /XObject << /Im0 ${id + 2} 0 R >> >> /Contents ${id + 1} 0 R >>`,
    ]);
    object(id + 1, [`<< /Length ${content.length} >>\nstream\n${content}\nendstream`]);
    object(id + 2, [
      `<< /Type /XObject /Subtype /Image /Width ${page.width} /Height ${page.height} /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length ${page.jpeg.length} >>\nstream\n`,
      page.jpeg,
      '\nendstream',
    ]);
  });
  const xref = length;
  const count = 3 + pages.length * 3;
  const entries = Array.from({ length: count }, (_, id) =>
    id === 0 ? '0000000000 65535 f \n' : `${String(offsets[id]).padStart(10, '0')} 00000 n \n`,
  );
  add(`xref\n0 ${count}\n${entries.join('')}trailer\n<< /Size ${count} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
  return new Uint8Array(Buffer.concat(chunks));
}
