// The streaming parsers on their own: the same records however the text is cut into chunks, TSV quoting, header
// detection and format detection by content.
import { describe, expect, it } from 'vitest';
import { chooseFormat } from '../../main/datasets/detectFormat';
import { JsonArrayParser } from '../../main/datasets/jsonArrayParser';
import type { SourceRecord } from '../../main/datasets/records';
import { TabularRecords } from '../../main/datasets/tabularRecords';
import { TextLinesParser } from '../../main/datasets/textLinesParser';
import { splitTsvLine, TsvLineParser } from '../../main/datasets/tsvLineParser';
import { normalizeWhitespace, removeWords, tokenizeText } from '../../main/datasets/recipe';

/** Feeds `text` whole, one character at a time, and in three uneven pieces; returns the three results. */
function inChunks<T>(text: string, parse: (chunks: string[]) => T): T[] {
  return [parse([text]), parse([...text]), parse([text.slice(0, 7), text.slice(7, 8), text.slice(8)])];
}

describe('TSV', () => {
  it('treats quotes as literal unless a field is quoted from end to end', () => {
    expect(splitTsvLine('ham\tsays "hi" to you')).toEqual(['ham', 'says "hi" to you']);
    expect(splitTsvLine('"fully ""quoted"" text"\tBusiness')).toEqual(['fully "quoted" text', 'Business']);
    expect(splitTsvLine('"tab\tinside"\tx')).toEqual(['tab\tinside', 'x']);
    expect(splitTsvLine('"opens and never closes\tspam')).toEqual(['"opens and never closes', 'spam']);
    expect(splitTsvLine('"quoted" then more\tx')).toEqual(['"quoted" then more', 'x']);
    expect(splitTsvLine('a\t\tc\t')).toEqual(['a', '', 'c', '']);
  });

  it('never lets a stray quote swallow the following lines', () => {
    const text = 'label\ttext\r\nham\t"unclosed\nspam\tnext line\n\nham\tlast';
    for (const records of inChunks(text, (chunks) => {
      const out: { line: number; fields: string[] }[] = [];
      const parser = new TsvLineParser('x.tsv', (r) => out.push(r));
      chunks.forEach((c) => parser.feed(c));
      parser.end();
      return out;
    })) {
      expect(records).toEqual([
        { line: 1, fields: ['label', 'text'] },
        { line: 2, fields: ['ham', '"unclosed'] },
        { line: 3, fields: ['spam', 'next line'] },
        { line: 5, fields: ['ham', 'last'] },
      ]);
    }
  });
});

describe('JSON arrays, streamed', () => {
  it('gives the same records however the text is cut, with the line each record starts on', () => {
    const text = '[\n  {"text": "a, [b] {c}", "n": 1},\n  {"text": "say \\"hi\\"\\\\", "tags": ["x", {"y": 2}]}\n,{"text":"z"}]\n';
    for (const records of inChunks(text, (chunks) => {
      const out: SourceRecord[] = [];
      const parser = new JsonArrayParser('a.json', (r) => out.push(r));
      chunks.forEach((c) => parser.feed(c));
      parser.end();
      return out;
    })) {
      expect(records).toEqual([
        { position: 2, fields: { text: 'a, [b] {c}', n: 1 } },
        { position: 3, fields: { text: 'say "hi"\\', tags: ['x', { y: 2 }] } },
        { position: 4, fields: { text: 'z' } },
      ]);
    }
  });

  it('accepts an empty array and refuses text after the end', () => {
    const parse = (text: string) => {
      const out: SourceRecord[] = [];
      const parser = new JsonArrayParser('a.json', (r) => out.push(r));
      parser.feed(text);
      parser.end();
      return out;
    };
    expect(parse(' [ ] ')).toEqual([]);
    expect(() => parse('[{"a":1}] x')).toThrow('a.json line 1: unexpected text after the end of the JSON array.');
    expect(() => parse('[{"a":1} {"b":2}]')).toThrow('a.json line 1: expected , or ] between the array');
  });
});

describe('headers', () => {
  const table = (rows: string[][], header?: boolean) => {
    const out: SourceRecord[] = [];
    const t = new TabularRecords('t.csv', (r) => out.push(r), header);
    rows.forEach((fields, i) => t.add({ line: i + 1, fields }));
    t.end();
    return { records: out, header: t.header };
  };

  it('a header names columns; a first row whose values recur below, or that is long or numeric, is data', () => {
    expect(table([['sentence', 'label'], ['good film', '1'], ['bad film', '0']]).header).toBe(true);
    expect(table([['nice day', 'pos'], ['awful day', 'neg'], ['lovely', 'pos']])).toMatchObject({
      header: false,
      records: [{ position: 1, fields: { column1: 'nice day', column2: 'pos' } }, { position: 2 }, { position: 3 }],
    });
    expect(table([['1', '2'], ['3', '4']]).header).toBe(false);
    expect(table([['text', 'label'], ['a', 'x']], false).records).toHaveLength(2);
  });
});

describe('format by content', () => {
  it('looks past the extension where the content is unmistakable', () => {
    expect(chooseFormat('data.txt', '[{"text": "a"}]', true).format).toBe('json');
    expect(chooseFormat('data.json', '{"text":"a"}\n{"text":"b"}\n', true).format).toBe('jsonl');
    expect(chooseFormat('data.csv', '{"text":"a"}\n', true).format).toBe('jsonl');
    expect(chooseFormat('questions.txt', 'NUM:dist How far ?\nLOC:city Where is it ?\n', true).format).toBe('trec');
    expect(chooseFormat('spam.txt', 'ham\thello there\nspam\tWIN now\n', true)).toEqual({ format: 'tsv', delimiter: '\t' });
    expect(chooseFormat('notes.txt', 'Chapter 1: it begins, slowly.\nThen, more.\n', true).format).toBe('txt');
    expect(chooseFormat('x.csv', 'a|b\n1|2\n', true)).toEqual({ format: 'csv', delimiter: '|' });
    expect(chooseFormat('x.csv', 'a\tb\n1\t2\n', true)).toEqual({ format: 'tsv', delimiter: '\t' });
    expect(chooseFormat('x.dat', 'a;b\n1;2\n', true, { format: 'csv' })).toEqual({ format: 'csv', delimiter: ';' });
  });

  it('plain text: one example per line, or a corpus of paragraphs', () => {
    const parse = (text: string, mode: 'auto' | 'lines' | 'corpus' = 'auto') => {
      const out: string[] = [];
      const p = new TextLinesParser('t.txt', (r) => out.push(r.fields.text as string), mode);
      p.feed(text);
      p.end();
      return { texts: out, mode: p.mode };
    };
    const prose = 'It was a dark\nand stormy night.\n\nThe rain fell\nin torrents.\n\nExcept at\nintervals.\n';
    expect(parse(prose)).toEqual({ mode: 'corpus', texts: ['It was a dark\nand stormy night.', 'The rain fell\nin torrents.', 'Except at\nintervals.'] });
    expect(parse('one\ntwo\n\nthree\n')).toEqual({ mode: 'lines', texts: ['one', 'two', 'three'] });
    expect(parse(prose, 'lines').texts).toHaveLength(6);
  });
});

describe('preprocessing steps', () => {
  it('normalise whitespace, remove stop words, tokenise', () => {
    expect(normalizeWhitespace('  a \t b  \r\n\r\n\r\n\n  c  ')).toBe('a b\n\nc');
    expect(removeWords('The cat sat on the mat', new Set(['the', 'on']))).toBe('cat sat mat');
    expect(tokenizeText("Hi, there! Don't stop.\nNew line")).toBe("Hi , there ! Don't stop .\nNew line");
  });
});
