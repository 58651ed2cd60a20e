// A Translator (./translator.ts) from an artifact's files: its sides, first model and shortlist, then its ensemble
// members (or later: the Worker loads a cold artifact's first model alone, then its members, src/store/load-version.ts).
import { DECODER_JSON, ENCODER_JSON, SPECIAL_TOKENS, ArtifactError, type Manifest } from './artifact.js';
import { buildModel } from './model/build.js';
import type { Precision } from './model/gemm.js';
import { file } from './model/load.js';
import { disposeInferenceModel } from './model/seq2seq.js';
import { Shortlist } from './shortlist.js';
import { readSide } from './text-sides.js';
import { Translator } from './translator.js';

/**
 * Builds a Translator from an artifact's files (every file of manifest.files, already read and verified; without the
 * ensemble members' files, memberFiles, when `members` is false: it decodes with its first model until withMembers).
 * `precision`: of the decoder's weights, int8 unless a tool asks for float32 (./model/gemm.ts).
 */
export async function loadTranslator(
  manifest: Manifest,
  files: Record<string, Uint8Array>,
  precision: Precision = 'int8',
  { members = true } = {},
): Promise<Translator> {
  if (JSON.stringify(manifest.specialTokens) !== JSON.stringify(SPECIAL_TOKENS)) {
    throw new ArtifactError(
      `manifest specialTokens must be ${JSON.stringify(SPECIAL_TOKENS)}: the first lines of every vocab file`,
    );
  }
  const source = readSide(files, manifest.source, manifest.model.sourceVocabSize);
  const target = readSide(files, manifest.target, manifest.model.targetVocabSize);
  const model = buildModel(ENCODER_JSON, DECODER_JSON, manifest.model, files, precision);
  try {
    const shortlist =
      manifest.shortlist &&
      Shortlist.parse(
        file(files, manifest.shortlist.file),
        manifest.shortlist,
        { source: source.vocab.size, target: target.vocab.size },
        manifest.specialTokens,
      );
    const first = new Translator(manifest, model, source, target, shortlist);
    return members ? first.withMembers(files, precision) : first;
  } catch (err) {
    disposeInferenceModel(model);
    throw err;
  }
}

/** The files only the ensemble members read: those under each member's encoder and decoder folders (members/<version>/). */
export function memberFiles(manifest: Manifest): string[] {
  const folders = (manifest.ensemble ?? []).flatMap((member) =>
    [member.encoder, member.decoder].map((path) => path.slice(0, path.lastIndexOf('/') + 1)),
  );
  return Object.keys(manifest.files).filter((path) =>
    folders.some((folder) => folder !== '' && path.startsWith(folder)),
  );
}
