// Document translation jobs: one Durable Object per owner (../http/owner.ts) holds that owner's jobs, runs them one
// at a time in the background, and forgets them once downloaded or 24 hours after upload. The files themselves are
// in R2 (the DOCUMENTS bucket) under the owner's prefix, `documents/<owner>/<id>/source|result`; the object's storage
// holds each job's record (status, progress, the document key's hash, the error), so a job's status survives a
// restart of the Worker (`npm start` persists both under --persist-to) and another owner never reaches it: each owner
// has an object of its own, and every read also checks the document key.
//
// Why a Durable Object rather than Queues: the per-owner object is the one place that counts an owner's jobs in
// flight (a limit must see every upload at once, which a queue's consumer cannot), keeps the job records with strong
// consistency (a status read right after the upload sees it), runs the work through its alarm with no extra binding
// or consumer Worker, and works the same in `npm start`, the tests (vitest-pool-workers) and a deployment.
//
// Lifecycle: create() records the job `queued` and sets the alarm. Each alarm runs one step of the oldest job waiting:
// its next chunk of ../core/files/translate-file.ts (about 2,000 characters, 1-2 s of decoding) translated and kept in
// the object's storage (`translating`, with its progress), or after its last chunk the file written to R2 and the job
// marked `done`; then the alarm is set again. So every step stays within the platform's CPU limit per alarm, status
// reads are answered between steps, and a restart loses at most the step it cut off: it is run again (at most
// MAX_ATTEMPTS times), the chunks before it are kept. A job fails (`error`, with the reason: the file's FileError, a
// language pair not served, a model that cannot be loaded) with its upload, its kept chunks and its charge given
// back. If the alarm was lost with the process, the next status read sets it again. The result is written whole
// before `done` is: a failed job leaves no half-written file. A job is forgotten 24 hours after its upload.
import { DurableObject } from 'cloudflare:workers';
import type { FindTerms } from '../core/document/verbatim-mask.js';
import { detectLanguage } from '../core/language.js';
import { FormalityError, type Formality } from '../core/register.js';
import { FileError, type ReadFile } from '../core/files/format.js';
import { formatOf } from '../core/files/index.js';
import { chunksOf, sampleText, textLength, translateChunk } from '../core/files/translate-file.js';
import { MarkupError } from '../core/segment/markup.js';
import type { Translator } from '../core/translator.js';
import { readConfig, type Config, type ConfigVars } from '../http/config.js';
import { DictionaryNotFoundError, GlossaryNotFoundError, GlossaryStore } from './glossaries.js';
import { refund } from './keys.js';
import { DictionaryStore } from './dictionary-store.js';
import { ModelStore, ModelUnavailableError, type Lease } from './model-store.js';

/** How long a document is kept after upload (DeepL's: 24 hours), downloaded or not. */
export const KEEP_MS = 24 * 60 * 60 * 1000;
/** Runs of one job before it is given up (each cut off by a restart). */
const MAX_ATTEMPTS = 3;
/** A first guess of the translation speed, for seconds_remaining before a job has any progress to measure. */
const GUESS_CHARS_PER_SECOND = 400;

export type JobStatus = 'queued' | 'translating' | 'done' | 'error';

/** What the route hands over: the file is already in R2 at sourceKey(owner, id). */
export interface NewJob {
  id: string;
  keyHash: string; // sha256 hex of the document key
  filename: string;
  target: string; // "ja"
  source?: string; // "en", or undefined: detected from the text
  characters: number; // billed characters, counted at upload
  beam: number;
  glossaryId?: string; // a glossary of the owner's whose source -> target terms apply (checked at upload)
  formality?: Formality; // DeepL's, for Japanese output of a model with registers (../core/register.ts)
}

export interface Job extends NewJob {
  owner: string;
  status: JobStatus;
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  progress: number; // share of the characters translated, 0..1
  chunk?: number; // while translating: the next chunk (../core/files/translate-file.ts chunksOf)
  attempts: number; // of the current step: a step cut off by a restart is run again, at most MAX_ATTEMPTS times
  error?: string;
}

/** What a job's steps share (DocumentJobs #work). */
interface Work {
  file: ReadFile;
  config: Config;
  direction: string;
  glossary?: (direction: string) => FindTerms | undefined;
  chunks: number[][];
  done: number[]; // characters translated after each chunk
  total: number;
}

/** A job as its owner sees it. */
export interface JobView {
  id: string;
  filename: string;
  status: JobStatus;
  secondsRemaining?: number;
  billedCharacters?: number;
  progress: number;
  error?: string;
}

export type CreateResult = { created: true } | { created: false; inFlight: number };
export type Claim = { ready: true; filename: string } | { ready: false; status: JobStatus; error?: string } | undefined;

const prefix = (owner: string) => `documents/${encodeURIComponent(owner)}/`;
export const sourceKey = (owner: string, id: string): string => `${prefix(owner)}${id}/source`;
export const resultKey = (owner: string, id: string): string => `${prefix(owner)}${id}/result`;
const JOB = 'job:';
const partKey = (id: string, chunk: number | '') => `part:${id}:${chunk === '' ? '' : String(chunk).padStart(6, '0')}`;

/** The sha256 of a document key, hex: records hold only this. */
export async function hashKey(key: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(key)));
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** What the jobs read of the Worker's environment (../http/env.ts Env, which names this class, holds it all). */
interface JobsEnv extends ConfigVars {
  MODELS: R2Bucket;
  DOCUMENTS: R2Bucket;
  DB: D1Database;
}

let store: ModelStore | undefined; // one per isolate, as the app's: models are loaded once
let dictionary: DictionaryStore | undefined; // and the dictionary (./dictionary-store.ts)

export class DocumentJobs extends DurableObject<JobsEnv> {
  #running = false;
  readonly #works = new Map<string, Work>();

  /** Records a new job, unless the owner has `maxInFlight` jobs queued or translating already. */
  async create(owner: string, job: NewJob, maxInFlight: number): Promise<CreateResult> {
    const inFlight = (await this.#jobs()).filter((j) => j.status === 'queued' || j.status === 'translating').length;
    if (inFlight >= maxInFlight) return { created: false, inFlight };
    await this.ctx.storage.put(JOB + job.id, {
      ...job,
      owner,
      status: 'queued',
      createdAt: Date.now(),
      progress: 0,
      attempts: 0,
    } satisfies Job);
    await this.#wake();
    return { created: true };
  }

  /** The job, if `keyHash` is its key's: else undefined, as for a job that does not exist. */
  async status(id: string, keyHash: string): Promise<JobView | undefined> {
    const job = await this.#job(id, keyHash);
    if (!job) return undefined;
    if (
      (job.status === 'queued' || job.status === 'translating') &&
      !this.#running &&
      (await this.ctx.storage.getAlarm()) === null
    )
      await this.#wake();
    return {
      id: job.id,
      filename: job.filename,
      status: job.status,
      progress: job.progress,
      error: job.error,
      secondsRemaining: await this.#secondsRemaining(job),
      ...(job.status === 'done' && { billedCharacters: job.characters }),
    };
  }

  /** Hands a done job's result over once: the record is deleted (the route deletes the R2 object after reading it). */
  async claim(id: string, keyHash: string): Promise<Claim> {
    const job = await this.#job(id, keyHash);
    if (!job) return undefined;
    if (job.status !== 'done') return { ready: false, status: job.status, error: job.error };
    await this.ctx.storage.delete(JOB + id);
    return { ready: true, filename: job.filename };
  }

  async alarm(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    try {
      const job = await this.#next();
      if (job) await this.#step(job);
      else await this.#expire();
    } finally {
      this.#running = false;
      await this.#schedule();
    }
  }

  /** One step of a job: its next chunk translated and kept, or, after its last, the file written. */
  async #step(job: Job): Promise<void> {
    if (job.status === 'queued')
      Object.assign(job, { status: 'translating', startedAt: Date.now(), progress: 0, chunk: 0 });
    if (job.attempts >= MAX_ATTEMPTS)
      return this.#fail(
        job,
        `the translation was cut off ${job.attempts} times (the server restarted); upload the file again`,
      );
    job.attempts++; // of this step: back to 0 once it is done
    await this.#save(job);
    const leases = new Map<string, Promise<Lease>>();
    try {
      const work = await this.#work(job);
      const chunk = job.chunk ?? 0;
      if (chunk < work.chunks.length) {
        store ??= new ModelStore({ bucket: this.env.MODELS, pointerTtlMs: work.config.pointerTtlMs });
        dictionary ??= new DictionaryStore({ bucket: this.env.MODELS, pointerTtlMs: work.config.pointerTtlMs });
        const translatorFor = async (d: string): Promise<Translator> => {
          if (!leases.has(d)) leases.set(d, store!.lease(d, undefined, { whole: true }));
          return (await leases.get(d)!).translator;
        };
        const options = {
          direction: work.direction,
          beam: job.beam,
          replaceUnknown: true,
          glossary: work.glossary,
          formality: job.formality,
          dictionary: () => dictionary!.get(),
        };
        const translations = await translateChunk(
          work.file.segments,
          work.chunks[chunk]!,
          work.config.directions,
          translatorFor,
          options,
        );
        await this.ctx.storage.put(partKey(job.id, chunk), translations);
        Object.assign(job, { chunk: chunk + 1, progress: work.done[chunk]! / Math.max(1, work.total), attempts: 0 });
        return this.#save(job);
      }
      const translations: string[] = new Array(work.file.segments.length);
      const parts = await this.ctx.storage.list<string[]>({ prefix: partKey(job.id, '') });
      work.chunks.forEach((indices, k) =>
        indices.forEach((i, n) => (translations[i] = parts.get(partKey(job.id, k))![n]!)),
      );
      await this.env.DOCUMENTS.put(resultKey(job.owner, job.id), work.file.write(translations));
      Object.assign(job, { status: 'done', progress: 1, finishedAt: Date.now(), characters: work.total, attempts: 0 });
      await this.#save(job);
      await this.#forget(job, false);
    } catch (err) {
      await this.#fail(job, reasonOf(err));
    } finally {
      for (const lease of leases.values())
        lease.then(
          (l) => l.release(),
          () => {},
        );
    }
  }

  /** What a job's steps share, read once per job in this instance (again after a restart): the file, its
   *  direction and glossary, its chunks, and the characters translated after each. */
  async #work(job: Job): Promise<Work> {
    const cached = this.#works.get(job.id);
    if (cached) return cached;
    const object = await this.env.DOCUMENTS.get(sourceKey(job.owner, job.id));
    if (!object) throw new FileError('the uploaded file is no longer stored');
    const format = formatOf(job.filename);
    if (!format) throw new FileError(`files named ${job.filename} cannot be translated`);
    const file = format.read(new Uint8Array(await object.arrayBuffer()), { target: job.target });
    const config = readConfig(this.env);
    const source = job.source ?? detectLanguage(sampleText(file.segments));
    if (source === job.target) throw new FileError('Source and target language are equal.');
    const direction = `${source}-${job.target}`;
    if (!config.directions.includes(direction))
      throw new FileError(`Unsupported language pair: '${source.toUpperCase()}' => '${job.target.toUpperCase()}'.`);
    const glossary = job.glossaryId === undefined ? undefined : await this.#glossary(job, source, direction);
    const chunks = chunksOf(file.segments);
    let sum = 0;
    const done = chunks.map((chunk) => (sum += textLength(chunk.map((i) => file.segments[i]!))));
    const work: Work = { file, config, direction, glossary, chunks, done, total: sum };
    this.#works.set(job.id, work);
    return work;
  }

  /** Drops what a job kept while translating: its chunks' translations, its upload (and with `result`, its result). */
  async #forget(job: Job, result: boolean): Promise<void> {
    this.#works.delete(job.id);
    await this.ctx.storage.delete([...(await this.ctx.storage.list({ prefix: partKey(job.id, '') })).keys()]);
    await this.env.DOCUMENTS.delete([sourceKey(job.owner, job.id), ...(result ? [resultKey(job.owner, job.id)] : [])]);
  }

  /** The job's glossary terms, read when it runs: a glossary deleted since the upload fails the job. */
  async #glossary(job: Job, source: string, direction: string): Promise<(d: string) => FindTerms | undefined> {
    try {
      const matcher = await new GlossaryStore(this.env.DB).matcher(job.owner, job.glossaryId!, source, job.target);
      return (d) => (d === direction ? (text) => matcher.find(text) : undefined);
    } catch (err) {
      if (err instanceof GlossaryNotFoundError || err instanceof DictionaryNotFoundError)
        throw new FileError(`the glossary ${job.glossaryId} (or its ${direction} dictionary) was deleted`);
      throw err;
    }
  }

  async #fail(job: Job, error: string): Promise<void> {
    Object.assign(job, { status: 'error', error, finishedAt: Date.now() });
    await this.#save(job);
    await refund(this.env.DB, job.owner, job.characters); // charged at upload (../http/documents.ts)
    await this.#forget(job, true);
  }

  /** The oldest job waiting, or one cut off while translating. */
  async #next(): Promise<Job | undefined> {
    const waiting = (await this.#jobs()).filter((j) => j.status === 'queued' || j.status === 'translating');
    return waiting.sort((a, b) => a.createdAt - b.createdAt)[0];
  }

  /** Forgets the jobs older than KEEP_MS, and their files. */
  async #expire(): Promise<void> {
    const now = Date.now();
    for (const job of await this.#jobs()) {
      if (now - job.createdAt < KEEP_MS) continue;
      await this.#forget(job, true);
      await this.ctx.storage.delete(JOB + job.id);
    }
  }

  /** The next alarm: now while jobs wait or translate, else when the oldest job expires, else none. */
  async #schedule(): Promise<void> {
    const jobs = await this.#jobs();
    if (jobs.some((j) => j.status === 'queued' || j.status === 'translating')) return this.#wake();
    const expiry = Math.min(...jobs.map((j) => j.createdAt + KEEP_MS));
    if (Number.isFinite(expiry)) await this.ctx.storage.setAlarm(expiry);
    else await this.ctx.storage.deleteAlarm();
  }

  async #wake(): Promise<void> {
    const now = Date.now(),
      alarm = await this.ctx.storage.getAlarm();
    if (alarm === null || alarm > now) await this.ctx.storage.setAlarm(now);
  }

  async #secondsRemaining(job: Job): Promise<number | undefined> {
    if (job.status === 'done') return 0;
    if (job.status === 'error') return undefined;
    const guess = (chars: number) => chars / GUESS_CHARS_PER_SECOND;
    if (job.status === 'translating' && job.startedAt !== undefined && job.progress > 0) {
      const elapsed = (Date.now() - job.startedAt) / 1000;
      return Math.max(0, Math.round((elapsed / job.progress) * (1 - job.progress)));
    }
    const ahead = (await this.#jobs()).filter(
      (j) => (j.status === 'queued' || j.status === 'translating') && j.createdAt < job.createdAt,
    );
    return Math.round(guess(ahead.reduce((sum, j) => sum + j.characters * (1 - j.progress), 0) + job.characters));
  }

  async #job(id: string, keyHash: string): Promise<Job | undefined> {
    const job = await this.ctx.storage.get<Job>(JOB + id);
    return job && equalHex(job.keyHash, keyHash) ? job : undefined;
  }

  async #jobs(): Promise<Job[]> {
    return [...(await this.ctx.storage.list<Job>({ prefix: JOB })).values()];
  }

  async #save(job: Job): Promise<void> {
    await this.ctx.storage.put(JOB + job.id, job);
  }
}

/** Compares two hashes without an early exit. */
function equalHex(a: string, b: string): boolean {
  let difference = a.length ^ b.length;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ (b.charCodeAt(i) || 0);
  return difference === 0;
}

/** Why a job failed, in words for the person who sent the file; a bug is logged and said as such. */
function reasonOf(err: unknown): string {
  if (err instanceof FileError) return err.message;
  if (err instanceof MarkupError) return `the file's markup cannot be read: ${err.message}`;
  if (err instanceof ModelUnavailableError) return err.message;
  if (err instanceof FormalityError) return "'formality' is not supported for given 'target_lang'.";
  console.error('document translation failed', err);
  return 'internal error while translating the document';
}
