// TREC question-classification lines (`.label` files): `COARSE:fine question text`, e.g. `NUM:dist How far is it … ?`.
// Each line becomes { label: 'NUM', fine_label: 'NUM:dist', text }; the coarse label (TREC-6) is the default, and
// `--map label=fine_label` trains on the 50 fine classes instead.
import { badInput } from '../../common/result';
import { LineRecordParser } from './lineRecordParser';

export const TREC_LINE = /^([A-Za-z_]+):(\S+)\s+(.*)$/;
/** Stricter, for recognising TREC lines in a file of unknown kind: `ABBR:exp What …`. */
export const TREC_SNIFF = /^[A-Z]+:[a-z]\S*\s+\S/;

export class TrecParser extends LineRecordParser {
  protected parseLine(text: string, line: number): void {
    const match = TREC_LINE.exec(text);
    if (!match) throw badInput(`${this.fileName} line ${line}: expected 'LABEL:fine text' (for example 'NUM:dist How far is it ?').`);
    const [, coarse, fine, question] = match;
    this.onRecord({ position: line, fields: { label: coarse, fine_label: `${coarse}:${fine}`, text: question } });
  }
}
