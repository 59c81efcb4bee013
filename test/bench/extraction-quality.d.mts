// Types of extraction-quality.mjs, for test/src/integration/extraction-quality.test.ts.
export interface Labelled {
  type: string;
  value: string;
  port?: number;
}
export interface NotLabelled {
  type: string;
  value: string;
  reason: string;
}
export interface Truth {
  document: string;
  origin: { repository: string; path: string; commit: string };
  licence: string;
  language: string;
  kind: string;
  indicators: Labelled[];
  notIndicators: NotLabelled[];
}
export interface CorpusDocument {
  name: string;
  truth: Truth;
  text: string;
}
export interface Offer {
  type: string;
  value: string;
}
export interface Counts {
  labelled: number;
  tp: number;
  fp: number;
  fn: number;
  recall: number | null;
  precision: number | null;
}
export interface DocumentScore {
  labelled: number;
  truePositives: (Offer & { key: string })[];
  falsePositives: (Offer & { key: string; reason?: string })[];
  falseNegatives: (Offer & { key: string })[];
  ignored: (Offer & { key: string })[];
}
export interface CorpusScore {
  documents: { name: string; language: string; labelled: number; tools: Record<string, DocumentScore & { recall: number | null; precision: number | null }> }[];
  byType: Record<string, Record<string, Counts>>;
  overall: Record<'huntroom' | 'iocExtractor', Counts>;
}
export const CORPUS_DIR: string;
export function typeGroup(type: string): string;
export function matchKey(type: string, raw: string): string;
export function loadCorpus(dir?: string): CorpusDocument[];
export function huntroomOffers(text: string): Offer[];
export function iocExtractorOffers(text: string): Offer[];
export const TOOLS: { id: 'huntroom' | 'iocExtractor'; label: string; offers: (text: string) => Offer[] }[];
export function scoreDocument(truth: Truth, offered: Offer[]): DocumentScore;
export function scoreCorpus(corpus?: CorpusDocument[]): CorpusScore;
