/** Free-text extraction lives in ./extract/ (one file per family of rules). */
export * from './extract/index.js';
