// .srt and .vtt subtitles: a cue's text is translated, everything else comes back byte for byte: cue numbers and
// identifiers, timing lines (with WebVTT's cue settings), the WEBVTT header, NOTE, STYLE and REGION blocks, blank
// lines and line endings. A cue's lines are one sentence for the model (a subtitle often breaks a sentence across
// lines); the translation keeps the cue's number of lines when it has spaces to break at (English), else is one line
// (Japanese). Tags (<i>, <c.x>, <v Name>, <00:00:01.000>) and SRT's {\an8} are kept as points (./inline.ts).
import { decodeText, FileError, MB, type FileFormat, type ReadFile, type Segment } from './format.js';
import { inlineHasLetters, inlineSegment, joinInline, readInline, withPlaceholders } from './inline.js';

const TIMING = /-->/;
const CUE_MARKUP = /<[^<>]*>|\{\\[^{}]*\}/g;

function readSubtitles(bytes: Uint8Array, vtt: boolean): ReadFile {
  const { text, encode } = decodeText(bytes, 'subtitle file');
  if (vtt && !/^\uFEFF?WEBVTT(?:[ \t]|\r?\n|\r|$)/.test(text))
    throw new FileError('not a WebVTT file: it must start with "WEBVTT"');
  const parts = text.split(/(\r\n|\r|\n)/); // lines at even indices, their line breaks between
  const segments: Segment[] = [];
  const cues: { first: number; last: number; kept: string[]; segment: number }[] = [];
  let blockStart = true,
    inCue = false,
    skipBlock = false;
  for (let i = 0; i < parts.length; i += 2) {
    const line = parts[i]!;
    if (line.trim() === '') {
      blockStart = true;
      inCue = false;
      skipBlock = false;
      continue;
    }
    if (blockStart) skipBlock = vtt && /^(?:NOTE|STYLE|REGION)(?:[ \t]|$)/.test(line);
    blockStart = false;
    if (skipBlock) continue;
    if (TIMING.test(line) && !inCue) {
      inCue = true;
      continue;
    }
    if (!inCue) continue; // a cue number or identifier, or the header
    const last = cues[cues.length - 1];
    if (last && last.last === i - 2) {
      last.last = i;
      continue;
    }
    cues.push({ first: i, last: i, kept: [], segment: -1 });
  }
  for (const cue of cues) {
    const lines = parts.slice(cue.first, cue.last + 1).filter((_, k) => k % 2 === 0);
    const items = withPlaceholders(lines.map((l) => l.trim()).join(' '), cue.kept, CUE_MARKUP);
    if (inlineHasLetters(items)) cue.segment = segments.push(inlineSegment(items)) - 1;
  }
  if (segments.length === 0)
    throw new FileError(
      `the file has no subtitle text to translate${cues.length === 0 ? ' (no cue with a timing line "-->")' : ''}`,
    );
  return {
    segments,
    write(translations) {
      const out = [...parts];
      for (const cue of cues.filter((c) => c.segment >= 0)) {
        const segment = segments[cue.segment]!;
        const translated = joinInline(readInline(segment, translations[cue.segment]!), cue.kept);
        const lines = breakLines(translated, (cue.last - cue.first) / 2 + 1);
        const eol = parts[cue.first + 1] ?? '\n';
        out.splice(cue.first, cue.last - cue.first + 1, lines.join(eol), ...new Array(cue.last - cue.first).fill(''));
      }
      return encode(out.join(''));
    },
  };
}

/** `text` in at most `count` lines of about equal length, broken at spaces; one line when it has no spaces. */
export function breakLines(text: string, count: number): string[] {
  const lines: string[] = [];
  let rest = text.trim();
  for (let n = count; n > 1; n--) {
    const target = rest.length / n;
    let best = -1;
    for (const m of rest.matchAll(/ +/g))
      if (best < 0 || Math.abs(m.index - target) < Math.abs(best - target)) best = m.index;
    if (best <= 0) break;
    lines.push(rest.slice(0, best));
    rest = rest.slice(best).trimStart();
  }
  return [...lines, rest];
}

export const srt: FileFormat = {
  name: 'srt',
  extensions: ['.srt'],
  mediaType: 'application/x-subrip; charset=utf-8',
  maxBytes: 10 * MB,
  read: (bytes) => readSubtitles(bytes, false),
};
export const vtt: FileFormat = {
  name: 'vtt',
  extensions: ['.vtt'],
  mediaType: 'text/vtt; charset=utf-8',
  maxBytes: 10 * MB,
  read: (bytes) => readSubtitles(bytes, true),
};
