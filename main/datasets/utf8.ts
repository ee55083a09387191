// A UTF-8 validator that says where the bytes go wrong, with the WHATWG decoder's rules (no overlongs, no surrogates,
// nothing above U+10FFFF). TextDecoder tells only that they do.

export interface Utf8Scan {
  invalidAt: number; // index of the first byte of the first invalid sequence, or -1
  completeEnd: number; // bytes [0, completeEnd) are whole characters; the rest is a sequence cut by the chunk end
}

export function scanUtf8(bytes: Uint8Array): Utf8Scan {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      else if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      else if (b === 0xf4) hi = 0x8f;
    } else return { invalidAt: i, completeEnd: i };
    for (let k = 1; k <= need; k++) {
      if (i + k >= n) return { invalidAt: -1, completeEnd: i };
      const c = bytes[i + k];
      if (c < (k === 1 ? lo : 0x80) || c > (k === 1 ? hi : 0xbf)) return { invalidAt: i, completeEnd: i };
    }
    i += need + 1;
  }
  return { invalidAt: -1, completeEnd: n };
}
