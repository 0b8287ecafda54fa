/**
 * Ruled tables from PDFium's path objects, built by pdf-parse's own table builder (its exported LineStore and
 * geometry classes), so that a page gives the grids pdf-parse's getTable() gives: the stroked paths are
 * classified the way getTable() classifies pdf.js's constructPath operations (a bounding box over 5 pt both
 * ways is a rectangle, a flat one a rule), placed through the same viewport transform, and the cells are
 * filled with the page's text runs by their origins.
 */
import type { PositionedText } from './pdf-lines.ts';
import type { PdfiumModule } from './pdfium-engine.ts';
import { heapFloat32, heapInt32 } from './pdfium-engine.ts';

/** pdf-parse's module: only its geometry classes are used here. */
export type TableGeometry = Pick<typeof import('pdf-parse'), 'LineStore' | 'Line' | 'Point' | 'Rectangle'>;

const FPDF_PAGEOBJ_PATH = 2;
const FPDF_PAGEOBJ_FORM = 5;
/** getTable()'s threshold: a path whose box is longer than this is a rule or a rectangle. */
const MIN_RULE_POINTS = 5;
/** A text run whose successor starts this many ems off its baseline ends a line of the cell (pdf.js's hasEOL). */
const NEXT_LINE_EM = 0.25;
/** A gap this wide between two runs of a line is a space in the cell (where pdf.js has a whitespace item). */
const WORD_GAP_EM = 0.1;

type Matrix = [number, number, number, number, number, number];
const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

/** `outer` after `inner`: pdf.js's Util.transform(outer, inner). */
function multiply([a1, b1, c1, d1, e1, f1]: Matrix, [a2, b2, c2, d2, e2, f2]: Matrix): Matrix {
  return [a1 * a2 + c1 * b2, b1 * a2 + d1 * b2, a1 * c2 + c1 * d2, b1 * c2 + d1 * d2, a1 * e2 + c1 * f2 + e1, b1 * e2 + d1 * f2 + f1];
}

/**
 * The page's ruled tables as rows of cell texts, in getTable()'s order. `viewport` is pdf.js's viewport
 * transform at scale 1; `items` are the page's text runs (viewport positions), in content order.
 */
export function findRulingTables(
  module: PdfiumModule,
  page: number,
  viewport: Matrix,
  items: PositionedText[],
  geometry: TableGeometry,
  scratch: number,
): string[][][] {
  const store = new geometry.LineStore();
  const count = module.FPDFPage_CountObjects(page);
  for (let index = 0; index < count; index++)
    addRulings(module, module.FPDFPage_GetObject(page, index), IDENTITY, viewport, store, geometry, scratch);
  store.normalize();
  const tables = store.getTableData();
  fillCells(tables, items);
  return tables.map((table) => table.toArray());
}

type TableData = ReturnType<InstanceType<TableGeometry['LineStore']>['getTableData']>[number];
type TableCell = NonNullable<ReturnType<TableData['findCell']>>;

/**
 * Puts each run's text into the cell holding its origin, as getTable() puts pdf.js's items: a line break after
 * a run that ends a line (pdf.js's hasEOL), a space between runs of one line that a gap separates (pdf.js's
 * whitespace items).
 */
function fillCells(tables: TableData[], items: PositionedText[]): void {
  let previous: { item: PositionedText; cell: TableCell } | undefined;
  items.forEach((item, index) => {
    const cell = tables.map((table) => table.findCell(item.x, item.baseline)).find((found) => found !== undefined);
    if (!cell) return;
    const gap = previous?.cell === cell && onOneLine(previous.item, item) ? item.x - (previous.item.x + previous.item.width) : 0;
    if (gap >= WORD_GAP_EM * item.fontSize) cell.text.push(' ');
    const next = items[index + 1];
    cell.text.push(item.text, ...(next && onOneLine(item, next) ? [] : ['\n']));
    previous = { item, cell };
  });
}

function onOneLine(first: PositionedText, second: PositionedText): boolean {
  return Math.abs(second.baseline - first.baseline) <= NEXT_LINE_EM * first.fontSize;
}

/** Adds a stroked path's rule or rectangle to the store; walks into form XObjects with their matrices. */
function addRulings(
  module: PdfiumModule,
  object: number,
  parent: Matrix,
  viewport: Matrix,
  store: InstanceType<TableGeometry['LineStore']>,
  geometry: TableGeometry,
  scratch: number,
): void {
  const type = module.FPDFPageObj_GetType(object);
  if (type !== FPDF_PAGEOBJ_PATH && type !== FPDF_PAGEOBJ_FORM) return;
  const matrix = multiply(parent, readMatrix(module, object, scratch));
  if (type === FPDF_PAGEOBJ_FORM) {
    const count = module.FPDFFormObj_CountObjects(object);
    for (let index = 0; index < count; index++)
      addRulings(module, module.FPDFFormObj_GetObject(object, index), matrix, viewport, store, geometry, scratch);
    return;
  }
  if (!isStrokeOnly(module, object, scratch)) return;
  const box = pathBox(module, object, scratch);
  if (!box) return;
  const [minX, minY, maxX, maxY] = box;
  const [width, height] = [maxX - minX, maxY - minY];
  const from = new geometry.Point(minX, minY);
  if (width > MIN_RULE_POINTS && height > MIN_RULE_POINTS) {
    store.addRectangle(new geometry.Rectangle(from, width, height).transform(matrix).transform(viewport));
  } else if ((width > MIN_RULE_POINTS && height === 0) || (width === 0 && height > MIN_RULE_POINTS)) {
    store.add(new geometry.Line(from, new geometry.Point(maxX, maxY)).transform(matrix).transform(viewport));
  }
}

/** getTable() reads only paths painted by a plain stroke: no fill. */
function isStrokeOnly(module: PdfiumModule, path: number, scratch: number): boolean {
  if (!module.FPDFPath_GetDrawMode(path, scratch, scratch + 4)) return false;
  return heapInt32(module, scratch) === 0 && heapInt32(module, scratch, 1) !== 0; // fill mode none, stroked
}

/** The bounding box of the path's points in its own space (pdf.js's constructPath minMax). */
function pathBox(module: PdfiumModule, path: number, scratch: number): [number, number, number, number] | null {
  const count = module.FPDFPath_CountSegments(path);
  const box: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (let index = 0; index < count; index++) {
    if (!module.FPDFPathSegment_GetPoint(module.FPDFPath_GetPathSegment(path, index), scratch, scratch + 4)) continue;
    const [x, y] = [heapFloat32(module, scratch), heapFloat32(module, scratch, 1)];
    box[0] = Math.min(box[0], x);
    box[1] = Math.min(box[1], y);
    box[2] = Math.max(box[2], x);
    box[3] = Math.max(box[3], y);
  }
  return box[0] === Infinity ? null : box;
}

function readMatrix(module: PdfiumModule, object: number, scratch: number): Matrix {
  if (!module.FPDFPageObj_GetMatrix(object, scratch)) return IDENTITY;
  return [0, 1, 2, 3, 4, 5].map((index) => heapFloat32(module, scratch, index)) as Matrix;
}
