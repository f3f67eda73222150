/*
 * sphinx-stream: live speech recognition over stdin/stdout for the captions engine.
 *
 * Reads 16 kHz mono s16le PCM from stdin, decodes it with PocketSphinx, and writes one JSON line
 * per interim hypothesis (while the text changes, at most every INTERIM_MS of audio) and one per
 * final, flushing each line:
 *   {"utt":0,"final":false,"text":"this leather","startMs":1010,"endMs":1830}
 *   {"utt":0,"final":true,"text":"...","words":[{"word":"this","startMs":1090,"endMs":1240},...],"startMs":1090,"endMs":4120}
 * Times are offsets in the PCM read so far. The voice activity detector splits utterances.
 * Arguments are PocketSphinx's own (-hmm, -lm, -dict, -vad_postspeech, ...). EOF on stdin ends the
 * utterance in progress, prints its final, and exits 0.
 * pocketsphinx_continuous cannot serve: it prints finals only and buffers its stdout.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <pocketsphinx.h>

#define SAMPLES_PER_MS 16
#define FRAME_MS 10 /* 100 frames per second */
#define INTERIM_MS 250
#define CHUNK_SAMPLES 1600 /* 100 ms: small, so speech boundaries are seen promptly */

static void put_json_string(const char *s) {
  putchar('"');
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\') printf("\\%c", c);
    else if (c < 0x20) printf("\\u%04x", c);
    else putchar(c);
  }
  putchar('"');
}

/* Fillers (<s>, </s>, <sil>, [NOISE], ++BREATH++) are not words anyone said. */
static int is_filler(const char *w) {
  return w[0] == '<' || w[0] == '[' || w[0] == '+';
}

/* The dictionary names alternative pronunciations "word(2)": print only "word". */
static void put_word(const char *w) {
  char buf[256];
  size_t n = strcspn(w, "(");
  if (n >= sizeof buf) n = sizeof buf - 1;
  memcpy(buf, w, n);
  buf[n] = '\0';
  put_json_string(buf);
}

/*
 * Interim: the text so far, from the detector's start of speech to the audio decoded. Final: the
 * words with their times; the decoder's frame numbers count from the start of the stream.
 */
static void emit(ps_decoder_t *ps, int utt, int final, long start_ms, long end_ms) {
  const char *hyp = ps_get_hyp(ps, NULL);
  printf("{\"utt\":%d,\"final\":%s,\"text\":", utt, final ? "true" : "false");
  put_json_string(hyp ? hyp : "");
  if (final) {
    int first = 1;
    printf(",\"words\":[");
    for (ps_seg_t *seg = ps_seg_iter(ps); seg; seg = ps_seg_next(seg)) {
      const char *w = ps_seg_word(seg);
      if (is_filler(w)) continue;
      int sf, ef;
      ps_seg_frames(seg, &sf, &ef);
      long ws = (long)sf * FRAME_MS, we = (long)(ef + 1) * FRAME_MS;
      if (first) start_ms = ws;
      end_ms = we;
      printf("%s{\"word\":", first ? "" : ",");
      put_word(w);
      printf(",\"startMs\":%ld,\"endMs\":%ld}", ws, we);
      first = 0;
    }
    printf("]");
  }
  printf(",\"startMs\":%ld,\"endMs\":%ld}\n", start_ms, end_ms);
  fflush(stdout);
}

int main(int argc, char *argv[]) {
  cmd_ln_t *config = cmd_ln_parse_r(NULL, ps_args(), argc, argv, TRUE);
  if (!config) {
    fprintf(stderr, "sphinx-stream: bad arguments\n");
    return 2;
  }
  ps_decoder_t *ps = ps_init(config);
  if (!ps) {
    fprintf(stderr, "sphinx-stream: cannot load the model\n");
    return 3;
  }
  /* Frames the detector keeps from before it heard speech: the utterance's frame 0 is this far back. */
  long prespeech_ms = (long)cmd_ln_int32_r(config, "-vad_prespeech") * FRAME_MS;

  int16 pcm[CHUNK_SAMPLES];
  size_t have = 0; /* bytes in pcm, so an odd byte from a short read waits for its pair */
  long fed = 0;    /* samples decoded so far */
  int utt = 0, in_utt = 0;
  long utt_start_ms = 0, last_end_ms = 0, last_interim_ms = 0;
  char last_text[4096] = "";

  ps_start_utt(ps);
  for (;;) {
    ssize_t r = read(0, (char *)pcm + have, sizeof pcm - have);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    have += (size_t)r;
    size_t samples = have / 2;
    if (samples == 0) continue;
    if (ps_process_raw(ps, pcm, samples, FALSE, FALSE) < 0) {
      /* Not silence: the decoder is broken. Exit, so the supervisor starts a fresh one. */
      fprintf(stderr, "sphinx-stream: decoding failed\n");
      return 4;
    }
    fed += (long)samples;
    if (have % 2) ((char *)pcm)[0] = ((char *)pcm)[have - 1];
    have %= 2;
    long now_ms = fed / SAMPLES_PER_MS;

    int speech = ps_get_in_speech(ps);
    if (speech && !in_utt) {
      in_utt = 1;
      utt_start_ms = now_ms - prespeech_ms - CHUNK_SAMPLES / SAMPLES_PER_MS;
      if (utt_start_ms < last_end_ms) utt_start_ms = last_end_ms;
      last_interim_ms = now_ms;
      last_text[0] = '\0';
    } else if (speech && now_ms - last_interim_ms >= INTERIM_MS) {
      last_interim_ms = now_ms;
      const char *hyp = ps_get_hyp(ps, NULL);
      /* Compared over what last_text holds, so a hypothesis longer than it is not "new" every time. */
      if (hyp && *hyp && strncmp(hyp, last_text, sizeof last_text - 1) != 0) {
        snprintf(last_text, sizeof last_text, "%s", hyp);
        emit(ps, utt, 0, utt_start_ms, now_ms);
      }
    } else if (!speech && in_utt) {
      ps_end_utt(ps);
      const char *hyp = ps_get_hyp(ps, NULL);
      /* An utterance that showed interim text gets a final even when it decoded to nothing, to clear it. */
      if ((hyp && *hyp) || last_text[0]) {
        emit(ps, utt, 1, utt_start_ms, now_ms);
        last_end_ms = now_ms;
        utt++;
      }
      in_utt = 0;
      ps_start_utt(ps);
    }
  }
  ps_end_utt(ps);
  const char *hyp = ps_get_hyp(ps, NULL);
  if (in_utt && ((hyp && *hyp) || last_text[0])) emit(ps, utt, 1, utt_start_ms, fed / SAMPLES_PER_MS);
  ps_free(ps);
  cmd_ln_free_r(config);
  return 0;
}
