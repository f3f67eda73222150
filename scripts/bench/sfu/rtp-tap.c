/*
 * RTP header tap for the SFU benchmark: the part of a sink that touches every packet, kept out of
 * JavaScript so reading 100,000 packets a second costs a sliver of what the worker spends sending them.
 *
 * stdin:  "open N\n" binds N more UDP sockets on 127.0.0.1; their ports come back as one line on fd 3.
 * stdout: one 24-byte record per RTP packet, in the machine's byte order, little-endian on x86-64 and arm64
 *         (read by tap-records.ts):
 *         ssrc u32, timestamp u32, seq u16, payload type u8, 0 u8, socket index u32,
 *         arrival ms f64 (the kernel's receive time, so reading in batches does not blur jitter).
 * RTCP (rtcp-mux, RFC 5761) and anything shorter than an RTP header is skipped. Exits when stdin closes.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64
#define HEAD 12
#define RECORD 24
/* Pause between rounds so each wakeup reads many packets; arrival times come from the kernel, so it does not blur jitter. */
#define ROUND_PAUSE_NS 2000000

static int epfd;
static unsigned sockets = 0;
static unsigned char out[1 << 16];
static size_t used = 0;

static void die(const char *what) {
  perror(what);
  exit(1);
}


static void write_all(int fd, const void *buf, size_t len) {
  const char *p = buf;
  while (len > 0) {
    ssize_t n = write(fd, p, len);
    if (n < 0) die("write");
    p += n;
    len -= (size_t)n;
  }
}

static void open_sockets(unsigned n) {
  char line[16];
  for (unsigned i = 0; i < n; i++) {
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    if (fd < 0) die("socket");
    int size = 1 << 20, on = 1;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = 0};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (bind(fd, (struct sockaddr *)&addr, len) < 0 || getsockname(fd, (struct sockaddr *)&addr, &len) < 0) die("bind");
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = ((uint64_t)sockets << 32) | (uint32_t)fd};
    if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0) die("epoll_ctl");
    sockets++;
    snprintf(line, sizeof line, i ? " %u" : "%u", ntohs(addr.sin_port));
    write_all(3, line, strlen(line));
  }
  write_all(3, "\n", 1);
}

static void flush(void) {
  write_all(1, out, used);
  used = 0;
}

/* When the kernel received the datagram (SO_TIMESTAMPNS), in ms; 0 if it did not say. */
static double arrival_ms(struct msghdr *m) {
  for (struct cmsghdr *c = CMSG_FIRSTHDR(m); c; c = CMSG_NXTHDR(m, c)) {
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
      struct timespec t;
      memcpy(&t, CMSG_DATA(c), sizeof t);
      return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
    }
  }
  return 0;
}

/* Reads one socket dry, a batch of datagrams per system call, adding a record per RTP packet. */
static void drain(int fd, uint32_t index) {
  unsigned char heads[BATCH][HEAD];
  char control[BATCH][CMSG_SPACE(sizeof(struct timespec))];
  struct iovec iov[BATCH];
  struct mmsghdr msgs[BATCH];
  for (;;) {
    memset(msgs, 0, sizeof msgs);
    for (int i = 0; i < BATCH; i++) {
      /* Only the header is copied out; the kernel discards the rest of each datagram. */
      iov[i] = (struct iovec){heads[i], HEAD};
      msgs[i].msg_hdr.msg_iov = &iov[i];
      msgs[i].msg_hdr.msg_iovlen = 1;
      msgs[i].msg_hdr.msg_control = control[i];
      msgs[i].msg_hdr.msg_controllen = sizeof control[i];
    }
    int n = recvmmsg(fd, msgs, BATCH, MSG_DONTWAIT, NULL);
    if (n <= 0) return;
    if (used + (size_t)n * RECORD > sizeof out) flush();
    for (int i = 0; i < n; i++) {
      const unsigned char *h = heads[i];
      if (msgs[i].msg_len < HEAD || h[0] >> 6 != 2 || (h[1] >= 192 && h[1] <= 223)) continue;
      double at = arrival_ms(&msgs[i].msg_hdr);
      unsigned char *r = out + used;
      uint32_t ssrc = (uint32_t)h[8] << 24 | h[9] << 16 | h[10] << 8 | h[11];
      uint32_t ts = (uint32_t)h[4] << 24 | h[5] << 16 | h[6] << 8 | h[7];
      uint16_t seq = (uint16_t)(h[2] << 8 | h[3]);
      memcpy(r, &ssrc, 4);
      memcpy(r + 4, &ts, 4);
      memcpy(r + 8, &seq, 2);
      r[10] = h[1] & 0x7f;
      r[11] = 0;
      memcpy(r + 12, &index, 4);
      memcpy(r + 16, &at, 8);
      used += RECORD;
    }
    if (n < BATCH) return;
  }
}

int main(void) {
  epfd = epoll_create1(0);
  if (epfd < 0) die("epoll_create1");
  struct epoll_event ev = {.events = EPOLLIN, .data.u64 = UINT64_MAX};
  if (epoll_ctl(epfd, EPOLL_CTL_ADD, 0, &ev) < 0) die("epoll_ctl stdin");
  char cmd[64];
  size_t cmdlen = 0;
  struct epoll_event ready[256];
  for (;;) {
    int n = epoll_wait(epfd, ready, 256, -1);
    if (n < 0) continue; /* EINTR */
    for (int i = 0; i < n; i++) {
      if (ready[i].data.u64 == UINT64_MAX) {
        ssize_t got = read(0, cmd + cmdlen, sizeof cmd - 1 - cmdlen);
        if (got <= 0) return 0;
        cmdlen += (size_t)got;
        cmd[cmdlen] = 0;
        char *nl;
        while ((nl = strchr(cmd, '\n'))) {
          *nl = 0;
          unsigned count;
          if (sscanf(cmd, "open %u", &count) == 1) open_sockets(count);
          cmdlen -= (size_t)(nl + 1 - cmd);
          memmove(cmd, nl + 1, cmdlen + 1);
        }
        continue;
      }
      drain((int)(uint32_t)ready[i].data.u64, (uint32_t)(ready[i].data.u64 >> 32));
    }
    if (used) flush();
    nanosleep(&(struct timespec){0, ROUND_PAUSE_NS}, NULL);
  }
}
