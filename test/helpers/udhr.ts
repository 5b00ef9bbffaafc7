// The UDHR corpus lives in the library (src/corpora/udhr.ts); tests use the same extraction.
export { udhrLanguages, udhrParagraphs, udhrText, udhrUnits, type UdhrLanguage } from '../../src/corpora/udhr.js';
