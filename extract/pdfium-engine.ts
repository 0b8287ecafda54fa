/**
 * PDFium compiled to WebAssembly (@embedpdf/pdfium), one engine per thread: module state is per thread, so each
 * extract worker thread loads its own copy on first use. PDFium reads a document's bytes where they are, block
 * by block through a callback (FPDF_LoadCustomDocument), rather than from a copy in its heap: that heap never
 * shrinks, and a copy would grow it by the size of the biggest PDF read. Documents must be closed; every open
 * document, page and allocation is counted, so a test can see that nothing leaks. The heap may grow to a cap,
 * 768 MB by default (a PDF whose streams inflate past that fails typed instead of taking the process down); an
 * engine left with a heap over RECYCLE_HEAP_BYTES after a document is dropped and a fresh one loaded, because a
 * WebAssembly memory never shrinks.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { WrappedPdfiumModule } from '@embedpdf/pdfium';
import { CorruptPdfError, EncryptedPdfError } from './errors.ts';

/** By default the engine's heap may not grow past this (the wasm build's own limit is 2 GB). */
const DEFAULT_MAX_HEAP_BYTES = 768 * 1024 * 1024;
/** An engine whose heap grew past this while reading a document is replaced before the next one. */
const RECYCLE_HEAP_BYTES = 160 * 1024 * 1024;
const WASM_PAGE_BYTES = 65536;
/** FPDF_GetLastError(): the document needs a password. */
const FPDF_ERR_PASSWORD = 4;
/** FPDF_FILEACCESS on wasm32: m_FileLen, m_GetBlock (a function table index), m_Param, 4 bytes each. */
const FILE_ACCESS_BYTES = 12;

export type PdfiumModule = WrappedPdfiumModule;

/** The wasm memory as Emscripten grows it (the project's lib has no WebAssembly types). */
interface WasmMemory {
  buffer: ArrayBuffer;
  grow(deltaPages: number): number;
}
/** The parts of the WebAssembly namespace used here (the project's lib has no WebAssembly types). */
interface WasmNamespace {
  RuntimeError: new () => Error;
  compile(bytes: Uint8Array): Promise<object>;
  Instance: new (module: object, imports: object) => { exports: object };
}
const wasm = (globalThis as unknown as { WebAssembly: WasmNamespace }).WebAssembly;
/** What a wasm trap (Emscripten's abort(), an out-of-bounds access) throws. */
const WasmRuntimeError = wasm.RuntimeError;

/** The per-character text functions, called straight on the wasm exports (booleans come back as 0 or 1). */
export interface PdfiumCharFunctions {
  FPDFText_CountChars(textPage: number): number;
  FPDFText_IsGenerated(textPage: number, index: number): number;
  FPDFText_GetUnicode(textPage: number, index: number): number;
  FPDFText_HasUnicodeMapError(textPage: number, index: number): number;
  FPDFText_GetCharOrigin(textPage: number, index: number, x: number, y: number): number;
  FPDFText_GetLooseCharBox(textPage: number, index: number, rect: number): number;
  FPDFText_GetTextObject(textPage: number, index: number): number;
  FPDFText_GetMatrix(textPage: number, index: number, matrix: number): number;
  FPDFText_GetFontSize(textPage: number, index: number): number;
  FPDFTextObj_GetFont(textObject: number): number;
}

/**
 * The raw wasm functions for the calls made once per character: the package's wrappers go through ccall
 * with this debug build's assertions on every call, which cost more than PDFium's own work.
 */
export function charFunctionsOf(module: PdfiumModule): PdfiumCharFunctions {
  return module.pdfium.wasmExports as unknown as PdfiumCharFunctions;
}

/** Emscripten's typed views of the heap, on the module object; replaced when the memory grows. */
interface HeapViews {
  HEAPU8: Uint8Array;
  HEAP32: Int32Array;
  HEAPF32: Float32Array;
  HEAPF64: Float64Array;
}

const viewsOf = (module: PdfiumModule) => module.pdfium as unknown as HeapViews;

/** The engine's heap as bytes. Emscripten replaces the view when the memory grows: read it after every call. */
export function heapOf(module: PdfiumModule): Uint8Array {
  return viewsOf(module).HEAPU8;
}

/**
 * The `index`th 32-bit float from `pointer` (4-aligned) in the heap, read through Emscripten's current view: out
 * parameters are read this way after the call that filled them, without a typed array made per read.
 */
export function heapFloat32(module: PdfiumModule, pointer: number, index = 0): number {
  return viewsOf(module).HEAPF32[(pointer >> 2) + index]!;
}

/** As heapFloat32, for a double (`pointer` 8-aligned). */
export function heapFloat64(module: PdfiumModule, pointer: number, index = 0): number {
  return viewsOf(module).HEAPF64[(pointer >> 3) + index]!;
}

/** As heapFloat32, for a 32-bit integer. */
export function heapInt32(module: PdfiumModule, pointer: number, index = 0): number {
  return viewsOf(module).HEAP32[(pointer >> 2) + index]!;
}

/** PDFium's heap would pass its cap: a bomb-like PDF (huge or endless streams). */
class PdfiumOutOfMemoryError extends Error {}

interface Engine {
  module: PdfiumModule;
  /** The function-table index of readBlock(), PDFium's m_GetBlock for every document of this engine. */
  readBlock: number;
  /** Bytes of the open documents, by the id PDFium passes back to readBlock() as m_Param. */
  sources: Map<number, Uint8Array>;
  /** Set once the wasm aborted (out of memory, a trap): its state is undefined and it is never used again. */
  broken: boolean;
  /** Set when a growth of the heap was refused: an abort that follows is the cap's doing, not a PDFium bug. */
  capReached: boolean;
}

let engine: Engine | null = null;
let maxHeapBytes = DEFAULT_MAX_HEAP_BYTES;
let loading: Promise<Engine> | null = null;
let compiling: Promise<object> | null = null;
let nextSourceId = 1;
/** Open documents, pages and heap allocations of this thread's engine. */
const openHandles = { documents: 0, pages: 0, allocations: 0 };

/**
 * PDFium's wasm, compiled once per thread and instantiated for every engine (a recycled one too). Only the
 * compiled module is kept, not the 4.6 MB of the file: V8 keeps its own copy of the bytes inside the module.
 */
function compiledWasm(): Promise<object> {
  compiling ??= wasm.compile(readFileSync(createRequire(import.meta.url).resolve('@embedpdf/pdfium/pdfium.wasm')));
  return compiling;
}

/**
 * Sets the heap cap of engines loaded from now on in this thread (default 768 MB): a PDF that needs more
 * fails with CorruptPdfError. Tests lower it to try a bomb without inflating one of real size.
 */
export function setPdfiumHeapCap(bytes: number = DEFAULT_MAX_HEAP_BYTES): void {
  maxHeapBytes = bytes;
  engine = null;
}

/** Caps the heap: Emscripten's growMemory() calls memory.grow() and treats a throw as "out of memory". */
function capHeap(current: Engine): void {
  const memory = (current.module.pdfium.wasmExports as unknown as { memory: WasmMemory }).memory;
  const grow = memory.grow.bind(memory);
  const cap = maxHeapBytes;
  Object.defineProperty(memory, 'grow', {
    value: (deltaPages: number) => {
      if (memory.buffer.byteLength + deltaPages * WASM_PAGE_BYTES > cap) {
        current.capReached = true;
        throw new RangeError('PDFium heap cap reached');
      }
      return grow(deltaPages);
    },
  });
}

/**
 * The package's CommonJS build, required rather than imported: under tsx's ESM loader the 300 kB Emscripten
 * glue cost ~38 MB of resident memory per thread, through require ~4 MB (same code, same wasm).
 */
function requirePdfium(): typeof import('@embedpdf/pdfium') {
  return createRequire(import.meta.url)('@embedpdf/pdfium') as typeof import('@embedpdf/pdfium');
}

async function loadEngine(): Promise<Engine> {
  const { init } = requirePdfium();
  const compiled = await compiledWasm();
  const overrides = {
    // Emscripten's hook for a module compiled elsewhere: it then neither reads nor keeps the file.
    instantiateWasm(imports: object, receive: (instance: object, module: object) => void): object {
      const instance = new wasm.Instance(compiled, imports);
      receive(instance, compiled);
      return instance.exports;
    },
    // PDFium prints its own diagnostics (font fallbacks, failed allocations) to stderr: the errors say enough.
    print: () => {},
    printErr: () => {},
  };
  const module = await init(overrides as Parameters<typeof init>[0]);
  module.PDFiumExt_Init();
  const sources = new Map<number, Uint8Array>();
  const readBlock = module.pdfium.addFunction(blockReader(module, sources), 'iiiii');
  const loaded: Engine = { module, readBlock, sources, broken: false, capReached: false };
  capHeap(loaded);
  return loaded;
}

/**
 * PDFium's m_GetBlock(param, position, buffer, size): copies `size` bytes of the document `param` from
 * `position` into the heap at `buffer`; 0 (a read error to PDFium) when they are not there.
 */
function blockReader(module: PdfiumModule, sources: Map<number, Uint8Array>) {
  return (id: number, position: number, buffer: number, size: number): number => {
    const bytes = sources.get(id);
    const [from, length] = [position >>> 0, size >>> 0];
    if (!bytes || from + length > bytes.byteLength) return 0;
    heapOf(module).set(bytes.subarray(from, from + length), buffer >>> 0);
    return 1;
  };
}

async function currentEngine(): Promise<Engine> {
  if (engine && !engine.broken) return engine;
  engine = null;
  loading ??= loadEngine().finally(() => (loading = null));
  engine = await loading;
  return engine;
}

/** Bytes of this thread's engine heap (0 before the first document). */
export function pdfiumHeapBytes(): number {
  return engine ? heapOf(engine.module).length : 0;
}

/** Documents, pages and allocations currently open in this thread's engine (all 0 between documents). */
export function pdfiumOpenHandles(): { documents: number; pages: number; allocations: number } {
  return { ...openHandles };
}

/** A PDF opened in PDFium. Page handles come from loadPage() and go back through closePage(). */
export interface PdfiumDocument {
  readonly module: PdfiumModule;
  readonly handle: number;
  readonly pageCount: number;
  /** Allocates `size` bytes on the engine heap; freed with free(), or when the document is closed at the latest. */
  malloc(size: number): number;
  free(pointer: number): void;
  loadPage(index: number): number;
  closePage(page: number): void;
  /** Closes the document and its pages and opens it again from the same bytes, dropping PDFium's caches. */
  reopen(): void;
}

/** A document and everything allocated for it, counted in openHandles and released together. */
class TrackedDocument implements PdfiumDocument {
  handle = 0;
  pageCount = 0;
  private readonly pages = new Set<number>();
  private readonly allocations = new Set<number>();
  private readonly sourceId = nextSourceId++;
  private fileAccess = 0;

  constructor(private readonly engine: Engine) {}

  get module(): PdfiumModule {
    return this.engine.module;
  }

  /** Hands PDFium a file access over `bytes` (read lazily: they must live as long as the document). */
  open(bytes: Uint8Array): void {
    this.engine.sources.set(this.sourceId, bytes);
    this.fileAccess = this.malloc(FILE_ACCESS_BYTES);
    new Uint32Array(heapOf(this.module).buffer, this.fileAccess, 3).set([bytes.byteLength, this.engine.readBlock, this.sourceId]);
    this.load();
    if (this.pageCount <= 0) throw new CorruptPdfError('PDFium finds no pages in the PDF');
  }

  reopen(): void {
    this.closeDocument();
    this.load();
  }

  private load(): void {
    this.handle = this.module.FPDF_LoadCustomDocument(this.fileAccess, '');
    if (this.handle === 0) throw openingError(this.module.FPDF_GetLastError());
    openHandles.documents++;
    this.pageCount = this.module.FPDF_GetPageCount(this.handle);
  }

  malloc(size: number): number {
    const pointer = this.module.pdfium.wasmExports.malloc(size);
    if (pointer === 0) throw new PdfiumOutOfMemoryError(`PDFium could not allocate ${size} bytes`);
    this.allocations.add(pointer);
    openHandles.allocations++;
    return pointer;
  }

  free(pointer: number): void {
    if (!this.allocations.delete(pointer)) return;
    this.module.pdfium.wasmExports.free(pointer);
    openHandles.allocations--;
  }

  loadPage(index: number): number {
    const page = this.module.FPDF_LoadPage(this.handle, index);
    if (page === 0) throw new CorruptPdfError(`PDFium cannot load page ${index + 1}`);
    this.pages.add(page);
    openHandles.pages++;
    return page;
  }

  closePage(page: number): void {
    if (!this.pages.delete(page)) return;
    this.module.FPDF_ClosePage(page);
    openHandles.pages--;
  }

  /** Closes what is still open: pages, then the document, then the allocations (its file access among them). */
  release(): void {
    this.closeDocument();
    for (const pointer of [...this.allocations]) this.free(pointer);
    this.engine.sources.delete(this.sourceId);
  }

  private closeDocument(): void {
    for (const page of [...this.pages]) this.closePage(page);
    if (this.handle === 0) return;
    this.module.FPDF_CloseDocument(this.handle);
    this.handle = 0;
    openHandles.documents--;
  }
}

/**
 * Opens `bytes` in this thread's PDFium, runs `read` on it, and closes everything `read` left open. Throws
 * EncryptedPdfError when the PDF needs a password, CorruptPdfError when PDFium cannot open it or finds no pages
 * (the caller then asks pdf.js), and CorruptPdfError when reading would pass the engine's heap cap.
 */
export async function withPdfiumDocument<T>(bytes: Uint8Array, read: (document: PdfiumDocument) => Promise<T> | T): Promise<T> {
  const current = await currentEngine();
  current.capReached = false;
  const document = new TrackedDocument(current);
  try {
    document.open(bytes);
    const result = await read(document);
    // PDFium may survive a refused allocation by cutting a stream short: the text would be silently partial.
    if (current.capReached) throw new PdfiumOutOfMemoryError('the heap cap was reached while reading');
    return result;
  } catch (error) {
    throw engineError(current, error);
  } finally {
    if (!current.broken) document.release();
    recycleIfBloated(current);
  }
}

function openingError(code: number): Error {
  if (code === FPDF_ERR_PASSWORD) return new EncryptedPdfError('the PDF is encrypted and needs a password to open (PDFium)');
  return new CorruptPdfError(`PDFium cannot open the PDF (FPDF_GetLastError ${code})`);
}

/** A wasm trap or failed allocation leaves the engine unusable: it is dropped, the document fails typed. */
function engineError(current: Engine, error: unknown): unknown {
  const outOfMemory = error instanceof PdfiumOutOfMemoryError || (error instanceof WasmRuntimeError && current.capReached);
  if (error instanceof WasmRuntimeError || error instanceof PdfiumOutOfMemoryError) {
    current.broken = true;
    if (engine === current) engine = null;
    openHandles.documents = openHandles.pages = openHandles.allocations = 0;
  }
  if (outOfMemory) {
    const cause = error instanceof PdfiumOutOfMemoryError ? error : new PdfiumOutOfMemoryError(String(error));
    return new CorruptPdfError(`the PDF needs more than the ${Math.round(maxHeapBytes / 2 ** 20)} MB PDFium may use (bomb-like streams?)`, {
      cause,
    });
  }
  if (error instanceof WasmRuntimeError)
    return new CorruptPdfError(`PDFium failed on the PDF: ${(error as Error).message}`, { cause: error });
  return error;
}

/** True for the CorruptPdfError of a PDF that would pass the heap cap (no other engine should try it). */
export function isPdfiumOutOfMemory(error: unknown): boolean {
  return error instanceof CorruptPdfError && error.cause instanceof PdfiumOutOfMemoryError;
}

function recycleIfBloated(current: Engine): void {
  if (engine === current && !current.broken && heapOf(current.module).length > RECYCLE_HEAP_BYTES) engine = null;
}
