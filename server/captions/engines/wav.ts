/** A canonical 44-byte-header WAV around raw PCM, as transcription endpoints take audio. */
import { PCM_SAMPLE_RATE } from './speech-to-text.ts';

export const WAV_HEADER_BYTES = 44;

/** 16-bit little-endian PCM (16 kHz mono by default) as a WAV file. */
export function wavFromPcm(pcm: Buffer, sampleRate = PCM_SAMPLE_RATE, channels = 1): Buffer {
  const blockAlign = channels * 2;
  const header = Buffer.alloc(WAV_HEADER_BYTES);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + pcm.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16); // fmt chunk size
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * blockAlign, 28); // byte rate
  header.writeUInt16LE(blockAlign, 32);
  header.writeUInt16LE(16, 34); // bits per sample
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(pcm.length, 40);
  return Buffer.concat([header, pcm]);
}
