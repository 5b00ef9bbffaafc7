/** The Unigram fixtures of test/fixtures/unigram (made by make_unigram_fixtures.py). */
import { join } from 'node:path';
import { REPO_ROOT } from './corpus.js';

export const UNIGRAM_FIXTURES = ['hf-nfkc', 'spm-xlmr', 'spm-bytefallback'] as const;
export const unigramFixture = (name: string) => join(REPO_ROOT, 'test', 'fixtures', 'unigram', `${name}.json`);
