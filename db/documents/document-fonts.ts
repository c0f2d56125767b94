import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * The font files hall documents are set in: Noto Sans SC (思源黑体, SIL Open Font License 1.1, which
 * allows embedding in documents), from the npm package `@expo-google-fonts/noto-sans-sc`, so that every
 * machine that ran `npm ci` renders the same glyphs and nothing depends on fonts installed on the system.
 * The files are static TrueType instances covering all of GB 2312 (and CJK Ext. A); the PDF library embeds
 * only the glyphs a document uses.
 */
export const DOCUMENT_FONT_FILES = {
  regular: '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf',
  bold: '@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf',
} as const;

/** The bytes of each document font. */
export interface DocumentFonts {
  regular: Uint8Array;
  bold: Uint8Array;
}

const require = createRequire(import.meta.url);
let loaded: DocumentFonts | undefined;

/**
 * Reads the font files on first use and keeps them for the life of the process (about 21 MB), because
 * reading 10 MB per document would cost more than laying the document out.
 */
export function documentFonts(): DocumentFonts {
  loaded ??= {
    regular: readFileSync(require.resolve(DOCUMENT_FONT_FILES.regular)),
    bold: readFileSync(require.resolve(DOCUMENT_FONT_FILES.bold)),
  };
  return loaded;
}
